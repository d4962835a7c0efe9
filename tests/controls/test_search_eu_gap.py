from __future__ import annotations

from datetime import date

from dualuse.controls.data import ControlData
from dualuse.controls.decision import determine, gap_view
from dualuse.controls.determine import DeterminationRequest
from dualuse.controls.eu import eu_counterpart
from dualuse.controls.model import Outcome
from dualuse.controls.search import SearchIndex
from dualuse.reference.ids.eccn import ECCN

TODAY = date(2026, 7, 23)


def test_search_ranks_the_right_entries(control_data: ControlData) -> None:
    index = SearchIndex.build(control_data)
    top = [h.code for h in index.search("GPU datacenter integrated circuit", 3)]
    assert top[0] == "3A090"
    assert "1C010" in [h.code for h in index.search("carbon fibre", 3)]  # British spelling folded
    assert [h.code for h in index.search("coordinate measuring machine", 1)] == ["2B006"]
    exact = index.search("3A090", 1)[0]
    assert exact.code == "3A090" and exact.source == "CCL"
    assert index.search("zzzqqq", 5) == []
    hit = index.search("water cannon riot", 1)[0]
    assert hit.code == "0A977" and "cannon" in hit.matched


def test_eu_counterpart_by_number(control_data: ControlData) -> None:
    assert eu_counterpart(control_data, ECCN.parse("3A001.a.2")).code == "3A001"  # type: ignore[union-attr]
    for unilateral in ("3A090.a", "3A991", "9A610", "9A515.x", "EAR99", "5A002.z.1.a"):
        assert eu_counterpart(control_data, ECCN.parse(unilateral)) is None


def test_eu_determination(control_data: ControlData) -> None:
    def eu(eccn: str, to: str, **kw: object) -> tuple[Outcome, list[str]]:
        det = determine(
            control_data, DeterminationRequest(eccn=eccn, destination=to, **kw), today=TODAY
        )  # type: ignore[arg-type]
        j = det.jurisdictions["EU"]
        return j.licence_required, [e["symbol"] for e in j.exceptions]

    assert eu("3A001.a.2", "IN") == (Outcome.YES, [])
    assert eu("3A001.a.2", "JP") == (Outcome.YES, ["EU001"])
    assert eu("3A001.a.2", "GB", as_of=date(2020, 12, 1))[0] is Outcome.UNKNOWN  # before 2021/821
    assert eu("3A001.a.2", "FR") == (Outcome.NO, [])  # intra-Union
    assert eu("3A090.a", "CN") == (Outcome.NO, [])  # no Annex I counterpart
    assert eu("3A991", "CN", end_use="military")[0] is Outcome.UNKNOWN  # Art. 4 catch-all
    assert eu("3A090.a", "RU")[0] is Outcome.UNKNOWN  # EU sanctions (833/2014) not modelled


def test_gap_view_marks_weak_links(control_data: ControlData) -> None:
    view = gap_view(control_data, "3A001.a.2", today=TODAY)
    rows = {r.iso2: r for r in view.rows}
    assert (
        rows["in"].us is Outcome.NO
        and rows["in"].eu is Outcome.YES
        and rows["in"].weak_link == "US"
    )
    assert rows["cn"].weak_link is None and rows["de"].weak_link is None
    chips = gap_view(control_data, "3A090.b", today=TODAY)
    weak = {r.iso2 for r in chips.rows if r.weak_link == "EU"}
    assert {"cn", "ae", "sa"} <= weak and "il" not in weak
    assert view.counts["weak links (US allows, EU requires)"] == sum(
        r.weak_link == "US" for r in view.rows
    )
