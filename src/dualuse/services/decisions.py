"""Transaction decisions: one order in, one cited verdict out.

Every party is screened (each distinct name and country once, in one batch), every line
determined by :class:`ControlsService` (the end user's screening hits feed its end-user
rules, as in the investment service), every rule of the rule set evaluated; the verdict
is the most severe of the reasons. The decision records the list, rule, control-data and
code versions and a digest of the order, so the same inputs on the same versions give
the same verdict (``decided_at`` aside) and :meth:`DecisionService.replay` can check it.

Python API::

    svc = DecisionService(Settings())
    decision = svc.decide(order_dict, cleared=lambda key: False)
    decision.to_json()
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import dualuse
from dualuse.controls.decision import Determination
from dualuse.controls.end_user import in_review_band
from dualuse.decisions.alerts import alert_reason, make_alert
from dualuse.decisions.flags import Facts, LineFacts, evaluate
from dualuse.decisions.lines import (
    UNCLASSIFIED_BASIS,
    licence_reasons,
    line_candidates,
    worst_result,
)
from dualuse.decisions.model import (
    Alert,
    AlertKey,
    Citation,
    Decision,
    DecisionReason,
    LineDecision,
    ListVersion,
    Order,
    Verdict,
    Versions,
    digest,
    entry_digest,
    verdict_of,
)
from dualuse.decisions.orders import determination_country, parse_order
from dualuse.decisions.rules import RuleSet, load_rules
from dualuse.errors import DualuseError, InputError
from dualuse.model.screening import MatchResult, ScreeningQuery, ScreeningResponse
from dualuse.services.cache import LruCache
from dualuse.services.controls import ControlsService
from dualuse.services.decision_ownership import derived_findings
from dualuse.services.ownership_screening import OwnershipIndex
from dualuse.settings import Settings
from dualuse.views.controls import determination_json

Cleared = Callable[[AlertKey], bool]
END_USES = {
    "civil": "none",
    "military": "military",
    "military-intelligence": "military-intelligence",
    "wmd": "wmd",
    "unknown": None,
}
"""Order end use -> the determination's end use (``None``: not declared)."""
KYC_BASIS = Citation(
    "15 CFR part 732, Supp. No. 3",
    "Know Your Customer guidance: do not self-blind; resolve red flags and unclear facts "
    "before shipping",
    "standing",
    "https://www.bis.gov/articles/red-flag-indicators",
)
END_USER_ROLES = ("end_user", "consignee")
PLACEHOLDER = "\x00end user\x00"
"""Stands for a cleanly screened end user in a shared determination (a parsed name cannot
hold a NUL, so it never collides)."""
CLEAN_CACHE = 4096
SCREENED_CACHE = 20_000
"""Parties' screening answers kept per service (least recently used dropped first)."""


@dataclass(frozen=True, slots=True)
class Replay:
    """An old decision recomputed on what is loaded now."""

    original: Decision
    replayed: Decision
    same_versions: bool
    same_verdict: bool
    differences: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.original.id,
            "decision_id": self.original.decision_id,
            "verdict": self.original.verdict.value,
            "replayed_verdict": self.replayed.verdict.value,
            "same_verdict": self.same_verdict,
            "same_versions": self.same_versions,
            "differences": list(self.differences),
        }


