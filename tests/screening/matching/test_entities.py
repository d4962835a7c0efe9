"""One party, one result: listings of one real-world party across the bundled lists
(OFAC SDN, OFAC consolidated, the CSL) are grouped on OFAC entity numbers and global
identifiers, never on names."""

from __future__ import annotations

from collections import defaultdict

import pytest

from dualuse.model.party import PartyType
from dualuse.model.screening import ScreeningQuery
from dualuse.screening.matching import Index, Screener
from dualuse.screening.matching.entities import _keys, group_records
from dualuse.screening.matching.retrieval.record import PartyRecord
from dualuse.services.bundle import PACKAGE_DATA


@pytest.fixture(scope="module")
def bundled() -> Index:
    return Index.load(PACKAGE_DATA / "bundled_index.npz")


@pytest.fixture(scope="module")
def records(bundled: Index) -> list[PartyRecord]:
    return [bundled.record(p) for p in range(bundled.n_parties)]


def test_an_sdn_entry_and_its_csl_copy_are_one_entity(bundled: Index) -> None:
    response = Screener(bundled).screen(ScreeningQuery(name="Vladimir Putin"), limit=5)
    putin = [m for m in response.matches if m.entry_id in {"35096", "SDN-35096"}]
    assert {m.list_id for m in putin} == {"us_ofac_sdn", "us_csl"}
    assert {m.entity_id for m in putin} == {"us_ofac_sdn:35096"}
    entity = response.entities[0]
    assert entity.entity_id == "us_ofac_sdn:35096"
    assert entity.lists == ("us_csl", "us_ofac_sdn")
    assert {(x.list_id, x.entry_id) for x in entity.listings} == {
        ("us_csl", "SDN-35096"),
        ("us_ofac_sdn", "35096"),
    }
    assert "RUSSIA-EO14024" in entity.programs
    assert entity.score == max(m.score for m in putin)
    assert entity.best == response.matches[0].party_id


def test_a_party_on_sdn_and_a_non_sdn_programme_is_one_entity_across_three_listings(
    bundled: Index,
) -> None:
    response = Screener(bundled).screen(
        ScreeningQuery(name="Rosneft", type=PartyType.ORGANIZATION), limit=10
    )
    rosneft = next(e for e in response.entities if e.entity_id.endswith(":17022"))
    assert {(x.list_id, x.entry_id) for x in rosneft.listings} >= {
        ("us_csl", "SDN-17022"),
        ("us_csl", "SSI-17022"),
        ("us_ofac_cons", "17022"),
    }
    # each listing appears once among the entities, in the place of its best result
    assert len(response.entities) < len(response.matches)
    seen = [x.party_id for e in response.entities for x in e.listings if x.score is not None]
    assert sorted(seen) == sorted(m.party_id for m in response.matches)
    assert [e.score for e in response.entities] == sorted(
        (e.score for e in response.entities), reverse=True
    )


def test_the_same_name_on_two_lists_without_a_shared_number_stays_two_entities(
    bundled: Index,
) -> None:
    response = Screener(bundled).screen(ScreeningQuery(name="Huawei Technologies"), limit=20)
    huawei = [
        m for m in response.matches if m.name.upper().startswith("HUAWEI TECHNOLOGIES CO., LTD.")
    ]
    assert {m.list_id + " " + m.entry_id.split("-")[0] for m in huawei} >= {
        "us_csl CMIC",
        "us_csl EL",
    }
    listings: dict[str | None, set[str]] = {}
    for m in huawei:
        listings.setdefault(m.entity_id, set()).add(m.party_id)
    # the Entity List's two entries carry no number: each stays an entity of its own
    for m in huawei:
        if m.entry_id.startswith("EL-"):
            assert listings[m.entity_id] == {m.party_id}
    # listings grouped together share an OFAC number (the CSL's copy of the non-SDN
    # CMIC entry, CMIC-30947, and OFAC's own 30947, when retrieval returns both)
    for parties in listings.values():
        assert len({p.rsplit("-", 1)[-1].rsplit(":", 1)[-1] for p in parties}) == 1


def test_groups_are_exactly_the_listings_connected_by_a_shared_key(
    records: list[PartyRecord], bundled: Index
) -> None:
    representative = group_records(records)
    assert representative == [bundled.entity_of(p) for p in range(len(records))]
    by_key: dict[str, set[int]] = defaultdict(set)
    for i, record in enumerate(records):
        for key in _keys(record):
            by_key[key].add(representative[i])
    # every listing with a key is in the one group of that key
    assert all(len(groups) == 1 for groups in by_key.values())
    groups: dict[int, list[int]] = defaultdict(list)
    for i, rep in enumerate(representative):
        groups[rep].append(i)
    several = [g for g in groups.values() if len(g) > 1]
    assert len(several) > 5_000  # most OFAC entries are in the CSL too
    for rep, members in groups.items():
        assert representative[rep] == rep and rep in members
        assert sorted(bundled.entity_listings(rep)) == members
        if len(members) > 1:
            # members are connected through keys: no group forms without a shared key
            keys = [set(_keys(records[i])) for i in members]
            reached, frontier = {0}, [0]
            while frontier:
                at = frontier.pop()
                for other in range(len(members)):
                    if other not in reached and keys[at] & keys[other]:
                        reached.add(other)
                        frontier.append(other)
            assert len(reached) == len(members)
            # the publishing list represents the group
            lists = {records[i].list_id for i in members}
            if "us_ofac_sdn" in lists:
                assert records[rep].list_id == "us_ofac_sdn"
