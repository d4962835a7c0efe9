"""Organisation-type words beyond the legal forms: words that say what *kind* of body
a name belongs to (a Russian state corporation, a federal state unitary enterprise,
a scientific production association, a design bureau, a concern; the Persian and
Chinese words for company, organisation, industries, group), not *which* body.

Each phrase is folded into one token before the words are classified, so "STATE
CORPORATION ROSTEC" and "Rostec" differ by one weak token, not by two missing
distinctive words. Phrases fold to:

* ``soe`` (a state-owned body: a *legal* token, rigour's generic code for it);
* ``npo``, ``npp``, ``okb``, ``kb``, ``vpk``, ``concern`` (*generic* organisation
  words);
* an English word the rest of the analysis already knows ("sherkat" -> "company",
  a legal form; "sazman" -> "organization", a generic word).

Sources, per group (nothing here is derived from a benchmark):

* State corporation (государственная корпорация, "goskorporatsiya"): Federal Law of
  the Russian Federation No. 7-FZ of 12 January 1996 "On Non-Commercial
  Organisations", Article 7.1; the lists write it "STATE CORPORATION ROSTEC" (OFAC
  SDN entry 17260) and "Russian Technologies State Corporation" (Entity List).
* Federal state / state unitary enterprise (ФГУП, ГУП) and federal state budgetary
  institution (ФГБУ): Federal Law No. 161-FZ of 14 November 2002 "On State and
  Municipal Unitary Enterprises", Article 2, and the forms rigour lists as generic
  ``SOE`` in ``resources/names/org_types.yml`` (opensanctions/rigour, commit
  004c73a9: "federal state unitary enterprise", "gosudarstvennoe unitarnoe
  predpriyatie", "state unitary enterprise", "state enterprise", "state concern",
  "federalnoe gosudarstvennoe byudzhetnoe uchrezhdenie", "ФГУП").
* НПО (nauchno-proizvodstvennoe obyedinenie, "scientific production association"),
  НПП (nauchno-proizvodstvennoe predpriyatie, "scientific production enterprise"),
  ОКБ (opytno-konstruktorskoe byuro, "experimental design bureau"), КБ
  (konstruktorskoe byuro, "design bureau"), ВПК (voenno-promyshlennaya
  korporatsiya, "military-industrial corporation"), концерн ("concern"): the
  standard Russian designations, as the lists pair them: OFAC SDN "JOINT STOCK
  COMPANY SCIENTIFIC PRODUCTION ASSOCIATION ..." / "NPO ...", the Entity List's
  "Sukhoi Design Bureau" a.k.a. "Sukhoi OKB", "Kontsern Izhmash" / "Kalashnikov
  Concern", "Military-Industrial Corporation NPO Mashinostroyenia" a.k.a. "VPK NPO
  Mashinostroeniya".
  rigour reads "npo" as an NGO, which it is not in these names.
* Persian (romanised as on the lists): sherkat (company), sahami khass / sahami aam
  (private / public joint-stock company: Iran's Commercial Code as amended in 1347
  (1969), Article 4), sazman / sazmane (organisation), sanaye (industries), bonyad
  (foundation), moasseseh (institute), gorooh / goruh (group); the lists pair them:
  "SAZMANE SANAYE HAVA FAZA" a.k.a. "AIO" (Aerospace Industries Organization),
  "Sazemane Sanaye Defa" a.k.a. "Defence Industries Organisation", "BONYAD-E SHAHID"
  a.k.a. "SHAHID FOUNDATION".
* Chinese (pinyin, ISO 7098): youxian gongsi / youxian zeren gongsi (有限公司 /
  有限责任公司, limited liability company) and gufen youxian gongsi (股份有限公司,
  company limited by shares), the two company forms of the Company Law of the
  People's Republic of China, Article 2; gongsi / zonggongsi (公司 / 总公司, company
  / head company); jituan (集团, group), as in the Entity List's "... Youxian Gongsi"
  aliases.
"""

from __future__ import annotations

from functools import lru_cache

from dualuse.reference.names.forms import TokenKind

STATE_OWNED = "soe"