class DecisionService:
    def __init__(
        self,
        settings: Settings,
        *,
        screening: Any | None = None,
        controls: ControlsService | None = None,
        rules: RuleSet | None = None,
        clock: Callable[[], dt.datetime] | None = None,
        ownership: OwnershipIndex | None = None,
        remembered_parties: int = SCREENED_CACHE,
    ) -> None:
        """``screening`` is a :class:`ScreeningService` (built here when ``None``);
        ``ownership``, the blocked and unknown parties of an ownership graph, makes a
        party blocked through ownership an alert (see :mod:`decision_ownership`);
        ``remembered_parties``: how many parties' screening answers are kept (0: none,
        every party screened on every order, as the latency benchmark measures)."""
        self.settings = settings
        self.ownership = ownership
        if screening is None:
            from dualuse.services.screening import ScreeningService

            screening = ScreeningService(settings)
        self.screening = screening
        if controls is None:
            # hits are passed in: the determination needs the threshold they were scored
            # against to place near misses in the review band (else all are reviewed)
            fixed = replace(settings.screening, threshold=self.screening.threshold)
            controls = ControlsService(replace(settings, screening=fixed), screener=None)
        self.controls = controls
        self.rules = rules or rules_from_settings(settings)
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._party_rows: dict[str, int] | None = None
        self._clean: dict[tuple[str, str, str | None, dt.date], Determination | InputError] = {}
        threshold = self.controls.settings.screening.threshold
        band = self.controls.settings.controls.end_user_review_band
        self._review_floor = None if threshold is None else threshold - band
        self._digests: dict[str, str] = {}
        self._screened: LruCache[tuple[str, str | None], ScreeningResponse] = LruCache(
            remembered_parties
        )
        self.versions = Versions(
            lists=tuple(
                ListVersion(v.list_id, v.version)
                for v in sorted(self.screening.lists.versions, key=lambda v: v.list_id)
            ),
            rules=self.rules.version,
            code=dualuse.__version__,
            controls=digest(dict(self.controls.data.versions))[:12],
        )

    # -- public ----------------------------------------------------------------------
    def parse(self, raw: Mapping[str, Any] | Order) -> Order:
        return raw if isinstance(raw, Order) else parse_order(raw, data=self.controls.data)

    def decide(
        self,
        order: Mapping[str, Any] | Order,
        *,
        cleared: Cleared | None = None,
        as_of: dt.date | None = None,
    ) -> Decision:
        """One order; raises :class:`OrderError` when it cannot be read."""
        return self.decide_many([order], cleared=cleared, as_of=as_of)[0]

    def decide_many(
        self,
        orders: Sequence[Mapping[str, Any] | Order],
        *,
        cleared: Cleared | None = None,
        as_of: dt.date | None = None,
    ) -> list[Decision]:
        """Several orders, their parties screened in one batch (a malformed order raises:
        parse first with :meth:`parse` to keep going past one)."""
        parsed = [self.parse(o) for o in orders]
        responses = self._screen(parsed)
        now = self._clock().astimezone(dt.UTC).replace(microsecond=0)
        return [
            self._decide(o, responses, cleared or _never, as_of or o.date or now.date(), now)
            for o in parsed
        ]

    def replay(self, decision_json: Mapping[str, Any]) -> Replay:
        """Recompute a recorded decision (its order, as-of date and cleared alerts) on the
        versions loaded now, and say what differs."""
        try:
            original = Decision.from_json(decision_json)
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"not a decision: {exc}", source="decision") from None
        if original.order is None:
            raise InputError("the decision does not hold its order", source="decision.order")
        keys = {a.key for a in original.alerts if a.cleared}
        day = dt.date.fromisoformat(original.as_of) if original.as_of else None
        replayed = self.decide(original.order, cleared=keys.__contains__, as_of=day)
        diffs: list[str] = []
        for name in ("lists", "rules", "code", "controls"):
            old, new = getattr(original.versions, name), getattr(replayed.versions, name)
            if old != new:
                diffs.append(f"versions.{name}: {_short(old)} -> {_short(new)}")
        if original.input_digest != replayed.input_digest:
            diffs.append("input_digest differs (the order was changed)")
        if original.verdict is not replayed.verdict:
            diffs.append(f"verdict: {original.verdict.value} -> {replayed.verdict.value}")
        old_codes = sorted(r.code for r in original.reasons)
        new_codes = sorted(r.code for r in replayed.reasons)
        if old_codes != new_codes:
            diffs.append(f"reasons: {old_codes} -> {new_codes}")
        return Replay(
            original,
            replayed,
            original.versions == replayed.versions,
            original.verdict is replayed.verdict,
            tuple(diffs),
        )

    # -- steps -----------------------------------------------------------------------
    def _screen(self, orders: Iterable[Order]) -> dict[tuple[str, str | None], Any]:
        """Each distinct (name, country) once; a failure is recorded, not raised.

        A party screened before by this service is answered from memory: the lists
        (and so every answer) are fixed for the service's life (``self.versions``), and
        an order desk sees the same customers again and again."""
        wanted = list(
            dict.fromkeys((p.name, _screen_country(p.country)) for o in orders for p in o.parties)
        )
        if not wanted:
            return {}
        out = self._screened.get_many(wanted)
        missing = [key for key in wanted if key not in out]
        if not missing:
            return out
        try:
            queries = [ScreeningQuery(name=n, country=c) for n, c in missing]
            found = self.screening.screen_many(queries)
        except DualuseError as exc:
            return out | {key: exc for key in missing}
        fresh = dict(zip(missing, found, strict=True))
        self._screened.put_many(fresh)
        return out | fresh

    def _decide(
        self,
        order: Order,
        responses: Mapping[tuple[str, str | None], Any],
        cleared: Cleared,
        as_of: dt.date,
        now: dt.datetime,
    ) -> Decision:
        reasons: list[DecisionReason] = []
        alerts: list[Alert] = []
        hits_of: dict[int, Sequence[MatchResult] | None] = {}
        for i, party in enumerate(order.parties):
            response = responses.get((party.name, _screen_country(party.country)))
            if not isinstance(response, ScreeningResponse):
                hits_of[i] = None
                reasons.append(
                    DecisionReason(
                        "screening.unavailable",
                        Verdict.REVIEW,
                        f"{party.role.value} {party.name!r} could not be screened: {response}",
                        f"parties[{i}]",
                        KYC_BASIS,
                    )
                )
                continue
            hits_of[i] = response.matches
            for m in response.matches:
                if not m.match:
                    continue
                alert = make_alert(i, party, m, self._entry_digest(m), cleared)
                alerts.append(alert)
                reasons.append(alert_reason(alert, m))
        if self.ownership is not None:
            for i, party in enumerate(order.parties):
                derived, why = derived_findings(self.ownership, i, party, cleared)
                alerts += derived
                reasons += why
        lines, line_reasons, facts = self._lines(order, hits_of, as_of)
        reasons += line_reasons
        rule_reasons, flags = evaluate(self.rules, Facts(order, tuple(facts), as_of))
        reasons += rule_reasons
        for problem in order.problems:
            reasons.append(
                DecisionReason(
                    "order.problem",
                    Verdict.REVIEW,
                    f"{problem.message}: the rules that need this field could not use it",
                    problem.path,
                    KYC_BASIS,
                )
            )
        return Decision(
            id=order.id,
            verdict=verdict_of(reasons),
            decided_at=now.isoformat().replace("+00:00", "Z"),
            reasons=tuple(reasons),
            alerts=tuple(alerts),
            lines=tuple(lines),
            flags=tuple(flags),
            problems=order.problems,
            versions=self.versions,
            input_digest=order.input_digest,
            as_of=as_of.isoformat(),
            order=dict(order.raw) if order.raw else order.to_json(),
        )

    def _entry_digest(self, m: MatchResult) -> str:
        """sha256 of the listed entry's names, identifiers and programmes, read from the
        screening index (the same content gives the same digest across list versions)."""
        found = self._digests.get(m.party_id)
        if found is not None:
            return found
        index = self.screening.index
        if self._party_rows is None:
            self._party_rows = {index.record(i).party_id: i for i in range(index.n_parties)}
        row = self._party_rows.get(m.party_id)
        if row is None:  # not in the index (cannot happen for its own results)
            value = entry_digest([m.name, m.matched_name], [], m.programs)
        else:
            rec = index.record(row)
            value = entry_digest(
                [n for n, _kind in rec.names],
                [f"{scheme}:{norm}" for scheme, norm, _raw in rec.identifiers],
                rec.programs,
            )
        self._digests[m.party_id] = value
        return value

    def _clean_end_user(self, name: str | None, hits: Sequence[MatchResult] | None) -> bool:
        """Screened, and no hit matches or falls in the review band."""
        floor = self._review_floor
        return (
            name is not None
            and hits is not None
            and not any(h.match or in_review_band(h, floor) for h in hits)
        )

    def _determine(
        self,
        eccn: str,
        destination: str,
        end_use: str | None,
        as_of: dt.date,
        name: str | None,
        hits: Sequence[MatchResult] | None,
    ) -> Determination | InputError:
        """One determination. An end user screened with no hit that matters (no match,
        none in the review band) gives the same answer whoever it is: that answer is
        computed once per item, destination, end use and date, under a placeholder name
        that :func:`_line_json` replaces (hits under the band are information only and
        are not repeated in it)."""
        clean = self._clean_end_user(name, hits)
        key = (eccn, destination, end_use, as_of)
        shared = self._clean.get(key) if clean else None  # one lookup: threads share it
        if shared is not None:
            return shared
        try:
            det: Determination | InputError = self.controls.determine(
                eccn=eccn,
                destination=destination,
                end_user=PLACEHOLDER if clean else name,
                end_use=end_use,
                as_of=as_of,
                end_user_hits=() if clean else hits,
            )
        except InputError as exc:
            det = exc
        if clean:
            if len(self._clean) >= CLEAN_CACHE:
                self._clean.clear()
            self._clean[key] = det
        return det

    def _lines(
        self,
        order: Order,
        hits_of: Mapping[int, Sequence[MatchResult] | None],
        as_of: dt.date,
    ) -> tuple[list[LineDecision], list[DecisionReason], list[LineFacts]]:
        data = self.controls.data
        # every end user and consignee: the worst answer stands (adding a party never
        # lowers it); a party whose screening failed is named without hits, so the
        # determination says screening was unavailable
        end_users: list[int | None] = [
            i for i, p in enumerate(order.parties) if p.role.value in END_USER_ROLES
        ]
        destination = determination_country(order.route.destination).lower()
        end_use = END_USES[order.end_use.value]
        clean_name = next(
            (
                order.parties[i].name
                for i in end_users
                if i is not None and self._clean_end_user(order.parties[i].name, hits_of.get(i))
            ),
            None,
        )
        cache: dict[str, Determination | InputError] = {}
        shown: dict[int, dict[str, Any] | None] = {}  # one JSON per determination

        def determine(eccn: str) -> Determination | InputError:
            if eccn not in cache:
                found: list[tuple[str, Determination | InputError]] = []
                for who in end_users or [None]:
                    name = None if who is None else order.parties[who].name
                    hits = None if who is None else hits_of.get(who)
                    det = self._determine(eccn, destination, end_use, as_of, name, hits)
                    found.append((eccn, det))
                stands = worst_result(found)
                assert stands is not None  # at least one end user (or none) was asked
                cache[eccn] = stands[1]
            return cache[eccn]

        lines: list[LineDecision] = []
        reasons: list[DecisionReason] = []
        facts: list[LineFacts] = []
        for i, item in enumerate(order.items):
            subject = f"items[{i}]"
            hs6 = item.hs[:6] if item.hs and len(item.hs) >= 6 else None
            chpl = data.chpl.get(hs6) if hs6 else None
            candidates, source, missing = line_candidates(data, item)
            worst = worst_result([(e, determine(e)) for e in candidates])
            eccn = worst[0] if worst else None
            det = worst[1] if worst and isinstance(worst[1], Determination) else None
            if det is not None and id(det) not in shown:
                shown[id(det)] = _line_json(det, clean_name)
            body = None if det is None else shown[id(det)]
            lines.append(LineDecision(item.line, eccn, body, source))
            facts.append(LineFacts(i, item.line, eccn, hs6, chpl.tier if chpl else None))
            label = f"line {item.line}" + (f" ({eccn})" if eccn else "")
            if missing:
                reasons.append(
                    DecisionReason(
                        "line.unclassified",
                        Verdict.REVIEW,
                        f"{label}: {missing}",
                        subject,
                        UNCLASSIFIED_BASIS,
                    )
                )
            elif worst and isinstance(worst[1], InputError):
                reasons.append(
                    DecisionReason(
                        "licence.unknown",
                        Verdict.REVIEW,
                        f"{label}: not determined: {worst[1].message}",
                        subject,
                        UNCLASSIFIED_BASIS,
                    )
                )
            elif det is not None:
                reasons += licence_reasons(det, label, subject, order.route.destination)
        return lines, reasons, facts


