"""Trade-flow anomalies for the CLI and the API: surges, difference-in-differences, mirror
gap series and the HTML report, over the shared Eurostat and national statistics.

The panel takes seconds to build (one million CN8 rows for the per-member CHPL group), so
it is built once per data folder and process and kept: the files are read-only data.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from dualuse.diversion import flows
from dualuse.diversion.trade import did, gaps, report, series, surges
from dualuse.errors import InputError
from dualuse.reference.countries import require_country
from dualuse.services.diversion import DiversionService
from dualuse.settings import Settings

TREATED = ("sanctioned", "chpl", "stable")
SURGE_GROUPS = ("all", "groups", "headings")
_LOCK = threading.Lock()
_PANELS: dict[tuple[Path, bool], series.Panel] = {}


def panel_for(shared: Path, *, member_cn8: bool = False) -> series.Panel:
    key = (shared.resolve(), member_cn8)
    with _LOCK:
        if key not in _PANELS:
            _PANELS[key] = series.build(shared, member_cn8=member_cn8)
        return _PANELS[key]


def partners_from(values: Sequence[str] | None, known: Sequence[str]) -> list[str] | None:
    """ISO-2 codes of the partners asked for, each one checked against the data."""
    if not values:
        return None
    out = []
    for value in values:
        code = require_country(value, source="--partner")
        if code not in known:
            raise InputError(
                f"no trade series for {code.upper()}",
                source="--partner",
                suggestions=[k.upper() for k in known],
            )
        out.append(code)
    return out


class TradeFlowsService:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def shared(self) -> Path:
        return DiversionService(self.settings).shared_folder()

    def surges(
        self, partners: Sequence[str] | None = None, *, which: str = "all",
        only_surges: bool = False, limit: int | None = None,
    ) -> dict[str, object]:  # fmt: skip
        if which not in SURGE_GROUPS:
            raise InputError(f"unknown selection {which!r}", source="--which",
                             suggestions=SURGE_GROUPS)  # fmt: skip
        panel = panel_for(self.shared())
        chosen = partners_from(partners, sorted({p for p, _g in panel.eu27}))
        tests = surges.detect(panel, chosen, headings=which != "groups")
        summary = surges.summary(tests)
        if which == "headings":
            tests = [t for t in tests if t.group.startswith("hs4:")]
        elif which == "groups":
            tests = [t for t in tests if not t.group.startswith("hs4:")]
        if only_surges:
            tests = [t for t in tests if t.surge]
        tests.sort(key=lambda t: (not t.surge, -t.excess_eur_per_month))
        if limit is not None:
            tests = tests[:limit]
        return {
            "summary": summary,
            "method": surges.__doc__,
            "tests": [t.to_json() for t in tests],
            "findings": [f.to_json() for f in panel.findings],
            "sources": sorted(set(panel.sources)),
        }

    def did(
        self, partners: Sequence[str] | None = None, *, treated: str = "sanctioned",
        weighted: bool = False, draws: int = did.DRAWS,
    ) -> dict[str, object]:  # fmt: skip
        if treated not in TREATED:
            raise InputError(f"unknown goods {treated!r}", source="--goods", suggestions=TREATED)
        if not 99 <= draws <= 20_000:
            raise InputError("bootstrap draws must be 99 to 20000", source="--draws")
        panel = panel_for(self.shared(), member_cn8=treated != "sanctioned")
        known = sorted({p for p, g in panel.members if g == "other"})
        chosen = partners_from(partners, known)
        return did.report(panel, chosen, treated=treated, weighted=weighted, draws=draws)

    def gaps(self, partners: Sequence[str] | None = None) -> list[dict[str, object]]:
        chosen = partners_from(partners, sorted(flows.NATIONAL_FILES)) or sorted(
            flows.NATIONAL_FILES
        )
        return [gaps.mirror_series(self.shared(), p) for p in chosen]

    def report_html(self) -> str:
        panel = panel_for(self.shared())
        found = self.surges()
        return report.render(
            panel,
            self.did(),
            found["tests"],  # type: ignore[arg-type]
            found["summary"],  # type: ignore[arg-type]
            self.gaps(),
        )
