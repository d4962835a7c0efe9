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

A name written "A - what A is" gives A when what follows the dash says which role
the party itself has in its group: "OJSC BELAZ - MANAGEMENT COMPANY OF HOLDING
BELAZ-HOLDING" (OFAC SDN 41319, also in Russian and Belarusian) is the company BelAZ.
Other dashes are left whole: the part before them is often a parent or a shared
name ("TRANSNEFT - SIBIR", "RUSSIAN ACADEMY OF SCIENCES - ... PHYSICS INSTITUTE",
"HOTEL CASA GRANDE - SARAJEVO"), and a parent's name as an alias of its subsidiary
would be a false alert on the parent.

:func:`defined_acronyms` reads the acronyms a record defines for its own party
anywhere in its names: "Southwest Institute of Nuclear Physics and Chemistry (a.k.a.,
China Academy of Engineering Physics (CAEP)'s 902 Institute)", an alias of the Entity
List's "Chinese Academy of Engineering Physics", defines CAEP for that academy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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
_DASH = re.compile(r"^(?P<outer>[^()]*[^\s(])\s+[-\u2013\u2014]\s+(?P<role>[^()]+)$")
_PARTY_ROLE = re.compile(
    r"^(?:management\s+(?:holding\s+)?company|managing\s+company|"
    r"upravlyayushchaya\s+kompaniya|kiru(?:yu|iu)cha(?:ya|ia)\s+kampanii?(?:ya|ia))\b",
    re.IGNORECASE,
)
"""What follows the dash when it names the party's own role in its group: its
management company (English, and romanised Russian and Belarusian as the lists
write them: "upravlyayushchaya kompaniya", "kiruyuchaya kampaniya")."""


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
    dash = _DASH.match(text)
    if dash and _PARTY_ROLE.match(dash.group("role")) and _names_something(dash.group("outer")):
        return (dash.group("outer").strip(" ,;"),)
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


_DEFINED = re.compile(r"\((?P<acronym>[A-Z][A-Z0-9&.-]{1,9})\)")
_PARENTHESES = re.compile(r"\([^()]*\)")


def defined_acronyms(names: Sequence[str]) -> tuple[str, ...]:
    """The acronyms one record's ``names`` define for its own party: "Long Form
    (LF)" anywhere in a name, where LF's letters are the initials of the words
    just before it (linking words skipped) and those words are one of the
    record's names (inside parentheses left out, legal forms left out, a country
    and its adjective alike: "China Academy of Engineering Physics" is the
    listed "Chinese Academy of Engineering Physics"). An acronym of a parent or a
    part ("China Aerospace Science and Industry Corporation (CASIC) 3rd Academy",
    listed for the academy) is not the party's, and is not given; nor is one the
    names already give."""
    keys = {_party_key(_PARENTHESES.sub(" ", name)) for name in names}
    keys.discard(())
    have = {n.strip().casefold() for n in names}
    found: list[str] = []
    for name in names:
        for match in _DEFINED.finditer(name):
            acronym = match.group("acronym")
            long_form = _spelled_out(acronym, name[: match.start()])
            if long_form and acronym.casefold() not in have and _party_key(long_form) in keys:
                found.append(acronym)
    return tuple(dict.fromkeys(found))


def _spelled_out(acronym: str, before: str) -> str | None:
    """The words at the end of ``before`` whose initials spell ``acronym``'s
    letters, linking words between them skipped; None when they do not."""
    letters = re.sub(r"[^a-z]", "", acronym.casefold())
    spans = list(_WORD.finditer(before))
    if len(letters) < 2 or len(spans) < len(letters):
        return None
    at = len(letters)
    for span in reversed(spans):
        word = span.group().casefold()
        if word in _LINKING and at < len(letters):
            continue
        if word[0] != letters[at - 1]:
            return None
        at -= 1
        if at == 0:
            return before[span.start() :].strip()
    return None


def _party_key(text: str) -> tuple[str, ...]:
    """``text``'s words as the matcher reads them, legal forms left out and a
    place word read as its country (empty without a distinctive word)."""
    form = analyze_name(text, NameType.ORGANIZATION)
    if TokenKind.NAME not in form.kinds:
        return ()
    key: list[str] = []
    for token, kind, symbols in zip(form.tokens, form.kinds, form.symbols, strict=True):
        if kind is TokenKind.LEGAL:
            continue
        places = sorted(s for s in symbols if s.startswith("LOC:"))
        key.append(places[0] if places else token)
    return tuple(key)
