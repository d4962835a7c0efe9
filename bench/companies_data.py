"""The company evaluation's data: real company names that are not listed (negatives)
and damaged listed organisation names (positives), each split into a tuning half and a
held-out half by a hash of the name (the same split on every run and machine).

Negatives: the index constituents ``pytickersymbols`` ships (MIT; 1,837 names of 20
indices: S&P 500/600/100, NASDAQ 100, DOW JONES, FTSE 100, DAX/MDAX/SDAX/TecDAX,
CAC 40/Mid 60, EURO STOXX 50, AEX, BEL 20, IBEX 35, NIKKEI 225, OMX Helsinki 25 and
Stockholm 30, Switzerland 20) and the GLEIF LEI legal names kept in
``shared/data/diversion/gleif`` (CC0; that file holds two LEI records). The SEC EDGAR
``company_tickers.json`` set quoted in issue 17 is not on this machine.

Positives: the organisation names of the bundled CSL, damaged reproducibly (seeded)
the way customer records damage them: a typo inside a legal-form word ("Limted",
"Compny", "Obshchesvto"), the legal form abbreviated, swapped or dropped, case and
punctuation changed.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass

from bench.matching_data import shared_data

LEGAL_WORDS = (
    "limited",
    "company",
    "corporation",
    "incorporated",
    "obshchestvo",
    "otvetstvennostyu",
    "ogranichennoy",
    "aktsionernoe",
    "aktsionernoye",
    "gesellschaft",
    "enterprise",
    "establishment",
    "cooperative",
    "partnership",
    "holdings",
    "sanayi",
    "ticaret",
    "sirketi",
    "sherkat",
    "tovarystvo",
    "publichnoe",
    "zakrytoe",
    "otkrytoe",
    "unitarnoe",
    "predpriyatie",
    "federalnoe",
    "gosudarstvennoe",
)
"""Legal-form and body-type words a typo is put into (lower case, five letters and
more: customer records misspell these long words most)."""

ABBREVIATE = (
    ("limited liability company", "LLC"),
    ("joint stock company", "JSC"),
    ("public joint stock company", "PJSC"),
    ("closed joint stock company", "CJSC"),
    ("open joint stock company", "OJSC"),
    ("limited", "Ltd"),
    ("company", "Co"),
    ("corporation", "Corp"),
    ("incorporated", "Inc"),
    ("private limited", "Pvt Ltd"),
    ("obshchestvo s ogranichennoy otvetstvennostyu", "OOO"),
    ("aktsionernoe obshchestvo", "AO"),
    ("gesellschaft mit beschrankter haftung", "GmbH"),
    ("sanayi ve ticaret", "San. ve Tic."),
)
PHRASES = (
    ("obshchestvo s ogranichennoy otvetstvennostyu", "AO"),
    ("obshchestvo s ogranichennoi otvetstvennostiu", "AO"),
    ("sanayi ve ticaret anonim sirketi", "A.S."),
    ("sanayi ve ticaret limited sirketi", "Ltd. Sti."),
    ("public joint stock company", "JSC"),
    ("closed joint stock company", "OJSC"),
    ("limited liability company", "Limited"),
    ("limited liability partnership", "LLC"),
    ("aktsionernoe obshchestvo", "OOO"),
    ("joint stock company", "PJSC"),
    ("company limited", "Inc."),
    ("co ltd", "Corp."),
    ("co limited", "Corp."),
    ("s a de c v", "S.A."),
    ("private limited", "Ltd"),
    ("pvt ltd", "Pte Ltd"),
    ("sdn bhd", "Ltd"),
    ("llc", "Ltd"),
    ("ltd", "LLC"),
    ("limited", "LLC"),
    ("inc", "Ltd"),
    ("corp", "Inc"),
    ("corporation", "Inc"),
    ("co", "Ltd"),
    ("company", "Limited"),
    ("jsc", "PJSC"),
    ("ojsc", "JSC"),
    ("cjsc", "JSC"),
    ("pjsc", "JSC"),
    ("ooo", "LLC"),
    ("oao", "JSC"),
    ("zao", "JSC"),
    ("gmbh", "AG"),
    ("sa", "SARL"),
    ("fze", "FZCO"),
    ("fzco", "FZE"),
    ("pte", "Pvt"),
    ("pvt", "Pte"),
)
"""Legal forms (longest first) and another form written in their place (customer
records are loose about the form)."""
KINDS = ("legal_typo", "legal_abbreviated", "legal_swapped", "legal_dropped", "case_punct")


@dataclass(frozen=True, slots=True)
class Damaged:
    """A listed name damaged one way, and the listed name it came from."""

    query: str
    kind: str
    source: str
    party_id: str


def held_out(name: str) -> bool:
    """The held-out half (never looked at while tuning): a hash of the name, so the
    split does not depend on order or on the other names."""
    return hashlib.sha256(name.casefold().encode()).digest()[0] % 2 == 1


def split(names: Iterable[str]) -> tuple[list[str], list[str]]:
    tune: list[str] = []
    kept: list[str] = []
    for name in names:
        (kept if held_out(name) else tune).append(name)
    return tune, kept


def ticker_names() -> list[str]:
    """The index constituents pytickersymbols ships, one per distinct name."""
    from pytickersymbols import PyTickerSymbols

    names = {str(s["name"]).strip() for s in PyTickerSymbols().get_all_stocks()}
    return sorted(n for n in names if n)


def gleif_names() -> list[str]:
    """LEI legal names in the GLEIF sample kept in shared/data (CC0)."""
    path = shared_data() / "diversion" / "gleif" / "gleif_rr_lei_sample_relationship_issued.json"
    if not path.is_file():
        return []
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            legal = node.get("LegalName")
            if isinstance(legal, dict) and isinstance(legal.get("$"), str):
                found.append(legal["$"])
            elif isinstance(legal, str):
                found.append(legal)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(path.read_text(encoding="utf-8")))
    return sorted(set(found))


def negatives() -> list[tuple[str, str]]:
    """``(name, source)`` of every real unlisted company name."""
    rows = [(n, "pytickersymbols") for n in ticker_names()]
    rows += [(n, "gleif") for n in gleif_names()]
    return rows


_WORD = re.compile(r"[A-Za-z]+")


def _typo(word: str, rng: random.Random) -> str:
    """One edit inside the word (never its first letter): delete, swap, double or
    substitute, as in "Limted", "Compnay", "Obshchesvto"."""
    j = rng.randrange(1, len(word) - 1)
    op = rng.choice(("delete", "swap", "double", "substitute"))
    if op == "delete":
        return word[:j] + word[j + 1 :]
    if op == "swap":
        return word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    if op == "double":
        return word[:j] + word[j] + word[j:]
    letter = rng.choice([c for c in "aeioulnrst" if c != word[j].lower()])
    return word[:j] + (letter.upper() if word[j].isupper() else letter) + word[j + 1 :]


def _replace_phrase(name: str, phrase: str, by: str) -> str | None:
    pattern = re.compile(
        r"(?<![A-Za-z])" + r"[\s,.\-]+".join(phrase.split()) + r"(?![A-Za-z])", re.I
    )
    new, count = pattern.subn(by, name, count=1)
    return new if count else None


def _legal_phrase(name: str) -> tuple[tuple[int, int], str] | None:
    """Where the name's legal form is (its first, longest phrase) and another form."""
    for phrase, other in PHRASES:
        pattern = r"(?<![A-Za-z])" + r"[\s,.\-]*".join(re.escape(w) for w in phrase.split())
        found = re.search(pattern + r"\.?(?![A-Za-z])", name, re.I)
        if found:
            return found.span(), other
    return None


