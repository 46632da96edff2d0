"""Placeholder: the Campus UI sub-application (mounted at /campus/ui by app/main.py)."""

from __future__ import annotations

from fastapi import FastAPI


def create_ui() -> FastAPI:
    return FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
