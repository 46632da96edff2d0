"""Placeholder: filled in by its feature (routes are wired in app/main.py already)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
