"""Use cases of classification and licence determination, for the CLI, the API and Python
(the JSON views of their answers are in :mod:`dualuse.views.controls`).

The control data are loaded once per process and folder (never changed after), so a
determination after the first costs microseconds. End users are screened through an
:class:`EndUserScreener` (:func:`end_user_screener`: party screening over the current
lists). If screening fails, a determination with an end user says "end-user screening
unavailable" and answers "unknown" rather than "no"; so does a near miss within
``settings.controls.end_user_review_band`` under the screening threshold.

Python API::

    from dualuse.services.controls import ControlsService
    svc = ControlsService(Settings())
    svc.determine(eccn="3A090.a", destination="HK").licence_required  # Outcome.YES
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Protocol, runtime_checkable

from dualuse.controls import data as control_data
from dualuse.controls.classify import (
    Classification,
    HSClassification,
    classify_hs,
    classify_params,
    parameter_catalogue,
)
from dualuse.controls.data import ControlData, suggest
from dualuse.controls.decision import Determination, GapView, determine, gap_view
from dualuse.controls.determine import DeterminationRequest
from dualuse.controls.search import Hit, SearchIndex
from dualuse.errors import DualuseError, InputError, NotFoundError
from dualuse.model.screening import MatchResult, ScreeningQuery, ScreeningResponse
from dualuse.reference.ids.eccn import ECCN
from dualuse.settings import Settings
from dualuse.views.controls import EntryView


@runtime_checkable
class EndUserScreener(Protocol):
    """Screens one end-user name; returns every hit (matches and near misses)."""

    def screen_end_user(self, name: str, country: str | None = None) -> Sequence[MatchResult]: ...


@runtime_checkable
class ThresholdedScreener(Protocol):
    """An :class:`EndUserScreener` that also reports the match threshold it used, so a
    near miss can be placed in the review band under it."""

    def screen_end_user_scored(
        self, name: str, country: str | None = None
    ) -> tuple[Sequence[MatchResult], float]: ...


@dataclass(frozen=True, slots=True)
class ScreeningAdapter:
    """Adapts a screening function ``ScreeningQuery -> ScreeningResponse`` (the screening
    capability's single-query call) to :class:`EndUserScreener` and
    :class:`ThresholdedScreener`."""

    screen: Callable[[ScreeningQuery], ScreeningResponse]

    def screen_end_user(self, name: str, country: str | None = None) -> Sequence[MatchResult]:
        return self.screen_end_user_scored(name, country)[0]

    def screen_end_user_scored(
        self, name: str, country: str | None = None
    ) -> tuple[Sequence[MatchResult], float]:
        response = self.screen(ScreeningQuery(name=name, country=country))
        return response.matches, response.threshold


def end_user_screener(settings: Settings) -> EndUserScreener | None:
    """The screener ``--end-user`` uses: party screening over the current lists.

    The screening index is loaded on the first end-user name, not before, so classifying
    items or determining without an end user never pays for it.
    """
    state: dict[str, Callable[[ScreeningQuery], ScreeningResponse]] = {}

    def screen(query: ScreeningQuery) -> ScreeningResponse:
        if "screen" not in state:
            from dualuse.services.screening import ScreeningService

            state["screen"] = ScreeningService(settings).screen
        return state["screen"](query)

    return ScreeningAdapter(screen)


@lru_cache(maxsize=4)
def _load(folder: Path | None) -> ControlData:
    data = control_data.load(folder)
    # The data are never changed for the life of the process: move them out of the cyclic
    # collector's young generations so full collections do not keep re-walking them.
    gc.collect()
    gc.freeze()
    return data


@lru_cache(maxsize=4)
def _index(folder: Path | None) -> SearchIndex:
    return SearchIndex.build(_load(folder))


class ControlsService:
    def __init__(
        self,
        settings: Settings,
        *,
        screener: EndUserScreener | None = None,
        today: Callable[[], date] | None = None,
    ) -> None:
        self.settings = settings
        self.folder = settings.controls.data_dir
        self.screener = screener if screener is not None else end_user_screener(settings)
        self._today = today or (lambda: datetime.now(UTC).date())

    @property
    def data(self) -> ControlData:
        return _load(self.folder)

    def show(self, eccn: str) -> EntryView:
        parsed = ECCN.parse(eccn)
        if parsed.is_ear99:
            raise NotFoundError(
                "EAR99 is not a CCL entry: it names items subject to the EAR but not listed"
            )
        entry = self.data.ccl.get(parsed.base)
        if entry is None:
            raise InputError(
                f"ECCN {parsed.base} is not on the Commerce Control List",
                source="eccn",
                suggestions=suggest(parsed.base, sorted(self.data.ccl)),
            )
        from dualuse.controls.eu import eu_counterpart

        return EntryView(entry, eu_counterpart(self.data, parsed), str(parsed))

    def search(self, text: str, limit: int = 10) -> list[Hit]:
        if not text.strip():
            raise InputError("search text is empty", source="text")
        if not 1 <= limit <= 100:
            raise InputError("limit must be between 1 and 100", source="limit")
        return _index(self.folder).search(text, limit)

    def parameters(self) -> dict[str, str]:
        return parameter_catalogue(self.data)

    def classify(self, params: Mapping[str, object]) -> Classification:
        return classify_params(self.data, params)

    def classify_hs(self, code: str) -> HSClassification:
        return classify_hs(self.data, code)

    def determine(
        self,
        *,
        eccn: str,
        destination: str,
        end_user: str | None = None,
        end_use: str | None = None,
        as_of: date | None = None,
        ear99_food_or_medicine: bool | None = None,
        end_user_hits: Sequence[MatchResult] | None = None,
    ) -> Determination:
        """One line item. ``end_user_hits`` overrides screening (hits already obtained);
        their near misses are then all reviewed unless ``screening.threshold`` is set."""
        band = self.settings.controls.end_user_review_band
        if not 0.0 <= band <= 1.0:
            raise InputError(
                f"end_user_review_band {band} is not in [0, 1]",
                source="DUALUSE_CONTROLS_END_USER_REVIEW_BAND",
            )
        hits = end_user_hits
        unavailable = False
        threshold = self.settings.screening.threshold
        if end_user and hits is None:
            if self.screener is None:
                unavailable = True
            else:
                from dualuse.controls.destinations import resolve

                country = resolve(self.data, destination).iso2
                try:
                    if isinstance(self.screener, ThresholdedScreener):
                        found, threshold = self.screener.screen_end_user_scored(end_user, country)
                    else:
                        found = self.screener.screen_end_user(end_user, country)
                    hits = tuple(found)
                except DualuseError:
                    unavailable = True
        request = DeterminationRequest(
            eccn=eccn,
            destination=destination,
            end_user=end_user,
            end_use=end_use,
            as_of=as_of,
            end_user_hits=hits,
            screening_unavailable=unavailable,
            end_user_review_floor=None if threshold is None else threshold - band,
            ear99_food_or_medicine=ear99_food_or_medicine,
        )
        stale = timedelta(days=self.settings.controls.stale_after_days)
        return determine(self.data, request, today=self._today(), stale_after=stale)

    def gap(self, eccn: str, as_of: date | None = None) -> GapView:
        return gap_view(self.data, eccn, today=self._today(), as_of=as_of)


def parse_as_of(text: str | None) -> date | None:
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InputError(f"{text!r} is not a date (YYYY-MM-DD)", source="as-of") from exc


def save_gap_png(view: GapView, path: Path) -> Path:
    """A picture of the gap view: one bar per outcome pair, weak links highlighted."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from dualuse.files import atomic_write_bytes

    pairs = [(k, v) for k, v in view.counts.items() if k.startswith("US ")]
    weak = [r for r in view.rows if r.weak_link]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, max(4, 0.25 * len(weak) + 2)))
    ax1.barh([k for k, _ in pairs], [v for _, v in pairs], color="#4c72b0")
    ax1.set_xlabel("destinations")
    ax1.set_title(f"{view.eccn}: US vs EU licence requirement (as of {view.as_of})")
    labels = [f"{r.name} ({r.iso2.upper()})" for r in weak] or ["none"]
    colours = ["#dd8452" if r.weak_link == "US" else "#55a868" for r in weak] or ["#cccccc"]
    ax2.barh(labels, [1] * len(labels), color=colours)
    ax2.set_xticks([])
    ax2.set_title("weak links")
    ax2.set_xlabel("orange: US allows, EU requires · green: EU allows, US requires", fontsize=8)
    fig.tight_layout()
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    atomic_write_bytes(path, buffer.getvalue())
    return path
