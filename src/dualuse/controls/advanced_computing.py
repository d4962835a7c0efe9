"""ECCN 3A090 / 4A090 by the Technical Notes of 15 CFR 774 Supp. 1 (eCFR 2026-07-23).

* TN 1: 'TPP' = 2 × 'MacTOPS' × bit length, aggregated over all processing units;
  "2 × MacTOPS may correspond to the reported TOPS or FLOPS on a datasheet", so the
  TPP at one bit length is the datasheet rate (tera-ops/s) × the bit length.
* TN 2: with several bit lengths "the highest 'TPP' value should be evaluated".
* TN 3: dense, not sparse, rates.
* TN 4: 'performance density' = TPP ÷ 'applicable die area' (mm², all non-planar
  logic dies).
* 3A090.a: a.1 TPP ≥ 4800; a.2 TPP ≥ 1600 and PD ≥ 5.92.
* 3A090.b: b.1 2400 ≤ TPP < 4800 and 1.6 ≤ PD < 5.92; b.2 TPP ≥ 1600 and
  3.2 ≤ PD < 5.92.
* Note: .a and .b do not apply to items not designed or marketed for datacenters
  whose TPP is below 4800.
* 3A090.c: HBM with 'memory bandwidth density' (GB/s ÷ package or stack mm²) > 2.
* 4A090.a/.b: computers, assemblies, components containing such ICs.

Every number in the answer is shown with the arithmetic that produced it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from dualuse.controls.model import Citation
from dualuse.errors import InputError

NAME = "advanced-computing-3a090"
CITATION = Citation(
    "15 CFR",
    "Part 774, Supp. No. 1, ECCN 3A090 (incl. Technical Notes 1-4) and 4A090",
    "2026-07-23",
)

RATE_BITS: dict[str, int] = {
    "tflops_fp64": 64,
    "tflops_fp32": 32,
    "tflops_fp16": 16,
    "tflops_bf16": 16,
    "tflops_fp8": 8,
    "tops_int8": 8,
    "tops_int4": 4,
    "tflops_fp4": 4,
}
"""Dense peak rates (tera-operations per second) by the bit length of their inputs."""
OTHER_PARAMS = {
    "die_area_mm2": "Applicable die area, mm² (all non-planar logic dies)",
    "datacenter": "Designed or marketed for use in datacenters (true/false)",
    "item_type": "ic (default), computer or assembly (4A090: items containing the IC)",
    "hbm_bandwidth_gbs": "High bandwidth memory: memory bandwidth, GB/s",
    "hbm_area_mm2": "High bandwidth memory: package or stack area, mm²",
}
PARAMS = {
    **{k: f"Dense peak rate at {b} bits, tera-ops/s" for k, b in RATE_BITS.items()},
    **OTHER_PARAMS,
}
ITEM_TYPES = ("ic", "computer", "assembly")
TPP_A1 = Decimal(4800)
TPP_MIN = Decimal(1600)
TPP_B1 = Decimal(2400)
PD_A2 = Decimal("5.92")
PD_B1 = Decimal("1.6")
PD_B2 = Decimal("3.2")
MBD_C = Decimal(2)


@dataclass(frozen=True, slots=True)
class ParagraphTest:
    """One paragraph's test: its text in the CCL and whether it needs the density."""

    paragraph: str
    text: str
    needs_density: bool
    test: Callable[[Decimal, Decimal | None], bool]


PARAGRAPHS = (
    ParagraphTest("3A090.a.1", "TPP ≥ 4800", False, lambda tpp, _pd: tpp >= TPP_A1),
    ParagraphTest(
        "3A090.a.2",
        "TPP ≥ 1600 and PD ≥ 5.92",
        True,
        lambda tpp, pd: tpp >= TPP_MIN and pd is not None and pd >= PD_A2,
    ),
    ParagraphTest(
        "3A090.b.1",
        "2400 ≤ TPP < 4800 and 1.6 ≤ PD < 5.92",
        True,
        lambda tpp, pd: TPP_B1 <= tpp < TPP_A1 and pd is not None and PD_B1 <= pd < PD_A2,
    ),
    ParagraphTest(
        "3A090.b.2",
        "TPP ≥ 1600 and 3.2 ≤ PD < 5.92",
        True,
        lambda tpp, pd: tpp >= TPP_MIN and pd is not None and PD_B2 <= pd < PD_A2,
    ),
)


