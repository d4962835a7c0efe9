"""Retrieval keys: stable 64-bit hashes of typo, phonetic, skeleton and symbol keys.

A token is found again through any of its keys: itself and its one- and (from five
letters) two-letter deletions (so any one or two edits on either side meet: a
SymSpell-style neighbourhood as deep as the name score's typo budget),
its Metaphone, its consonant skeleton (for words from abjads) and its rigour name
symbols (cross-script). Hashes are stable across processes, so they can be stored.
"""

from __future__ import annotations

import hashlib

from dualuse.reference.names import metaphone, skeleton

DELETE = "d"
PHONETIC = "m"
SKELETON = "s"
SYMBOL = "y"
JOINED = "j"
IDENTIFIER = "i"


def key_hash(kind: str, value: str) -> int:
    """Stable signed 64-bit hash of a typed key (fits numpy int64)."""
    digest = hashlib.blake2b(f"{kind}:{value}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def deletions(token: str) -> set[str]:
    """The token, its one-letter deletions (4+ letters) and two-letter deletions
    (5+ letters), for tokens of at most 16 letters."""
    if len(token) < 4 or len(token) > 16:
        return {token}
    once = {token[:i] + token[i + 1 :] for i in range(len(token))}
    if len(token) < 5:
        return {token} | once
    twice = {d[:i] + d[i + 1 :] for d in once for i in range(len(d))}
    return {token} | once | twice


def token_keys(token: str) -> list[tuple[str, str]]:
    """Every (kind, value) key of an index token except symbols."""
    keys = [(DELETE, d) for d in deletions(token)]
    if token.isalpha() and len(token) >= 3:
        phone = metaphone(token)
        if len(phone) >= 2:
            keys.append((PHONETIC, phone))
        skel = skeleton(token)
        if len(skel) >= 2:
            keys.append((SKELETON, skel))
    return keys
