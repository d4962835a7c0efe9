"""Word lists that give name tokens their role: legal forms, honorifics, particles,
generic organisation words, abbreviations and number words (the last three kept in
:mod:`.org_words` and :mod:`.number_words`, and exported here too).

A legal form ("LLC", "ООО", "GmbH", "有限公司") says what kind of body a name belongs
to, not which one: it is kept as a *weak* token that can never carry a match. The
lists are general linguistic reference data; none is derived from a benchmark.
"""

from __future__ import annotations

from enum import IntEnum

from dualuse.reference.names.number_words import is_tens, number_value
from dualuse.reference.names.org_words import (
    GENERIC_ORG_WORDS,
    ORG_ABBREVIATIONS,
    SPELLING_VARIANTS,
    expand_abbreviation,
)

__all__ = [
    "CJK_LEGAL_SUFFIXES",
    "GENERIC_ORG_WORDS",
    "HONORIFIC_PREFIXES",
    "LEGAL_FORMS",
    "NAME_HONORIFICS",
    "ORG_ABBREVIATIONS",
    "PARTICLES",
    "PERSON_SAFE_LEGAL",
    "SPELLING_VARIANTS",
    "TokenKind",
    "expand_abbreviation",
    "is_tens",
    "number_value",
]


class TokenKind(IntEnum):
    """The role of a token in a name; it sets the token's weight in comparisons."""

    NAME = 0
    """A distinctive word: a given or family name, a brand, a place in a firm name."""
    PARTICLE = 1
    """Linking words and name particles: al, bin, de, van, of, and, the."""
    LEGAL = 2
    """A legal form: llc, jsc, ltd, gmbh (canonicalised)."""
    GENERIC = 3
    """A common organisation word: group, international, trading, services."""
    HONORIFIC = 4
    """A title kept inside the name: haji, mullah, sheikh, qari."""
    INITIAL = 5
    """A single letter."""
    NUMBER = 6
    """Digits, number words, ordinals and Roman numerals (as digits)."""


# Canonical legal forms: the token rigour or this table rewrites a form into.
LEGAL_FORMS: dict[str, str] = {
    # rigour's generic compare forms
    "llc": "llc",
    "jsc": "jsc",
    "llp": "llp",
    "lp": "lp",
    # forms rigour leaves alone
    "inc": "llc",
    "incorporated": "llc",
    "corp": "corp",
    "corporation": "corp",
    "co": "co",
    "company": "co",
    "cos": "co",
    "companies": "co",
    "ltd": "llc",
    "limited": "llc",
    "plc": "jsc",
    "kk": "jsc",
    "ab": "jsc",
    "as": "jsc",
    "asa": "jsc",
    "doo": "llc",
    "dd": "jsc",
    "sl": "llc",
    "tdv": "llc",
    "gk": "llc",
    "tov": "llc",
    "pt": "llc",
    "tbk": "jsc",
    "bhd": "llc",
    "sdn": "llc",
    "pvt": "llc",
    "pte": "llc",
    "pty": "llc",
    "ooo": "llc",
    "oao": "jsc",
    "zao": "jsc",
    "pao": "jsc",
    "ao": "jsc",
    "ojsc": "jsc",
    "cjsc": "jsc",
    "pjsc": "jsc",
    "fze": "llc",
    "fzco": "llc",
    "fzc": "llc",
    "fzllc": "llc",
    "est": "co",
    "wll": "llc",
    "spc": "llc",
    "sarl": "llc",
    "sa": "jsc",
    "sas": "llc",
    "srl": "llc",
    "spa": "jsc",
    "gmbh": "llc",
    "ag": "jsc",
    "bv": "llc",
    "nv": "jsc",
    "oy": "llc",
    "oyj": "jsc",
    "kft": "llc",
    "zrt": "jsc",
    "sro": "llc",
    "spzoo": "llc",
    "uab": "llc",
    "sia": "llc",
    "ou": "llc",
    "eood": "llc",
    "ead": "jsc",
    "ood": "llc",
    "jsco": "jsc",
    "dooel": "llc",
    "aktiengesellschaft": "jsc",
    "gesellschaft": "co",
}

