"""Decision rules as data: load, validate and version the YAML rule files.

The packaged file (``dualuse/data/decisions/rules.yaml``) holds the prohibitions
(Part 746 embargoes, WMD end use) and the red flags, each with its source and dates. A
compliance team adds files of its own (a rule with the same id replaces the packaged
one) and switches rules off by id, through settings, without code. The rule-set
version is a digest of the files' bytes and the switched-off ids, so a decision records
exactly which rules it ran on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from dualuse.decisions.model import Citation, Verdict
from dualuse.errors import InputError

PACKAGED = "rules.yaml"
KINDS = (
    "embargo",
    "end_use",
    "chpl_route",
    "new_company",
    "third_party_payment",
    "late_change",
    "forwarder_end_user",
    "business_mismatch",
    "route_length",
    "payment_method",
    "no_russia_clause",
    "eu_hub",
)
"""Evaluators the engine knows (see :mod:`dualuse.decisions.flags`)."""
STANDING = "standing"
"""A source ``date`` for standing guidance whose version date the sources do not give."""
SET_KEYS = ("countries", "origins", "exempt_destinations", "tiers")
"""Parameters whose values may name a set of the file's ``sets:``."""


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    kind: str
    title: str
    severity: Verdict
    source: Citation
    also: tuple[Citation, ...]
    effective_from: dt.date | None
    effective_to: dt.date | None
    parameters: Mapping[str, Any]
    text: str
    file: str

    def in_force(self, day: dt.date) -> bool:
        if self.effective_from is not None and day < self.effective_from:
            return False
        return self.effective_to is None or day <= self.effective_to

    def codes(self, key: str) -> frozenset[str]:
        """A set parameter: upper-case codes (countries) or tier names (resolved on load)."""
        value = self.parameters.get(key, frozenset())
        return value if isinstance(value, frozenset) else frozenset(map(str, value))

    def words(self, key: str) -> tuple[str, ...]:
        return tuple(str(w).casefold() for w in self.parameters.get(key, ()))


@dataclass(frozen=True, slots=True)
class RuleSet:
    rules: tuple[Rule, ...]
    version: str
    """sha256-12 of the rule files and the switched-off ids."""
    disabled: tuple[str, ...] = ()

    def of_kind(self, *kinds: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.kind in kinds)

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def packaged_rules_text() -> bytes:
    return (resources.files("dualuse.data") / "decisions" / PACKAGED).read_bytes()


def load_rules(
    files: Sequence[Path] = (), *, disabled: Collection[str] = (), packaged: bool = True
) -> RuleSet:
    """The packaged rules, then each file's (same id replaces), minus ``disabled``.
    A switched-off id that no file defines is an error (a typo would leave it on)."""
    blobs: list[tuple[str, bytes]] = []
    if packaged:
        blobs.append((f"dualuse/data/decisions/{PACKAGED}", packaged_rules_text()))
    for path in files:
        try:
            blobs.append((str(path), Path(path).read_bytes()))
        except OSError as exc:
            raise InputError(f"cannot read rule file: {exc.strerror}", source=str(path)) from None
    by_id: dict[str, Rule] = {}
    for name, blob in blobs:
        for rule in parse_rules(blob, source=name):
            by_id[rule.id] = rule
    off = tuple(sorted({d.strip() for d in disabled if d.strip()}))
    unknown = [d for d in off if d not in by_id]
    if unknown:
        import difflib

        raise InputError(
            f"cannot switch off unknown rule {unknown[0]!r}",
            source="decisions.disabled_rules",
            suggestions=difflib.get_close_matches(unknown[0], sorted(by_id), n=3, cutoff=0.5),
        )
    digest = hashlib.sha256()
    for _name, blob in blobs:
        digest.update(hashlib.sha256(blob).digest())
    digest.update(",".join(off).encode())
    rules = tuple(r for r in by_id.values() if r.id not in off)
    return RuleSet(rules, digest.hexdigest()[:12], off)


