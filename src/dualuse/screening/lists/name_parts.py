"""Names written "Short (Long form)" or "Long form (SHORT)", read as two names.

The Consolidated Screening List writes many entries as one string holding two names
of the party: "Rostec (Russian Technologies State Corporation)", "Semiconductor
Manufacturing International Corporation (SMIC)", "Atomic Energy Organization of Iran
(AEOI)". Screened as one name, the short name people use ("Rostec", "SMIC") meets a
long name with three or four words it lacks and scores far below the threshold.
:func:`name_parts` returns the names inside such a string, so the loader can list
them beside the original (which is kept, so nothing the list says is lost).

Only a trailing parenthesis without nesting is read, and only when it is a name:

* an a.k.a. / f.k.a. inside it gives that name ("X (a.k.a. Y)" -> X, Y);
* a branch, subsidiary, office or subordinate unit ("(LEBANON BRANCH)", "(a
  subordinate institute of CETC-7)") gives nothing: the outer name is another body;
* a nationality, kind or role ("(PRC national)", "(Russian entity)", "(PRESIDENT OF
  TAK COMPONENTS)") gives the name outside;
* a place, a legal form or generic words ("(HK)", "(Hong Kong)", "(KIEV)", "(PTY)",
  "(OFFSHORE)", "(JSC)", "(SAHAMI KHASS)") give nothing: they qualify the name;
* one word inside is a name only as an acronym (no lower-case letter, 2-8 letters or
  digits; when the whole string is in capitals, at least three, starting with the
  first letter of a word outside: "GE SONG TAO (GE)" is not split; not when its
  letters are the initials of the words after an "of", a parent body: "20th
  Research Institute of China Electronic Technology Group Corp (CETC)") or as a word
  of the outer name ("Huawei Technologies Co., Ltd. (Huawei)");
* two or more words inside: both parts are names ("Short (Long form)").
"""

from __future__ import annotations

import re

from dualuse.reference.countries import normalize_country
from dualuse.reference.names import NameType, TokenKind, analyze_name

_TRAILING = re.compile(r"^(?P<outer>.*[^\s])\s*\((?P<inner>[^()]+)\)\s*[.,;]?\s*$")
_AKA = re.compile(
    r"^\s*(?:a\.?\s?k\.?\s?a\.?|a/k/a|f\.?\s?k\.?\s?a\.?|n\.?\s?k\.?\s?a\.?|formerly|"
    r"also known as|known as)\s*[,:]?\s*",
    re.IGNORECASE,
)
_KIND = re.compile(
    r"\b(?:national|individual|entity|citizen|person)\s*$",
    re.IGNORECASE,
)
_OTHER_BODY = re.compile(
    r"\b(?:branch|subsidiary|subordinate|affiliate|affiliated|division|office|"
    r"representative|unit|department|successor|thereof|formerly|including|excluding|"
    r"except)\b|^\s*(?:an?|the)\s",
    re.IGNORECASE,
)
_ROLE = re.compile(
    r"^\s*(?:president|vice president|director|owner|manager|chairman|ceo|head|"
    r"employee|officer|founder)\b",
    re.IGNORECASE,
)
_QUALIFIERS = frozenset(
    {
        "offshore",
        "off",
        "shore",
        "pvt",
        "pte",
        "pty",
        "private",
        "limited",
        "ltd",
        "group",
        "international",
        "holdings",
        "s",
        "l",
        "inc",
        "llc",
        "co",
        "sa",
        "sal",
        "usa",
        "uk",
        "hk",
        "prc",
    }
)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _is_place_or_form(inner: str) -> bool:
    words = _words(inner)
    if not words:
        return True
    if normalize_country(inner.strip()):
        return True
    return all(w in _QUALIFIERS or normalize_country(w) for w in words)


