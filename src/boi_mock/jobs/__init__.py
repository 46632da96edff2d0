"""Durable background jobs: the queue (rows, leases, claims) and the worker. It imports nothing of `services`:
services enqueue through `jobs.queue`; the app hands the worker its handlers (`boi_mock.main.JOB_HANDLERS`)."""
