"""Continuous monitoring: what a list update means for the parties already
traded with.

Only what changed is screened: the entries a list update added or changed are put in a
small index of their own and every stored party is screened against it, not against
the whole list. A party that now matches gets a new alert in a monitoring case; a
false-positive clearance whose entry's content changed (its digest differs) lapses and
the alert is reopened. The report of what the update did is stored and audited in the
same transaction as the cases it opened.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError as SAIntegrityError

from dualuse.decisions.model import entry_digest
from dualuse.errors import InputError, IntegrityError
from dualuse.model.party import ListVersion, Party
from dualuse.model.screening import ScreeningQuery
from dualuse.screening.lists.diff import ListDiff
from dualuse.screening.matching import Screener, build_index
from dualuse.screening.matching.linking import LINKS, link_records
from dualuse.screening.matching.retrieval.record import PartyRecord
from dualuse.services.case_views import UpdateReport
from dualuse.services.lists import current_lists
from dualuse.services.screening_input import make_query
from dualuse.settings import Settings
from dualuse.storage import audit
from dualuse.storage import case_reports as reports_store
from dualuse.storage import case_store as store
from dualuse.storage.db import make_engine
from dualuse.storage.turns import writer_turn

JsonDict = dict[str, Any]
DUE = timedelta(hours=24)
"""Time a reviewer has for a monitoring case (an operational default of this project)."""
CHUNK = 512


def record_digest(rec: PartyRecord) -> str:
    """The entry digest the decision engine gives an index record: its names,
    normalised identifiers and programmes (``DecisionService._entry_digest``)."""
    return entry_digest(
        [n for n, _kind in rec.names],
        [f"{scheme}:{norm}" for scheme, norm, _raw in rec.identifiers],
        rec.programs,
    )


def entry_digests(settings: Settings, entries: Sequence[Party]) -> dict[str, str]:
    """Party id -> the digest the screening index of the current lists gives it.

    A CSL copy of an OFAC entry borrows the OFAC entry's identifiers in the index
    (:mod:`dualuse.screening.matching.linking`), so its digest is taken after the same
    linking against the current OFAC lists."""
    records = [PartyRecord.from_party(p) for p in entries]
    if any(r.list_id in LINKS for r in records):
        originals = {s for targets in LINKS.values() for s in targets.values()}
        own = {p.id for p in entries}
        extra = [
            PartyRecord.from_party(p)
            for p in current_lists(settings).parties(sorted(originals))
            if p.id not in own
        ]
        records = link_records([*records, *extra])[: len(records)]
    return {r.party_id: record_digest(r) for r in records}


def changed_entries(diff: ListDiff, new: ListVersion) -> list[Party]:
    """The parties of ``new`` that ``diff`` added or changed."""
    changed = {c.entry_id for c in diff.changed}
    return [*diff.added, *(p for p in new.parties if p.provenance.entry_id in changed)]


def _queries(rows: Sequence[JsonDict]) -> list[tuple[JsonDict, ScreeningQuery]]:
    out = []
    for row in rows:
        try:
            query, _notes = make_query(row["name"], country=row["country"] or "")
        except InputError:
            continue  # a stored name screening cannot read was reported when submitted
        out.append((row, query))
    return out


def _alert(row: JsonDict, party: Party, score: float, digest: str) -> JsonDict:
    return {
        "key": {
            "party_key": row["party_key"],
            "list_id": party.provenance.list_id,
            "entry_id": party.provenance.entry_id,
            "entry_digest": digest,
        },
        "party_index": None,
        "role": None,
        "party_name": row["name"],
        "list_id": party.provenance.list_id,
        "entry_id": party.provenance.entry_id,
        "entity_id": None,
        "listed_name": party.caption,
        "score": score,
        "programs": list(party.programs),
        "explanation": [],
        "cleared": False,
    }


def monitor(
    settings: Settings,
    diff: ListDiff,
    new: ListVersion,
    *,
    actor: str,
    engine: Engine | None = None,
    now: str | None = None,
) -> UpdateReport:
    """Re-screen the stored parties against what ``diff`` changed; open cases; report."""
    engine = engine or make_engine(settings.db_url)
    entries = changed_entries(diff, new)
    by_id = entry_digests(settings, entries)
    digests = {p.provenance.entry_id: by_id[p.id] for p in entries}
    by_entry = {p.provenance.entry_id: p for p in entries}
    with engine.connect() as conn:
        stored = store.all_parties(conn)
        cleared = store.cleared_for_entries(conn, new.list_id, sorted(digests))
    known = {r["party_ref"]: r for r in stored}
    lapsed = [c for c in cleared if c["entry_digest"] != digests[c["entry_id"]]]
    hits: list[tuple[JsonDict, Party, float]] = []
    if entries and stored:
        from dualuse.services.screening import ensure_index

        # word weights of the full index of the lists after the update: a stored party
        # then scores against a changed entry exactly as a full screen would score it
        # (services/delta_screening.py; with the entries' own weights one real SDN hit
        # fell from 0.987 to 0.906)
        full, _info = ensure_index(settings)
        screener = Screener(
            build_index(entries, version=f"monitor:{new.list_id}@{new.version}", statistics=full),
            settings.screening.algorithm,
            threshold=settings.screening.threshold,
        )
        pairs = _queries(stored)
        for start in range(0, len(pairs), CHUNK):
            chunk = pairs[start : start + CHUNK]
            answers = screener.screen_many([q for _, q in chunk], limit=10, explain=False)
            for (row, _query), answer in zip(chunk, answers, strict=True):
                for result in answer.matches:
                    if result.match and result.entry_id in by_entry:
                        hits.append((row, by_entry[result.entry_id], result.score))
    stamp = now or datetime.now(UTC).isoformat(timespec="seconds")

    def work(conn: Connection) -> UpdateReport:
        report: JsonDict = {
            "list_id": new.list_id,
            "old_version": diff.old_version,
            "new_version": diff.new_version,
            "at": stamp,
            "actor": actor,
            "parties_screened": len(stored),
            "entries_screened": len(entries),
            "new_hits": [],
            "reopened": [],
        }
        cases: dict[str, int] = {}

        def case_for(ref: str, order_id: Any) -> int:
            if ref not in cases:
                due = (datetime.fromisoformat(stamp) + DUE).isoformat(timespec="seconds")
                cases[ref] = store.insert_case(
                    conn,
                    kind="monitoring",
                    order_id=order_id,
                    decision_id=None,
                    verdict="hold",
                    now=stamp,
                    due=due,
                )
                store.add_event(
                    conn,
                    cases[ref],
                    at=stamp,
                    actor=actor,
                    kind="opened",
                    text=f"list update {new.list_id} {diff.old_version} -> {diff.new_version}",
                )
            return cases[ref]

        seen: set[tuple[str, str]] = set()

        def raise_alert(person: JsonDict, party: Party, score: float, origin: str) -> JsonDict:
            """A new open alert in the party's monitoring case; what the report says of it."""
            entry = party.provenance.entry_id
            case_id = case_for(person["party_ref"], person.get("last_order_id"))
            row = store.alert_row(
                _alert(person, party, score, digests[entry]),
                case_id=case_id,
                decision_id=None,
                origin=origin,
                status="open",
                now=stamp,
            )
            alert_id = store.insert_alert(conn, row)
            return {
                "case_id": case_id,
                "alert_id": alert_id,
                "party_name": person["name"],
                "listed_name": party.caption,
                "entry_id": entry,
            }

        for row in lapsed:
            ref, entry = row["party_ref"], row["entry_id"]
            seen.add((ref, entry))
            if store.live_alerts_for(conn, ref, new.list_id, entry):
                continue
            person = known.get(ref) or {**row, "name": row["party_key"]}
            item = raise_alert(person, by_entry[entry], 0.0, "reopened")
            report["reopened"].append(
                item | {"old_digest": row["entry_digest"], "new_digest": digests[entry]}
            )
        for person, party, score in hits:
            ref, entry = person["party_ref"], party.provenance.entry_id
            key = {
                "party_key": person["party_key"],
                "list_id": new.list_id,
                "entry_id": entry,
                "entry_digest": digests[entry],
            }
            if (ref, entry) in seen or store.is_cleared(conn, key):
                continue
            seen.add((ref, entry))
            if store.live_alerts_for(conn, ref, new.list_id, entry):
                continue
            item = raise_alert(person, party, score, "monitoring")
            report["new_hits"].append(item | {"score": round(score, 4)})
        report_id = reports_store.insert_report(conn, report)
        audit.append_in(
            conn,
            actor=actor,
            action="lists.monitoring",
            subject=f"list:{new.list_id}",
            payload={
                "report_id": report_id,
                "old_version": diff.old_version,
                "new_version": diff.new_version,
                "parties_screened": len(stored),
                "entries_screened": len(entries),
                "new_hits": len(report["new_hits"]),
                "reopened": len(report["reopened"]),
                "cases": sorted(cases.values()),
            },
        )
        row = {**report, "report_id": report_id, "body": report}
        row["parties_screened"] = len(stored)
        return UpdateReport.from_row(row)

    for _attempt in range(30):
        try:
            with writer_turn(engine), engine.begin() as conn:
                return work(conn)
        except SAIntegrityError:
            continue
    raise IntegrityError("monitoring: gave up after 30 attempts against concurrent writers")
