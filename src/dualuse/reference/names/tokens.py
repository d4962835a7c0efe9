"""Names analysed into comparable tokens: the one entry point of the reference layer.

:func:`analyze_name` turns any string into a :class:`NameForm`: lower-case ASCII
tokens (transliterated), each with a :class:`TokenKind` role, the script it came
from, and its name symbols from the name lexicon (Wikidata-derived ids that link
spellings across scripts: محمد, Mohammed and Muhammad share ``NAME:Q5837762``; see
:mod:`.lexicon`).

Steps: clean (NFKC, controls, bounded length) -> legal forms canonicalised (rigour's
multilingual table plus CJK suffixes) -> words -> organisation-type phrases folded
(:mod:`.org_types`: "state corporation" -> ``soe``) -> transliteration -> number words
folded -> roles -> leading honorifics dropped (persons) -> abbreviations expanded
(organisations).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from rigour.names import extract_org_types

from dualuse.reference.names.forms import (
    CJK_LEGAL_SUFFIXES,
    GENERIC_ORG_WORDS,
    HONORIFIC_PREFIXES,
    LEGAL_FORMS,
    NAME_HONORIFICS,
    PARTICLES,
    PERSON_SAFE_LEGAL,
    TokenKind,
    expand_abbreviation,
    is_tens,
    number_value,
)
from dualuse.reference.names.legal_typos import repair_legal_words
from dualuse.reference.names.lexicon import (
    ORGANIZATION,
    PERSON,
    Lexicon,
    default_lexicon,
)
from dualuse.reference.names.org_types import ORG_TYPE_KINDS, fold_org_types
from dualuse.reference.names.scripts import (
    HAN_OR_HANGUL,
    LATIN_OR_NONE,
    SYLLABIC,
    Script,
    word_script,
)
from dualuse.reference.names.text import MAX_TOKENS, clean_text, split_words
from dualuse.reference.names.translit import latinize_word
from dualuse.reference.names.vocabulary import vocabulary


class NameType(StrEnum):
    """What a name names; decides which rules apply."""

    PERSON = "person"
    ORGANIZATION = "organization"
    OBJECT = "object"
    """Vessels and aircraft: no honorifics, no person-name rules."""
    UNKNOWN = "unknown"


_MIDDLE_DOTS = ("·", "・", "•")


@dataclass(frozen=True, slots=True, eq=False)
class NameForm:
    """A name ready for comparison (compared and hashed by identity: forms are made
    once and cached, and caches keyed by a form must not hash its fields)."""

    original: str
    tokens: tuple[str, ...]
    kinds: tuple[TokenKind, ...]
    scripts: tuple[Script, ...]
    """The script each token was written in before transliteration."""
    originals: tuple[str, ...]
    """The original-script text of each token (itself for Latin tokens)."""
    symbols: tuple[frozenset[str], ...]
    """rigour name symbols of each token (``NAME:Q5837762``), possibly empty."""
    organization: bool
    """Organisation rules were applied (legal forms, abbreviations)."""
    rarity: tuple[float, ...] = ()
    """Bits of evidence a match on each token carries (-log2 of its share of the
    index's names; filled in by a screening index for its names, else empty)."""

    @property
    def comparable(self) -> str:
        return " ".join(self.tokens)

    @property
    def latin(self) -> bool:
        """Every token was written in Latin (or digits) originally."""
        return LATIN_OR_NONE.issuperset(self.scripts)

    @property
    def distinctive(self) -> tuple[str, ...]:
        """Tokens that can carry a match (names and numbers)."""
        return tuple(
            t
            for t, k in zip(self.tokens, self.kinds, strict=True)
            if k in {TokenKind.NAME, TokenKind.NUMBER}
        )


_GENERIC_FORMS = frozenset(vocabulary().words["rigour_generic_forms"])
_EXTRA_MULTIWORD = tuple(vocabulary().forms["multiword_legal_forms"].items())
"""Multi-word legal forms rigour's table misses ("sp z oo", "s de r l de c v")."""


def _replace_legal_forms(text: str) -> str:
    """Multi-lingual legal forms ("limited liability company", "s.a.r.l.", "ООО")
    to rigour's generic compare forms; other rewrites rigour knows (to "soe",
    "ngo"...) are left alone because they also fire on plain words. Typos in
    legal-form words ("limted", "compny") are repaired first."""
    text = " ".join(repair_legal_words(split_words(text)))
    try:
        found = extract_org_types(text, generic=True)
    except Exception:  # pragma: no cover - defensive around the Rust core
        return text
    found = list(found) + [(m, c) for m, c in _EXTRA_MULTIWORD if f" {m} " in f" {text} "]
    for matched, canonical in sorted(found, key=lambda m: -len(m[0])):
        if canonical not in _GENERIC_FORMS or not matched:
            continue
        padded = f" {text} "
        text = padded.replace(f" {matched} ", f" {canonical} ").strip()
        if matched in text and len(matched.split()) > 1:
            text = text.replace(matched, canonical)
    return text


def _strip_cjk_legal(text: str) -> tuple[str, list[str]]:
    if text.isascii():  # every suffix is written in CJK characters (tested)
        return text, []
    legal: list[str] = []
    changed = True
    while changed and text:
        changed = False
        for suffix, canonical in CJK_LEGAL_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)].rstrip()
                legal.append(canonical)
                changed = True
                break
            if text.startswith(suffix) and len(text) > len(suffix):
                text = text[len(suffix) :].lstrip()
                legal.append(canonical)
                changed = True
                break
    return text, legal


