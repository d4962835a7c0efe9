"""Retrieval keys: stable 64-bit hashes of typo, phonetic, skeleton and symbol keys.

A token is found again through any of its keys: itself and its one- and (from five
letters) two-letter deletions (so any one or two edits on either side meet: a
SymSpell-style neighbourhood as deep as the name score's typo budget; deletion
keys have their own vectorised hash, see :func:`deletion_hashes`),
its Metaphone, its consonant skeleton (for words from abjads) and its rigour name
symbols (cross-script). Hashes are stable across processes, so they can be stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from dualuse.reference.names import metaphone, skeleton

PHONETIC = "m"
SKELETON = "s"
SYMBOL = "y"
JOINED = "j"
IDENTIFIER = "i"


@lru_cache(maxsize=1 << 16)
def key_hash(kind: str, value: str) -> int:
    """Stable signed 64-bit hash of a typed key (fits numpy int64); cached, the
    same phonetic keys and words come back query after query."""
    digest = hashlib.blake2b(f"{kind}:{value}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


_MAX_DELETION_LENGTH = 16
_STEP = 0x100000001B3
"""Multiplier of the deletion strings' polynomial hash (the FNV-1a 64-bit prime)."""
_FOLD = np.uint64(0x9E3779B97F4A7C15)


def _keeps_first_letter(length: int) -> bool:
    """Two deletions of a word of at most six letters never need its first letter:
    the name score allows two edits there only when the first letters agree."""
    return length <= 6


@lru_cache(maxsize=_MAX_DELETION_LENGTH + 1)
def _deletion_patterns(length: int) -> tuple[tuple[int, ...], ...]:
    """The positions each deletion of a word of ``length`` letters drops: none; one
    (4+ letters); two (5+ letters; up to six letters, never the first)."""
    patterns: list[tuple[int, ...]] = [()]
    if 4 <= length <= _MAX_DELETION_LENGTH:
        patterns += [(i,) for i in range(length)]
        if length >= 5:
            first = 1 if _keeps_first_letter(length) else 0
            patterns += [(i, j) for i in range(first, length) for j in range(i + 1, length)]
    return tuple(patterns)


def deletions(token: str) -> set[str]:
    """The token, its one-letter deletions (4+ letters) and two-letter deletions
    (5+ letters; up to six letters, the first letter stays), for tokens of at most
    16 letters: any two words within the name score's typo budget share one."""
    return {
        "".join(c for i, c in enumerate(token) if i not in dropped)
        for dropped in _deletion_patterns(len(token))
    }


@lru_cache(maxsize=_MAX_DELETION_LENGTH + 1)
def _deletion_weights(length: int) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    """For words of ``length`` letters: one row per deletion pattern holding, at each
    kept position, the power of the polynomial hash for its rank; and each
    pattern's kept length folded into the hash's first mixing step."""
    patterns = _deletion_patterns(length)
    powers = [pow(_STEP, r, 1 << 64) for r in range(length)]
    weights = np.zeros((len(patterns), length), dtype=np.uint64)
    kept = np.zeros(len(patterns), dtype=np.uint64)
    for row, dropped in enumerate(patterns):
        rank = 0
        for position in range(length):
            if position not in dropped:
                weights[row, position] = powers[rank]
                rank += 1
        kept[row] = rank
    return weights, kept * _FOLD  # array arithmetic wraps around, as the hash wants


def _mix(h: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    """The rest of the splitmix64 finaliser on polynomial hashes already folded with
    their kept length, as signed 64-bit keys. (Array arithmetic on unsigned
    integers wraps around without a warning; only numpy scalars warn.)"""
    h ^= h >> np.uint64(31)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(27)
    h *= np.uint64(0x94D049BB133111EB)
    h ^= h >> np.uint64(31)
    return h.view(np.int64)


def deletion_hashes(token: str) -> npt.NDArray[np.int64]:
    """Stable 64-bit hashes of :func:`deletions` of ``token`` (duplicates possible
    where two patterns leave one string); see :func:`deletion_hashes_many`."""
    return deletion_hashes_many([token])[0]


def deletion_hashes_many(
    tokens: Sequence[str],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.intp]]:
    """Hashes of the :func:`deletions` of many tokens, and the position in ``tokens``
    each hash belongs to. A polynomial over the code points (one matrix product for
    all tokens of one length and all their deletion patterns), then the splitmix64
    finaliser: retrieval makes dozens per query word, so they are computed as
    arrays, not one by one, in as few array operations as can be (each has a fixed
    cost that a single query's few words would pay again and again)."""
    by_length: dict[int, list[int]] = {}
    for position, token in enumerate(tokens):
        by_length.setdefault(len(token), []).append(position)
    hashes: list[npt.NDArray[np.uint64]] = []
    owners: list[npt.NDArray[np.intp]] = []
    for length, members in by_length.items():
        weights, folded = _deletion_weights(length)
        text = "".join([tokens[m] for m in members]).encode("utf-32-le")
        points = np.frombuffer(text, dtype=np.uint32).astype(np.uint64)
        h = points.reshape(len(members), length) @ weights.T
        h ^= folded
        hashes.append(h.ravel())
        owners.append(np.asarray(members, dtype=np.intp).repeat(len(folded)))
    if not hashes:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.intp)
    return _mix(np.concatenate(hashes)), np.concatenate(owners)


def token_keys(token: str) -> list[tuple[str, str]]:
    """The phonetic and skeleton keys of an index token (its deletions are hashed
    by :func:`deletion_hashes`, its symbols apart)."""
    keys: list[tuple[str, str]] = []
    if token.isalpha() and len(token) >= 3:
        phone = metaphone(token)
        if len(phone) >= 2:
            keys.append((PHONETIC, phone))
        skel = skeleton(token)
        if len(skel) >= 2:
            keys.append((SKELETON, skel))
    return keys
