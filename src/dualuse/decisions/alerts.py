"""Alerts: a party of the order matching a list entry at or above the threshold, keyed
so that a reviewer's clearance applies to that party and that exact entry content only."""

from __future__ import annotations

from collections.abc import Callable

from dualuse.decisions.model import (
    Alert,
    AlertKey,
    Citation,
    DecisionReason,
    OrderParty,
    Verdict,
)
from dualuse.model.screening import MatchResult


def make_alert(
    index: int,
    party: OrderParty,
    m: MatchResult,
    entry_digest: str,
    cleared: Callable[[AlertKey], bool],
) -> Alert:
    """The alert of party ``index`` on listing ``m``; ``cleared`` is asked about its key."""
    key = AlertKey(party.key, m.list_id, m.entry_id, entry_digest)
    return Alert(
        key=key,
        party_index=index,
        role=party.role,
        party_name=party.name,
        list_id=m.list_id,
        entry_id=m.entry_id,
        entity_id=m.entity_id,
        listed_name=m.name,
        score=round(m.score, 4),
        programs=m.programs,
        explanation=tuple(
            {
                "feature": f.feature,
                "description": f.description,
                "weight": f.weight,
                "value": round(f.value, 4),
                "query_value": f.query_value,
                "candidate_value": f.candidate_value,
            }
            for f in m.explanation
        ),
        cleared=bool(cleared(key)),
    )


def alert_reason(alert: Alert, m: MatchResult) -> DecisionReason:
    """The reason an alert gives; it cites the list entry and the list version."""
    listed = m.sublist or m.list_id
    cite = Citation(
        f"{listed}, entry {m.entry_id}",
        f"{m.list_id} version {m.list_version}"
        + (f"; {m.license_policy}" if m.license_policy else ""),
        m.list_version,
        m.source_url or "",
    )
    text = (
        f"{alert.role.value} {alert.party_name!r} matches {m.name!r} on {listed} "
        f"(score {alert.score:.2f})"
    )
    if alert.cleared:
        return DecisionReason(
            "screening.cleared",
            Verdict.CLEAR,
            text + ": cleared by a reviewer as a false positive for this exact entry",
            f"parties[{alert.party_index}]",
            cite,
        )
    return DecisionReason(
        "screening.match", Verdict.HOLD, text, f"parties[{alert.party_index}]", cite
    )
