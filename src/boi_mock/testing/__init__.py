"""Test support shipped with the package: the pytest plugin (entry point pytest11) for vendors' suites."""
