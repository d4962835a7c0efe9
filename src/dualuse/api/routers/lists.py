"""HTTP routes for restricted-party list versions (filled in by the screening issue)."""

from __future__ import annotations

from fastapi import FastAPI


def register(app: FastAPI) -> None:
    """Add the list routes."""
