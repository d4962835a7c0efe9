"""Every publisher format the loaders read, and how to recognise one from file names and
the first bytes (an HTML error page or an unknown file is named as such)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from dualuse.errors import InputError
from dualuse.screening.lists import csl, dpl, eu, ftm, ofac_advanced, ofac_csv, ofac_xml, uk, un
from dualuse.screening.lists.common import ParseContext, Parsed

Parser = Callable[[Mapping[str, bytes], ParseContext], Parsed]


@dataclass(frozen=True, slots=True)
class ListFormat:
    name: str
    title: str
    parse: Parser
    default_list_id: str
    tested_live: bool = True
    """False for formats written from the publisher's documentation only (no live copy)."""
    multi_file: bool = False


def _xml_root(head: bytes) -> str | None:
    text = head.decode("utf-8", "replace")
    text = re.sub(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", "", text, flags=re.DOTALL)
    match = re.search(r"<\s*(?:[\w-]+:)?([\w-]+)", text)
    return match.group(1) if match else None


def _registered() -> dict[str, ListFormat]:
    return {
        f.name: f
        for f in (
            ListFormat(
                "ofac_csv",
                "OFAC legacy CSV set",
                ofac_csv.parse_ofac_csv,
                "us_ofac_sdn",
                multi_file=True,
            ),
            ListFormat(
                "ofac_xml",
                "OFAC sdn.xml / consolidated.xml",
                ofac_xml.parse_ofac_xml,
                "us_ofac_sdn",
                tested_live=False,
            ),
            ListFormat(
                "ofac_advanced_xml",
                "OFAC SDN_ADVANCED.XML / CONS_ADVANCED.XML",
                ofac_advanced.parse_ofac_advanced,
                "us_ofac_sdn",
                tested_live=False,
            ),
            ListFormat("csl_csv", "US Consolidated Screening List CSV", csl.parse_csl, "us_csl"),
            ListFormat("un_xml", "UN Security Council consolidated XML", un.parse_un, "un_sc"),
            ListFormat(
                "bis_dpl", "BIS Denied Persons List (tab-separated)", dpl.parse_dpl, "us_bis_dpl"
            ),
            ListFormat(
                "eu_fsf_xml",
                "EU Financial Sanctions Files XML",
                eu.parse_eu,
                "eu_fsf",
                tested_live=False,
            ),
            ListFormat(
                "uk_xml", "UK Sanctions List XML (FCDO)", uk.parse_uk, "gb_fcdo", tested_live=False
            ),
            ListFormat("ftm_json", "FollowTheMoney JSON lines", ftm.parse_ftm, "ftm"),
        )
    }


FORMATS: dict[str, ListFormat] = {}


def formats() -> dict[str, ListFormat]:
    if not FORMATS:
        FORMATS.update(_registered())
    return FORMATS


def get_format(name: str) -> ListFormat:
    known = formats()
    if name not in known:
        raise InputError(f"unknown format {name!r}", source="format", suggestions=sorted(known))
    return known[name]


def sniff(name: str, head: bytes) -> str | None:
    """The format of one file from its name and first bytes, or ``None``."""
    lower = name.lower().rsplit("/", 1)[-1]
    if ofac_csv.file_set([lower]) is not None or lower in {
        n for s in (ofac_csv.SDN, ofac_csv.CONS) for n in (s.add, s.alt, s.comments)
    }:
        return "ofac_csv"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        root = _xml_root(stripped)
        if root in {"html", "HTML", "Html"}:
            return "html"
        return {
            "CONSOLIDATED_LIST": "un_xml",
            "sdnList": "ofac_xml",
            "Sanctions": "ofac_advanced_xml",
            "export": "eu_fsf_xml",
            "Designations": "uk_xml",
        }.get(root or "")
    first_line = stripped.split(b"\n", 1)[0].decode("utf-8", "replace")
    if csl.is_csl_header(first_line):
        return "csl_csv"
    if first_line.replace('"', "").startswith("Name\tStreet_Address"):
        return "bis_dpl"
    if stripped.startswith(b"{") and b'"schema"' in stripped[:4096]:
        return "ftm_json"
    return None


def reject_html(files: Mapping[str, bytes]) -> None:
    """An HTML page where a list file was expected (an error or login page) is an error."""
    for name, data in files.items():
        if sniff(name, data[:8192]) == "html":
            raise InputError(
                "an HTML page, not a list file (an error or login page from the server?)",
                source=name,
                location="line 1",
            )


def detect(files: Mapping[str, bytes]) -> str:
    """The one format a set of files is in; an error names a file that is not a list."""
    reject_html(files)
    found: dict[str, str] = {}
    for name, data in files.items():
        kind = sniff(name, data[:8192])
        if kind is None:
            raise InputError(
                "not a list format this product reads",
                source=name,
                location="line 1",
                suggestions=sorted(formats()),
            )
        found[name] = kind
    kinds = set(found.values())
    if len(kinds) != 1:
        raise InputError(
            "files in different formats: "
            + ", ".join(f"{n} ({k})" for n, k in sorted(found.items())),
            source="files",
        )
    kind = kinds.pop()
    if kind != "ofac_csv" and len(files) > 1:
        raise InputError(f"{kind} is a single-file format; got {len(files)} files", source="files")
    return kind
