"""Name shapes: the runs looked up by what they spell must be the runs a scan in
(size, start) order would find first, or the name score would change."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.reference.names import NameType, TokenKind, analyze_name
from dualuse.screening.matching.names.compare import compare_names
from dualuse.screening.matching.names.name_params import DEFAULT_PARAMS, NameParams, kind_weights
from dualuse.screening.matching.names.name_shape import NameShape, Runs, name_shape
from dualuse.screening.matching.names.token_similarity import _BUDGET_ROWS, typo_budget

_JOINABLE = {TokenKind.NAME, TokenKind.PARTICLE}
_kinds = st.sampled_from(list(TokenKind))


def _scan_joined(tokens: list[str], kinds: list[TokenKind], word: str) -> tuple[int, ...] | None:
    for size in (2, 3):
        for start in range(len(tokens) - size + 1):
            if TokenKind.LEGAL in kinds[start : start + size]:
                continue  # a joined run never takes in a legal form ("MLP" is not "M LP")
            if "".join(tokens[start : start + size]) == word:
                return tuple(range(start, start + size))
    return None


def _scan_initials(tokens: list[str], word: str) -> tuple[int, ...] | None:
    size = len(word)
    if not 2 <= size <= 5:
        return None
    for start in range(len(tokens) - size + 1):
        if "".join(t[0] for t in tokens[start : start + size]) == word:
            return tuple(range(start, start + size))
    return None


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(alphabet="abj", min_size=1, max_size=2), max_size=8),
    st.lists(_kinds, min_size=8, max_size=8),
    st.text(alphabet="abj", max_size=6),
)
def test_runs_are_the_first_a_scan_finds(
    tokens: list[str], kinds: list[TokenKind], word: str
) -> None:
    kinds = kinds[: len(tokens)]
    runs = Runs(tuple(tokens), tuple(kinds))
    # every word some run spells (written together or as initials), and one more
    spelled = {
        text
        for size in range(2, 6)
        for start in range(len(tokens) - size + 1)
        for text in (
            "".join(tokens[start : start + size]),
            "".join(t[0] for t in tokens[start : start + size]),
        )
    }
    for candidate in spelled | {word}:
        assert runs.joined(candidate) == _scan_joined(tokens, kinds, candidate)
        assert runs.initials(candidate) == _scan_initials(tokens, candidate)
    expected = [
        (tuple(range(start, start + size)), "".join(tokens[start : start + size]))
        for size in (2, 3)
        for start in range(len(tokens) - size + 1)
        if all(kinds[i] in _JOINABLE and len(tokens[i]) > 1 for i in range(start, start + size))
    ]
    assert list(runs.joinable) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["bin", "ali", "7", "ibn", "omar", "llc", "al"]), max_size=70))
def test_shape_facts_follow_the_tokens(words: list[str]) -> None:
    form = analyze_name(" ".join(words), NameType.UNKNOWN)
    shape = NameShape(form, kind_weights(DEFAULT_PARAMS))
    assert shape.weights == tuple(kind_weights(DEFAULT_PARAMS)[k] for k in form.kinds)
    assert shape.numbers == tuple(i for i, k in enumerate(form.kinds) if k is TokenKind.NUMBER)
    roles = tuple(i > 0 and form.tokens[i - 1] in {"bin", "ibn"} for i in range(len(form.tokens)))
    assert shape.roles == roles and shape.patronymic == any(roles)
    assert shape.run_letters == "".join(t[0] for t in form.tokens[:-1])


def test_shapes_are_kept_per_form_and_weights() -> None:
    form = analyze_name("Jean Claude Van Damme", NameType.PERSON)
    table = kind_weights(DEFAULT_PARAMS)
    assert name_shape(form, table) is name_shape(form, table)
    heavier = kind_weights(NameParams(weight_particle=0.9))
    assert name_shape(form, heavier).weights != name_shape(form, table).weights


def test_joined_split_and_initials_still_score() -> None:
    person = NameType.PERSON
    assert (
        compare_names(
            analyze_name("Jeanclaude Vandamme", person),
            analyze_name("Jean Claude Van Damme", person),
        ).score
        > 0.9
    )
    assert (
        compare_names(
            analyze_name("JC Van Damme", person), analyze_name("Jean Claude Van Damme", person)
        ).score
        > 0.6
    )


def test_the_budget_table_is_the_budget_function() -> None:
    for longer in range(40):
        for same in (False, True):
            for shorter in range(longer + 1):
                row = _BUDGET_ROWS[min(longer, 12)][same][min(shorter, 4)]
                assert row == typo_budget(longer, same_start=same, shorter=shorter)
