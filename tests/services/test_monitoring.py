"""Continuous monitoring on the real OFAC SDN update of 2 April -> 3 May 2024 (417 entries
added, 11 changed): a stored customer that a new entry names gets a case, a
false-positive clearance of an entry whose content changed is reopened, and only the
changed entries are screened."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from dualuse.decisions.model import AlertKey
from dualuse.screening.lists import load_path
from dualuse.services import lists
from dualuse.services.cases import CaseService
from dualuse.services.decisions import DecisionService
from dualuse.services.monitoring import entry_digests
from dualuse.settings import Settings
from dualuse.storage import audit
from dualuse.storage.lists import Snapshot

SDN = Path("sanctions/ofac")


def decision(order_id: str, verdict: str, parties: list[tuple[str, str]], alerts: Any) -> Any:
    """A decision as the engine's JSON contract gives it (for storage, not for verdicts)."""
    return {
        "id": order_id,
        "decision_id": f"dec_{order_id}",
        "verdict": verdict,
        "decided_at": "2024-04-10T09:00:00Z",
        "reasons": [],
        "alerts": alerts,
        "lines": [],
        "flags": [],
        "problems": [],
        "versions": {"lists": [{"list_id": "us_ofac_sdn", "version": "2024-04-02"}], "rules": "r"},
        "input_digest": f"digest-{order_id}",
        "order": {
            "id": order_id,
            "parties": [{"role": "buyer", "name": n, "country": c} for n, c in parties],
        },
    }


def test_a_list_update_opens_cases_for_new_hits_and_reopens_changed_clearances(
    shared_data: Path, settings: Settings, db_url: str
) -> None:
    settings = replace(settings, database_url=db_url)
    april = shared_data / SDN / "sdn_2024-04-02"
    lists.load_list(settings, april)
    service = CaseService(settings)
    minsk = next(p for p in load_path(april).parties if p.provenance.entry_id == "34769")
    key = {
        "party_key": "minsk wheel tractor plant|BY",
        "list_id": "us_ofac_sdn",
        "entry_id": "34769",
        "entry_digest": entry_digests(settings, [minsk])[minsk.id],
    }
    alert = {"key": key, "party_name": "Minsk Wheel Tractor Plant", "listed_name": minsk.caption}
    alert |= {"score": 0.97, "role": "buyer", "cleared": False}
    held = service.store(
        decision("PO-1", "hold", [("Minsk Wheel Tractor Plant", "BY")], [alert]), actor="desk"
    )
    assert held.case_id is not None
    (stored_alert,) = service.case(held.case_id).alerts
    service.disposition(
        held.case_id, stored_alert.alert_id, "false_positive", "another plant", actor="rita"
    )
    old_key = AlertKey(**key)
    assert service.cleared(old_key)
    clear = [("Wuhan Global Sensor Technology Co Ltd", "CN"), ("Jane Smith", "GB")]
    service.store(decision("PO-2", "clear", clear, []), actor="desk")

    outcome = lists.load_list(settings, shared_data / SDN / "sdn_2024-05-03")

    report = outcome.monitoring
    assert report is not None
    assert (report.old_version, report.new_version) == ("2024-04-02", "2024-05-03")
    assert report.entries_screened == 417 + 11  # the diff, not the 12,000-entry list
    assert report.parties_screened == 3
    assert [(h["entry_id"], h["party_name"]) for h in report.new_hits] == [
        ("46633", "Wuhan Global Sensor Technology Co Ltd")
    ]
    (reopened,) = report.reopened
    assert reopened["entry_id"] == "34769" and reopened["old_digest"] == key["entry_digest"]
    assert reopened["new_digest"] != key["entry_digest"]
    assert service.cleared(old_key)  # the clearance holds for the old content only...
    assert not service.cleared(AlertKey(**(key | {"entry_digest": reopened["new_digest"]})))
    case = service.case(reopened["case_id"])
    assert case.summary.kind == "monitoring" and case.summary.status == "open"
    assert [a.origin for a in case.alerts] == ["reopened"]
    assert [a.status for a in case.alerts] == ["open"]

    # a reviewer clears the reopened alert: the monitoring case closes itself
    service.disposition(
        case.summary.case_id, case.alerts[0].alert_id, "false_positive", "still not", actor="rita"
    )
    assert service.case(case.summary.case_id).summary.resolution == "cleared"
    assert service.cleared(AlertKey(**(key | {"entry_digest": reopened["new_digest"]})))

    (stored,) = service.list_updates()
    assert stored.report_id == report.report_id and len(stored.new_hits) == 1
    actions = [r.action for r in audit.records(service.engine)]
    assert actions.count("lists.monitoring") == 1
    assert audit.verify_chain(service.engine) == len(actions)


def test_digests_agree_with_the_decision_engine(screening_settings: Settings) -> None:
    """A clearance is remembered under the engine's digest; monitoring must compute the
    same digest for the same entry, CSL copies of OFAC entries included."""
    order = {
        "id": "PO-MZKT",
        "date": "2026-12-01",
        "route": {"origin": "US", "destination": "BY"},
        "parties": [{"role": "buyer", "name": "Minsk Wheel Tractor Plant", "country": "BY"}],
        "items": [{"line": 1, "description": "bearings", "hs": "848210", "eccn": "EAR99"}],
        "end_use": "civil",
    }
    alerts = DecisionService(screening_settings).decide(order).alerts
    assert {"us_ofac_sdn", "us_csl"} <= {a.list_id for a in alerts}
    snapshot = Snapshot.bundled()
    versions = {m.list_id: m.version for m in snapshot.versions()}
    for alert in alerts:
        entries = snapshot.load(alert.list_id, versions[alert.list_id]).parties
        party = next(p for p in entries if p.provenance.entry_id == alert.entry_id)
        assert entry_digests(screening_settings, [party])[party.id] == alert.key.entry_digest