@dataclass(frozen=True, slots=True)
class ChipClassification:
    name: str
    tpp: Decimal | None
    performance_density: Decimal | None
    memory_bandwidth_density: Decimal | None
    entries: tuple[str, ...]
    paragraphs_met: tuple[str, ...]
    steps: tuple[str, ...]
    undecided: tuple[str, ...]
    """Parameters whose absence leaves an entry undecided (empty when all is decided)."""
    notes: tuple[str, ...]
    citation: Citation = CITATION


def _num(d: Decimal) -> str:
    """Four decimals, or scientific notation where that would pass 28 digits."""
    if d.adjusted() > 20 or (d and d.adjusted() < -4):
        return f"{d:.6E}"
    q = d.quantize(Decimal("0.0001")).normalize()
    return f"{q:f}"


def classify_chip(values: Mapping[str, object]) -> ChipClassification:
    """Classify an IC (or a computer containing it) from its datasheet figures, with a
    note wherever a datasheet variant of an entered rate would change the answer."""
    result = _classify(values)
    notes = variant_notes(values, result)
    if not notes:
        return result
    return replace(result, notes=(*result.notes, *notes))


def _outcome(c: ChipClassification) -> str:
    return ", ".join(c.entries) or "not 3A090/4A090"


def variant_notes(values: Mapping[str, object], result: ChipClassification) -> list[str]:
    """Readings of the entered rates that datasheets commonly print in place of the dense
    figure TN 1-3 ask for: a 16-bit tensor rate with FP32 accumulate (half the dense FP16
    rate on many graphics parts) and a sparse rate (twice the dense one). When such a
    reading changes the answer, both outcomes are shown and the dense figure named as
    deciding. A 16-bit rate consistent with an entered 8-bit rate (half or equal to it)
    is not questioned for accumulate; a rate cross-checked by another is not questioned
    for sparsity."""
    rates = {k: v for k, v in values.items() if k in RATE_BITS and isinstance(v, Decimal)}
    eight = [v for k, v in rates.items() if RATE_BITS[k] == 8]
    notes = []
    for key, rate in rates.items():
        variants = [("sparse", rate / 2)] if len(rates) == 1 else []
        consistent = any(abs(e - m * rate) <= m * rate / 100 for e in eight for m in (1, 2))
        if RATE_BITS[key] == 16 and not consistent:
            variants.insert(0, ("accumulate", rate * 2))
        for kind, other in variants:
            alt = _classify({**values, key: other})
            if alt.entries == result.entries:
                continue
            if kind == "accumulate":
                why = (
                    f"if {key} {_num(rate)} is the FP16 rate with FP32 accumulate, the dense "
                    f"FP16 rate (FP16 accumulate) is {_num(other)}"
                )
            else:
                why = f"if {key} {_num(rate)} is a sparse rate, the dense rate is {_num(other)}"
            notes.append(
                f"Check the rate: {why} (TN 1-3: the highest dense rate decides). With "
                f"{_num(rate)}: TPP {_num(result.tpp or Decimal(0))} → {_outcome(result)}; with "
                f"{_num(other)}: TPP {_num(alt.tpp or Decimal(0))} → {_outcome(alt)}."
            )
    return notes


