"""The lists the product knows: id, title, publisher, official download URLs, licence.

``dualuse lists update`` fetches from these URLs unless a setting or ``--url LIST=URL``
overrides them. URLs marked ``verified=False`` follow the publisher's documentation but
could not be fetched from the build machine (no internet access there).
"""

from __future__ import annotations

from dataclasses import dataclass

from dualuse.errors import InputError

US_PUBLIC_DOMAIN = "Public domain: a work of the US Government (17 U.S.C. § 105)."
OFAC_SLS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"


@dataclass(frozen=True, slots=True)
class SourceFile:
    name: str
    """File name the loader recognises (and the name it is stored under)."""
    url: str
    required: bool = True


@dataclass(frozen=True, slots=True)
class ListSource:
    list_id: str
    title: str
    publisher: str
    format: str
    """Format name in :data:`dualuse.screening.lists.formats.FORMATS`."""
    files: tuple[SourceFile, ...]
    licence: str
    homepage: str
    verified: bool = False
    """Whether the URLs were confirmed by a download (not possible offline)."""

    @property
    def source_url(self) -> str:
        return self.files[0].url


SOURCES: dict[str, ListSource] = {
    s.list_id: s
    for s in (
        ListSource(
            "us_ofac_sdn",
            "OFAC Specially Designated Nationals and Blocked Persons List (SDN)",
            "US Treasury, Office of Foreign Assets Control",
            "ofac_csv",
            (
                SourceFile("sdn.csv", OFAC_SLS + "SDN.CSV"),
                SourceFile("add.csv", OFAC_SLS + "ADD.CSV", required=False),
                SourceFile("alt.csv", OFAC_SLS + "ALT.CSV", required=False),
                SourceFile("sdn_comments.csv", OFAC_SLS + "SDN_COMMENTS.CSV", required=False),
            ),
            US_PUBLIC_DOMAIN,
            "https://ofac.treasury.gov/specially-designated-nationals-and-blocked-persons-list-sdn-human-readable-lists",
        ),
        ListSource(
            "us_ofac_cons",
            "OFAC Consolidated Sanctions List (non-SDN)",
            "US Treasury, Office of Foreign Assets Control",
            "ofac_csv",
            (
                SourceFile("cons_prim.csv", OFAC_SLS + "CONS_PRIM.CSV"),
                SourceFile("cons_add.csv", OFAC_SLS + "CONS_ADD.CSV", required=False),
                SourceFile("cons_alt.csv", OFAC_SLS + "CONS_ALT.CSV", required=False),
                SourceFile("cons_comments.csv", OFAC_SLS + "CONS_COMMENTS.CSV", required=False),
            ),
            US_PUBLIC_DOMAIN,
            "https://ofac.treasury.gov/consolidated-sanctions-list-non-sdn-lists",
        ),
        ListSource(
            "us_csl",
            "Consolidated Screening List (CSL)",
            "US International Trade Administration (Commerce, State, Treasury lists)",
            "csl_csv",
            (
                SourceFile(
                    "consolidated.csv",
                    "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv",
                ),
            ),
            US_PUBLIC_DOMAIN,
            "https://www.trade.gov/consolidated-screening-list",
        ),
        ListSource(
            "un_sc",
            "UN Security Council Consolidated List",
            "United Nations Security Council",
            "un_xml",
            (
                SourceFile(
                    "consolidated.xml",
                    "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
                ),
            ),
            "Published by the United Nations for public use; the file states no licence.",
            "https://www.un.org/securitycouncil/content/un-sc-consolidated-list",
        ),
        ListSource(
            "us_bis_dpl",
            "BIS Denied Persons List",
            "US Commerce, Bureau of Industry and Security",
            "bis_dpl",
            (SourceFile("dpl.txt", "https://www.bis.doc.gov/dpl/dpl.txt"),),
            US_PUBLIC_DOMAIN,
            "https://www.bis.gov/regulations/ear/denied-persons-list",
        ),
        ListSource(
            "eu_fsf",
            "EU Consolidated Financial Sanctions List (FSF)",
            "European Commission (FISMA)",
            "eu_fsf_xml",
            (
                SourceFile(
                    "eu_fsf.xml",
                    "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/"
                    "content?token=dG9rZW4tMjAxNw",
                ),
            ),
            "© European Union; reuse authorised (Commission Decision 2011/833/EU).",
            "https://data.europa.eu/data/datasets/consolidated-list-of-persons-groups-and-entities-subject-to-eu-financial-sanctions",
        ),
        ListSource(
            "gb_fcdo",
            "UK Sanctions List",
            "UK Foreign, Commonwealth & Development Office",
            "uk_xml",
            (
                SourceFile(
                    "UK-Sanctions-List.xml", "https://docs.fcdo.gov.uk/docs/UK-Sanctions-List.xml"
                ),
            ),
            "Open Government Licence v3.0.",
            "https://www.gov.uk/government/publications/the-uk-sanctions-list",
        ),
    )
}


def get_source(list_id: str) -> ListSource:
    try:
        return SOURCES[list_id]
    except KeyError:
        import difflib

        raise InputError(
            f"unknown list {list_id!r}",
            source="list",
            suggestions=difflib.get_close_matches(list_id, SOURCES, n=3, cutoff=0.3)
            or sorted(SOURCES),
        ) from None
