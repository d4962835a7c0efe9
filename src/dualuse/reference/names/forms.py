"""Word lists that give name tokens their role: legal forms, honorifics, particles,
generic organisation words, abbreviations and number words.

A legal form ("LLC", "ООО", "GmbH", "有限公司") says what kind of body a name belongs
to, not which one: it is kept as a *weak* token that can never carry a match. The
lists are general linguistic reference data; none is derived from a benchmark.
"""

from __future__ import annotations

from enum import IntEnum


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
    "llc": "llc", "jsc": "jsc", "llp": "llp", "lp": "lp",
    # forms rigour leaves alone
    "inc": "llc", "incorporated": "llc", "corp": "corp", "corporation": "corp",
    "co": "co", "company": "co", "cos": "co", "companies": "co", "ltd": "llc",
    "limited": "llc", "plc": "jsc", "kk": "jsc", "ab": "jsc", "as": "jsc", "asa": "jsc",
    "doo": "llc", "dd": "jsc", "sl": "llc", "tdv": "llc", "gk": "llc", "tov": "llc",
    "pt": "llc", "tbk": "jsc", "bhd": "llc", "sdn": "llc", "pvt": "llc", "pte": "llc",
    "pty": "llc", "ooo": "llc", "oao": "jsc", "zao": "jsc", "pao": "jsc", "ao": "jsc",
    "ojsc": "jsc", "cjsc": "jsc", "pjsc": "jsc", "fze": "llc", "fzco": "llc",
    "fzc": "llc", "fzllc": "llc", "est": "co", "wll": "llc", "spc": "llc",
    "sarl": "llc", "sa": "jsc", "sas": "llc", "srl": "llc", "spa": "jsc", "gmbh": "llc",
    "ag": "jsc", "bv": "llc", "nv": "jsc", "oy": "llc", "oyj": "jsc", "kft": "llc",
    "zrt": "jsc", "sro": "llc", "spzoo": "llc", "uab": "llc", "sia": "llc", "ou": "llc",
    "eood": "llc", "ead": "jsc", "ood": "llc", "jsco": "jsc", "dooel": "llc",
    "aktiengesellschaft": "jsc", "gesellschaft": "co",
}

# Legal forms written in CJK scripts, matched as suffixes before transliteration.
CJK_LEGAL_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("股份有限公司", "jsc"), ("有限责任公司", "llc"), ("有限責任公司", "llc"),
    ("有限公司", "llc"), ("集团公司", "co"), ("集團公司", "co"), ("公司", "co"),
    ("株式会社", "jsc"), ("有限会社", "llc"), ("合同会社", "llc"),
    ("주식회사", "jsc"), ("유한회사", "llc"), ("㈜", "jsc"),
)

# Titles and honorifics removed from person names when they stand before the name.
HONORIFIC_PREFIXES = frozenset({
    "mr", "mrs", "ms", "miss", "mister", "madam", "dr", "prof", "professor", "sir",
    "dame", "lord", "lady", "president", "prasident", "praesident", "pres", "monsieur",
    "mme", "mlle", "herr", "frau", "senor", "senora", "sr", "sra", "don", "dona",
    "gen", "general", "col", "colonel", "maj", "major", "capt", "captain", "lt",
    "lieutenant", "brig", "brigadier", "adm", "admiral", "cmdr", "commander", "hon",
    "honorable", "honourable", "rev", "reverend", "father", "imam", "ayatollah",
    "hh", "he", "his", "her", "excellency", "king", "queen", "prince", "princess",
    "emir", "amir", "minister", "senator", "sen", "rep", "gospodin", "tovarishch",
})

# Honorifics that are often part of the listed name itself (kept, but weak).
NAME_HONORIFICS = frozenset({
    "haji", "hajji", "alhaj", "alhaji", "hadji", "mullah", "mulla", "mawlawi", "maulvi",
    "maulavi", "mawlavi", "molvi", "qari", "sheikh", "shaikh", "shaykh", "sheik",
    "sayed", "sayyid", "sayyed", "syed", "mufti", "ustad", "ustadh", "khwaja",
    "mohtaram", "sahib", "begum", "dr",
})

PARTICLES = frozenset({
    "al", "el", "ul", "ud", "bin", "ben",
    "ibn", "bint", "binti", "binte", "bte", "bn", "abu", "abou", "abo", "bou", "ould",
    "uld", "wuld", "walad", "bani", "beni", "banu", "de", "del", "della", "delle",
    "dello", "der", "den", "des", "di", "da", "do", "dos", "das", "du", "la", "le",
    "les", "lo", "van", "von", "vom", "zu", "zur", "ter", "ten", "op", "het", "y",
    "e", "i", "the", "of", "and", "und", "et", "for", "fur", "in", "on", "at", "by",
    "a", "an", "to", "st", "saint", "san", "santa", "sao",
})

