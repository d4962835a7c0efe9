"""Property: a gap on the path of a determination never answers "no" (issue 15 §2).

Over every (ECCN, destination) pair of the data (each CCL entry, the paragraphs its
License Requirements lines name, and EAR99; every Country Chart row and territory) and
every kind of end user, the gaps are found from the data independently of the answer:
a reason for control without a line, a line whose scope words were not read and whose
column has an X, a special rule whose text we do not hold, a destination without a row,
a date before a rule we hold came into force, an end user not screened, screening
unavailable, a near miss in the review band, or a listed party whose entry depends on
facts we lack. Whenever one is present the answer must not be "no".
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dualuse.controls.chart import parse_destination_rule
from dualuse.controls.data import ControlData, load
from dualuse.controls.decision import determine
from dualuse.controls.destinations import resolve
from dualuse.controls.determine import DeterminationRequest
from dualuse.controls.items import parse_item, scope_applies
from dualuse.controls.model import Outcome
from dualuse.model.screening import MatchResult
from dualuse.reference.ids.eccn import ECCN
from tests.conftest import shared_data_dir
from tests.controls.csl import csl_row, match_from_row

TODAY = date(2026, 7, 23)


@lru_cache(maxsize=1)
def _data() -> ControlData:
    return load()


def _items() -> list[str]:
    data = _data()
    out = {"EAR99"}
    for base, entry in data.ccl.items():
        out.add(base)
        for c in entry.controls:
            out.update(r for r in (*(c.scope or ()), *c.excluded, *c.excluded_if))
    return sorted(out)


def _destinations() -> list[str]:
    data = _data()
    return sorted(set(data.chart.rows) | set(data.chart.territories))


ITEMS = _items()
DESTINATIONS = _destinations()

# End-user kinds: (hits builder, review floor, screening unavailable, is a gap)
ROWS = {
    "all_items": ("Entity List", "Beijing Huawei Digital Technologies Co., Ltd."),
    "supp7": ("Entity List", "Address 01"),
    "projects": ("Entity List", "Rosneft Trade Limited"),
    "other_list": ("Sectoral Sanctions", "VTB BANK PUBLIC JOINT STOCK COMPANY"),
    "dpl": ("Denied Persons", "KAL TEK LABS"),
}


def _row_hit(kind: str, **kw: object) -> MatchResult:
    source, name = ROWS[kind]
    return match_from_row(csl_row(shared_data_dir(), source, name), **kw)  # type: ignore[arg-type]


END_USERS = (
    "none",
    "unscreened",
    "unavailable",
    "clear",
    "near_miss_in_band",
    "near_miss_below_band",
    "all_items",
    "supp7",
    "projects",
    "other_list",
    "dpl",
)
GAP_END_USERS = {
    "unscreened",
    "unavailable",
    "near_miss_in_band",
    "supp7",
    "projects",
    "other_list",
}
REQUIRES_END_USERS = {"all_items", "dpl"}


def _request(eccn: str, to: str, kind: str, as_of: date) -> DeterminationRequest:
    hits: tuple[MatchResult, ...] | None = None
    floor = 0.6
    if kind == "clear":
        hits = ()
    elif kind == "near_miss_in_band":
        hits = (_row_hit("all_items", score=0.62, match=False),)
    elif kind == "near_miss_below_band":
        hits = (_row_hit("all_items", score=0.4, match=False),)
    elif kind in ROWS:
        hits = (_row_hit(kind),)
    return DeterminationRequest(
        eccn=eccn,
        destination=to,
        end_user=None if kind == "none" else "Some Party",
        as_of=as_of,
        end_user_hits=hits,
        screening_unavailable=kind == "unavailable",
        end_user_review_floor=floor,
    )


def _chart_gaps(data: ControlData, eccn: ECCN, to: str, as_of: date) -> list[str]:
    """Gaps of the item and destination, read from the data, not from the answer."""
    gaps = []
    dest = resolve(data, to)
    if dest.row is None:
        gaps.append("no chart row")
    for rule in data.rules.dated_rules:
        start = rule.period.start
        if start and as_of < start and any(eccn.within(ECCN.parse(e)) for e in rule.eccns):
            gaps.append(f"{rule.id} not in force")
    if eccn.is_ear99:
        return gaps
    entry = data.ccl[eccn.base]
    if entry.missing_reasons:
        gaps.append(f"missing lines {entry.missing_reasons}")
    if not entry.controls:
        gaps.append("no lines")
    row = data.chart.rows.get(dest.row) if dest.row else None
    for c in entry.controls:
        if scope_applies(eccn, entry, c).applies is Outcome.NO:
            continue
        if c.columns and row is not None and not row.embargo_pointer:
            if c.scope_text and any(col in row.marks for col in c.columns):
                gaps.append(f"unread scope with X: {c.text}")
        elif (
            not c.columns and parse_destination_rule(c.reason, c.destination_text).kind == "unread"
        ):
            gaps.append(f"unread destination rule: {c.destination_text}")
    return gaps


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    eccn=st.sampled_from(ITEMS),
    to=st.sampled_from(DESTINATIONS),
    kind=st.sampled_from(END_USERS),
    as_of=st.sampled_from([TODAY, date(2024, 6, 1), date(2021, 6, 1), date(2019, 6, 1)]),
)
def test_a_gap_never_answers_no(eccn: str, to: str, kind: str, as_of: date) -> None:
    data = _data()
    parsed, _entry, _ = parse_item(data, eccn)
    if resolve(data, to).iso2 == "us":
        return
    result = determine(data, _request(eccn, to, kind, as_of), today=TODAY)
    answer = result.licence_required
    gaps = _chart_gaps(data, parsed, to, as_of)
    if kind in GAP_END_USERS:
        gaps.append(f"end user: {kind}")
    shown = [(r.code, r.effect.value) for r in result.reasons]
    if gaps:
        assert answer is not Outcome.NO, (gaps, shown)
    if kind in REQUIRES_END_USERS:
        assert answer is Outcome.YES, shown
    if kind in {"clear", "near_miss_below_band"}:
        alone = determine(data, _request(eccn, to, "none", as_of), today=TODAY)
        assert answer is alone.licence_required, shown


def test_the_pairs_cover_the_data(shared_data: Path) -> None:
    data = _data()
    assert len([i for i in ITEMS if "." not in i and i != "EAR99"]) == len(data.ccl)
    assert {"hk", "ky", "li"} <= set(DESTINATIONS) and len(DESTINATIONS) >= 196
