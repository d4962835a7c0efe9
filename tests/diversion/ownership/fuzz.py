"""JSON-shaped random input for the loaders: the keys they read, with values of any type."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

KEYS = [
    # BODS
    "recordId", "recordType", "recordDetails", "statementDate", "recordStatus", "subject",
    "interestedParty", "interests", "type", "share", "exact", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "startDate", "endDate", "entityType", "names",
    "fullName", "name", "componentRecords", "isComponent", "directOrIndirect",
    # GLEIF
    "Relationship", "StartNode", "EndNode", "NodeID", "RelationshipType", "RelationshipPeriods",
    "PeriodType", "StartDate", "EndDate", "RelationshipStatus", "LEI", "Entity", "LegalName",
    # FtM
    "id", "schema", "properties", "owner", "asset", "percentage", "topics",
]  # fmt: skip
STRINGS = [
    "entity", "person", "relationship", "arrangement", "shareholding", "votingRights", "closed",
    "a", "b", "c", "2024-01-01", "2024", "IS_DIRECTLY_CONSOLIDATED_BY", "RELATIONSHIP_PERIOD",
    "INACTIVE", "Ownership", "Company", "Person", "sanction", "50", "-5", "150", "x%",
]  # fmt: skip

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-200, 200),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(STRINGS),
    st.text(max_size=4),
)
values: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=6)
    ),
    max_leaves=30,
)
records = st.lists(values, max_size=6)

good_ids = st.sampled_from(["a", "b", "c"])
ids = st.one_of(good_ids, good_ids, good_ids, scalars)
good_dates = st.sampled_from(["2020-01-01", "2024", "2026-05", "2024-02-30", "soon"])
dates = st.one_of(good_dates, good_dates, scalars)


def some(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A dict in which each field may be missing; the values may be of the wrong type."""
    return st.fixed_dictionaries({}, optional={k: noisy(v) for k, v in fields.items()})


def noisy(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly the right shape, one time in eight anything at all."""
    return st.one_of(*[strategy] * 7, values)


share = some(
    exact=scalars,
    minimum=scalars,
    maximum=scalars,
    exclusiveMinimum=scalars,
    exclusiveMaximum=scalars,
)
interest = some(
    type=st.sampled_from(["shareholding", "votingRights", "unknownInterest"]),
    share=share,
    startDate=dates,
    endDate=dates,
    directOrIndirect=st.sampled_from(["direct", "indirect", "unknown"]),
)
bods_statements = st.lists(
    st.fixed_dictionaries(
        {
            "recordId": good_ids,
            "recordType": st.sampled_from(["entity", "person", "relationship"]),
            "recordDetails": st.fixed_dictionaries(
                {"subject": noisy(good_ids), "interestedParty": noisy(good_ids)},
                optional={
                    "interests": noisy(st.lists(interest, max_size=3)),
                    "entityType": some(type=st.sampled_from(["arrangement", "registeredEntity"])),
                    "componentRecords": noisy(st.lists(ids, max_size=2)),
                    "isComponent": noisy(st.booleans()),
                },
            ),
        },
        optional={"statementDate": dates, "recordStatus": st.sampled_from(["new", "closed"])},
    ),
    max_size=8,
)
node = st.fixed_dictionaries({"NodeID": good_ids})
gleif_records = st.lists(
    st.one_of(
        st.fixed_dictionaries(
            {
                "Relationship": some(
                    StartNode=node,
                    EndNode=node,
                    RelationshipType=st.sampled_from(
                        [
                            "IS_DIRECTLY_CONSOLIDATED_BY",
                            "IS_INTERNATIONAL_BRANCH_OF",
                            "IS_FEEDER_TO",
                            "IS_FUND-MANAGED_BY",
                        ]
                    ),
                    RelationshipPeriods=st.lists(
                        some(
                            PeriodType=st.just("RELATIONSHIP_PERIOD"),
                            StartDate=dates,
                            EndDate=dates,
                        ),
                        max_size=2,
                    ),
                    RelationshipStatus=st.sampled_from(["ACTIVE", "INACTIVE"]),
                )
            }
        ),
        st.fixed_dictionaries({"LEI": good_ids, "Entity": some(LegalName=scalars)}),
    ),
    max_size=8,
)
ftm_entities = st.lists(
    st.fixed_dictionaries(
        {
            "id": good_ids,
            "schema": st.sampled_from(["Ownership", "Company", "Person", "Directorship"]),
            "properties": st.fixed_dictionaries(
                {},
                optional=dict(
                    owner=st.lists(good_ids, max_size=2),
                    asset=st.lists(good_ids, max_size=2),
                    percentage=st.lists(
                        st.sampled_from(["50", "-1", "200", "x", "25-60"]), max_size=2
                    ),
                    startDate=st.lists(good_dates, max_size=1),
                    endDate=st.lists(good_dates, max_size=1),
                    topics=st.lists(st.sampled_from(["sanction", "role.pep"]), max_size=2),
                    director=st.lists(good_ids, max_size=1),
                    organization=st.lists(good_ids, max_size=1),
                ),
            ),
        }
    ),
    max_size=10,
)
