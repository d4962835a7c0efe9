"""Order lines: which ECCN to determine (given, or classified from parameters), which
answer stands when several do, and the reasons a determination gives the verdict.

A line without an ECCN is classified from its technical parameters; an HS code alone
does not classify an item under the EAR, so such a line is reported as unclassified
(review), never as EAR99.
"""

from __future__ import annotations

from collections.abc import Sequence

from dualuse.controls.classify import classify_params
from dualuse.controls.data import ControlData
from dualuse.controls.decision import Determination
from dualuse.controls.model import Effect
from dualuse.decisions.model import Citation, DecisionReason, OrderItem, Verdict
from dualuse.errors import InputError

UNCLASSIFIED_BASIS = Citation(
    "15 CFR 738.2(d)",
    "Commerce Control List: an item is determined by its ECCN (or EAR99)",
    "2026-07-23",
    "https://www.ecfr.gov/current/title-15/part-738",
)
Result = tuple[str, Determination | InputError]
_RANK = {"yes": 3, "unknown": 2, "no": 1}


def line_candidates(data: ControlData, item: OrderItem) -> tuple[list[str], str | None, str | None]:
    """(ECCNs to determine, where they came from, what is missing)."""
    if item.eccn:
        return [item.eccn], "eccn", None
    if item.parameters:
        try:
            c = classify_params(data, dict(item.parameters))
        except InputError as exc:
            return [], "parameters", f"parameters could not be classified: {exc.message}"
        if c.undecided:
            need = "; ".join(f"{u.entry} needs {', '.join(u.decided_by)}" for u in c.undecided)
            return [], "parameters", f"parameters do not decide the classification ({need})"
        if c.entries:
            return list(c.entries), "parameters", None
        return (
            [],
            "parameters",
            (
                "the parameters meet none of the parametric entries we model; that does not make "
                "the item EAR99: give its ECCN"
            ),
        )
    if item.hs:
        return (
            [],
            "hs",
            (
                f"no ECCN: HS {item.hs} is a customs code and does not classify the item under "
                "the EAR; give its ECCN or technical parameters"
            ),
        )
    return [], None, "no ECCN, parameters or HS code: the item cannot be classified"


def worst_result(results: Sequence[Result]) -> Result | None:
    """The answer that stands: yes over unknown (or an error) over no."""

    def rank(r: Result) -> int:
        return 2 if isinstance(r[1], InputError) else _RANK[r[1].licence_required.value]

    return max(results, key=rank, default=None)


def licence_reasons(
    det: Determination, label: str, subject: str, destination: str
) -> list[DecisionReason]:
    """``licence.required`` (licence_required) or ``licence.unknown`` (review), citing the
    first rule that made the answer; nothing for "no"."""
    answer = det.licence_required.value
    if answer == "no":
        return []
    effect = Effect.REQUIRES if answer == "yes" else Effect.UNDETERMINED
    basis = next((r for r in det.reasons if r.effect is effect), None)
    cite = UNCLASSIFIED_BASIS
    if basis is not None:
        c = basis.citation
        cite = Citation(f"{c.act} {c.section}", basis.code, c.date, c.source)
    text = f"{label} to {destination}: {det.summary}"
    if answer == "yes":
        return [DecisionReason("licence.required", Verdict.LICENCE_REQUIRED, text, subject, cite)]
    return [DecisionReason("licence.unknown", Verdict.REVIEW, text, subject, cite)]