def rules_from_settings(settings: Settings) -> RuleSet:
    from pathlib import Path

    cfg = settings.decisions
    files = [Path(f.strip()).expanduser() for f in cfg.rules_files.split(",") if f.strip()]
    return load_rules(files, disabled=[d for d in cfg.disabled_rules.split(",") if d.strip()])


def _line_json(det: Determination | None, name: str | None) -> dict[str, Any] | None:
    """``determination_json``, with the placeholder end user replaced by ``name``, the
    first end user or consignee screened clean (whose answer it is). The placeholder
    stands in the ``end_user`` field and in the ``end_user_clear`` reasons only."""
    if det is None:
        return None
    data = determination_json(det)
    if det.end_user != PLACEHOLDER or name is None:
        return data
    old, new = repr(PLACEHOLDER), repr(name)

    def named(reasons: Any) -> list[Any]:
        return [
            {**r, "text": r["text"].replace(old, new)} if r["code"] == "end_user_clear" else r
            for r in reasons
        ]

    data["end_user"] = name
    data["reasons"] = named(data["reasons"])
    data["jurisdictions"] = {
        k: {**j, "reasons": named(j["reasons"])}
        for k, j in data["jurisdictions"].items()  # type: ignore[attr-defined]
    }
    return data


def _screen_country(code: str | None) -> str | None:
    return None if code is None else determination_country(code).lower()


def _never(_key: AlertKey) -> bool:
    return False


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."
