"""Error answers that stay small and valid JSON whatever the rejected input was.

FastAPI's default 422 echoes each rejected ``input`` in full (a 10 MB name comes back
as 10 MB) and a ``NaN`` there makes the answer itself fail to render (a 500). Here every
echoed value is cut to a short, JSON-safe preview.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

MAX_ECHO = 200
"""Characters of a rejected value shown back to the caller."""


def clip(text: str, limit: int = MAX_ECHO) -> str:
    """``text`` cut to ``limit`` characters, saying how long it was; lone surrogates escaped."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text)} characters)"


def preview(value: Any) -> Any:
    """A short JSON-safe stand-in for a rejected value."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if abs(value) < 2**53 else clip(str(value))
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, str):
        return clip(value)
    if isinstance(value, bytes):
        return clip(value.decode("utf-8", "replace"))
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return clip(text)


def _error(error: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {
        "type": error.get("type"),
        "loc": [preview(part) for part in error.get("loc", ())],
        "msg": clip(str(error.get("msg", "")), 500),
    }
    if "input" in error:
        item["input"] = preview(error["input"])
    if error.get("ctx"):
        item["ctx"] = {str(k): preview(v) for k, v in error["ctx"].items()}
    return item


def validation_json(errors: Sequence[Any]) -> dict[str, Any]:
    return {"detail": [_error(dict(e)) for e in errors[:50]]}


async def validation_error(_request: Request, exc: Exception) -> JSONResponse:
    """422 with every rejected value clipped (at most 50 errors)."""
    assert isinstance(exc, RequestValidationError)
    return JSONResponse(validation_json(exc.errors()), status_code=422)
