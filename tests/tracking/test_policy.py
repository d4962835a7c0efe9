import pytest

from dualuse.errors import InputError
from dualuse.tracking.locate import Bound, LatencyLocator, Measurement
from dualuse.tracking.policy import GeofencePolicy, Site, Verdict, judge


def test_policy_parsing() -> None:
    policy = GeofencePolicy.build(["China", "ru", "IR"], ["DE", "site:48.14,11.58,50"])
    assert policy.prohibited == {"CN", "RU", "IR"}
    assert policy.permitted_countries == {"DE"}
    assert policy.permitted_sites == (Site(48.14, 11.58, 50.0),)
    with pytest.raises(InputError, match="both"):
        GeofencePolicy.build(["DE"], ["DE"])
    with pytest.raises(InputError, match="unknown country"):
        GeofencePolicy.build(["Atlantis"])
    with pytest.raises(InputError, match="site"):
        GeofencePolicy.build(["CN"], ["site:1,2"])


def test_permitted_site_reached_or_not(locator: LatencyLocator) -> None:
    munich = locator.locate([Measurement(48.14, 11.58, 0.5, "muc")], Bound.SECURE)
    near = judge(munich, GeofencePolicy.build(["CN"], ["site:48.2,11.6,20"]))
    far = judge(munich, GeofencePolicy.build(["CN"], ["site:52.52,13.40,20"]))
    assert near.permitted_possible is True and near.allows_operation
    assert far.permitted_possible is False and not far.allows_operation
    assert far.verdict is Verdict.PROVEN_OUTSIDE  # outside CN, but not where licensed


def test_per_country_verdicts(locator: LatencyLocator) -> None:
    # 20 ms from Almaty reaches China and Russia but not Iran.
    loc = locator.locate([Measurement(43.24, 76.89, 8.0, "almaty")], Bound.SECURE)
    verdict = judge(loc, GeofencePolicy.build(["CN", "RU", "IR"]))
    by_code = {c.code: c.verdict for c in verdict.countries}
    assert by_code["IR"] is Verdict.PROVEN_OUTSIDE
    assert by_code["CN"] is Verdict.CONSISTENT
    assert verdict.verdict is Verdict.CONSISTENT