# Legal forms written in CJK scripts, matched as suffixes before transliteration.
CJK_LEGAL_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("股份有限公司", "jsc"),
    ("有限责任公司", "llc"),
    ("有限責任公司", "llc"),
    ("有限公司", "llc"),
    ("集团公司", "co"),
    ("集團公司", "co"),
    ("公司", "co"),
    ("株式会社", "jsc"),
    ("有限会社", "llc"),
    ("合同会社", "llc"),
    ("주식회사", "jsc"),
    ("유한회사", "llc"),
    ("㈜", "jsc"),
)

# Titles and honorifics removed from person names when they stand before the name.
HONORIFIC_PREFIXES = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "miss",
        "mister",
        "madam",
        "dr",
        "prof",
        "professor",
        "sir",
        "dame",
        "lord",
        "lady",
        "president",
        "prasident",
        "praesident",
        "pres",
        "monsieur",
        "mme",
        "mlle",
        "herr",
        "frau",
        "senor",
        "senora",
        "sr",
        "sra",
        "don",
        "dona",
        "gen",
        "general",
        "col",
        "colonel",
        "maj",
        "major",
        "capt",
        "captain",
        "lt",
        "lieutenant",
        "brig",
        "brigadier",
        "adm",
        "admiral",
        "cmdr",
        "commander",
        "hon",
        "honorable",
        "honourable",
        "rev",
        "reverend",
        "father",
        "imam",
        "ayatollah",
        "hh",
        "he",
        "his",
        "her",
        "excellency",
        "king",
        "queen",
        "prince",
        "princess",
        "emir",
        "amir",
        "minister",
        "senator",
        "sen",
        "rep",
        "gospodin",
        "tovarishch",
    }
)

# Honorifics that are often part of the listed name itself (kept, but weak).
NAME_HONORIFICS = frozenset(
    {
        "haji",
        "hajji",
        "alhaj",
        "alhaji",
        "hadji",
        "mullah",
        "mulla",
        "mawlawi",
        "maulvi",
        "maulavi",
        "mawlavi",
        "molvi",
        "qari",
        "sheikh",
        "shaikh",
        "shaykh",
        "sheik",
        "sayed",
        "sayyid",
        "sayyed",
        "syed",
        "mufti",
        "ustad",
        "ustadh",
        "khwaja",
        "mohtaram",
        "sahib",
        "begum",
        "dr",
    }
)

PARTICLES = frozenset(
    {
        "al",
        "el",
        "ul",
        "ud",
        "bin",
        "ben",
        "ibn",
        "bint",
        "binti",
        "binte",
        "bte",
        "bn",
        "abu",
        "abou",
        "abo",
        "bou",
        "ould",
        "uld",
        "wuld",
        "walad",
        "bani",
        "beni",
        "banu",
        "de",
        "del",
        "della",
        "delle",
        "dello",
        "der",
        "den",
        "des",
        "di",
        "da",
        "do",
        "dos",
        "das",
        "du",
        "la",
        "le",
        "les",
        "lo",
        "van",
        "von",
        "vom",
        "zu",
        "zur",
        "ter",
        "ten",
        "op",
        "het",
        "y",
        "e",
        "i",
        "the",
        "of",
        "and",
        "und",
        "et",
        "for",
        "fur",
        "in",
        "on",
        "at",
        "by",
        "a",
        "an",
        "to",
        "st",
        "saint",
        "san",
        "santa",
        "sao",
    }
)

# Legal forms recognised in persons' names too ("Nicolas Maduro LLC"); shorter ones
# ("sa", "ao", "as") are name parts there.
PERSON_SAFE_LEGAL = frozenset(
    {
        "llc",
        "ltd",
        "inc",
        "gmbh",
        "jsc",
        "ooo",
        "oao",
        "zao",
        "corp",
        "plc",
        "limited",
        "company",
        "corporation",
        "incorporated",
        "ojsc",
        "cjsc",
        "pjsc",
        "sarl",
        "spzoo",
    }
)