def _names_something(text: str) -> bool:
    """``text`` holds a distinctive word, not only legal forms, generic words and
    numbers ("(JSC)", "(SAHAMI KHASS)", "(United)", "(11TH INSTITUTE)" do not)."""
    form = analyze_name(text, NameType.ORGANIZATION)
    return TokenKind.NAME in form.kinds


def _acronym(inner: str, outer: str) -> bool:
    token = inner.strip()
    if not 2 <= len(re.sub(r"[^\w]", "", token)) <= 8 or any(c.islower() for c in token):
        return False
    if not re.fullmatch(r"[A-Z0-9][A-Z0-9&./-]*", token):
        return False
    if any(c.islower() for c in outer):
        return True  # mixed-case outer name: capitals inside mark an acronym
    letters = re.sub(r"[^A-Z]", "", token)
    initials = {w[0] for w in _words(outer)}
    return len(letters) >= 3 and letters[0].casefold() in initials


_LINKING = frozenset({"of", "and", "the", "for", "de", "des", "la", "du", "in"})


def _abbreviates_a_later_part(acronym: str, outer: str) -> bool:
    """The acronym's letters are the initials of the words after an "of" or a comma:
    it abbreviates a parent named inside the name, not the party ("20th Research
    Institute of China Electronic Technology Group Corp (CETC)", "... (IITP), Russian
    Academy of Sciences (RAS)"); a parent's name
    standing first is dropped from acronyms, not abbreviated ("AVIC Flight
    Automatic Control Research Institute (FACRI)")."""
    letters = re.sub(r"[^a-z]", "", acronym.casefold())
    spans = list(_WORD.finditer(outer.casefold()))
    words = [m.group() for m in spans]
    kept = [i for i, w in enumerate(words) if w not in _LINKING]
    if len(letters) < 2:
        return False
    for n, start in enumerate(kept):
        if words[start][0] != letters[0]:
            continue
        found, at = 1, n + 1
        while found < len(letters) and at < len(kept):
            found += words[kept[at]][0] == letters[found]
            at += 1
        if found == len(letters):
            after_comma = outer[: spans[start].start()].rstrip().endswith(",")
            return start > 0 and (words[start - 1] in _LINKING or after_comma)
    return False


def name_parts(name: str) -> tuple[str, ...]:
    """The names inside ``name`` when it is written "A (B)" (see the module
    docstring); empty when it is not, or when the parenthesis is not a name."""
    found: list[str] = []
    text = name.strip()
    for _ in range(3):  # "Almo Aero (Dart Aviation Technics) (IEAS)"
        match = _TRAILING.match(text)
        if match is None:
            break
        outer, inner = match.group("outer").strip(" ,;-"), match.group("inner").strip()
        parts = _read(outer, inner)
        found.extend(parts)
        if parts != [outer, inner]:
            # nothing, an a.k.a., or a person's nationality or role: the outer name
            # is not read further (a person listed "Kim Sang-ch'o'l (Kim Sang Chang
            # Chol) (DPRK national)" keeps the name as listed: common Korean names
            # as separate aliases raised false alerts on 50,000 negatives by four)
            break
        text = outer
    kept = [p for p in found if "(" not in p and ")" not in p and _words(p) and p != name]
    return tuple(dict.fromkeys(kept))


def _read(outer: str, inner: str) -> list[str]:
    """The names one trailing parenthesis gives (see the module docstring)."""
    if not _words(outer):
        return []
    aka = _AKA.match(inner)
    if aka:
        return [outer, inner[aka.end() :].strip(" ,;")]
    if _OTHER_BODY.search(inner):
        return []
    if _ROLE.match(inner) or (_KIND.search(inner) and len(_words(inner)) <= 3):
        return [outer]
    if _is_place_or_form(inner) or not _names_something(inner):
        return []
    inner_words = _words(inner)
    if len(inner_words) == 1 and not (
        inner_words[0] in _words(outer)
        or (_acronym(inner, outer) and not _abbreviates_a_later_part(inner, outer))
    ):
        return []
    return [outer, inner]