def _classify(values: Mapping[str, object]) -> ChipClassification:
    steps: list[str] = []
    notes: list[str] = []
    undecided: list[str] = []
    item_type = str(values.get("item_type", "ic"))
    if item_type not in ITEM_TYPES:
        raise InputError(
            f"item_type must be one of {', '.join(ITEM_TYPES)}",
            source="item_type",
            suggestions=ITEM_TYPES,
        )
    rates = {k: v for k, v in values.items() if k in RATE_BITS}
    tpp: Decimal | None = None
    if rates:
        candidates = []
        for key, rate in rates.items():
            assert isinstance(rate, Decimal)
            bits = RATE_BITS[key]
            value = rate * bits
            candidates.append(value)
            steps.append(
                f"TPP at {bits} bits = {key} {_num(rate)} × {bits} = {_num(value)} (TN 1: 2 × "
                "MacTOPS = the datasheet rate; TPP = 2 × MacTOPS × bit length)"
            )
        tpp = max(candidates)
        shown = ", ".join(_num(c) for c in candidates)
        steps.append(
            f"TPP = max({shown}) = {_num(tpp)} (TN 2: the highest TPP across bit lengths; TN 3: "
            "dense rates)"
        )
    density: Decimal | None = None
    area = values.get("die_area_mm2")
    if area is not None:
        assert isinstance(area, Decimal)
        if area <= 0:
            raise InputError("die_area_mm2 must be greater than zero", source="die_area_mm2")
        if tpp is not None:
            density = tpp / area
            steps.append(
                f"performance density = TPP {_num(tpp)} ÷ die_area_mm2 {_num(area)} = "
                f"{_num(density)} (TN 4)"
            )
    datacenter = values.get("datacenter")
    met: list[str] = []
    if tpp is not None:
        for p in PARAGRAPHS:
            if p.needs_density and density is None:
                if p.test(tpp, Decimal(0)) or tpp >= TPP_MIN:
                    steps.append(f"{p.paragraph} ({p.text}): undecided, die_area_mm2 not given")
                    if not any(m.startswith("3A090.a") for m in met):
                        undecided.append("die_area_mm2")
                else:
                    steps.append(f"{p.paragraph} ({p.text}): false (TPP {_num(tpp)} < 1600)")
                continue
            ok = p.test(tpp, density)
            pd_text = f", PD {_num(density)}" if density is not None and p.needs_density else ""
            steps.append(f"{p.paragraph} ({p.text}): TPP {_num(tpp)}{pd_text}: {str(ok).lower()}")
            if ok:
                met.append(p.paragraph)
        if tpp < TPP_A1 and datacenter is False and (met or undecided):
            steps.append(
                "Note to 3A090: not designed or marketed for datacenters and TPP < 4800, so "
                "3A090.a/.b do not apply"
            )
            met = []
            undecided = [u for u in undecided if u != "die_area_mm2"]
        elif tpp < TPP_A1 and datacenter is None and (met or "die_area_mm2" in undecided):
            steps.append(
                "Note to 3A090: TPP < 4800, so whether the IC is designed or marketed for "
                "datacenters decides"
            )
            undecided.append("datacenter")
        if met and tpp >= TPP_A1 and datacenter is False:
            notes.append(
                "Not designed or marketed for datacenters with TPP ≥ 4800: 3A090.a/.b apply; see "
                "License Exceptions NAC and ACA (§ 740.8)."
            )
    undecided = list(dict.fromkeys(undecided))
    entries: list[str] = []
    prefix = "3A090" if item_type == "ic" else "4A090"
    if "datacenter" not in undecided:
        if any(m.startswith("3A090.a") for m in met):
            entries.append(f"{prefix}.a")
            if any(m.startswith("3A090.b") for m in met):
                notes.append(
                    "3A090.b parameters are met too; the item is specified by 3A090.a, the "
                    "paragraph with the wider license requirement."
                )
            if "die_area_mm2" in undecided:
                undecided.remove("die_area_mm2")
        elif any(m.startswith("3A090.b") for m in met) and "die_area_mm2" not in undecided:
            entries.append(f"{prefix}.b")
    if item_type != "ic" and entries:
        steps.append(
            f"{prefix}: the {item_type} contains an integrated circuit meeting "
            f"{entries[0].replace('4A090', '3A090')}"
        )
    mbd: Decimal | None = None
    bw, hbm_area = values.get("hbm_bandwidth_gbs"), values.get("hbm_area_mm2")
    if bw is not None or hbm_area is not None:
        if bw is None or hbm_area is None:
            undecided.append("hbm_area_mm2" if bw is not None else "hbm_bandwidth_gbs")
            steps.append("3A090.c: needs both hbm_bandwidth_gbs and hbm_area_mm2")
        else:
            assert isinstance(bw, Decimal)
            assert isinstance(hbm_area, Decimal)
            if hbm_area <= 0:
                raise InputError("hbm_area_mm2 must be greater than zero", source="hbm_area_mm2")
            mbd = bw / hbm_area
            ok = mbd > MBD_C
            steps.append(
                f"memory bandwidth density = {_num(bw)} GB/s ÷ {_num(hbm_area)} mm² = "
                f"{_num(mbd)}; 3A090.c (> 2): {str(ok).lower()}"
            )
            if ok:
                entries.append("3A090.c")
                notes.append(
                    "3A090.c excludes co-packaged ICs with HBM and logic whose dominant function "
                    "is processing."
                )
    if tpp is None and mbd is None and not undecided:
        raise InputError(
            "give at least one dense peak rate (e.g. tflops_fp16 or tops_int8) or the HBM figures",
            source="param",
            suggestions=sorted(RATE_BITS),
        )
    return ChipClassification(
        NAME,
        tpp,
        density,
        mbd,
        tuple(entries),
        tuple(met),
        tuple(steps),
        tuple(undecided),
        tuple(notes),
    )
