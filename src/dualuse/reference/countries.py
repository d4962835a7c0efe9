"""Countries and territories as ISO 3166-1 alpha-2 codes (lower case, as FtM uses them).

Names, codes and common aliases ("Korea, North", "UAE", "PRC", "Türkiye") are resolved
with FollowTheMoney's country registry, which every list loader and the API share.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rapidfuzz import process

from dualuse.errors import InputError
from dualuse.once import load_once


@load_once
def _countries() -> Any:
    """FtM's country type, imported on first use: followthemoney takes half a second to
    import, which a screen without a country need not pay."""
    from followthemoney.types import registry

    return registry.country


@lru_cache(maxsize=4096)
def normalize_country(text: str | None) -> str | None:
    """Return the lower-case ISO-2 code for a name, code or alias, or ``None``."""
    if text is None:
        return None
    text = text.strip()
    if not text or text in {"-0-", "-0- "}:
        return None
    code = _countries().clean_text(text)
    return str(code) if code else None


def country_name(code: str) -> str:
    label = _countries().names.get(code.lower())
    return str(label) if label else code.upper()


def all_countries() -> dict[str, str]:
    """Every code FtM knows, with its English name."""
    return {str(k): str(v) for k, v in _countries().names.items()}


def require_country(text: str, *, source: str = "country") -> str:
    """Like :func:`normalize_country` but raise with the closest valid suggestions."""
    code = normalize_country(text)
    if code is not None:
        return code
    names = all_countries()
    choices = {f"{k.upper()} ({v})": v for k, v in names.items()}
    best = process.extract(text, choices, limit=3)
    raise InputError(
        f"unknown country {text!r}",
        source=source,
        suggestions=[label for _value, _score, label in best],
    )
