"""Loading and validating the control data (CCL, Country Chart, Country Groups, licence
exceptions, EU Annex I, HS 2022, CHPL) into one frozen :class:`ControlData`
(never changed once loaded).

Parsing is pure (``parse_*`` take decoded objects or text); only :func:`load` reads
files, from the package folder ``dualuse/data/controls`` unless told otherwise. Every
malformed entry is an :class:`InputError` that names the file and the entry, so a bad
update never half-loads.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import orjson

from dualuse.controls.chart import CHART_COLUMNS, missing_reasons, parse_control
from dualuse.controls.model import (
    ChartRow,
    CHPLItem,
    Citation,
    ControlEntry,
    EUEntry,
    HSHeading,
    ItemParagraph,
    LicenceException,
)
from dualuse.controls.rules import RuleBook, parse_rules
from dualuse.errors import InputError
from dualuse.reference.ids.eccn import ECCN
from dualuse.reference.ids.hs import HSCode

FILES = {
    "ccl": "us_ear_ccl_part774_supp1_ecfr_2026-07-23.json",
    "chart": "us_ear_country_chart_part738_supp1_ecfr_2026-07-23.json",
    "groups": "us_ear_country_groups_part740_supp1_ecfr_2026-07-23.json",
    "exceptions": "us_ear_license_exceptions_part740_ecfr_2026-07-23.json",
    "eu": "eu_annex_i_2021-821_consolidated_2025-11-15.json",
    "hs": "hs_nomenclature_hs6_un_comtrade.csv",
    "chpl": "chpl_common_high_priority_list_2024-02-23.csv",
    "rules": "ear_rules.yaml",
    "parametric": "parametric_rules.yaml",
    "names": "ear_country_names.json",
}
# EAR spellings that the shared country registry does not resolve (typos and long forms
# in the source tables); each maps to its ISO 3166-1 code.
EAR_NAME_FIXES = {
    "China (PRC)": "cn",
    "Cote d'lvoire": "ci",
    "Micronesia (Federated State of)": "fm",
    "Seycheles": "sc",
    "Sint Maarten (the Dutch two-fifths of the island of Saint Martin)": "sx",
    "South Sudan, Republic of": "ss",
}
GROUP_NAMES = ("A:1", "A:2", "A:3", "A:4", "A:5", "A:6", "B", "D:1", "D:2", "D:3", "D:4", "D:5")
GROUP_NAMES_ALL = (*GROUP_NAMES, "E:1", "E:2")
CHPL_TIERS = ("Tier 1", "Tier 2", "Tier 3.A", "Tier 3.B", "Tier 4.A", "Tier 4.B")


def ear_country(
    name: str, *, source: str, location: str, table: Mapping[str, str] | None = None
) -> str:
    """ISO-2 code of an EAR country name: the shipped table first (fast), else the registry."""
    code = (table or {}).get(name) or EAR_NAME_FIXES.get(name)
    if code is None:
        from dualuse.reference.countries import normalize_country  # slow first call

        code = normalize_country(name)
    if code is None:
        raise InputError(f"cannot resolve country name {name!r}", source=source, location=location)
    return code


@dataclass(frozen=True, slots=True)
class CountryChart:
    columns: tuple[str, ...]
    rows: Mapping[str, ChartRow]
    """ISO-2 code -> row (embargoed destinations carry ``embargo_pointer`` and no marks)."""
    footnotes: Mapping[int, str]
    territories: Mapping[str, tuple[str, str]]
    """ISO-2 of a destination without a row -> (ISO-2 of the row that governs, basis)."""
    all_destinations: Mapping[str, Any]
    no_mark_caveat: str
    citation: Citation


@dataclass(frozen=True, slots=True)
class ControlData:
    """Everything the classifier and the determination read, with its versions."""

    ccl: Mapping[str, ControlEntry]
    chart: CountryChart
    groups: Mapping[str, frozenset[str]]
    exceptions: Mapping[str, LicenceException]
    eu: Mapping[str, EUEntry]
    hs: Mapping[str, HSHeading]
    chpl: Mapping[str, CHPLItem]
    rules: RuleBook
    parametric: Mapping[str, Any]
    versions: Mapping[str, str] = field(default_factory=dict)
    """File name -> SHA-256 (first 16 hex) and issue date, for provenance blocks."""

    def groups_of(self, iso2: str) -> tuple[str, ...]:
        return tuple(g for g in GROUP_NAMES_ALL if iso2 in self.groups.get(g, frozenset()))

    def entry(self, eccn: str) -> ControlEntry | None:
        return self.ccl.get(eccn)


# ------------------------------------------------------------------ parsers (pure)


def _require(
    obj: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str, src: str
) -> Any:
    if key not in obj:
        raise InputError(f"missing field {key!r}", source=src, location=where)
    value = obj[key]
    if not isinstance(value, kind):
        raise InputError(f"field {key!r} has the wrong type", source=src, location=where)
    return value


def parse_ccl(doc: Mapping[str, Any], *, source: str = FILES["ccl"]) -> dict[str, ControlEntry]:
    entries = _require(doc, "entries", list, "top level", source)
    date = str(doc.get("ecfrIssueDate", ""))
    cite_base = str(doc.get("citation", "15 C.F.R. Part 774, Supplement No. 1"))
    deep = set(doc.get("deepCategories") or [])
    out: dict[str, ControlEntry] = {}
    for i, raw in enumerate(entries):
        where = f"entry {i}"
        if not isinstance(raw, Mapping):
            raise InputError("entry is not an object", source=source, location=where)
        eccn = _require(raw, "eccn", str, where, source)
        where = f"entry {i} ({eccn})"
        parsed = ECCN.normalize(eccn)
        if parsed is None or parsed != eccn or "." in eccn:
            raise InputError(f"malformed ECCN {eccn!r}", source=source, location=where)
        if eccn in out:
            raise InputError(f"duplicate ECCN {eccn}", source=source, location=where)
        heading = _require(raw, "heading", str, where, source)
        reasons_text = raw.get("reasonForControl") or ""
        if not isinstance(reasons_text, str):
            raise InputError(
                "field 'reasonForControl' has the wrong type", source=source, location=where
            )
        chart = _require(raw, "countryChart", list, where, source)
        controls = []
        for j, line in enumerate(chart):
            if not isinstance(line, Mapping) or not isinstance(line.get("control"), str):
                raise InputError(
                    "malformed License Requirements line",
                    source=source,
                    location=f"{where}, line {j}",
                )
            controls.append(parse_control(eccn, line["control"], str(line.get("countryChart", ""))))
        items = tuple(
            ItemParagraph(
                it.get("paragraph"),
                str(it.get("kind", "")),
                int(it.get("depth", 0)),
                str(it.get("text", "")),
            )
            for it in (raw.get("items") or [])
            if isinstance(it, Mapping)
        )
        flags = raw.get("licenceExceptionFlags") or {}
        if not isinstance(flags, Mapping):
            raise InputError(
                "licenceExceptionFlags is not an object", source=source, location=where
            )
        out[eccn] = ControlEntry(
            eccn=eccn,
            category=eccn[0],
            group=eccn[1],
            heading=heading,
            reasons=tuple(r.strip() for r in reasons_text.split(",") if r.strip()),
            controls=tuple(controls),
            exception_flags={str(k): str(v) for k, v in flags.items()},
            related_controls=str(raw.get("relatedControls") or ""),
            items=items,
            has_item_text=eccn[0] in deep,
            citation=Citation("15 CFR", f"Part 774, Supp. No. 1, ECCN {eccn}", date, cite_base),
            missing_reasons=missing_reasons(
                tuple(r.strip() for r in reasons_text.split(",") if r.strip()),
                tuple(c.reason for c in controls),
            ),
        )
    expected = doc.get("entryCount")
    if isinstance(expected, int) and expected != len(out):
        raise InputError(
            f"entryCount says {expected} but {len(out)} entries were read", source=source
        )
    return out


def parse_chart(
    doc: Mapping[str, Any], *, source: str = FILES["chart"], names: Mapping[str, str] | None = None
) -> CountryChart:
    columns = tuple(_require(doc, "columns", list, "top level", source))
    if columns != CHART_COLUMNS:
        raise InputError(
            f"unexpected Country Chart columns {columns}", source=source, location="columns"
        )
    footnotes = {
        int(k): str(v) for k, v in _require(doc, "footnotes", dict, "top level", source).items()
    }
    rows: dict[str, ChartRow] = {}
    for name, row in _require(doc, "countries", dict, "top level", source).items():
        where = f"country {name!r}"
        code = ear_country(name, source=source, location=where, table=names)
        marks = frozenset(row.get("marks") or [])
        if not marks <= set(CHART_COLUMNS):
            raise InputError(
                f"unknown column in {sorted(marks - set(CHART_COLUMNS))}",
                source=source,
                location=where,
            )
        notes = tuple(int(n) for n in row.get("footnotes") or [])
        if any(n not in footnotes for n in notes):
            raise InputError("footnote reference without text", source=source, location=where)
        if code in rows:
            raise InputError(f"two rows resolve to {code}", source=source, location=where)
        rows[code] = ChartRow(name, marks, notes)
    for name, row in _require(doc, "embargoed", dict, "top level", source).items():
        code = ear_country(name, source=source, location=f"embargoed {name!r}", table=names)
        rows[code] = ChartRow(
            name,
            frozenset(),
            tuple(int(n) for n in row.get("footnotes") or []),
            str(row.get("pointer", "")),
        )
    territories: dict[str, tuple[str, str]] = {}
    for name, spec in (doc.get("territoryInheritance") or {}).items():
        code = ear_country(name, source=source, location=f"territory {name!r}", table=names)
        parent = ear_country(
            spec["row"], source=source, location=f"territory {name!r}", table=names
        )
        territories[code] = (parent, str(spec.get("basis", "")))
    procedure = doc.get("procedure") or {}
    return CountryChart(
        columns=columns,
        rows=rows,
        footnotes=footnotes,
        territories=territories,
        all_destinations=dict(doc.get("allDestinationsEntries") or {}),
        no_mark_caveat=str(procedure.get("noMarkCaveat", "")),
        citation=Citation("15 CFR", "Part 738, Supp. No. 1", str(doc.get("ecfrIssueDate", ""))),
    )


def parse_groups(
    doc: Mapping[str, Any], *, source: str = FILES["groups"], names: Mapping[str, str] | None = None
) -> dict[str, frozenset[str]]:
    groups = _require(doc, "groups", dict, "top level", source)
    out: dict[str, frozenset[str]] = {}
    for name in GROUP_NAMES_ALL:
        members = groups.get(name)
        if not isinstance(members, list):
            raise InputError(f"Country Group {name} missing", source=source, location="groups")
        out[name] = frozenset(
            ear_country(m, source=source, location=f"group {name}", table=names) for m in members
        )
    return out


def parse_exceptions(
    doc: Mapping[str, Any], *, source: str = FILES["exceptions"]
) -> dict[str, LicenceException]:
    out: dict[str, LicenceException] = {}
    for i, raw in enumerate(_require(doc, "exceptions", list, "top level", source)):
        section = _require(raw, "section", str, f"exception {i}", source)
        for symbol in _require(raw, "symbols", list, f"exception {i}", source):
            out[str(symbol)] = LicenceException(str(symbol), section, str(raw.get("title", "")))
    return out


def parse_eu(doc: Mapping[str, Any], *, source: str = FILES["eu"]) -> dict[str, EUEntry]:
    meta = _require(doc, "metadata", dict, "top level", source)
    date = str(meta.get("consolidation_date", ""))
    out: dict[str, EUEntry] = {}
    for i, raw in enumerate(_require(doc, "entries", list, "top level", source)):
        where = f"entry {i}"
        code = _require(raw, "code", str, where, source)
        # Sub-paragraph codes come from Notes in the upstream parse ("3A002.d.includes");
        # they are kept as labels, but the 5-character entry number must be valid.
        if ECCN.normalize(code[:5]) != code[:5] or code in out:
            raise InputError(
                f"malformed or duplicate Annex I code {code!r}", source=source, location=where
            )
        if code[:1] != str(raw.get("category")) or code[1:2] != str(raw.get("subgroup")):
            raise InputError(
                "category/subgroup disagree with the code", source=source, location=where
            )
        out[code] = EUEntry(
            code=code,
            label=str(raw.get("label", "")),
            category=code[0],
            subgroup=code[1],
            depth=int(raw.get("depth", 0)),
            text=str(raw.get("full_content", "")),
            citation=Citation(
                "Regulation (EU) 2021/821",
                f"Annex I, {code}",
                date,
                "consolidated text CELEX 02021R0821-20251115",
            ),
        )
    if meta.get("entry_count") not in (None, len(out)):
        raise InputError(
            f"entry_count says {meta.get('entry_count')} but {len(out)} entries were read",
            source=source,
        )
    return out


def parse_hs(text: str, *, source: str = FILES["hs"]) -> dict[str, HSHeading]:
    out: dict[str, HSHeading] = {}
    for i, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        code = (row.get("hscode") or "").strip()
        if code == "TOTAL" or not code or row.get("section") == "TOTAL":
            continue  # UN Comtrade aggregates (e.g. 999999), not HS 2022 codes
        if not HSCode.is_valid(code) or len(code) not in (2, 4, 6):
            raise InputError(f"malformed HS code {code!r}", source=source, location=f"line {i}")
        out[code] = HSHeading(
            code,
            row.get("description", "").strip(),
            len(code),
            row.get("parent", ""),
            row.get("section", ""),
        )
    return out


def parse_chpl(
    text: str, hs: Mapping[str, HSHeading], *, source: str = FILES["chpl"]
) -> dict[str, CHPLItem]:
    out: dict[str, CHPLItem] = {}
    for i, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        where = f"line {i}"
        tier, code = row.get("tier", ""), (row.get("hs_code") or "").strip()
        if tier not in CHPL_TIERS:
            raise InputError(f"unknown CHPL tier {tier!r}", source=source, location=where)
        if code not in hs or len(code) != 6:
            raise InputError(
                f"CHPL code {code!r} is not an HS 2022 subheading", source=source, location=where
            )
        if code in out:
            raise InputError(f"duplicate CHPL code {code}", source=source, location=where)
        out[code] = CHPLItem(
            tier=tier,
            hs6=code,
            description=row.get("hs6_description_hs2022", ""),
            tier_description=row.get("tier_description_bis", ""),
            citation=Citation(
                "BIS", f"Common High Priority List, {tier}", "2024-02-23", "bis.gov/node/6280"
            ),
        )
    return out


# ------------------------------------------------------------------ loading


def data_dir() -> Path:
    return Path(str(resources.files("dualuse") / "data" / "controls"))


def load(directory: Path | None = None) -> ControlData:
    """Read and validate every file; raise :class:`InputError` on the first bad entry."""
    import yaml

    folder = directory or data_dir()
    blobs: dict[str, bytes] = {}
    for key, name in FILES.items():
        path = folder / name
        if not path.is_file():
            raise InputError("control data file missing", source=str(path))
        blobs[key] = path.read_bytes()

    def json_of(key: str) -> Mapping[str, Any]:
        try:
            doc = orjson.loads(blobs[key])
        except orjson.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc}", source=FILES[key]) from exc
        if not isinstance(doc, Mapping):
            raise InputError("top level is not an object", source=FILES[key])
        return doc

    def yaml_of(key: str) -> Mapping[str, Any]:
        try:
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            doc = yaml.load(blobs[key].decode("utf-8"), Loader=loader)  # noqa: S506 (safe loader)
        except yaml.YAMLError as exc:
            raise InputError(f"not valid YAML: {exc}", source=FILES[key]) from exc
        if not isinstance(doc, Mapping):
            raise InputError("top level is not a mapping", source=FILES[key])
        return doc

    hs = parse_hs(blobs["hs"].decode("utf-8-sig"))
    names = {str(k): str(v) for k, v in json_of("names").get("names", {}).items()}
    from dualuse.controls.parametric import parse_parametric

    data = ControlData(
        ccl=parse_ccl(json_of("ccl")),
        chart=parse_chart(json_of("chart"), names=names),
        groups=parse_groups(json_of("groups"), names=names),
        exceptions=parse_exceptions(json_of("exceptions")),
        eu=parse_eu(json_of("eu")),
        hs=hs,
        chpl=parse_chpl(blobs["chpl"].decode("utf-8-sig"), hs),
        rules=parse_rules(yaml_of("rules")),
        parametric=parse_parametric(yaml_of("parametric")),
        versions={FILES[k]: hashlib.sha256(v).hexdigest()[:16] for k, v in blobs.items()},
    )
    return data


def suggest(value: str, choices: Sequence[str], limit: int = 3) -> list[str]:
    """The closest valid values, for error messages."""
    from rapidfuzz import process

    return [c for c, _score, _i in process.extract(value, choices, limit=limit)]


def build_country_names(
    chart_doc: Mapping[str, Any], groups_doc: Mapping[str, Any]
) -> dict[str, str]:
    """Every country name the EAR tables use -> ISO-2, resolved with the shared registry.

    Shipped as ``ear_country_names.json`` so that loading does not pay for building the
    registry's index; a test recomputes it to prove the shipped table is current.
    """
    names: set[str] = set(chart_doc["countries"]) | set(chart_doc["embargoed"])
    for spec_name, spec in (chart_doc.get("territoryInheritance") or {}).items():
        names |= {spec_name, spec["row"]}
    for members in groups_doc["groups"].values():
        names |= set(members)
    return {n: ear_country(n, source="names", location=n) for n in sorted(names)}
