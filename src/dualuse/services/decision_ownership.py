"""Ownership in transaction verdicts: a party of an order on no list but blocked through
ownership (the OFAC, EU or UK 50 % rule over a graph the user loads) is an alert that
holds the order, marked derived, with the path and the arithmetic; a party whose status
the graph cannot decide is a reason for review, the same in transaction verdicts as in
screening.

A party is recognised in the graph by its name, exactly after normalisation (see
:mod:`dualuse.services.ownership_screening`): a derived hit claims one company's
ownership, so it is never fuzzy.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from dualuse.decisions.model import (
    Alert,
    AlertKey,
    Citation,
    DecisionReason,
    OrderParty,
    Verdict,
)
from dualuse.model.screening import ScreeningQuery
from dualuse.services.ownership_screening import DerivedHit, OwnershipIndex

DERIVED_LIST = "ownership"
"""``list_id`` prefix of a derived alert: ``ownership:ofac``, ``ownership:eu``..."""


def _digest(hit: DerivedHit) -> str:
    """What the derived status rests on; a change (a stake, a path) reopens a clearance."""
    facts = [hit.status, hit.aggregate_percentage, list(hit.paths), hit.rule]
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()


def _citation(hit: DerivedHit) -> Citation:
    return Citation(hit.citation, f"{hit.rule} ownership rule as of {hit.as_of}", hit.as_of)


def derived_findings(
    ownership: OwnershipIndex,
    index: int,
    party: OrderParty,
    cleared: Callable[[AlertKey], bool],
) -> tuple[list[Alert], list[DecisionReason]]:
    """The alerts and reasons the ownership graph gives party ``index`` of an order."""
    alerts: list[Alert] = []
    reasons: list[DecisionReason] = []
    subject = f"parties[{index}]"
    for hit in ownership.lookup(ScreeningQuery(name=party.name)):
        path = " -> ".join(hit.paths[0]) if hit.paths else ""
        if hit.status != "blocked":
            reasons.append(
                DecisionReason(
                    "ownership.unknown",
                    Verdict.REVIEW,
                    f"{party.role.value} {party.name!r}: whether it is blocked through "
                    f"ownership cannot be decided from the graph: {hit.explanation}",
                    subject,
                    _citation(hit),
                )
            )
            continue
        key = AlertKey(party.key, f"{DERIVED_LIST}:{hit.rule}", hit.party_id, _digest(hit))
        alert = Alert(
            key=key,
            party_index=index,
            role=party.role,
            party_name=party.name,
            list_id=key.list_id,
            entry_id=hit.party_id,
            entity_id=hit.party_id,
            listed_name=hit.name or hit.party_id,
            score=1.0,
            explanation=(
                {
                    "feature": "ownership_derived",
                    "description": hit.explanation,
                    "weight": 1.0,
                    "value": 1.0,
                    "query_value": party.name,
                    "candidate_value": path,
                },
            ),
            cleared=cleared(key),
        )
        alerts.append(alert)
        text = (
            f"{party.role.value} {party.name!r} is blocked through ownership under the "
            f"{hit.rule} rule (derived, on no list): {hit.explanation}; path {path}"
        )
        if alert.cleared:
            verdict, code = Verdict.CLEAR, "ownership.cleared"
            text += ": cleared by a reviewer for this exact ownership finding"
        else:
            verdict, code = Verdict.HOLD, "ownership.derived"
        reasons.append(DecisionReason(code, verdict, text, subject, _citation(hit)))
    return alerts, reasons
