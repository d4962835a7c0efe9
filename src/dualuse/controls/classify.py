"""Classification: technical parameters -> control entries, HS codes -> CHPL tier.

``classify_params`` sends chip figures to the 3A090/4A090 arithmetic and every other
parameter to the threshold table; an unknown parameter name is an error with the
closest valid names. ``classify_hs`` looks an HS-6 code up in the CHPL and the HS 2022
nomenclature, and longer national codes (CN-8, HTS-10) by their HS-6 prefix.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from dualuse.controls import advanced_computing as ac
from dualuse.controls.data import ControlData, suggest
from dualuse.controls.model import Citation
from dualuse.controls.parametric import EntryResult, Parameter, evaluate_entries, parse_value
from dualuse.errors import InputError
from dualuse.reference.ids.hs import HSCode


@dataclass(frozen=True, slots=True)
class Undecided:
    """An entry the parameters given cannot decide, and the parameters that would."""

    entry: str
    decided_by: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Classification:
    """Entries that apply, with the arithmetic and the rules behind them."""

    entries: tuple[str, ...]
    tpp: Decimal | None = None
    performance_density: Decimal | None = None
    memory_bandwidth_density: Decimal | None = None
    steps: tuple[str, ...] = ()
    undecided: tuple[Undecided, ...] = ()
    """Entries the parameters given cannot decide, with the parameters that would."""
    notes: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()
    checked: tuple[EntryResult, ...] = field(default=())

    @property
    def decided(self) -> bool:
        return not self.undecided


def parameter_catalogue(data: ControlData) -> dict[str, str]:
    """Every parameter name ``classify`` accepts, with its meaning."""
    table: Mapping[str, Parameter] = data.parametric["parameters"]
    out = dict(ac.PARAMS)
    out.update({k: f"{p.help}" + (f" ({p.unit})" if p.unit else "") for k, p in table.items()})
    return out


def _chip_value(key: str, raw: object) -> object:
    if key == "datacenter":
        return parse_value(Parameter("datacenter", "bool", "", ""), raw)
    if key == "item_type":
        return parse_value(Parameter("item_type", "enum", "", "", ac.ITEM_TYPES), raw)
    return parse_value(Parameter(key, "number", "", ""), raw)


def classify_params(data: ControlData, params: Mapping[str, object]) -> Classification:
    if not params:
        raise InputError(
            "give at least one --param KEY=VALUE",
            source="param",
            suggestions=sorted(parameter_catalogue(data))[:5],
        )
    table: Mapping[str, Parameter] = data.parametric["parameters"]
    known = parameter_catalogue(data)
    chip: dict[str, object] = {}
    other: dict[str, Decimal | bool | str] = {}
    for key, raw in params.items():
        name = key.strip().lower()
        if name not in known:
            raise InputError(
                f"unknown parameter {key!r}",
                source="param",
                suggestions=suggest(name, sorted(known)),
            )
        if name in ac.PARAMS:
            chip[name] = _chip_value(name, raw)
        else:
            other[name] = parse_value(table[name], raw)
    entries: list[str] = []
    steps: list[str] = []
    undecided: list[Undecided] = []
    notes: list[str] = []
    citations: list[Citation] = []
    result = None
    if chip:
        result = ac.classify_chip(chip)
        entries += result.entries
        steps += result.steps
        notes += result.notes
        citations.append(result.citation)
        if result.undecided:
            undecided.append(Undecided("3A090/4A090", tuple(result.undecided)))
    checked = evaluate_entries(data.parametric["entries"], other) if other else []
    for r in checked:
        steps += [f"{r.entry}: {s}" for s in r.steps]
        if r.met:
            entries.append(r.entry)
            citations.append(r.citation)
            if r.note:
                notes.append(f"{r.entry}: {r.note}")
        elif r.met is None:
            undecided.append(Undecided(r.entry, tuple(r.missing)))
    return Classification(
        entries=tuple(dict.fromkeys(entries)),
        tpp=result.tpp if result else None,
        performance_density=result.performance_density if result else None,
        memory_bandwidth_density=result.memory_bandwidth_density if result else None,
        steps=tuple(steps),
        undecided=tuple(undecided),
        notes=tuple(notes),
        citations=tuple(citations),
        checked=tuple(checked),
    )


@dataclass(frozen=True, slots=True)
class HSClassification:
    code: str
    level: str
    hs6: str | None
    description: str
    chpl_tier: str | None
    chpl_tier_description: str | None
    chapter: str
    heading: str | None
    citations: tuple[Citation, ...]
    notes: tuple[str, ...]
    entries: tuple[str, ...] = ()
    """Always empty: a customs code is not a control-list classification."""


HS_CITATION = Citation(
    "WCO",
    "Harmonized System 2022 nomenclature (UN Comtrade extract)",
    "2022-01-01",
    "datasets/harmonized-system",
)


def classify_hs(data: ControlData, text: str) -> HSClassification:
    code = HSCode.parse(text, source="hs")
    hs6 = code.hs6
    known = hs6 if hs6 is not None else code.digits
    if known not in data.hs:
        prefix = known[:4] if len(known) >= 4 and known[:4] in data.hs else known[:2]
        near = sorted(c for c in data.hs if c.startswith(prefix) and len(c) == len(known))
        raise InputError(
            f"{code.dotted} is not in the HS 2022 nomenclature",
            source="hs",
            suggestions=suggest(known, near or sorted(c for c in data.hs if len(c) == len(known))),
        )
    heading = data.hs[known]
    notes = [
        "A customs code does not replace technical classification: check the item's parameters "
        "against the control lists."
    ]
    if len(code.digits) > 6:
        notes.append(
            f"{code.level} {code.dotted} read by its HS-6 prefix {hs6}; national subdivisions "
            "are not in our data."
        )
    item = data.chpl.get(hs6) if hs6 else None
    citations = [HS_CITATION]
    if item:
        citations.append(item.citation)
        notes.append(
            "CHPL items are those Russia seeks for its weapons programmes; check EU Reg. "
            "833/2014 Annex XL and the current BIS list, which may have changed since 2024-02-23."
        )
    return HSClassification(
        code=code.digits,
        level=code.level,
        hs6=hs6,
        description=heading.description,
        chpl_tier=item.tier if item else None,
        chpl_tier_description=item.tier_description if item else None,
        chapter=code.chapter,
        heading=code.heading,
        citations=tuple(citations),
        notes=tuple(notes),
    )
