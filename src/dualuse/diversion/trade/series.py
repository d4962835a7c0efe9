"""Monthly series per product group x partner x reporter, EU-27 without double counting.

Groups: ``total`` (all goods), ``sanctioned`` (all CN8 codes of the EU export-sanction
annexes of Reg. 833/2014 and 765/2006 as compiled by the source), ``other`` (total minus
sanctioned: the placebo goods), ``chpl`` (sanctioned CN8 whose HS6 is on the Common High
Priority List), ``stable`` (per member state: sanctioned CN8 codes seen before and after
January 2022). The EU-27 series is the sum of the 27 member states; the aggregate
reporter rows are never added to it (SOURCES.md §1) but the sum is checked against the
"European Union - 27 countries" row and a difference is a data-quality finding.

CN 2022: HS2022 changed CN8 codes in January 2022 (SOURCES.md §4) and no concordance is in
the data, so nothing is analysed per CN8 code. Groups and HS4 headings add codes up, which
absorbs a recoding inside the group; a heading with codes that start in 2022 or stop in
2021 is reported with those codes, and a surge in it is marked as possibly an artefact.
The share of 2022 sanctioned exports in codes first seen in 2022 bounds the artefact, and
the ``stable`` group gives a difference-in-differences free of it (a lower bound).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from dualuse.diversion.trade import load

TOLERANCE = 0.01
"""Relative difference between the member sum and the EU-27 row reported as a finding."""

Series = dict[str, float]
"""Month (``YYYY-MM``) -> EUR."""


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    message: str
    source: str | None = None
    location: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return {k: getattr(self, k) for k in ("code", "message", "source", "location")}


@dataclass(frozen=True, slots=True)
class CodeChange:
    """CN8 codes of one HS4 heading first seen in 2022 or last seen in 2021."""

    heading: str
    new_2022: tuple[str, ...]
    ended_2021: tuple[str, ...]

    @property
    def balanced(self) -> bool:
        """Both sides inside the heading: the recoding is absorbed by adding codes up."""
        return bool(self.new_2022) and bool(self.ended_2021)


@dataclass
class Panel:
    members: dict[tuple[str, str], dict[str, Series]] = field(default_factory=dict)
    """(partner, group) -> member state -> series."""
    eu27: dict[tuple[str, str], Series] = field(default_factory=dict)
    headings: dict[tuple[str, str], Series] = field(default_factory=dict)
    """(partner, HS4) -> EU-27 exports of the sanctioned CN8 codes in that heading."""
    code_changes: dict[str, CodeChange] = field(default_factory=dict)
    heading_labels: dict[str, str] = field(default_factory=dict)
    recoded: frozenset[str] = frozenset()
    """CN8 codes first seen in 2022 or last seen in 2021 (any partner)."""
    new_code_share: dict[str, float] = field(default_factory=dict)
    """Partner -> share of 2022 sanctioned exports in CN8 codes first seen in 2022."""
    findings: list[Finding] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def partners(self, group: str) -> list[str]:
        return sorted(p for p, g in self.eu27 if g == group)

    def series(self, partner: str, group: str) -> Series:
        return self.eu27.get((partner, group), {})


def _add(target: dict[str, Series], reporter: str, month: str, value: float) -> None:
    target.setdefault(reporter, {})
    target[reporter][month] = target[reporter].get(month, 0.0) + value


def _sum_members(by_member: dict[str, Series]) -> Series:
    out: Series = defaultdict(float)
    for series in by_member.values():
        for month, value in series.items():
            out[month] += value
    return dict(sorted(out.items()))


def build(shared: Path, *, member_cn8: bool = False) -> Panel:
    """The panel from the shared data folder. ``member_cn8`` also reads the 1-million-row
    member-state CN8 file for the ``chpl`` group per member state (needed by the
    difference-in-differences on CHPL goods, not by the EU-27 surge tests)."""
    panel = Panel()
    for partner, name in sorted(load.TOTAL_FILES.items()):
        path = shared / load.TOTALS_DIR / name
        cells, aggregate = load.read_totals(path, partner)
        by_member: dict[str, Series] = {}
        for cell in cells:
            _add(by_member, cell.reporter, cell.month, cell.value)
        panel.members[(partner, "total")] = by_member
        summed = _sum_members(by_member)
        panel.eu27[(partner, "total")] = summed
        panel.sources.append(str(path))
        _check_aggregate(panel, partner, summed, aggregate, path)
    path = shared / load.SANCTIONED_TOTAL
    sanctioned: dict[str, dict[str, Series]] = defaultdict(dict)
    cells = load.read_sanctioned_totals(path)
    for month in unpublished(cells):
        panel.findings.append(
            Finding(
                "unpublished_month",
                f"{month}: every member state reports 0 to every partner (not yet published "
                "when the file was extracted); month left out",
                str(path),
            )
        )
    skip = set(unpublished(cells))
    for cell in cells:
        if cell.month not in skip:
            _add(sanctioned[cell.partner], cell.reporter, cell.month, cell.value)
    panel.sources.append(str(path))
    for partner, by_member in sorted(sanctioned.items()):
        panel.members[(partner, "sanctioned")] = by_member
        panel.eu27[(partner, "sanctioned")] = _sum_members(by_member)
        totals = panel.members.get((partner, "total"))
        if totals is not None:
            other = _other(panel, partner, totals, by_member, path)
            panel.members[(partner, "other")] = other
            panel.eu27[(partner, "other")] = _sum_members(other)
    _headings_and_chpl(panel, shared)
    if member_cn8:
        _chpl_members(panel, shared)
    return panel


def unpublished(cells: list[load.Cell]) -> list[str]:
    """Months where the whole file is zero: Eurostat had not published them (the CN8
    extract of 21 Jan 2023 has 2022-12 as zeros). A real month is never zero for all 27
    member states and all partners at once."""
    by_month: dict[str, float] = defaultdict(float)
    for cell in cells:
        by_month[cell.month] += cell.value
    return sorted(m for m, v in by_month.items() if v == 0 and len(by_month) > 1)


def _check_aggregate(
    panel: Panel, partner: str, summed: Series, aggregate: Series, path: Path
) -> None:
    worst = None
    for month, value in aggregate.items():
        mine = summed.get(month, 0.0)
        gap = abs(mine - value) / value if value else 0.0
        if gap > TOLERANCE and (worst is None or gap > worst[1]):
            worst = (month, gap, mine, value)
    if worst is not None:
        month, gap, mine, value = worst
        panel.findings.append(
            Finding(
                "member_sum_differs_from_eu27_row",
                f"{partner.upper()}: the 27 member states sum to €{mine:,.0f} in {month}, "
                f"the EU-27 row says €{value:,.0f} ({gap:.1%}; largest month shown; "
                "suppressed member rows?)",
                str(path),
            )
        )


def _other(
    panel: Panel, partner: str, totals: dict[str, Series], sanctioned: dict[str, Series],
    path: Path,
) -> dict[str, Series]:  # fmt: skip
    """Total minus sanctioned per member and month; only where both are reported."""
    out: dict[str, Series] = {}
    for reporter, series in sanctioned.items():
        total = totals.get(reporter, {})
        for month, value in series.items():
            whole = total.get(month)
            if whole is None:
                continue
            if value > whole * (1 + TOLERANCE) + 1000:
                panel.findings.append(
                    Finding(
                        "sanctioned_exceeds_total",
                        f"{partner.upper()} {reporter} {month}: sanctioned goods €{value:,.0f} "
                        f"> all goods €{whole:,.0f}; month left out of 'other'",
                        str(path),
                    )
                )
                continue
            _add(out, reporter, month, max(whole - value, 0.0))
    return out


def _headings_and_chpl(panel: Panel, shared: Path) -> None:
    chpl_path = shared / load.CHPL
    chpl = load.read_chpl(chpl_path)
    path = shared / load.CN8_EU27
    first: dict[str, str] = {}
    last: dict[str, str] = {}
    headings: dict[tuple[str, str], Series] = defaultdict(dict)
    chpl_series: dict[str, Series] = defaultdict(dict)
    since_2022: dict[tuple[str, str], float] = defaultdict(float)
    for cell in load.read_cn8(path, members=False):
        code = cell.cn8
        if cell.month >= "2022-01":
            since_2022[(cell.partner, code)] += cell.value
        first[code] = min(first.get(code, cell.month), cell.month)
        last[code] = max(last.get(code, cell.month), cell.month)
        series = headings[(cell.partner, code[:4])]
        series[cell.month] = series.get(cell.month, 0.0) + cell.value
        if code[:6] in chpl:
            series = chpl_series[cell.partner]
            series[cell.month] = series.get(cell.month, 0.0) + cell.value
    panel.headings = {k: dict(sorted(v.items())) for k, v in headings.items()}
    panel.heading_labels = load.read_heading_labels(shared / load.LABELS)
    for partner, series in chpl_series.items():
        panel.eu27[(partner, "chpl")] = dict(sorted(series.items()))
    panel.sources += [str(path), str(chpl_path)]
    new: dict[str, list[str]] = defaultdict(list)
    ended: dict[str, list[str]] = defaultdict(list)
    for code in sorted(first):
        if first[code] >= "2022-01":
            new[code[:4]].append(code)
        if last[code] <= "2021-12":
            ended[code[:4]].append(code)
    fresh = {c for c in first if first[c] >= "2022-01"}
    panel.recoded = frozenset(fresh | {c for c in last if last[c] <= "2021-12"})
    in_2022: dict[str, float] = defaultdict(float)
    in_new: dict[str, float] = defaultdict(float)
    for (partner, code), value in since_2022.items():
        in_2022[partner] += value
        if code in fresh:
            in_new[partner] += value
    panel.new_code_share = {p: round(in_new[p] / v, 4) for p, v in sorted(in_2022.items()) if v > 0}
    for heading in sorted(set(new) | set(ended)):
        change = CodeChange(heading, tuple(new[heading]), tuple(ended[heading]))
        panel.code_changes[heading] = change
        if not change.balanced:
            panel.findings.append(
                Finding(
                    "cn2022_unbalanced_heading",
                    f"HS4 {heading}: codes first seen in 2022 {list(change.new_2022)} and last "
                    f"seen in 2021 {list(change.ended_2021)}; the other side of the recoding "
                    "may be in another heading (no HS2017-HS2022 concordance in the data)",
                    str(path),
                )
            )


def _chpl_members(panel: Panel, shared: Path) -> None:
    """Per member state: ``chpl`` and ``stable`` (sanctioned CN8 codes seen both before
    and after January 2022: a lower bound free of CN 2022 recoding, since trade moved to a
    new code is lost, not gained)."""
    chpl = load.read_chpl(shared / load.CHPL)
    path = shared / load.CN8_MEMBERS
    out: dict[str, dict[str, Series]] = defaultdict(dict)
    stable: dict[str, dict[str, Series]] = defaultdict(dict)
    for cell in load.read_cn8(path, members=True):
        if cell.cn8[:6] in chpl:
            _add(out[cell.partner], cell.reporter, cell.month, cell.value)
        if cell.cn8 not in panel.recoded:
            _add(stable[cell.partner], cell.reporter, cell.month, cell.value)
    for partner, by_member in out.items():
        panel.members[(partner, "chpl")] = by_member
    for partner, by_member in stable.items():
        panel.members[(partner, "stable")] = by_member
    panel.sources.append(str(path))
