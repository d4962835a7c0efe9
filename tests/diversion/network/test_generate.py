"""The synthetic generator: seeded, well-formed, honest about being synthetic, and every
planted scheme really is in the records."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.diversion.network import world as w
from dualuse.diversion.network.analyse import chpl_graph
from dualuse.diversion.network.evaluate import load_synthetic
from dualuse.diversion.network.generate import GeneratorParams, generate
from dualuse.diversion.shell.codes import load_codes
from dualuse.errors import InputError

SMALL = GeneratorParams(scale=0.4, schemes=25)


def test_world_codes_are_real_hs_and_chpl_where_claimed() -> None:
    codes = load_codes()
    for line in w.CHPL_LINES.values():
        assert all(c in codes.chpl for c in line)
    for goods in (*w.OTHER_GOODS.values(), w.CONSUMER_GOODS):
        assert all(c in codes.hs6 and c not in codes.chpl for c in goods)
    countries = {
        *w.MAKER_COUNTRIES,
        *w.DISTRIBUTOR_COUNTRIES,
        *w.CUSTOMER_COUNTRIES,
        *w.HUB_COUNTRIES,
        *w.END_USER_COUNTRIES,
    }
    assert countries <= set(w.PORTS) and countries <= set(w.LEGAL_FORMS)


def test_seeded_and_synthetic() -> None:
    a, b = generate(SMALL), generate(SMALL)
    assert a.shipments == b.shipments and a.truth == b.truth
    assert generate(replace(SMALL, seed=2)).shipments != a.shipments
    assert "SYNTHETIC" in a.truth["notice"]
    assert a.truth["params"]["seed"] == 1 and a.truth["params"]["sanctions_date"] == "2022-02-24"
    ids = {c["id"] for c in a.companies}
    assert all(s["shipper"] in ids and s["consignee"] in ids for s in a.shipments)
    ships, registry = load_synthetic(a)
    assert ships.findings == [] and registry.findings == []


@settings(max_examples=15, deadline=None)
@given(st.floats(min_value=0.001, max_value=0.3), st.integers(1, 30), st.integers(0, 99))
def test_any_small_world(scale: float, schemes: int, seed: int) -> None:
    """Tiny scales (one company of a kind) still make a well-formed world."""
    data = generate(GeneratorParams(seed=seed, scale=scale, schemes=schemes))
    assert data.truth["schemes"] and data.shipments


def test_bad_parameters() -> None:
    with pytest.raises(InputError, match="cover_share"):
        generate(replace(SMALL, cover_share=1.5))
    with pytest.raises(InputError, match="start < sanctions_date < end"):
        generate(replace(SMALL, sanctions_date=SMALL.end))


@settings(max_examples=8, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_planted_paths_exist(seed: int) -> None:
    """Every planted scheme is a path in the CHPL graph after the sanctions date, from its
    source through its intermediaries to its end user (the last leg a notify edge in the
    notify-only variant), except where it is planted as misdeclared."""
    data = generate(replace(SMALL, seed=seed))
    ships, _ = load_synthetic(data)
    g = chpl_graph(ships.records, SMALL.sanctions_date)
    for scheme in data.truth["schemes"]:
        chain = [scheme["source"], *scheme["intermediaries"], scheme["end_user"]]
        if "misdeclared" in scheme["tags"]:
            chain = chain[:-1]
        for a, b in itertools.pairwise(chain):
            assert g.has_edge(a, b), (scheme, a, b)
        if "notify-only" in scheme["tags"]:
            assert "notify" in g[chain[-2]][chain[-1]]["kinds"]
