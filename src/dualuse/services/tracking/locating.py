"""Locate -> judge -> report: one path for ``dualuse locate`` and ``POST /v1/tracking/locate``.

The interfaces read and check the measurements (a CSV file, a JSON body); from there
both call :func:`locate_and_judge`, so the region, the verdict and the report they give
for the same measurements are the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dualuse.tracking.locate import Bound, LatencyLocator, Location, Measurement
from dualuse.tracking.policy import GeofencePolicy, PolicyVerdict, judge
from dualuse.views.tracking import location_report


@dataclass(frozen=True, slots=True)
class Located:
    """Where a device can be and, when there was something to judge, the verdict."""

    location: Location
    verdict: PolicyVerdict | None

    def report(self) -> dict[str, Any]:
        """The JSON view (``possible_countries`` and ``region_km2`` first)."""
        return location_report(self.location, self.verdict)


def locate_and_judge(
    locator: LatencyLocator,
    measurements: Sequence[Measurement],
    bound: Bound,
    *,
    prohibited: Sequence[str] | None = None,
    claimed: tuple[float, float, float] | None = None,
) -> Located:
    """Locate from the RTTs; judge against ``prohibited`` when a policy was asked for
    (``None``: none was) or a position is claimed (judged for consistency with the region)."""
    location = locator.locate(measurements, bound, claimed=claimed)
    judged = prohibited is not None or claimed is not None
    verdict = judge(location, GeofencePolicy.build(prohibited or ())) if judged else None
    return Located(location, verdict)
