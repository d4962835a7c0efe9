from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualuse.errors import InputError
from dualuse.reference.ids.hs import HSCode


@pytest.mark.parametrize(
    ("text", "digits", "level", "hs6"),
    [
        ("854231", "854231", "HS subheading (HS-6)", "854231"),
        ("8542.31", "854231", "HS subheading (HS-6)", "854231"),
        ("8542.31.90", "85423190", "CN-8", "854231"),
        ("8542.31.0000", "8542310000", "HTS-10", "854231"),
        ("85", "85", "HS chapter", None),
    ],
)
def test_parse(text: str, digits: str, level: str, hs6: str | None) -> None:
    code = HSCode.parse(text)
    assert (code.digits, code.level, code.hs6) == (digits, level, hs6)


@pytest.mark.parametrize("text", ["", "8542a1", "85423", "8542311", "85423100000", "８５４２３１"])
def test_rejects(text: str) -> None:
    with pytest.raises(InputError):
        HSCode.parse(text)


def test_dotted() -> None:
    assert HSCode.parse("8542310000").dotted == "8542.31.00.00"


@given(st.text(max_size=16))
def test_fuzz(text: str) -> None:
    value = HSCode.normalize(text)
    if value is not None:
        assert value.isdigit() and len(value) in (2, 4, 6, 8, 10)
        assert HSCode.normalize(value) == value
