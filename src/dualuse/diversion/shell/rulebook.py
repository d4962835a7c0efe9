"""The red-flag rule book (``dualuse/data/diversion/shell_rules.yaml``): each rule's id,
sources, dates and weight, the country sets the rules use, and the score levels.

Rules are data so that a change of guidance is a reviewed edit of one file; parsing
checks every field so a malformed rule fails at load, naming the rule, instead of
mis-scoring later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from dualuse.errors import InputError

SOURCE = "shell_rules.yaml"


@dataclass(frozen=True, slots=True)
class RuleSpec:
    id: str
    title: str
    sources: tuple[str, ...]
    text: str
    effective_from: date | None
    effective_to: date | None
    weight: int
    verified: bool

    def in_force(self, day: date) -> bool:
        if self.effective_from is not None and day < self.effective_from:
            return False
        return self.effective_to is None or day <= self.effective_to


@dataclass(frozen=True, slots=True)
class CountrySet:
    text: str
    sources: tuple[str, ...]
    countries: frozenset[str]


@dataclass(frozen=True, slots=True)
class RuleBook:
    sources: Mapping[str, str]
    invasion_date: date
    country_sets: Mapping[str, CountrySet]
    webmail: frozenset[str]
    rules: tuple[RuleSpec, ...]
    high: int
    elevated: int
    levels_text: str

    def rule(self, rule_id: str) -> RuleSpec:
        for spec in self.rules:
            if spec.id == rule_id:
                return spec
        raise KeyError(rule_id)

    def citation(self, spec: RuleSpec) -> list[str]:
        return [f"{key}: {self.sources[key]}" for key in spec.sources]


def _date(value: Any, where: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise InputError(f"{value!r} is not a date", source=SOURCE, location=where) from exc


def _req(obj: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    value = obj.get(key)
    if not isinstance(value, kind):
        raise InputError(f"{key!r} missing or not a {kind.__name__}", source=SOURCE, location=where)
    return value


def parse_rulebook(doc: Mapping[str, Any]) -> RuleBook:
    sources = {str(k): str(v) for k, v in _req(doc, "sources", dict, "sources").items()}
    invasion = _date(_req(doc, "invasion_date", str, "invasion_date"), "invasion_date")
    assert invasion is not None
    sets = {}
    for name, spec in _req(doc, "country_sets", dict, "country_sets").items():
        where = f"country_sets.{name}"
        codes = [str(c).lower() for c in _req(spec, "countries", list, where)]
        if any(len(c) != 2 or not c.isalpha() for c in codes):
            raise InputError("country codes must be ISO-2", source=SOURCE, location=where)
        sets[str(name)] = CountrySet(
            str(spec.get("text", "")), tuple(_req(spec, "sources", list, where)), frozenset(codes)
        )
    rules = []
    seen: set[str] = set()
    for i, raw in enumerate(_req(doc, "rules", list, "rules")):
        where = f"rules[{i}]"
        rule_id = str(_req(raw, "id", str, where))
        where = f"rule {rule_id}"
        if rule_id in seen:
            raise InputError("duplicate rule id", source=SOURCE, location=where)
        seen.add(rule_id)
        cited = tuple(str(s) for s in _req(raw, "sources", list, where))
        unknown = [s for s in cited if s not in sources]
        if not cited or unknown:
            raise InputError(f"unknown or no sources {unknown}", source=SOURCE, location=where)
        weight = _req(raw, "weight", int, where)
        if weight <= 0:
            raise InputError("weight must be positive", source=SOURCE, location=where)
        rules.append(
            RuleSpec(
                id=rule_id,
                title=str(_req(raw, "title", str, where)),
                sources=cited,
                text=str(_req(raw, "text", str, where)),
                effective_from=_date(raw.get("effective_from"), where),
                effective_to=_date(raw.get("effective_to"), where),
                weight=weight,
                verified=bool(raw.get("verified", False)),
            )
        )
    levels = _req(doc, "levels", dict, "levels")
    webmail = _req(doc, "webmail_domains", dict, "webmail_domains")
    return RuleBook(
        sources=sources,
        invasion_date=invasion,
        country_sets=sets,
        webmail=frozenset(str(d).lower() for d in _req(webmail, "domains", list, "webmail")),
        rules=tuple(rules),
        high=int(_req(levels, "high", int, "levels")),
        elevated=int(_req(levels, "elevated", int, "levels")),
        levels_text=str(levels.get("text", "")),
    )


def rulebook_path() -> Path:
    return Path(str(resources.files("dualuse") / "data" / "diversion" / SOURCE))


def load_rulebook(path: Path | None = None) -> RuleBook:
    import yaml

    target = path or rulebook_path()
    try:
        text = target.read_text(encoding="utf-8")
        doc = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read the rule book: {exc}", source=str(target)) from exc
    if not isinstance(doc, Mapping):
        raise InputError("top level is not a mapping", source=SOURCE)
    return parse_rulebook(doc)
