"""HTTP routes for tracking (filled in by its issue)."""

from __future__ import annotations

from fastapi import FastAPI


def register(app: FastAPI) -> None:
    """Add this capability's routes."""
