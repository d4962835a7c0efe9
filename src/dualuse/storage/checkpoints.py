"""Signed checkpoints of the audit log, so that truncation and wholesale rewrites show.

The hash chain (:mod:`dualuse.storage.audit`) catches an edited, removed or swapped
record, but not a log cut short (its last records deleted, or all of them) nor one
rewritten from some record on with every later hash recomputed: what remains is a
consistent chain. As Certificate Transparency anchors its log with signed tree heads
(RFC 6962, section 3.5), a checkpoint states the number of records and the head hash,
signed with an Ed25519 key kept in a file, outside the database. Whoever can rewrite the
table cannot forge a checkpoint without that key, and a log that no longer holds the
checkpointed head fails verification. Records after the newest checkpoint are covered by
the chain alone: take checkpoints regularly and keep them away from the database.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from dualuse.errors import InputError, IntegrityError
from dualuse.files import atomic_write_text
from dualuse.storage import audit
from dualuse.tracking.keys import Alg, PublicKey, Signer

FORMAT = "dualuse-audit-checkpoint/1"


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """What was signed: ``count`` records whose last hash is ``head_hash``, at ``at``."""

    count: int
    head_hash: str
    at: str
    key_id: str
    """Hex key id (SHA-256 of the public key's SubjectPublicKeyInfo, first 16 bytes)."""
    signature: str = ""
    """Ed25519 signature over :meth:`signed_bytes`, base64."""

    def signed_bytes(self) -> bytes:
        body = [FORMAT, self.count, self.head_hash, self.at, self.key_id]
        return json.dumps(body, separators=(",", ":")).encode("ascii")

    def to_json(self) -> str:
        fields = {
            "format": FORMAT,
            "count": self.count,
            "head_hash": self.head_hash,
            "at": self.at,
            "key_id": self.key_id,
            "signature": self.signature,
        }
        return json.dumps(fields, indent=2) + "\n"

    @classmethod
    def parse(cls, text: str, *, source: str) -> Checkpoint:
        """Read a checkpoint file; anything malformed is an :class:`InputError`."""
        try:
            raw: Any = json.loads(text)
        except ValueError as exc:
            raise InputError("not a JSON checkpoint", source=source) from exc
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise InputError(f"not a {FORMAT} file", source=source)
        count, head, at, kid, sig = (
            raw.get(k) for k in ("count", "head_hash", "at", "key_id", "signature")
        )
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise InputError("count must be a whole number of zero or more", source=source)
        if not all(isinstance(v, str) for v in (head, at, kid, sig)):
            raise InputError("head_hash, at, key_id and signature must be text", source=source)
        return cls(count, str(head), str(at), str(kid), str(sig))


def load_signer(path: Path, *, create: bool = False) -> Signer:
    """The Ed25519 checkpoint key at ``path``; with ``create``, made (0600) if missing."""
    if not path.exists():
        if not create:
            raise InputError("no checkpoint key here", source=str(path))
        signer = Signer.generate(Alg.EDDSA)
        atomic_write_text(path, signer.pem().decode("ascii"))  # mkstemp: 0600
        path.chmod(0o600)
        return signer
    signer = Signer.load_pem(path.read_bytes(), source=str(path))
    if signer.alg is not Alg.EDDSA:
        raise InputError("the checkpoint key must be Ed25519", source=str(path))
    return signer


def take(engine: Engine, signer: Signer, *, at: datetime | None = None) -> Checkpoint:
    """Verify the chain, then sign its length and head (a broken chain is not signed)."""
    count = audit.verify_chain(engine)
    _seq, head = audit.head(engine)
    stamp = (at or datetime.now(UTC)).isoformat()
    unsigned = Checkpoint(count, head, stamp, signer.kid.hex())
    signature = base64.b64encode(signer.sign(unsigned.signed_bytes())).decode("ascii")
    return Checkpoint(count, head, stamp, unsigned.key_id, signature)


def write(checkpoint: Checkpoint, path: Path) -> None:
    atomic_write_text(path, checkpoint.to_json())


def read(path: Path) -> Checkpoint:
    if not path.is_file():
        raise InputError("no such checkpoint file", source=str(path))
    return Checkpoint.parse(path.read_text(encoding="utf-8"), source=str(path))


def check(engine: Engine, checkpoint: Checkpoint, public: PublicKey) -> int:
    """Verify the signature, the chain, and that the log still holds the signed head.

    Returns the number of records; raises :class:`IntegrityError` naming what differs.
    """
    when = f"the checkpoint of {checkpoint.at}"
    if checkpoint.key_id != public.kid.hex():
        raise IntegrityError(f"{when} was signed by key {checkpoint.key_id}, not this one")
    try:
        signature = base64.b64decode(checkpoint.signature, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise IntegrityError(f"{when}: the signature is not base64") from exc
    if not public.verify(signature, checkpoint.signed_bytes()):
        raise IntegrityError(f"{when}: the signature does not verify (the file was altered)")
    count = audit.verify_chain(engine)
    if count < checkpoint.count:
        first, last = count + 1, checkpoint.count
        gone = f"record {last} was" if first == last else f"records {first} to {last} were"
        raise IntegrityError(
            f"audit log: {count} records, but {when} signed {last}: {gone} deleted"
        )
    if checkpoint.count == 0:
        return count
    found = audit.hash_at(engine, checkpoint.count)
    if found != checkpoint.head_hash:
        raise IntegrityError(
            f"audit log: record {checkpoint.count} is not the one {when} signed: "
            f"the log was rewritten at or before record {checkpoint.count}"
        )
    return count
