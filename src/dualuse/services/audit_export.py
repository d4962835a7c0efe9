"""The regulator bundle: every decision with its evidence, the cases,
dispositions and releases, the list and rule versions used, and the audit chain with
its head, as CSV and JSON.

The bundle is a folder written beside its destination and renamed into place once
complete, so a reader never sees half a bundle; ``manifest.json`` lists each file with
its sha256 and row count and the chain head the export was taken at. Records are kept
at least five years (15 CFR 762.6(a)); see docs/cases.md.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from dualuse import __version__
from dualuse.errors import InputError
from dualuse.settings import Settings
from dualuse.storage import audit
from dualuse.storage import case_reports as reports_store

JsonDict = dict[str, Any]
RETENTION = (
    "Keep for at least five years from the export, reexport or transaction "
    "(15 CFR 762.6(a), Export Administration Regulations, recordkeeping)."
)
DECISION_COLUMNS = (
    "decision_id",
    "order_id",
    "verdict",
    "decided_at",
    "input_digest",
    "lists_version",
    "rules_version",
    "code_version",
    "submitted_by",
    "stored_at",
)
TABLES = ("cases", "alerts", "case_events", "dispositions", "releases", "fp_memory")


def _csv_value(value: Any) -> Any:
    """Cells that a spreadsheet would run as a formula are quoted with a leading '."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv(rows: Iterable[JsonDict], columns: Iterable[str]) -> tuple[bytes, int]:
    out = io.StringIO()
    names = list(columns)
    writer = csv.DictWriter(out, fieldnames=names, extrasaction="ignore")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({k: _csv_value(row.get(k)) for k in names})
        count += 1
    return out.getvalue().encode("utf-8"), count


def _jsonl(rows: Iterable[JsonDict]) -> tuple[bytes, int]:
    lines = [json.dumps(r, ensure_ascii=False, sort_keys=True, default=str) for r in rows]
    return ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8"), len(lines)


def _decisions(engine: Engine, since: str | None, until: str | None) -> Iterator[JsonDict]:
    with engine.connect() as conn:
        yield from reports_store.decision_rows(conn, since=since, until=until)


def bundle_files(
    settings: Settings, engine: Engine, *, since: str | None = None, until: str | None = None
) -> tuple[dict[str, bytes], JsonDict]:
    """Every file of the bundle (name -> bytes) and its manifest."""
    files: dict[str, bytes] = {}
    counts: dict[str, int] = {}

    def put(name: str, data: tuple[bytes, int]) -> None:
        files[name], counts[name] = data

    decisions = list(_decisions(engine, since, until))
    put("decisions.csv", _csv(decisions, DECISION_COLUMNS))
    put("decisions.jsonl", _jsonl(json.loads(d["body"]) for d in decisions))
    with engine.connect() as conn:
        for table in TABLES:
            rows = list(reports_store.all_rows(conn, table))
            columns = list(rows[0]) if rows else []
            if table == "alerts":
                columns = [c for c in columns if c != "body"]
            put(f"{table}.csv", _csv(rows, columns))
            put(f"{table}.jsonl", _jsonl(rows))
        reports = reports_store.reports(conn, list_id=None, limit=1_000_000)
    put("list_updates.jsonl", _jsonl(reports))
    seq, head = audit.head(engine)
    chain_length = audit.verify_chain(engine)
    records = [asdict(r) for r in audit.records(engine)]
    put(
        "audit_log.csv",
        _csv(records, ("seq", "at", "actor", "action", "subject", "prev_hash", "hash")),
    )
    put("audit_log.jsonl", _jsonl(records))
    files["versions.json"] = json.dumps(_versions(settings, decisions), indent=2).encode()
    manifest: JsonDict = {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "code_version": __version__,
        "period": {"since": since, "until": until},
        "chain": {"head_seq": seq, "head_hash": head, "verified_records": chain_length},
        "retention": RETENTION,
        "files": {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "rows": counts.get(name)}
            for name, data in sorted(files.items())
        },
    }
    return files, manifest


def _versions(settings: Settings, decisions: list[JsonDict]) -> JsonDict:
    """The list and rule versions the exported decisions used, and the lists in force."""
    used_lists = sorted(
        {(x["list_id"], x["version"]) for d in decisions for x in json.loads(d["lists_version"])}
    )
    from dualuse.services.lists import status  # the list store; read only

    return {
        "lists_used": [{"list_id": a, "version": b} for a, b in used_lists],
        "rules_used": sorted({str(d["rules_version"]) for d in decisions}),
        "code_used": sorted({str(d["code_version"]) for d in decisions}),
        "lists_in_force": [
            {"list_id": s.list_id, "version": s.version, "sha256": s.sha256, "url": s.source_url}
            for s in status(settings)
        ],
    }


def record_export(
    engine: Engine,
    manifest: JsonDict,
    *,
    actor: str,
    since: str | None,
    until: str | None,
    **context: str,
) -> None:
    """The audit entry of one export (the chain head it covers, the period, where it went),
    the same whether the CLI, the API or the web pages exported."""
    audit.append(
        engine,
        actor=actor,
        action="audit.export",
        subject="audit:export",
        payload={"head": manifest["chain"], "since": since, "until": until, **context},
    )


def export_bundle(
    settings: Settings,
    engine: Engine,
    out: Path,
    *,
    since: str | None = None,
    until: str | None = None,
) -> JsonDict:
    """Write the bundle to the new folder ``out`` atomically; return its manifest."""
    if out.exists():
        raise InputError(f"{out} exists; name a new folder", source="OUT")
    files, manifest = bundle_files(settings, engine, since=since, until=until)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for name, data in [*files.items(), ("manifest.json", _manifest_bytes(manifest))]:
            with (work / name).open("wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        os.rename(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


def _manifest_bytes(manifest: JsonDict) -> bytes:
    return json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")
