"""Threshold entries (``parametric_rules.yaml``) evaluated on technical parameters.

Each condition answers true, false or *undecided* (a parameter it needs is missing).
An entry is reported when its condition is true; when it is undecided the result names
the parameters that decide it, so nothing is guessed. Every comparison is written out
as a step (``specific_modulus_m = 1.5e+07 > 1.27e+07: true``).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from dualuse.controls.model import Citation
from dualuse.errors import InputError

SOURCE = "parametric_rules.yaml"
OPS: dict[str, Callable[[Any, Any], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
}
Value = Decimal | bool | str
SMALLEST, LARGEST = Decimal("1e-12"), Decimal("1e18")
"""Bounds of a given number: every threshold in the rules lies far inside them, and the
derived figures (TPP, densities) stay within ``Decimal``'s 28 digits of precision."""


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    kind: str
    unit: str
    help: str
    values: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ThresholdEntry:
    entry: str
    title: str
    source: str
    when: Mapping[str, Any]
    note: str
    citation: Citation
    params: frozenset[str]


@dataclass(frozen=True, slots=True)
class EntryResult:
    entry: str
    title: str
    met: bool | None
    steps: tuple[str, ...]
    missing: tuple[str, ...]
    note: str
    citation: Citation


def _params_of(cond: Mapping[str, Any]) -> set[str]:
    if "all" in cond or "any" in cond:
        return set().union(*(_params_of(c) for c in cond.get("all") or cond.get("any") or []))
    found = {str(cond["param"])}
    if "linear" in cond:
        found.add(str(cond["linear"]["param"]))
    return found


def _check(cond: Any, params: Mapping[str, Parameter], where: str) -> None:
    if not isinstance(cond, Mapping):
        raise InputError("condition is not a mapping", source=SOURCE, location=where)
    if "all" in cond or "any" in cond:
        for c in cond.get("all") or cond.get("any") or []:
            _check(c, params, where)
        return
    if cond.get("param") not in params or cond.get("op") not in OPS:
        raise InputError(f"bad condition {dict(cond)}", source=SOURCE, location=where)
    if "value" not in cond and "linear" not in cond:
        raise InputError("condition needs value or linear", source=SOURCE, location=where)
    kind = params[cond["param"]].kind
    if "value" in cond:
        literal = _literal(cond["value"])
        wanted = {"number": Decimal, "bool": bool, "enum": str}[kind]
        if not isinstance(literal, wanted) or (
            kind == "enum" and literal not in params[cond["param"]].values
        ):
            raise InputError(
                f"threshold {cond['value']!r} does not fit {cond['param']}",
                source=SOURCE,
                location=where,
            )
    if "linear" in cond and cond["linear"].get("param") not in params:
        raise InputError(
            "linear threshold names an unknown parameter", source=SOURCE, location=where
        )


