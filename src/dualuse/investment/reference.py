"""Reference facts the four regimes rest on, each with where it was read.

The regulation texts are in ``../shared/data/investment`` (see its SOURCES.md). Facts that
the texts delegate elsewhere (the excepted foreign states of § 800.218, the countries of
concern of § 850.207) carry the public source they were taken from.
"""

from __future__ import annotations

from datetime import date

from dualuse.controls.model import Citation

DATA = "../shared/data/investment"

CFR800 = "31 CFR part 800"
CFR800_DATE = "eCFR as amended through 26 Nov 2024 (89 FR 93184)"
CFR850 = "31 CFR part 850"
CFR850_DATE = "final rule 89 FR 90398 of 15 Nov 2024, effective 2 Jan 2025"
NSI = "National Security and Investment Act 2021"
NSI_DATE = "revised text, legislation.gov.uk as of 3 May 2023"
NARS = "SI 2021/1264 (NSI Notifiable Acquisition Regulations)"
NARS_DATE = "in force 4 Jan 2022; text as of 3 May 2023"
EU = "Regulation (EU) 2019/452"
EU_DATE = "consolidated 19 Sep 2020; applies until Regulation (EU) 2026/1386 replaces it"

PART_850_EFFECTIVE = date(2025, 1, 2)
"""Part 850 applies to transactions completed on or after this date (89 FR 90398)."""


def cfr800(section: str) -> Citation:
    return Citation(CFR800, f"§ {section}", CFR800_DATE, f"{DATA}/31cfr800.md")


def cfr850(section: str) -> Citation:
    return Citation(CFR850, f"§ {section}", CFR850_DATE, f"{DATA}/31cfr850.md")


def nsi(section: str) -> Citation:
    return Citation(NSI, f"s. {section}", NSI_DATE, f"{DATA}/uk_nsi_act_2021_ss5-14.md")


def nars(section: str) -> Citation:
    return Citation(NARS, section, NARS_DATE, f"{DATA}/uk_nars_si_2021_1264_extract.md")


def eu(section: str) -> Citation:
    return Citation(EU, f"Art. {section}", EU_DATE, f"{DATA}/eu_2019_452.md")


COUNTRIES_OF_CONCERN = frozenset({"cn", "hk", "mo"})
"""§ 850.207 points to the Annex of Executive Order 14105 (9 Aug 2023): the People's Republic
of China with the Special Administrative Regions of Hong Kong and Macau."""
COUNTRY_OF_CONCERN_CITE = Citation(
    "Executive Order 14105, Annex (via 31 CFR 850.207)",
    "Annex",
    "9 Aug 2023",
    "https://home.treasury.gov/policy-issues/international/outbound-investment-program",
)

EXCEPTED_FOREIGN_STATES: dict[str, date] = {
    "au": date(2022, 1, 5),
    "ca": date(2022, 1, 5),
    "gb": date(2023, 2, 13),
    "nz": date(2023, 2, 13),
}
"""§ 800.218: eligible foreign states with a § 800.1001(a) determination, from Treasury's CFIUS
page as archived (Australia and Canada determined Jan 2022; the UK and New Zealand on
10 Feb 2023, counted from 13 Feb 2023 when both criteria became necessary)."""
EXCEPTED_STATES_CITE = Citation(
    CFR800 + " § 800.218 list",
    "Treasury list of excepted foreign states",
    "as archived 2023-2025",
    f"{DATA}/SOURCES.md (Treasury CFIUS page via webarchive.library.unt.edu)",
)


def excepted_foreign_state(iso2: str | None, on: date | None) -> bool | None:
    """Whether ``iso2`` is an excepted foreign state on ``on`` (None if either is unknown)."""
    if iso2 is None:
        return None
    since = EXCEPTED_FOREIGN_STATES.get(iso2)
    if since is None:
        return False
    if on is None:
        return None
    return on >= since


UK_SECTORS: dict[str, tuple[int, bool]] = {
    "advanced_materials": (1, False),
    "advanced_robotics": (2, True),
    "artificial_intelligence": (3, True),
    "civil_nuclear": (4, False),
    "communications": (5, False),
    "computing_hardware": (6, True),
    "critical_suppliers_to_government": (7, True),
    "cryptographic_authentication": (8, True),
    "data_infrastructure": (9, False),
    "defence": (10, True),
    "energy": (11, False),
    "military_and_dual_use": (12, True),
    "quantum_technologies": (13, True),
    "satellite_and_space_technology": (14, False),
    "suppliers_to_emergency_services": (15, False),
    "synthetic_biology": (16, False),
    "transport": (17, False),
}
"""The 17 Schedules of SI 2021/1264 reg. 2(1): sector -> (schedule, text held here). Titles
of Schedules 15-17 come from public summaries (the extract names them only by number)."""


