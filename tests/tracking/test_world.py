import gzip
import json
from importlib import resources
from pathlib import Path

import numpy as np

from dualuse.tracking.world import (
    ISO2_BY_ADM0_A3,
    RUNTIME_FILE,
    CountryIndex,
    World,
    derive_runtime_geojson,
    load_world,
)


def test_packaged_file_is_the_documented_derivation(shared_data: Path) -> None:
    source = shared_data / "geo" / "naturalearth" / "ne_50m_admin_0_countries.geojson"
    packaged = resources.files("dualuse").joinpath("data", "geo", RUNTIME_FILE).read_bytes()
    assert derive_runtime_geojson(source) == packaged


def test_minus_99_features_get_codes_from_adm0_a3(shared_data: Path) -> None:
    source = shared_data / "geo" / "naturalearth" / "ne_50m_admin_0_countries.geojson"
    features = json.loads(source.read_bytes())["features"]
    missing = {f["properties"]["ADM0_A3"] for f in features if f["properties"]["ISO_A2"] == "-99"}
    assert missing == set(ISO2_BY_ADM0_A3)
    world = load_world(source)
    assert len(world.countries) == 241


def test_points_resolve_to_countries(world: World) -> None:
    assert world.codes_at(48.8566, 2.3522) == {"FR"}  # Paris: ISO_A2 is -99 in the data
    assert world.codes_at(59.9139, 10.7522) == {"NO"}  # Oslo: likewise
    assert world.codes_at(39.9042, 116.4074) == {"CN"}
    assert world.codes_at(22.38, 114.12) == {"HK"}
    assert world.codes_at(0.0, -30.0) == frozenset()  # Atlantic


def test_buffer_widens_cells_across_a_border(world: World) -> None:
    # A level-9 cell (about 0.088 deg) just west of the German-Polish border on the Oder
    # near Frankfurt (Oder): without a buffer it may touch only Germany; with 20 km it
    # must also touch Poland.
    from dualuse.tracking.region import cell_size_deg

    size = cell_size_deg(9)
    ix = np.array([int((14.40 + 180) / size)])
    iy = np.array([int((52.35 + 90) / size)])
    plain = CountryIndex(world, 0.0).classify(9, ix, iy)[0][0]
    wide = CountryIndex(world, 20.0).classify(9, ix, iy)[0][0]
    codes = lambda feats: {c for f in feats for c in world.codes[f]}  # noqa: E731
    assert "DE" in codes(plain)
    assert codes(wide) >= {"DE", "PL"}


def test_packaged_file_is_small_and_gzip() -> None:
    data = resources.files("dualuse").joinpath("data", "geo", RUNTIME_FILE).read_bytes()
    assert len(data) < 1_500_000
    assert json.loads(gzip.decompress(data))["type"] == "FeatureCollection"
