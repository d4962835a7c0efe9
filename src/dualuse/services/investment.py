"""Investment screening as a service: the deal facts, the project's own classification,
licence determination and party screening, then the four regimes' rules.

Python API::

    from dualuse.services.investment import InvestmentService
    result = InvestmentService(Settings()).assess({"investor": {...}, "target": {...}})
    result.results[0].outcome  # "mandatory_declaration"

The § 800.401(c) question (would a U.S. regulatory authorization be required to the
investor and the persons up its chain?) is answered by :class:`ControlsService.determine`
for every critical technology and person, with the person as end user and its screening
hits, so an Entity List investor gets the Entity List's licence requirement.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dualuse.controls.decision import Determination
from dualuse.controls.eu import eu_counterpart
from dualuse.controls.items import parse_item, scope_applies
from dualuse.controls.model import Outcome
from dualuse.errors import DualuseError, InputError
from dualuse.investment import cfius, eu_fdi, outbound, uk_nsi
from dualuse.investment import reference as ref
from dualuse.investment.logic import (
    Authorization,
    Findings,
    ItemFinding,
    PartyHit,
    RegimeResult,
    Tri,
)
from dualuse.investment.model import REGIMES, DealFacts, Item, as_json, parse_facts
from dualuse.investment.model import warnings as model_warnings
from dualuse.model.screening import MatchResult, ScreeningQuery, ScreeningResponse
from dualuse.reference.ids.eccn import ECCN
from dualuse.services.controls import ControlsService
from dualuse.settings import Settings

RULES = {
    "us_cfius": cfius.assess,
    "us_outbound": outbound.assess,
    "uk_nsi": uk_nsi.assess,
    "eu_fdi": eu_fdi.assess,
}
MULTILATERAL = frozenset({"NS", "CB", "NP", "MT"})
RS_SL = frozenset({"RS", "SL"})
A_3A090 = ECCN.parse("3A090.a")
Screen = Callable[[ScreeningQuery], ScreeningResponse]


def list_key(hit: MatchResult) -> str:
    """Which restricted list a hit is on, in the words of § 850.224(m) and § 800.219(c)(2)."""
    label = f"{hit.sublist or ''} {hit.list_id}".lower()
    programs = " ".join(hit.programs).upper()
    if "entity list" in label:
        return "entity_list"
    if "military end user" in label:
        return "military_end_user_list"
    if "unverified" in label:
        return "unverified_list"
    if "denied persons" in label:
        return "denied_persons_list"
    if "cmic" in label or "military-industrial" in label or "CMIC" in programs:
        return "ns_cmic"
    if "FTO" in programs:
        return "foreign_terrorist_organization"
    if "specially designated nationals" in label or hit.list_id == "us_ofac_sdn":
        return "sdn"
    return "other"


@dataclass(frozen=True, slots=True)
class Assessment:
    facts: DealFacts
    results: tuple[RegimeResult, ...]
    findings: Findings
    warnings: tuple[str, ...] = ()
    parties: tuple[dict[str, Any], ...] = field(default=())


def _parties(facts: DealFacts) -> list[tuple[str, str, str | None]]:
    inv, tgt = facts.investor, facts.target
    out: list[tuple[str, str | None, str | None]] = [("investor", inv.name, inv.country)]
    out += [(f"investor.owners[{i}]", o.name, o.country) for i, o in enumerate(inv.owners or [])]
    out.append(("target", tgt.name, tgt.country))
    out += [(f"target.owners[{i}]", o.name, o.country) for i, o in enumerate(tgt.owners or [])]
    out += [
        (f"target.subsidiaries[{i}]", s.name, s.country)
        for i, s in enumerate(tgt.subsidiaries or [])
    ]
    return [(path, name, country) for path, name, country in out if name]


class InvestmentService:
    def __init__(
        self,
        settings: Settings,
        *,
        controls: ControlsService | None = None,
        screen: Screen | None = None,
    ) -> None:
        self.settings = settings
        self.controls = controls or ControlsService(settings, screener=None)
        self._screen = screen
        self._determined: dict[tuple[str, str, date | None], Determination] = {}

    def _screener(self) -> Screen:
        if self._screen is None:
            from dualuse.services.screening import ScreeningService

            self._screen = ScreeningService(self.settings).screen
        return self._screen

    def screen_parties(
        self, facts: DealFacts
    ) -> tuple[list[PartyHit], dict[str, list[MatchResult]], list[str]]:
        """Every named party against the restricted-party lists; the raw hits by party."""
        hits: list[PartyHit] = []
        raw: dict[str, list[MatchResult]] = {}
        try:
            screen = self._screener()
            for path, name, country in _parties(facts):
                response = screen(ScreeningQuery(name=name, country=country))
                raw[path] = list(response.matches)
                for m in response.matches:
                    hits.append(
                        PartyHit(
                            path,
                            name,
                            list_key(m),
                            m.sublist or m.list_id,
                            m.name,
                            round(m.score, 3),
                            m.match,
                        )
                    )
        except DualuseError as exc:
            return hits, raw, [f"party screening unavailable: {exc}"]
        return hits, raw, []

    def _classify(self, item: Item, path: str) -> tuple[Tri, str, Any, bool, Tri]:
        """(critical, basis, citation, within 3A090.a, EU Annex I counterpart)."""
        data = self.controls.data
        if item.usml is not None:
            basis = f"USML Category {item.usml}: a defense article (§ 800.215(a))."
            return True, basis, ref.cfr800("800.215(a)"), False, True
        try:
            eccn, entry, _checked = parse_item(data, item.eccn or "")
        except InputError as exc:
            raise InputError(
                exc.message, source=f"{path}.eccn", suggestions=exc.suggestions
            ) from None
        eu_listed = eu_counterpart(data, eccn) is not None
        within = eccn.within(A_3A090)
        if item.section_1758:
            return (
                True,
                "Stated to be controlled under section 1758 (§ 800.215(f)).",
                ref.cfr800("800.215(f)"),
                within,
                eu_listed,
            )
        if entry is None:
            return (
                False,
                "EAR99: not on the Commerce Control List (§ 800.215(b)).",
                ref.cfr800("800.215(b)"),
                False,
                False,
            )
        yes: set[str] = set()
        maybe: set[str] = set()
        for ctl in entry.controls:
            relevant = set(re.findall(r"\b[A-Z]{2}\b", ctl.reason)) & (MULTILATERAL | RS_SL)
            if not relevant:
                continue
            applies = scope_applies(eccn, entry, ctl).applies
            if applies is Outcome.YES:
                yes |= relevant
            elif applies is Outcome.UNKNOWN:
                maybe |= relevant
        if yes:
            para = "(b)(1)" if yes & MULTILATERAL else "(b)(2)"
            why = ", ".join(sorted(yes))
            basis = f"{eccn} is controlled for {why}: a critical technology under § 800.215{para}."
            return True, basis, entry.citation, within, eu_listed
        if maybe:
            why = ", ".join(sorted(maybe))
            basis = (
                f"{eccn}: the {why} controls reach some paragraphs only; give the full paragraph."
            )
            return None, basis, entry.citation, within, eu_listed
        why = ", ".join(entry.reasons)
        basis = f"{eccn} is controlled only for {why}: not a critical technology (§ 800.215(b))."
        return False, basis, entry.citation, within, eu_listed

    def _authorizations(
        self, facts: DealFacts, item: Item, party_hits: dict[str, list[MatchResult]]
    ) -> tuple[tuple[Authorization, ...], set[str]]:
        """§ 800.401(c)(2): each person as end user, by principal place of business; the
        licence answer before any licence exception. Unscreened persons go unnamed."""
        out = []
        symbols: set[str] = set()
        for person, place, name in cfius.chain_persons(facts):
            if place is None:
                out.append(
                    Authorization(person, "??", None, f"give {person}.principal_place_of_business")
                )
                continue
            if item.usml is not None:
                stated = item.itar_authorization_required
                out.append(
                    Authorization(
                        person,
                        place,
                        stated,
                        f"ITAR licensing is not in the project's data; stated: {stated}.",
                    )
                )
                continue
            if place == "us":
                out.append(
                    Authorization(
                        person,
                        place,
                        False,
                        "principal place of business in the United States: no export.",
                    )
                )
                continue
            try:
                det = self._determine(
                    item.eccn or "", place, facts.day, name, party_hits.get(person)
                )
            except InputError as exc:
                out.append(Authorization(person, place, None, f"determination failed: {exc}"))
                continue
            symbols |= {str(x.get("symbol")) for x in det.jurisdictions["US-EAR"].exceptions}
            required = {Outcome.YES: True, Outcome.NO: False}.get(det.licence_required)
            cites = tuple(
                dict.fromkeys(
                    str(r.citation)
                    for r in det.reasons
                    if r.effect.value in {"requires", "undetermined"}
                )
            )
            out.append(
                Authorization(
                    person, place, required, f"{det.licence_required.value}: {det.summary}", cites
                )
            )
        return tuple(out), symbols

    def _determine(
        self,
        eccn: str,
        place: str,
        day: date | None,
        name: str | None,
        hits: list[MatchResult] | None,
    ) -> Determination:
        """The project's determination; without screening hits the person goes unnamed (an
        unscreened end user would read as "screening unavailable") and the answer is cached."""
        if hits is not None:
            return self.controls.determine(
                eccn=eccn, destination=place, end_user=name, as_of=day, end_user_hits=hits
            )
        key = (eccn, place, day)
        if key not in self._determined:
            self._determined[key] = self.controls.determine(eccn=eccn, destination=place, as_of=day)
        return self._determined[key]

    def findings(
        self, facts: DealFacts, *, screen: bool = True, authorizations: bool = True
    ) -> tuple[Findings, list[str]]:
        hits: list[PartyHit] = []
        warnings: list[str] = []
        raw_hits: dict[str, list[MatchResult]] = {}
        if screen:
            hits, raw_hits, warnings = self.screen_parties(facts)
        items = None
        if facts.target.items is not None:
            found = []
            for i, item in enumerate(facts.target.items):
                path = f"target.items[{i}]"
                critical, basis, cite, within, eu_listed = self._classify(item, path)
                auths: tuple[Authorization, ...] = ()
                exception = item.licence_exception
                if authorizations and critical is not False:
                    auths, symbols = self._authorizations(facts, item, raw_hits)
                    if exception is None and item.eccn and auths:
                        exception = _exception_from(item.eccn, symbols)
                    elif exception is None and item.usml:
                        exception = "none"  # EAR exceptions do not reach ITAR items
                label = f"USML {item.usml}" if item.usml else str(item.eccn)
                found.append(
                    ItemFinding(
                        path, label, critical, basis, cite, within, eu_listed, exception, auths
                    )
                )
            items = tuple(found)
        members = frozenset(self.controls.data.rules.eu.member_states)
        return Findings(items, tuple(hits), frozenset(raw_hits), members), warnings

    def assess(
        self,
        raw: Mapping[str, Any] | object,
        regimes: Sequence[str] | None = None,
        *,
        screen: bool = True,
    ) -> Assessment:
        wanted = check_regimes(regimes)
        facts = parse_facts(raw)
        find, warnings = self.findings(facts, screen=screen, authorizations="us_cfius" in wanted)
        warnings = [*model_warnings(facts), *warnings]
        results = tuple(RULES[r](facts, find) for r in wanted)
        flagged = [
            {
                "party": h.party,
                "name": h.name,
                "list": h.list_label,
                "entry": h.entry,
                "score": h.score,
                "match": h.match,
                "part_850": ref.LISTS_850.get(h.list_key or ""),
            }
            for h in find.hits
            if h.match
        ]
        return Assessment(facts, results, find, tuple(warnings), tuple(flagged))


def _exception_from(eccn: str, symbols: set[str]) -> str | None:
    """§ 800.401(e)(6) from the project's determination: no ENC or STA among the exceptions
    it lists for the item, and not software or technology (TSU), means not eligible."""
    if symbols & {"ENC", "STA"} or ECCN.parse(eccn).base[2:3] in {"D", "E"}:
        return None
    return "none"


def check_regimes(regimes: Sequence[str] | None) -> tuple[str, ...]:
    if not regimes:
        return REGIMES
    import difflib

    for r in regimes:
        if r not in REGIMES:
            raise InputError(
                f"unknown regime {r!r}",
                source="regime",
                suggestions=difflib.get_close_matches(r, REGIMES, n=2, cutoff=0.3) or list(REGIMES),
            )
    return tuple(dict.fromkeys(regimes))


def result_json(result: RegimeResult) -> dict[str, Any]:
    return {
        "regime": result.regime,
        "outcome": result.outcome,
        "summary": result.summary,
        "missing": list(result.missing),
        "deadline": result.deadline,
        "reasons": [
            {
                "step": s.code,
                "question": s.question,
                "answer": s.answer,
                "text": s.text,
                "citation": str(s.citation),
                "source": s.citation.source,
                "missing": list(s.missing),
                "level": s.level,
            }
            for s in result.steps
        ],
        "gaps": list(result.gaps),
    }


def assessment_json(a: Assessment) -> dict[str, Any]:
    items = [
        {
            "item": i.label,
            "critical_technology": {True: "yes", False: "no", None: "unknown"}[i.critical],
            "basis": i.basis,
            "citation": str(i.citation),
            "authorizations": [
                {
                    "person": x.person,
                    "country": x.country.upper(),
                    "required": {True: "yes", False: "no", None: "unknown"}[x.required],
                    "determination": x.summary,
                    "citations": list(x.citations),
                }
                for x in i.authorizations
            ],
        }
        for i in a.findings.items or ()
    ]
    return {
        "as_of": a.facts.day.isoformat() if a.facts.day else None,
        "results": [result_json(r) for r in a.results],
        "items": items,
        "parties": list(a.parties),
        "screened": sorted(a.findings.screened),
        "warnings": list(a.warnings),
        "facts": as_json(a.facts),
    }
