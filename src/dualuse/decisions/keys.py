"""Digests and keys of the decision records: canonical JSON, the party key a clearance
is remembered against, the digest of a listed entry's content."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from dualuse.reference.names import normalize_name


def canonical_json(value: object) -> str:
    """Sorted keys, no spaces, UTF-8 kept: the form every digest is taken over."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(value: object) -> str:
    """sha256 (hex) of the canonical JSON of ``value``."""
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def party_key(name: str, country: str | None) -> str:
    """``<normalised name>|<COUNTRY>``: stable across orders and spellings that
    normalise alike (case, punctuation, legal-form variants)."""
    norm = normalize_name(name) or " ".join(name.casefold().split())
    return f"{norm}|{(country or '').upper()}"


def entry_digest(names: Iterable[str], identifiers: Iterable[str], programs: Iterable[str]) -> str:
    """sha256 of a listed entry's content: names, identifiers and programmes (sorted)."""
    return digest(
        {
            "names": sorted(set(names)),
            "identifiers": sorted(set(identifiers)),
            "programs": sorted(set(programs)),
        }
    )