GENERIC_ORG_WORDS = frozenset({
    "group", "holding", "holdings", "international", "global", "general", "national",
    "trading", "trade", "traders", "industries", "industry", "industrial",
    "enterprise", "enterprises", "services", "service", "solutions", "systems",
    "technology", "technologies", "investment", "investments", "development",
    "management", "partners", "associates", "import", "export", "logistics",
    "shipping", "consulting", "commercial", "business", "products", "resources",
    "ventures", "capital", "finance", "financial", "center", "centre", "agency",
    "association", "institute", "foundation", "organization", "organisation",
    "society", "union", "federation", "firm", "office", "branch", "department",
    "factory", "plant", "works", "manufacturing", "engineering", "construction",
    "establishment", "brothers", "sons", "network", "communications", "electronics",
    "electric", "chemical", "chemicals", "equipment", "machinery", "marine",
    "transport", "project", "projects", "supply", "supplies", "import", "exports",
    "imports", "world", "worldwide", "universal", "united", "new", "joint", "stock",
    "communication", "telecommunication", "telecommunications", "solution", "system",
    "product", "resource", "venture", "electronic", "technical", "scientific",
    "research", "production", "trading", "commerce", "economic", "economics",
})

# Abbreviations in organisation names, expanded to the full word (nomenklatura#245,
# #274: COMP, GRP, TECH, SRVCES and the like defeat matchers that do not expand them).
ORG_ABBREVIATIONS: dict[str, str] = {
    "comp": "company", "cmpy": "company", "compny": "company", "grp": "group",
"intl": "international", "internat": "international",
    "inter": "international", "tech": "technology",
    "techn": "technology", "technol": "technology", "techs": "technologies",
    "srvces": "services", "srvcs": "services", "svcs": "services", "svc": "service",
    "servs": "services", "serv": "service", "svces": "services", "mfg": "manufacturing",
    "mfr": "manufacturing", "manuf": "manufacturing", "ind": "industries",
    "inds": "industries", "indus": "industries", "indust": "industries",
    "eng": "engineering", "engg": "engineering", "engr": "engineering",
    "natl": "national", "nat": "national", "dept": "department", "univ": "university",
    "inst": "institute", "assn": "association", "assoc": "association",
    "mgmt": "management", "mgt": "management", "dev": "development",
    "devt": "development", "invest": "investment", "invt": "investment",
    "trdg": "trading", "shpg": "shipping", "bros": "brothers", "hldgs": "holdings",
    "hldg": "holding", "ent": "enterprise", "entp": "enterprise",
    "elec": "electric", "elecs": "electronics", "electr": "electronics",
    "chem": "chemical", "chems": "chemicals", "pharm": "pharmaceutical",
    "pharma": "pharmaceutical", "comm": "communications", "comms": "communications",
    "telecom": "telecommunications", "gen": "general",
    "mach": "machinery", "equip": "equipment", "eqpt": "equipment", "prod": "products",
    "prods": "products", "fin": "finance", "fdn": "foundation",
    "org": "organization", "ctr": "center", "cntr": "center", "sys": "systems",
    "solns": "solutions", "petrochem": "petrochemical",
    "constr": "construction", "const": "construction", "transp": "transport",
    "labs": "laboratories", "lab": "laboratory", "acad": "academy", "mil": "military", "sci": "science", "coop": "cooperative", "amer": "american", "fed": "federal", "govt": "government",
    "gov": "government", }
# Legal forms recognised in persons' names too ("Nicolas Maduro LLC"); shorter ones
# ("sa", "ao", "as") are name parts there.
PERSON_SAFE_LEGAL = frozenset({
    "llc", "ltd", "inc", "gmbh", "jsc", "ooo", "oao", "zao", "corp", "plc", "limited",
    "company", "corporation", "incorporated", "ojsc", "cjsc", "pjsc", "sarl", "spzoo",
})

# Spelling variants folded to one form (en-GB/en-US, "&").
SPELLING_VARIANTS: dict[str, str] = {
    "&": "and", "organisation": "organization", "labour": "labor", "centre": "center",
    "defence": "defense", "programme": "program", "jt": "joint", "mohd": "mohammed",
    "md": "mohammed", "muhd": "mohammed",
}

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "first": 1, "second": 2, "third": 3, "fourth": 4,
    "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_ROMAN = {
    "ii": 2, "iii": 3, "iv": 4, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "xi": 11,
    "xii": 12, "xiii": 13, "xiv": 14, "xv": 15, "xvi": 16, "xvii": 17, "xviii": 18,
    "xix": 19, "xx": 20, "xxi": 21,
}


def number_value(token: str, *, roman: bool) -> int | None:
    """The number a token spells (``44``, ``forty``, ``1st``, ``iv``), if any."""
    if token.isdigit():
        return int(token) if len(token) <= 18 else None
    for suffix in ("st", "nd", "rd", "th"):
        if token.endswith(suffix) and token[: -len(suffix)].isdigit():
            return int(token[: -len(suffix)])
    if token in _UNITS:
        return _UNITS[token]
    if token in _TENS:
        return _TENS[token]
    if roman and token in _ROMAN:
        return _ROMAN[token]
    return None


def is_tens(value: int) -> bool:
    return value in _TENS.values()


def expand_abbreviation(token: str, *, organization: bool) -> str:
    """The full word for an abbreviation or spelling variant; organisation
    abbreviations (``grp`` -> ``group``) only in organisation names."""
    token = SPELLING_VARIANTS.get(token, token)
    if organization:
        return ORG_ABBREVIATIONS.get(token, token)
    return token