def uk_sector_cite(sector: str) -> Citation:
    schedule, held = UK_SECTORS[sector]
    where = f"reg. 2(1), Sch. {schedule}" + ("" if held else " (schedule text not held here)")
    return nars(where)


APPENDIX_A_ITEMS = tuple(
    [
        "i",
        "ii",
        "iii",
        "iv",
        "v",
        "vi",
        "vii",
        "viii",
        "ix",
        "x",
        "xi",
        "xii",
        "xiii",
        "xiv",
        "xv",
        "xvi",
        "xvii",
        "xviii",
        "xix",
        "xx",
        "xxi",
        "xxii",
        "xxiii",
        "xxiv",
        "xxv",
        "xxvi",
        "xxvii",
        "xxviii",
    ]
)
"""Items of Appendix A to part 800 (covered investment critical infrastructure, column 2)."""

ACTIVITIES: dict[str, str] = {
    "designs integrated circuits": "850.217(a)",
    "fabricates integrated circuits": "850.217(b)",
    "packages integrated circuits": "850.217(c)",
    "develops electronic design automation software": "850.224(a)",
    "develops front-end semiconductor fabrication equipment": "850.224(b)(1)",
    "develops advanced packaging equipment": "850.224(b)(2)",
    "develops extreme ultraviolet lithography items": "850.224(b)(3)",
    "develops supercomputers meeting 850.224(f)": "850.224(f)",
    "develops AI systems": "850.202",
}
"""Activity phrases a deal may state; each names the paragraph it speaks to. Quantum and
AI details have their own objects (``target.quantum``, ``target.ai``)."""

IC_TYPES = ("logic", "nand", "dram", "other")
SEMI_SPECIAL = {
    "gallium_compound": "850.224(d)(4)",
    "graphene_or_carbon_nanotube": "850.224(d)(5)",
    "at_or_below_4_5_kelvin": "850.224(d)(6)",
    "fdsoi": "850.224(d)(1)",
}
AI_END_USES = (
    "military",
    "government_intelligence",
    "mass_surveillance",
    "cybersecurity",
    "digital_forensics",
    "penetration_testing",
    "robotic_control",
    "civilian",
)
AI_ACUTE = frozenset({"military", "government_intelligence", "mass_surveillance"})
AI_NOTIFIABLE_INTENDED = frozenset(
    {"cybersecurity", "digital_forensics", "penetration_testing", "robotic_control"}
)
QUANTUM_SENSING_USES = (
    "none",
    "civilian",
    "military",
    "government_intelligence",
    "mass_surveillance",
)

OUTBOUND_EXCEPTIONS: dict[str, str] = {
    "registered_investment_company_security": "850.501(a)(1)(ii)",
    "lp_binding_assurance": "850.501(a)(1)(iii)(B)",
    "derivative_without_equity_rights": "850.501(a)(1)(iv)",
    "buyout_of_all_country_of_concern_interests": "850.501(b)",
    "intracompany_with_controlled_foreign_entity": "850.501(c)",
    "binding_commitment_before_2025": "850.501(d)",
    "syndicated_loan_default": "850.501(e)",
    "employment_compensation": "850.501(f)",
}
"""§ 850.501 exceptions a deal can claim by stating the facts they require; the publicly
traded and LP-commitment exceptions are computed from the transaction fields."""

LISTS_850: dict[str, str] = {
    "entity_list": "850.224(m)(1)",
    "military_end_user_list": "850.224(m)(2)",
    "military_intelligence_end_user": "850.224(m)(3)",
    "sdn": "850.224(m)(4)",
    "ns_cmic": "850.224(m)(5)",
    "foreign_terrorist_organization": "850.224(m)(6)",
}
RESTRICTED_LISTS = (*LISTS_850, "unverified_list", "denied_persons_list", "other")
"""Restricted-party lists a deal may state a party is on."""

USML_CATEGORIES = [
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
    "XVIII",
    "XIX",
    "XX",
    "XXI",
]
