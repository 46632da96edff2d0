"""Durable background jobs: queue, runner, handlers."""