def parse_parametric(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Validate the file; return ``{"parameters": {...}, "entries": (...)}``."""
    params: dict[str, Parameter] = {}
    for name, raw in (doc.get("parameters") or {}).items():
        kind = str(raw.get("kind"))
        if kind not in {"number", "bool", "enum"}:
            raise InputError(
                f"unknown parameter kind {kind!r}", source=SOURCE, location=f"parameters.{name}"
            )
        params[str(name)] = Parameter(
            str(name),
            kind,
            str(raw.get("unit", "")),
            str(raw.get("help", "")),
            tuple(str(v) for v in raw.get("values") or []),
        )
    entries = []
    for i, raw in enumerate(doc.get("entries") or []):
        where = f"entries[{i}]"
        _check(raw.get("when"), params, where)
        cite = raw.get("citation") or {}
        if not all(cite.get(k) for k in ("act", "section", "date")):
            raise InputError(
                "entry needs a citation with act, section and date", source=SOURCE, location=where
            )
        entries.append(
            ThresholdEntry(
                entry=str(raw["entry"]),
                title=str(raw.get("title", "")),
                source=str(raw.get("source", "")),
                when=raw["when"],
                note=str(raw.get("note", "")),
                citation=Citation(
                    str(cite["act"]),
                    str(cite["section"]),
                    str(cite["date"]),
                    str(raw.get("source", "")),
                ),
                params=frozenset(_params_of(raw["when"])),
            )
        )
    return {"parameters": params, "entries": tuple(entries)}


def parse_value(param: Parameter, raw: object) -> Value:
    """A user's value for ``param``: a decimal number, a bool or an enum word."""
    text = str(raw).strip()
    if param.kind == "bool":
        if isinstance(raw, bool):
            return raw
        if text.lower() in {"true", "yes", "1", "y"}:
            return True
        if text.lower() in {"false", "no", "0", "n"}:
            return False
        raise InputError(f"{param.name} must be true or false, not {text!r}", source=param.name)
    if param.kind == "enum":
        if text.lower() not in param.values:
            raise InputError(
                f"{param.name} must be one of {', '.join(param.values)}",
                source=param.name,
                suggestions=param.values,
            )
        return text.lower()
    shown = text if len(text) <= 40 else f"{text[:40]}…"
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        message = f"{param.name} must be a number, not {shown!r}"
        raise InputError(message, source=param.name) from exc
    if not number.is_finite() or number < 0:
        raise InputError(f"{param.name} must be a finite number of zero or more", source=param.name)
    if number and not SMALLEST <= number <= LARGEST:
        raise InputError(
            f"{param.name} = {shown} is out of range: give 0 or a number from {SMALLEST:g} "
            f"to {LARGEST:g}",
            source=param.name,
        )
    return number


def _literal(raw: object) -> Value:
    """A threshold as written in the file: bool, enum word, or decimal ("12.7e6")."""
    if isinstance(raw, bool):
        return raw
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        return str(raw)


def _fmt(value: Value) -> str:
    if isinstance(value, Decimal):
        return f"{value:g}" if abs(value) < Decimal("1e6") else f"{value:.4E}"
    return str(value).lower() if isinstance(value, bool) else value


def evaluate(
    cond: Mapping[str, Any], values: Mapping[str, Value], steps: list[str]
) -> tuple[bool | None, set[str]]:
    """Three-valued: (True/False/None, parameters whose absence left it undecided)."""
    if "all" in cond or "any" in cond:
        is_all = "all" in cond
        results = [evaluate(c, values, steps) for c in cond["all" if is_all else "any"]]
        answers = [r for r, _ in results]
        missing = set().union(*(m for r, m in results if r is None))
        if is_all:
            if False in answers:
                return False, set()
            return (None, missing) if None in answers else (True, set())
        if True in answers:
            return True, set()
        return (None, missing) if None in answers else (False, set())
    name = str(cond["param"])
    if name not in values:
        steps.append(f"{name}: not given (decides this test)")
        return None, {name}
    left = values[name]
    if "linear" in cond:
        lin = cond["linear"]
        other = str(lin["param"])
        if other not in values:
            steps.append(f"{other}: not given (decides the threshold for {name})")
            return None, {other}
        x = values[other]
        assert isinstance(x, Decimal)
        limit: Value = Decimal(str(lin["const"])) + Decimal(str(lin["coef"])) * x
        shown = f"({lin['const']} + {lin['coef']} × {other}={_fmt(x)}) = {_fmt(limit)}"
    else:
        limit = _literal(cond["value"])
        shown = _fmt(limit)
    result = bool(OPS[cond["op"]](left, limit))
    steps.append(f"{name} = {_fmt(left)} {cond['op']} {shown}: {str(result).lower()}")
    return result, set()


def evaluate_entries(
    entries: tuple[ThresholdEntry, ...], values: Mapping[str, Value]
) -> list[EntryResult]:
    """Every entry that reads at least one of the given parameters, evaluated."""
    out = []
    for entry in entries:
        if not entry.params & values.keys():
            continue
        steps: list[str] = []
        met, missing = evaluate(entry.when, values, steps)
        out.append(
            EntryResult(
                entry.entry,
                entry.title,
                met,
                tuple(steps),
                tuple(sorted(missing)),
                entry.note,
                entry.citation,
            )
        )
    return out