def parse_rules(blob: bytes, *, source: str) -> list[Rule]:
    try:
        doc = yaml.safe_load(blob)
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML: {exc}", source=source) from None
    if not isinstance(doc, Mapping) or doc.get("schema") != 1:
        raise InputError("expected a mapping with 'schema: 1' and 'rules:'", source=source)
    sets = doc.get("sets") or {}
    if not isinstance(sets, Mapping) or not all(isinstance(v, list) for v in sets.values()):
        raise InputError("'sets' must map names to lists", source=source)
    raw_rules = doc.get("rules")
    if not isinstance(raw_rules, list):
        raise InputError("'rules' must be a list", source=source)
    out: list[Rule] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_rules):
        rule = _rule(raw, sets, source=source, where=f"rules[{i}]")
        if rule.id in seen:
            raise InputError(f"rule id {rule.id!r} repeats", source=source, location=f"rules[{i}]")
        seen.add(rule.id)
        out.append(rule)
    return out


def _rule(raw: Any, sets: Mapping[str, list[Any]], *, source: str, where: str) -> Rule:
    def bad(message: str, suggestions: Sequence[str] = ()) -> InputError:
        name = raw.get("id") if isinstance(raw, Mapping) else None
        return InputError(
            message,
            source=source,
            location=f"{where} ({name})" if name else where,
            suggestions=suggestions,
        )

    if not isinstance(raw, Mapping):
        raise bad("a rule must be a mapping")
    for key in ("id", "kind", "title", "severity", "source", "text"):
        if not raw.get(key):
            raise bad(f"missing '{key}'")
    if raw["kind"] not in KINDS:
        import difflib

        raise bad(f"unknown kind {raw['kind']!r}", difflib.get_close_matches(raw["kind"], KINDS))
    try:
        severity = Verdict(raw["severity"])
    except ValueError:
        raise bad(f"unknown severity {raw['severity']!r}", [v.value for v in Verdict]) from None
    if severity is Verdict.CLEAR:
        raise bad("a rule cannot have severity 'clear'")
    params = raw.get("parameters") or {}
    if not isinstance(params, Mapping):
        raise bad("'parameters' must be a mapping")
    resolved = {k: (_expand(k, v, sets, bad) if k in SET_KEYS else v) for k, v in params.items()}
    start, end = _day(raw.get("effective_from"), bad), _day(raw.get("effective_to"), bad)
    if start and end and end < start:
        raise bad("effective_to is before effective_from")
    return Rule(
        id=str(raw["id"]),
        kind=str(raw["kind"]),
        title=str(raw["title"]),
        severity=severity,
        source=_citation(raw["source"], bad),
        also=tuple(_citation(c, bad) for c in raw.get("also") or ()),
        effective_from=start,
        effective_to=end,
        parameters=resolved,
        text=" ".join(str(raw["text"]).split()),
        file=source,
    )


def _expand(key: str, value: Any, sets: Mapping[str, list[Any]], bad: Any) -> frozenset[str]:
    """Set names replaced by their members; countries upper case."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        raise bad(f"expected a list or a set name, got {value!r}")
    out: list[str] = []
    for item in items:
        out += [str(x) for x in sets[item]] if item in sets else [str(item)]
    return frozenset(x if key == "tiers" else x.upper() for x in out)


def _day(value: Any, bad: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise bad(f"not a date (YYYY-MM-DD): {value!r}") from None


def _citation(raw: Any, bad: Any) -> Citation:
    if not isinstance(raw, Mapping) or not raw.get("source") or not raw.get("date"):
        raise bad("a source needs at least 'source' and 'date'")
    if str(raw["date"]) != STANDING:
        _day(str(raw["date"]), bad)
    return Citation(
        source=str(raw["source"]),
        title=str(raw.get("title") or ""),
        date=str(raw["date"]),
        url=str(raw.get("url") or ""),
    )
