"""boi-mock: a faithful, stateful mock of the Infinite Campus Business Office Integration (BOI) API."""

__version__ = "0.2.0"
