"""The screening index on disk: one ``.npz`` file of flat arrays (written atomically),
its format version, and the codes its arrays store for scripts, token kinds, name kinds
and party types. :class:`~dualuse.screening.matching.retrieval.index.Index` reads and writes
through here; :func:`~dualuse.screening.matching.retrieval.index_build.build_index` fills the
arrays."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import numpy.typing as npt

from dualuse.errors import InputError
from dualuse.files import atomic_write_bytes
from dualuse.model.party import NameKind, PartyType
from dualuse.reference.names import Script, TokenKind

FORMAT_VERSION = 5
"""5: organisation-type words fold to weak tokens (:mod:`dualuse.reference.names.org_types`),
legal-form typos are repaired and common organisation words marked, so names analysed
by an older release are analysed again; each listing stores its real-world entity
(:mod:`dualuse.screening.matching.entities`)."""

SCRIPTS = list(Script)
KINDS = list(TokenKind)
NAME_KINDS = list(NameKind)
TYPES = list(PartyType)
RETRIEVABLE = {TokenKind.NAME, TokenKind.NUMBER, TokenKind.GENERIC}
"""Token kinds that are posted (retrieve names); a one-token name posts any kind."""
LEXICON_PREFIX = "lex_"
"""Prefix of the arrays that hold the index's part of the name lexicon."""

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]

IndexParts = tuple[dict[str, np.ndarray], list[str], list[str], list[str], bytes, str]
"""``(arrays, vocab, symbols, lists, party_blob, version)``, as ``Index`` takes them."""


class IndexFormatError(InputError):
    """An index file written by another version of the index format: rebuild it
    from the lists (the file itself is intact)."""


def write_index_file(
    path: Path,
    arrays: dict[str, np.ndarray],
    vocab: list[str],
    symbols: list[str],
    lists: list[str],
    party_blob: bytes,
    version: str,
) -> None:
    """Write an index to ``path`` atomically (readers see old or new, whole)."""
    buffer = io.BytesIO()
    meta = {"format": FORMAT_VERSION, "version": version}
    np.savez(
        buffer,
        _meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
        _vocab=np.frombuffer("\n".join(vocab).encode(), dtype=np.uint8),
        _symbols=np.frombuffer("\n".join(symbols).encode(), dtype=np.uint8),
        _lists=np.frombuffer("\n".join(lists).encode(), dtype=np.uint8),
        _parties=np.frombuffer(party_blob, dtype=np.uint8),
        **arrays,  # type: ignore[arg-type]
    )
    atomic_write_bytes(Path(path), buffer.getvalue())


def read_index_file(path: Path) -> IndexParts:
    """Read an index written by :func:`write_index_file`; a missing, truncated or
    foreign file is an :class:`InputError` naming it, an older format an
    :class:`IndexFormatError`."""
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except FileNotFoundError:
        raise InputError("no screening index here", source=str(path)) from None
    except Exception as exc:
        raise InputError(f"not a readable screening index ({exc})", source=str(path)) from exc
    try:
        meta = json.loads(arrays.pop("_meta").tobytes())
    except (KeyError, ValueError) as exc:
        raise InputError(f"incomplete screening index ({exc})", source=str(path)) from exc
    if not isinstance(meta, dict) or meta.get("format") != FORMAT_VERSION:
        found = meta.get("format") if isinstance(meta, dict) else None
        raise IndexFormatError(
            f"index format {found} is not {FORMAT_VERSION}; rebuild it", source=str(path)
        )
    try:
        text = {
            name: arrays.pop(name).tobytes().decode() for name in ("_vocab", "_symbols", "_lists")
        }
        blob = arrays.pop("_parties").tobytes()
    except (KeyError, ValueError) as exc:
        raise InputError(f"incomplete screening index ({exc})", source=str(path)) from exc

    def lines(value: str) -> list[str]:
        return value.split("\n") if value else []

    return (
        arrays,
        lines(text["_vocab"]),
        lines(text["_symbols"]),
        lines(text["_lists"]),
        blob,
        str(meta.get("version", "")),
    )