_ORG_OR_UNKNOWN = frozenset({NameType.ORGANIZATION, NameType.UNKNOWN})
_PERSON_OR_UNKNOWN = frozenset({NameType.PERSON, NameType.UNKNOWN})

_CONNECTORS = frozenset(vocabulary().words["connectors"])
"""Words that join two parts of an organisation name, written "&" as often."""


def _segment_han(word: str, lexicon: Lexicon, mask: int) -> tuple[str, str] | None:
    """A 3-4 character Han word cut into two names the lexicon knows (山田太郎 ->
    山田, 太郎: a Japanese surname and given name, which pinyin cannot read), the
    shortest first part first; ``None`` when no cut gives two known names."""
    if not 3 <= len(word) <= 4:
        return None
    for cut in range(1, len(word)):
        head, tail = word[:cut], word[cut:]
        if lexicon.lookup(head, mask) and lexicon.lookup(tail, mask):
            return head, tail
    return None


@lru_cache(maxsize=50_000)
def _word_pieces(
    word: str, lexicon: Lexicon, mask: int, *, foreign: bool, split: bool
) -> tuple[tuple[str, str, frozenset[str]], ...]:
    """(ASCII token, original text, symbols) of one word (cached: the same words
    come back name after name in a batch; lexicons are hashed by identity)."""
    script = word_script(word)
    if script in HAN_OR_HANGUL and split and not foreign:
        whole = lexicon.lookup(word, mask) if len(word) >= 3 else frozenset()
        if whole:
            # a name the lexicon knows whole: a foreign name written in Chinese
            # characters or Hangul (华盛顿, 워싱턴), not a surname and a given name
            return tuple(
                (token, original, whole)
                for token, original in latinize_word(word, foreign=True, split=False)
            )
    if script is Script.HAN and split and not foreign:
        cut = _segment_han(word, lexicon, mask)
        if cut is not None:
            return tuple(
                (token, original, lexicon.lookup(part, mask))
                for part in cut
                for token, original in latinize_word(part, split=False)
            )
    latin = latinize_word(word, foreign=foreign, split=split)
    out: list[tuple[str, str, frozenset[str]]] = []
    for token, original in latin:
        if len(latin) == 1:
            key = token if script in LATIN_OR_NONE else word
        else:
            key = original if script not in LATIN_OR_NONE else token
        out.append((token, original, lexicon.lookup(key, mask)))
    return tuple(out)


_Raw = tuple[str, Script, frozenset[str], str]


_ONE_LETTER_NUMERALS = {"i": 1, "v": 5, "x": 10}


def _trailing_numeral(tokens: list[_Raw], index: int) -> int | None:
    """A one-letter Roman numeral closing a name ("Bain Capital Fund X L.P.",
    "Citigroup Capital Trust I"): after a word, followed only by legal forms. An
    initial stands before the word it abbreviates, so this one is a series number."""
    value = _ONE_LETTER_NUMERALS.get(tokens[index][0])
    if value is None or index == 0:
        return None
    previous = tokens[index - 1][0]
    if len(previous) < 2 or not previous.isalpha() or previous in LEGAL_FORMS:
        return None
    if any(t[0] not in LEGAL_FORMS for t in tokens[index + 1 :]):
        return None
    return value


def _fold_numbers(
    tokens: list[_Raw], *, roman: bool
) -> list[tuple[str, Script, frozenset[str], str, TokenKind | None]]:
    """Number words and digits to digits; "forty four" and "forty-4" become "44";
    with ``roman``, Roman numerals too (one-letter ones only closing the name)."""
    out: list[tuple[str, Script, frozenset[str], str, TokenKind | None]] = []
    pending_tens: int | None = None
    for position, (token, script, symbols, original) in enumerate(tokens):
        value = number_value(token, roman=roman)
        if value is None and roman:
            value = _trailing_numeral(tokens, position)
        if value is None:
            out.append((token, script, symbols, original, None))
            pending_tens = None
            continue
        if pending_tens is not None and 0 < value < 10:
            previous = out.pop()
            merged = str(pending_tens + value)
            out.append((merged, previous[1], frozenset(), merged, TokenKind.NUMBER))
            pending_tens = None
            continue
        out.append((str(value), script, frozenset(), str(value), TokenKind.NUMBER))
        pending_tens = value if is_tens(value) else None
    return out


def _looks_like_organization(words: list[str]) -> bool:
    for word in words:
        if word in LEGAL_FORMS or word in GENERIC_ORG_WORDS or word in ORG_TYPE_KINDS:
            return True
        expanded = expand_abbreviation(word, organization=True)
        if expanded != word and (expanded in GENERIC_ORG_WORDS or expanded in LEGAL_FORMS):
            return True
    return False