ORG_TYPE_PHRASES: dict[str, str] = {
    # Russian state corporation (7-FZ, Art. 7.1)
    "state corporation": STATE_OWNED,
    "gosudarstvennaya korporatsiya": STATE_OWNED,
    "goskorporatsiya": STATE_OWNED,
    "государственная корпорация": STATE_OWNED,
    "госкорпорация": STATE_OWNED,
    # unitary enterprises and budgetary institutions (161-FZ, Art. 2; rigour SOE)
    "federal state unitary enterprise": STATE_OWNED,
    "federalnoe gosudarstvennoe unitarnoe predpriyatie": STATE_OWNED,
    "federalnoye gosudarstvennoye unitarnoye predpriyatiye": STATE_OWNED,
    "федеральное государственное унитарное предприятие": STATE_OWNED,
    "fgup": STATE_OWNED,
    "фгуп": STATE_OWNED,
    "state unitary enterprise": STATE_OWNED,
    "gosudarstvennoe unitarnoe predpriyatie": STATE_OWNED,
    "государственное унитарное предприятие": STATE_OWNED,
    "гуп": STATE_OWNED,
    "federal state budgetary institution": STATE_OWNED,
    "federalnoe gosudarstvennoe byudzhetnoe uchrezhdenie": STATE_OWNED,
    "федеральное государственное бюджетное учреждение": STATE_OWNED,
    "fgbu": STATE_OWNED,
    "фгбу": STATE_OWNED,
    "federal state institution": STATE_OWNED,
    "state enterprise": STATE_OWNED,
    "state concern": STATE_OWNED,
    # scientific production association / enterprise, design bureaus, concern
    "scientific production association": "npo",
    "scientific and production association": "npo",
    "research and production association": "npo",
    "nauchno proizvodstvennoe obedinenie": "npo",
    "nauchno proizvodstvennoe obyedinenie": "npo",
    "nauchno proizvodstvennoye obyedineniye": "npo",
    "научно производственное объединение": "npo",
    "нпо": "npo",
    "scientific production enterprise": "npp",
    "scientific and production enterprise": "npp",
    "research and production enterprise": "npp",
    "nauchno proizvodstvennoe predpriyatie": "npp",
    "nauchno proizvodstvennoye predpriyatiye": "npp",
    "научно производственное предприятие": "npp",
    "нпп": "npp",
    "experimental design bureau": "okb",
    "opytno konstruktorskoe byuro": "okb",
    "opytno konstruktorskoye byuro": "okb",
    "опытно конструкторское бюро": "okb",
    "окб": "okb",
    "design bureau": "kb",
    "konstruktorskoe byuro": "kb",
    "konstruktorskoye byuro": "kb",
    "конструкторское бюро": "kb",
    "military industrial corporation": "vpk",
    "voenno promyshlennaya korporatsiya": "vpk",
    "военно промышленная корпорация": "vpk",
    "vpk": "vpk",
    "впк": "vpk",
    "kontsern": "concern",
    "koncern": "concern",
    "konzern": "concern",
    "концерн": "concern",
    # Persian (romanised as on the lists)
    "sherkat": "company",
    "sherkate": "company",
    "sahami khass": "jsc",
    "sahami khas": "jsc",
    "sahami aam": "jsc",
    "sazman": "organization",
    "sazmane": "organization",
    "sazemane": "organization",
    "sanaye": "industries",
    "bonyad": "foundation",
    "moasseseh": "institute",
    "moassesseh": "institute",
    "moassese": "institute",
    "gorooh": "group",
    "goruh": "group",
    # Chinese (pinyin)
    "gufen youxian gongsi": "jsc",
    "youxian zeren gongsi": "llc",
    "youxian gongsi": "llc",
    "zonggongsi": "company",
    "gongsi": "company",
    "jituan": "group",
}

ORG_TYPE_KINDS: dict[str, TokenKind] = {
    STATE_OWNED: TokenKind.LEGAL,
    "npo": TokenKind.GENERIC,
    "npp": TokenKind.GENERIC,
    "okb": TokenKind.GENERIC,
    "kb": TokenKind.GENERIC,
    "vpk": TokenKind.GENERIC,
    "concern": TokenKind.GENERIC,
}
"""The role of each folded token this module introduces (the others are words the
legal-form and generic-word tables already know)."""

ORG_TYPE_WORDS = frozenset(t for t, kind in ORG_TYPE_KINDS.items() if kind is TokenKind.GENERIC)
"""Generic words that say what kind of body a name belongs to, like a legal form: a
listed name's missing one costs what a weak word costs, not what a missing common
word of a firm name costs ("Kalashnikov" is "Kalashnikov Concern")."""


@lru_cache(maxsize=1)
def _by_length() -> tuple[tuple[tuple[str, ...], str], ...]:
    phrases = [(tuple(p.split()), token) for p, token in ORG_TYPE_PHRASES.items()]
    return tuple(sorted(phrases, key=lambda p: -len(p[0])))


def fold_org_types(words: list[str]) -> list[str]:
    """``words`` with every organisation-type phrase replaced by its token, longest
    phrase first (``["state", "corporation", "rostec"]`` -> ``["soe", "rostec"]``)."""
    if not any(w in _FIRST_WORDS for w in words):
        return words
    out: list[str] = []
    i = 0
    phrases = _by_length()
    while i < len(words):
        for phrase, token in phrases:
            n = len(phrase)
            if tuple(words[i : i + n]) == phrase:
                out.append(token)
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return out


_FIRST_WORDS = frozenset(p.split()[0] for p in ORG_TYPE_PHRASES)
