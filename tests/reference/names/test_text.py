"""Text cleaning and word splitting: the translate tables give what the documented
per-character rules give, on any text (hypothesis), and stay bounded."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from dualuse.reference.names import text as t


def _clean_rule_by_rule(text: str) -> str:
    """clean_text as its docstring says it, one character at a time."""
    text = unicodedata.normalize("NFKC", text[: t.MAX_NAME_CHARS * 2])
    out: list[str] = []
    for char in text:
        if char in {"\u200c", "\u200d"}:
            continue
        out.append(" " if unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn"} else char)
    folded = unicodedata.normalize("NFKC", "".join(out).casefold())
    return " ".join(folded.split())[: t.MAX_NAME_CHARS].strip()


def _split_rule_by_rule(text: str) -> list[str]:
    """split_words (without initials) one character at a time."""
    words: list[str] = []
    current: list[str] = []
    for char in text:
        if char in t.SPLITTERS or char.isspace() or char == "&":
            if current:
                words.append("".join(current))
                current = []
            if char == "&":
                words.append("&")
            continue
        if char in {"'", "’", "‘", "`", "´", "ʼ", "ʻ", "ʿ", "ʾ", "׳", "״", "."}:
            continue
        if unicodedata.category(char)[0] in {"P", "S"}:
            if current:
                words.append("".join(current))
                current = []
            continue
        current.append(char)
    if current:
        words.append("".join(current))
    return words


MIXED = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list("aZ .&'-\t\n\x00\x7f\u200b\u200c\ufeffJ.P.ß")),
    ),
    max_size=80,
)


@settings(max_examples=600, deadline=None)
@given(MIXED)
def test_clean_text_follows_the_per_character_rules(text: str) -> None:
    assert t.clean_text(text) == _clean_rule_by_rule(text)


@settings(max_examples=600, deadline=None)
@given(MIXED)
def test_split_words_follows_the_per_character_rules(text: str) -> None:
    assert t.split_words(text) == _split_rule_by_rule(text)
    cleaned = t.clean_text(text)
    assert t.split_words(cleaned) == _split_rule_by_rule(cleaned)


def test_split_words_examples() -> None:
    assert t.split_words("at&t") == ["at", "&", "t"]
    assert t.split_words("s.a.r.l. o'brien") == ["sarl", "obrien"]
    assert t.split_words("j.p. morgan", split_initials=True) == ["j", "p", "morgan"]
    assert t.split_words("a—b (c)") == ["a", "b", "c"]


def test_ascii_fast_path_equals_the_general_path() -> None:
    # printable ASCII skips normalisation; with one non-ASCII letter the same
    # text goes the general way and must come out the same apart from that letter
    text = "  ACME  Holdings, Ltd.  "
    assert t.clean_text(text) == "acme holdings, ltd."
    assert t.clean_text(text + "é") == "acme holdings, ltd. é"


def test_character_tables_stay_bounded() -> None:
    every = "".join(chr(c) for c in range(0x3000, 0x3000 + t._MAX_CACHED_CHARS + 5000))
    t.split_words(every)
    every.translate(t._CLEAN)  # clean_text itself reads only the first 600 characters
    assert len(t._WORDS) <= t._MAX_CACHED_CHARS
    assert len(t._CLEAN) <= t._MAX_CACHED_CHARS
