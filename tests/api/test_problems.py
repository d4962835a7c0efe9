from __future__ import annotations

from typing import Any

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.api.problems import MAX_ECHO, preview, validation_json

values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and infinities included
    | st.text(alphabet=st.characters(), max_size=3000)  # lone surrogates included
    | st.binary(max_size=500),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(values, st.lists(st.text(max_size=500) | st.integers(), max_size=4))
def test_any_rejected_value_echoes_as_short_valid_json(value: Any, loc: list[Any]) -> None:
    error = {"type": "t", "loc": loc, "msg": "m", "input": value, "ctx": {"x": value}}
    body = orjson.dumps(validation_json([error]))  # strict: fails on NaN or surrogates
    assert len(body) < 4 * (3 * MAX_ECHO + 100) + 500
    shown = preview(value)
    assert not isinstance(shown, str) or len(shown) <= MAX_ECHO + 30
