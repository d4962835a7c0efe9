from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualuse.errors import InputError
from dualuse.reference.ids.eccn import ECCN


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("3A090.a", "3A090.a"),
        ("3a090 .A", "3A090.a"),
        (" 3A001.a.1.a ", "3A001.a.1.a"),
        ("ear99", "EAR99"),
        ("5D002.z.", "5D002.z"),
    ],
)
def test_normalize(text: str, canonical: str) -> None:
    assert ECCN.normalize(text) == canonical
    assert str(ECCN.parse(text)) == canonical


@pytest.mark.parametrize(
    "text", ["", "3A09", "3F090", "A3090", "3A090..a", "3A090.abc", "EAR98", "3A0900"]
)
def test_rejects(text: str) -> None:
    assert ECCN.normalize(text) is None
    with pytest.raises(InputError) as err:
        ECCN.parse(text, source="--eccn")
    assert err.value.source == "--eccn"


def test_structure() -> None:
    e = ECCN.parse("3A001.a.1.a")
    assert (e.category, e.group, e.paragraph) == ("3", "A", "a.1.a")
    assert e.parent() == ECCN.parse("3A001.a.1")
    assert e.within(ECCN.parse("3A001.a")) and not ECCN.parse("3A001.a").within(e)
    assert ECCN.parse("9A610").is_600_series and ECCN.parse("9A515.x").is_9x515
    assert ECCN.parse("EAR99").is_ear99 and ECCN.parse("EAR99").category is None


@given(st.text(max_size=20))
def test_fuzz_never_crashes_and_is_idempotent(text: str) -> None:
    value = ECCN.normalize(text)
    if value is None:
        with pytest.raises(InputError):
            ECCN.parse(text)
    else:
        assert ECCN.normalize(value) == value


@given(
    st.sampled_from("0123456789"),
    st.sampled_from("ABCDE"),
    st.integers(0, 999),
    st.lists(st.sampled_from(["a", "b", "z", "1", "12"]), max_size=4),
)
def test_valid_roundtrip(cat: str, group: str, num: int, paras: list[str]) -> None:
    text = ".".join([f"{cat}{group}{num:03d}", *paras])
    assert str(ECCN.parse(text.lower())) == text