@lru_cache(maxsize=20_000)
def analyze_name(
    text: str,
    name_type: NameType = NameType.UNKNOWN,
    lexicon: Lexicon | None = None,
    *,
    symbol_groups: int | None = None,
) -> NameForm:
    """Analyse one name; total on any input (an unusable name gives no tokens).

    ``lexicon`` gives the words' name symbols (default: the full shipped lexicon;
    an index passes the part it stores); ``symbol_groups`` which of its groups
    (default: organisation words for organisations, person names otherwise; an
    untyped query asks for both, so that "Hezbollah" meets the listed
    organisation HIZBALLAH through their shared symbol)."""
    cleaned = clean_text(text)
    person = name_type is NameType.PERSON
    cleaned, cjk_legal = _strip_cjk_legal(cleaned)
    if name_type in _ORG_OR_UNKNOWN:
        cleaned = _replace_legal_forms(cleaned)
    foreign = any(dot in cleaned for dot in _MIDDLE_DOTS)
    words = split_words(cleaned, split_initials=person)
    if name_type in _ORG_OR_UNKNOWN:
        words = fold_org_types(words)
    if lexicon is None:
        lexicon = default_lexicon()
    mask = ORGANIZATION if name_type is NameType.ORGANIZATION else PERSON
    if symbol_groups is not None:
        mask = symbol_groups
    # a name that already spaces its Han/Hangul parts (정식 김) is not split again
    split = sum(1 for w in words if word_script(w) in HAN_OR_HANGUL) <= 1
    raw: list[_Raw] = []
    for word in words:
        script = word_script(word)
        for token, original, word_symbols in _word_pieces(
            word, lexicon, mask, foreign=foreign, split=split
        ):
            raw.append((token, script, word_symbols, original))
    for legal in cjk_legal:
        raw.append((legal, Script.LATIN, frozenset(), legal))
    raw = raw[: MAX_TOKENS * 2]
    organization = name_type is NameType.ORGANIZATION or (
        name_type is NameType.UNKNOWN
        and (bool(cjk_legal) or _looks_like_organization([r[0] for r in raw]))
    )
    folded = _fold_numbers(raw, roman=organization or name_type is NameType.OBJECT)

    tokens: list[str] = []
    kinds: list[TokenKind] = []
    scripts: list[Script] = []
    syms: list[frozenset[str]] = []
    originals: list[str] = []
    for token, script, symbols_of, original, preset in folded:
        kind = preset
        if kind is None and script in SYLLABIC:
            kind = TokenKind.NUMBER if token.isdigit() else TokenKind.NAME
        if kind is None:
            kind, token = _classify(token, organization=organization, person=person)
        tokens.append(token)
        kinds.append(kind)
        scripts.append(script)
        syms.append(symbols_of)
        originals.append(original if script is not Script.LATIN else token)

    if name_type in _PERSON_OR_UNKNOWN and not organization:
        while len(tokens) > 1 and tokens[0] in HONORIFIC_PREFIXES:
            del tokens[0], kinds[0], scripts[0], syms[0], originals[0]
    if organization:
        # "and" between words goes the way of "&" ("AT and T" = "AT&T")
        for i in range(len(tokens) - 2, 0, -1):
            if tokens[i] in _CONNECTORS and scripts[i] is Script.LATIN:
                del tokens[i], kinds[i], scripts[i], syms[i], originals[i]
    n = min(len(tokens), MAX_TOKENS)
    return NameForm(
        original=text if len(text) <= 2 * len(cleaned) + 64 else text[: 2 * len(cleaned) + 64],
        tokens=tuple(tokens[:n]),
        kinds=tuple(kinds[:n]),
        scripts=tuple(scripts[:n]),
        originals=tuple(originals[:n]),
        symbols=tuple(syms[:n]),
        organization=organization,
    )


def _classify(token: str, *, organization: bool, person: bool) -> tuple[TokenKind, str]:
    if organization and token in ORG_TYPE_KINDS:
        return ORG_TYPE_KINDS[token], token
    legal_ok = organization or token in PERSON_SAFE_LEGAL
    if legal_ok and token in LEGAL_FORMS:
        return TokenKind.LEGAL, LEGAL_FORMS[token]
    # an abbreviated legal form ("comp" -> "company" -> "co") is a legal form too
    expanded = expand_abbreviation(token, organization=organization)
    if organization and expanded != token and expanded in LEGAL_FORMS:
        return TokenKind.LEGAL, LEGAL_FORMS[expanded]
    if len(token) == 1 and token.isalpha() and not (organization and token in PARTICLES):
        return TokenKind.INITIAL, token
    if token in PARTICLES:
        return TokenKind.PARTICLE, token
    if not organization and token in NAME_HONORIFICS:
        return TokenKind.HONORIFIC, token
    token = expanded
    if organization and token in GENERIC_ORG_WORDS:
        return TokenKind.GENERIC, token
    if token.isdigit():
        return TokenKind.NUMBER, token
    return TokenKind.NAME, token
