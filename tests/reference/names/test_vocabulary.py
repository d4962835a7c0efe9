"""The name vocabulary files: they load, hold together, add to rigour only what rigour
lacks, and a malformed file is an error naming the file and the entry."""

from __future__ import annotations

from importlib import resources

import pytest

from dualuse.errors import InputError
from dualuse.reference.names import forms, org_types, org_words
from dualuse.reference.names.vocabulary import FILES, parse_file, rigour_words, vocabulary


def _packaged(name: str) -> str:
    return resources.files("dualuse").joinpath("data", "names", name).read_text("utf-8")


def test_every_list_loads_and_is_used() -> None:
    v = vocabulary()
    assert set(v.words) | set(v.forms) == {n for spec in FILES.values() for n in spec}
    assert all(v.words.values()) and all(v.forms.values())
    assert forms.LEGAL_FORMS is v.forms["legal_forms"]
    assert frozenset(v.words["generic_org_words"]) == org_words.GENERIC_ORG_WORDS
    assert org_types.ORG_TYPE_PHRASES is v.forms["org_type_phrases"]


def test_lists_hold_together() -> None:
    v = vocabulary()
    legal = v.forms["legal_forms"]
    assert set(v.words["person_safe_legal_forms"]) <= set(legal)
    assert set(v.words["rigour_generic_forms"]) <= set(legal.values())
    assert set(v.forms["multiword_legal_forms"].values()) <= set(v.words["rigour_generic_forms"])
    folded = set(v.forms["org_type_phrases"].values())
    assert set(v.forms["org_type_kinds"]) <= folded
    # every other folded token is a word the legal-form or generic lists know
    known = set(legal) | set(v.words["generic_org_words"]) | set(v.forms["org_type_kinds"])
    assert folded <= known
    # CJK suffixes: a longer form is tried before a shorter form it ends with
    suffixes = list(v.forms["cjk_legal_suffixes"])
    for i, longer in enumerate(suffixes):
        assert not any(longer.endswith(s) and longer != s for s in suffixes[:i])


def test_taken_from_rigour_not_repeated() -> None:
    """What the files take from rigour is rigour's; what they add, rigour lacks."""
    from rigour.names import extract_org_types

    v = vocabulary()
    honorifics = set(v.words["honorific_prefixes"])
    assert {"mr", "dr", "president", "capt", "prasident"} <= honorifics  # from rigour
    assert "chairman" in rigour_words("person_name_prefixes") and "chairman" not in honorifics
    particles = set(v.words["particles"])
    assert {"of", "the", "von", "fur"} <= particles and "bin" in particles
    assert "as" in rigour_words("stopwords") and "as" not in particles
    assert v.forms["legal_forms"]["gmbh"] == extract_org_types("gmbh", generic=True)[0][1]
    for word in ("corp", "company", "kk", "pte", "ab", "pt"):
        assert extract_org_types(word, generic=True) != [(word, v.forms["legal_forms"][word])]


def test_packaged_files_parse_alone() -> None:
    for name in FILES:
        assert parse_file(name, _packaged(name))


def _broken(name: str, old: str, new: str) -> str:
    text = _packaged(name)
    assert old in text, old
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("name", "old", "new", "location", "message"),
    [
        (
            "person_words.yaml",
            "words: [haji,",
            "words: [Haji,",
            "name_honorifics.groups[0].words[0]",
            "lower-case",
        ),
        (
            "person_words.yaml",
            "words: [sayed,",
            "words: [haji, sayed,",
            "name_honorifics.groups[3].words[0]",
            "'haji' is listed twice",
        ),
        (
            "person_words.yaml",
            "words: [gen, col,",
            "words: [mr, gen, col,",
            "honorific_prefixes.groups[0].words[0]",
            "rigour has it already",
        ),
        (
            "person_words.yaml",
            "words: [the]",
            "words: [the, qari]",
            "honorific_prefixes.rigour.except[1].words[1]",
            "not in rigour's person_name_prefixes",
        ),
        (
            "person_words.yaml",
            'reason: "Sheikh, in its romanisations."',
            'reason: ""',
            "name_honorifics.groups[2]",
            "'reason'",
        ),
        (
            "legal_forms.yaml",
            "forms: {est: co}",
            "forms: {est: ltd}",
            "legal_forms.groups[1].forms['est']",
            "unknown form 'ltd'",
        ),
        (
            "legal_forms.yaml",
            "forms: {est: co}",
            "forms: {est: co, gmbh: llc}",
            "legal_forms.groups[1].forms['gmbh']",
            "listed twice",
        ),
        (
            "legal_forms.yaml",
            "words: [llc, jsc, llp, lp, inc,",
            "words: [llc, jsc, llp, lp, corp, inc,",
            "legal_forms.rigour.words[4]",
            "no generic legal form",
        ),
        (
            "org_types.yaml",
            "forms: {soe: legal}",
            "forms: {soe: weak}",
            "org_type_kinds.groups[0].forms['soe']",
            "unknown form 'weak'",
        ),
        (
            "org_words.yaml",
            "  connectors:\n",
            "  connector:\n",
            None,
            "'lists' must hold exactly",
        ),
        ("org_words.yaml", "schema: 1", "schema: 2", None, "schema: 1"),
        ("org_words.yaml", "lists:", "lists: [", None, "not valid YAML"),
    ],
)
def test_malformed_file_names_file_and_entry(
    name: str, old: str, new: str, location: str | None, message: str
) -> None:
    with pytest.raises(InputError) as caught:
        parse_file(name, _broken(name, old, new))
    error = caught.value
    assert error.source == f"dualuse/data/names/{name}"
    assert error.location == location
    assert message in str(error)
    assert name in str(error)


def test_addition_rigour_already_gives_is_refused() -> None:
    text = _broken("legal_forms.yaml", "forms: {est: co}", "forms: {est: co, ltda: llc}")
    with pytest.raises(InputError, match=r"legal_forms.groups\[1\].forms\['ltda'\]"):
        parse_file("legal_forms.yaml", text)


def test_unknown_file_is_refused() -> None:
    with pytest.raises(InputError, match="not a vocabulary file"):
        parse_file("numbers.yaml", "schema: 1")