def damage(name: str, kind: str, rng: random.Random) -> str | None:
    """One damage of a listed name, or None when it does not apply."""
    if kind == "legal_typo":
        spots = [m for m in _WORD.finditer(name) if m.group().lower() in LEGAL_WORDS]
        if not spots:
            return None
        m = rng.choice(spots)
        return name[: m.start()] + _typo(m.group(), rng) + name[m.end() :]
    if kind == "legal_abbreviated":
        for phrase, short in ABBREVIATE:
            new = _replace_phrase(name, phrase, short)
            if new is not None:
                return new
        return None
    if kind in ("legal_swapped", "legal_dropped"):
        found = _legal_phrase(name)
        if found is None:
            return None
        (start, end), other = found
        if kind == "legal_swapped":
            return name[:start] + other + name[end:]
        new = (name[:start] + " " + name[end:]).strip(" ,.-")
        new = re.sub(r"\s{2,}", " ", new).replace(" ,", ",")
        return new if _WORD.search(new) else None
    if kind == "case_punct":
        text = re.sub(r"[.,'\"()]", rng.choice(("", " ")), name)
        text = text.replace("&", " and ") if "&" in text else text.replace("-", " ")
        text = re.sub(r"\s+", " ", text).strip()
        return rng.choice((text.lower(), text.title(), text.upper()))
    raise ValueError(kind)


def positives(listed: list[tuple[str, str]], seed: int = 17) -> list[Damaged]:
    """Every damage kind that applies to each listed organisation name ``(name,
    party_id)``; one seeded generator, so the set is the same on every run."""
    rng = random.Random(seed)
    out: list[Damaged] = []
    for name, party_id in listed:
        for kind in KINDS:
            query = damage(name, kind, rng)
            if query is None or query == name or not _WORD.search(query):
                continue
            out.append(Damaged(query, kind, name, party_id))
    return out
