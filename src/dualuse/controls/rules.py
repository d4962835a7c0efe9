"""The hand-derived rule book (``ear_rules.yaml``): embargoes, end-use and end-user rules,
dated rules, known conflicts and the EU rules, each with citation and dates.

Parsing validates every rule (known scope words, ISO-2 codes, dates, a citation on
each) so a malformed rule fails loudly at load instead of mis-deciding later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from dualuse.controls.model import Citation, Period
from dualuse.errors import InputError

SOURCE = "ear_rules.yaml"
SCOPES = {"all_items", "all_items_except_ear99_food_medicine", "ccl_items", "supp2_part744"}
END_USES = ("military", "military-intelligence", "nuclear", "missile", "chemical-biological")


@dataclass(frozen=True, slots=True)
class Embargo:
    id: str
    countries: frozenset[str]
    programme: str
    scope: str
    text: str
    exceptions: tuple[str, ...]
    citation: Citation
    also: tuple[Citation, ...]
    period: Period
    earlier: str
    earlier_from: date | None
    """Before this date no sanction of this programme was in force (none recorded)."""
    ear99: str
    ear99_basis: tuple[str, Citation] | None = None
    """For EAR99 items: the further law the requirement rests on (Iran: OFAC's ITSR)."""


@dataclass(frozen=True, slots=True)
class EndUseRule:
    end_use: str
    countries: frozenset[str]
    groups: frozenset[str]
    worldwide: bool
    scope: str
    text: str
    citation: Citation
    period: Period
    elsewhere: str


@dataclass(frozen=True, slots=True)
class ListRule:
    key: str
    match: str
    text: str
    citation: Citation
    period: Period
    list_ids: frozenset[str] = frozenset()
    """Screening list ids that are this list itself (a hit there has no CSL sublist)."""


@dataclass(frozen=True, slots=True)
class Conflict:
    id: str
    title: str
    applies_to: tuple[str, ...]
    codified: str
    later: str
    before: str
    period: Period
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class DatedRule:
    id: str
    eccns: tuple[str, ...]
    period: Period
    text: str
    citation: Citation
    conflict: str | None


@dataclass(frozen=True, slots=True)
class Ugea:
    id: str
    destinations: frozenset[str]
    text: str
    citation: Citation
    dated: Mapping[str, date]


@dataclass(frozen=True, slots=True)
class EURules:
    in_force: date
    article_3_1: tuple[str, Citation]
    article_3_2: tuple[str, Citation]
    member_states: frozenset[str]
    member_states_citation: Citation
    ugeas: tuple[Ugea, ...]


@dataclass(frozen=True, slots=True)
class Footnote:
    number: int
    effect: str
    text: str
    citation: Citation


@dataclass(frozen=True, slots=True)
class GroupChange:
    """A sourced change of Country Group membership (Supp. No. 1 to Part 740)."""

    country: str
    group: str
    added: bool
    effective: date
    citation: Citation


@dataclass(frozen=True, slots=True)
class RuleBook:
    data_date: date
    sources: Mapping[str, str]
    embargoes: tuple[Embargo, ...]
    footnotes: Mapping[int, Footnote]
    end_uses: Mapping[str, tuple[EndUseRule, ...]]
    end_user_lists: Mapping[str, ListRule]
    sdn_programmes: Mapping[str, Citation]
    dated_rules: tuple[DatedRule, ...]
    conflicts: Mapping[str, Conflict]
    eu: EURules
    group_changes: tuple[GroupChange, ...] = ()

    def embargo_for(self, iso2: str) -> Embargo | None:
        return next((e for e in self.embargoes if iso2 in e.countries), None)


def _date(value: Any, where: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise InputError(f"bad date {value!r}", source=SOURCE, location=where) from exc


def _cite(raw: Any, where: str, sources: Mapping[str, str]) -> Citation:
    if not isinstance(raw, Mapping) or not all(raw.get(k) for k in ("act", "section", "date")):
        raise InputError("citation needs act, section and date", source=SOURCE, location=where)
    _date(raw["date"], where)
    source = str(raw.get("source", ""))
    if source and source not in sources:
        raise InputError(f"unknown source key {source!r}", source=SOURCE, location=where)
    return Citation(
        str(raw["act"]), str(raw["section"]), str(raw["date"]), sources.get(source, source)
    )


def _codes(raw: Any, where: str) -> frozenset[str]:
    codes = frozenset(str(c) for c in (raw or []))
    bad = [c for c in codes if len(c) != 2 or not c.isalpha() or not c.islower()]
    if bad:
        raise InputError(f"not ISO-2 codes: {bad}", source=SOURCE, location=where)
    return codes


def _scope(raw: Any, where: str) -> str:
    if raw not in SCOPES:
        raise InputError(
            f"unknown scope {raw!r}", source=SOURCE, location=where, suggestions=sorted(SCOPES)
        )
    return str(raw)


def _period(raw: Mapping[str, Any], where: str) -> Period:
    return Period(_date(raw.get("effective_from"), where), _date(raw.get("effective_to"), where))


def parse_rules(doc: Mapping[str, Any]) -> RuleBook:
    if doc.get("schema") != 1:
        raise InputError("unsupported schema", source=SOURCE, location="schema")
    sources = {str(k): str(v) for k, v in (doc.get("sources") or {}).items()}
    data_date = _date(doc.get("data_date"), "data_date")
    if data_date is None:
        raise InputError("data_date is required", source=SOURCE)

    embargoes = []
    for i, raw in enumerate(doc.get("embargoes") or []):
        w = f"embargoes[{i}]"
        embargoes.append(
            Embargo(
                id=str(raw["id"]),
                countries=_codes(raw.get("countries"), w),
                programme=str(raw.get("programme", "")),
                scope=_scope(raw.get("scope"), w),
                text=str(raw.get("text", "")),
                exceptions=tuple(str(x) for x in raw.get("exceptions") or []),
                citation=_cite(raw.get("citation"), w, sources),
                also=tuple(_cite(c, w, sources) for c in raw.get("also") or []),
                period=_period(raw, w),
                earlier=str(raw.get("earlier", "")),
                earlier_from=_date(raw.get("earlier_from"), w),
                ear99=str(raw.get("ear99", "")),
                ear99_basis=(
                    (
                        str(raw["ear99_basis"]["text"]),
                        _cite(raw["ear99_basis"].get("citation"), w, sources),
                    )
                    if raw.get("ear99_basis")
                    else None
                ),
            )
        )
    footnotes = {
        int(k): Footnote(
            int(k),
            str(v["effect"]),
            str(v["text"]),
            _cite(v.get("citation"), f"footnotes.{k}", sources),
        )
        for k, v in (doc.get("footnotes") or {}).items()
    }
    end_uses: dict[str, tuple[EndUseRule, ...]] = {}
    for use, items in (doc.get("end_uses") or {}).items():
        if use not in END_USES:
            raise InputError(
                f"unknown end use {use!r}", source=SOURCE, location="end_uses", suggestions=END_USES
            )
        rules = []
        for i, raw in enumerate(items):
            w = f"end_uses.{use}[{i}]"
            rules.append(
                EndUseRule(
                    end_use=use,
                    countries=_codes(raw.get("countries"), w),
                    groups=frozenset(str(g) for g in raw.get("groups") or []),
                    worldwide=bool(raw.get("worldwide", False)),
                    scope=_scope(raw.get("scope"), w),
                    text=str(raw.get("text", "")),
                    citation=_cite(raw.get("citation"), w, sources),
                    period=_period(raw, w),
                    elsewhere=str(raw.get("elsewhere", "")),
                )
            )
        end_uses[use] = tuple(rules)
    lists_raw = dict(doc.get("end_user_lists") or {})
    programmes_raw = lists_raw.pop("sdn_programmes", {}) or {}
    end_user_lists = {
        key: ListRule(
            key,
            str(raw["match"]),
            str(raw["text"]),
            _cite(raw.get("citation"), f"end_user_lists.{key}", sources),
            _period(raw, key),
            frozenset(str(i) for i in raw.get("list_ids") or []),
        )
        for key, raw in lists_raw.items()
    }
    sdn_programmes = {
        str(tag): _cite(raw.get("citation"), f"sdn_programmes.{tag}", sources)
        for tag, raw in programmes_raw.items()
    }
    conflicts = {}
    for key, raw in (doc.get("conflicts") or {}).items():
        conflicts[key] = Conflict(
            id=key,
            title=str(raw["title"]),
            applies_to=tuple(str(x) for x in raw.get("applies_to") or []),
            codified=str(raw.get("codified", "")),
            later=str(raw.get("later", "")),
            before=str(raw.get("before", "")),
            period=_period(raw, key),
            citations=tuple(
                _cite(c, f"conflicts.{key}", sources) for c in raw.get("citations") or []
            ),
        )
    dated = []
    for i, raw in enumerate(doc.get("dated_rules") or []):
        w = f"dated_rules[{i}]"
        conflict = raw.get("conflict")
        if conflict is not None and conflict not in conflicts:
            raise InputError(f"unknown conflict {conflict!r}", source=SOURCE, location=w)
        dated.append(
            DatedRule(
                str(raw["id"]),
                tuple(str(e) for e in raw["eccns"]),
                _period(raw, w),
                str(raw.get("text", "")),
                _cite(raw.get("citation"), w, sources),
                conflict,
            )
        )
    group_changes = []
    for i, raw in enumerate(doc.get("group_changes") or []):
        w = f"group_changes[{i}]"
        effective = _date(raw.get("effective"), w)
        if effective is None or raw.get("change") not in ("added", "removed"):
            raise InputError(
                "a group change needs effective and added/removed", source=SOURCE, location=w
            )
        (country,) = _codes([raw.get("country")], w)
        group_changes.append(
            GroupChange(
                country,
                str(raw["group"]),
                raw["change"] == "added",
                effective,
                _cite(raw.get("citation"), w, sources),
            )
        )
    eu_raw = doc.get("eu") or {}
    in_force = _date(eu_raw.get("in_force"), "eu.in_force")
    if in_force is None:
        raise InputError("eu.in_force is required", source=SOURCE)
    ugeas = tuple(
        Ugea(
            str(u["id"]),
            _codes(u.get("destinations"), f"eu.ugea.{u.get('id')}"),
            str(u.get("text", "")),
            _cite(u.get("citation"), f"eu.ugea.{u.get('id')}", sources),
            {
                str(k): d
                for k, v in (u.get("dated") or {}).items()
                if (d := _date(v, "eu.ugea.dated")) is not None
            },
        )
        for u in eu_raw.get("ugea") or []
    )
    eu = EURules(
        in_force=in_force,
        article_3_1=(
            str(eu_raw["article_3_1"]["text"]),
            _cite(eu_raw["article_3_1"].get("citation"), "eu.article_3_1", sources),
        ),
        article_3_2=(
            str(eu_raw["article_3_2"]["text"]),
            _cite(eu_raw["article_3_2"].get("citation"), "eu.article_3_2", sources),
        ),
        member_states=_codes(eu_raw.get("member_states"), "eu.member_states"),
        member_states_citation=_cite(
            eu_raw.get("member_states_citation"), "eu.member_states_citation", sources
        ),
        ugeas=ugeas,
    )
    return RuleBook(
        data_date=data_date,
        sources=sources,
        embargoes=tuple(embargoes),
        footnotes=footnotes,
        end_uses=end_uses,
        end_user_lists=end_user_lists,
        sdn_programmes=sdn_programmes,
        dated_rules=tuple(dated),
        conflicts=conflicts,
        eu=eu,
        group_changes=tuple(group_changes),
    )
