"""Evidence tokens verified per second on one core, beside pycose and the bare signature.

For each algorithm (EdDSA, ES256, ES384) it times, in this one process:

* dualuse: the full appraisal (``verify_evidence``: parse, key lookup, signature, claims,
  nonce, clock and boot counter) of distinct tokens, each with its own nonce;
* pycose 1.1.0 (the anchor): decode + ``verify_signature`` of the same tokens (decoded
  untagged, see docs/tracking.md for why);
* the bare ``cryptography`` signature check over the same Sig_structure (the ceiling).

Run: ``python -m bench.tracking_verify [--tokens N]``. Prints a markdown table.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import time
from collections.abc import Callable

import cbor2
from cryptography.hazmat.primitives import serialization

from dualuse.tracking.claims import EvidenceClaims, GpsFix
from dualuse.tracking.cose import decode_sign1, sign1
from dualuse.tracking.evidence import (
    Accepted,
    DeviceState,
    KeyRecord,
    NonceRecord,
    verify_evidence,
)
from dualuse.tracking.keys import Alg, Signer

UEID = b"\x01" + bytes(range(16))


def interleaved(runs: dict[str, Callable[[], None]], count: int, repeat: int) -> dict[str, float]:
    """Best rate of each contender over ``repeat`` rounds, run in turn within each round so
    that a noisy neighbour on a shared machine hurts them alike."""
    best = dict.fromkeys(runs, 0.0)
    for _ in range(repeat):
        for name, fn in runs.items():
            start = time.perf_counter()
            fn()
            best[name] = max(best[name], count / (time.perf_counter() - start))
    return best


def pycose_key(signer: Signer):  # type: ignore[no-untyped-def]
    from pycose.keys import EC2Key, OKPKey

    if signer.alg is Alg.EDDSA:
        raw = signer.key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return OKPKey(crv="ED25519", x=raw)
    width = 32 if signer.alg is Alg.ES256 else 48
    nums = signer.key.public_key().public_numbers()  # type: ignore[union-attr]
    return EC2Key(
        crv="P_256" if signer.alg is Alg.ES256 else "P_384",
        x=nums.x.to_bytes(width, "big"),
        y=nums.y.to_bytes(width, "big"),
    )


def run(alg: Alg, count: int, repeat: int) -> dict[str, float]:
    from pycose.messages import Sign1Message

    signer = Signer.generate(alg)
    now = time.time()
    nonces: dict[bytes, NonceRecord] = {}
    tokens = []
    for _ in range(count):
        nonce = os.urandom(32)
        nonces[nonce] = NonceRecord(nonce, "dev", now, now + 600)
        claims = EvidenceClaims(
            nonce, UEID, now, 3, hashlib.sha256(b"fw").digest(), GpsFix(48.1, 11.6, 20.0)
        )
        tokens.append(sign1(claims.encode(), signer, tagged=False))
    keys = {signer.kid: KeyRecord(signer.kid, "dev", signer.public)}
    state = DeviceState("dev", UEID, True, 2, now - 60)

    def ours() -> None:
        for token in tokens:
            result = verify_evidence(token, device=state, keys=keys.get, nonces=nonces.get, now=now)
            assert isinstance(result, Accepted)

    key = pycose_key(signer)

    def anchor() -> None:
        for token in tokens:
            msg = Sign1Message.from_cose_obj(list(cbor2.loads(token)), True)
            msg.key = key
            assert msg.verify_signature()

    parsed = [decode_sign1(t) for t in tokens]
    pairs = [(m.signature, m.to_be_signed()) for m in parsed]

    def ceiling() -> None:
        for signature, data in pairs:
            assert signer.public.verify(signature, data)

    return interleaved({"dualuse": ours, "pycose": anchor, "bare": ceiling}, count, repeat)


def machine_line() -> str:
    """Cores, CPU model, Python and load, for the benchmark notes."""
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            cpu = next(line.split(":", 1)[1].strip() for line in handle if "model name" in line)
    except (OSError, StopIteration):
        pass
    return (
        f"machine: {os.cpu_count()} cores, {cpu}; Python {platform.python_version()}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tokens", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(machine_line())
    print(
        f"date: {time.strftime('%Y-%m-%d')}; {args.tokens} tokens, best of {args.repeat} rounds; "
        "one process\n"
    )
    print(
        "| alg | dualuse full appraisal /s | pycose verify /s | bare signature /s | "
        "dualuse / pycose | dualuse / bare |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for alg in Alg:
        r = run(alg, args.tokens, args.repeat)
        print(
            f"| {alg.name} | {r['dualuse']:,.0f} | {r['pycose']:,.0f} | {r['bare']:,.0f} | "
            f"{r['dualuse'] / r['pycose']:.2f} | {r['dualuse'] / r['bare']:.2f} |"
        )


if __name__ == "__main__":
    main()
