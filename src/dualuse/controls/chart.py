"""Reading an ECCN's License Requirements lines into structured chart controls.

A line reads like "NS applies to 4A003.b, .c, and .z.1 => NS Column 1" or
"RS applies to 3A090.b => To or within the United Arab Emirates or destinations
specified in Country Groups D:1, D:4, and D:5 ..., excluding any destination also
specified in Country Groups A:5 or A:6". These pure functions turn the scope into
paragraph references and the destination text into a :class:`DestinationRule`; what
they cannot read is kept as text and answered "unknown", never "no".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dualuse.controls.model import ChartControl
from dualuse.reference.ids.eccn import ECCN

CHART_COLUMNS = (
    "CB 1", "CB 2", "CB 3", "NP 1", "NP 2", "NS 1", "NS 2", "MT 1",
    "RS 1", "RS 2", "FC 1", "CC 1", "CC 2", "CC 3", "AT 1", "AT 2",
)  # fmt: skip
_COLUMN = re.compile(r"\b(CB|NP|NS|MT|RS|FC|CC|AT)\s*Column\s*(\d)")
_BARE_COLUMN = re.compile(r"^\s*Column\s*(\d)")
_GROUP = re.compile(r"\b([ABDE]:\d|B)\b")
# Destinations the License Requirements text names by name (15 CFR 774 Supp. 1).
NAMED_DESTINATIONS = {
    "United Arab Emirates": "ae",
    "Macau": "mo",
    "China": "cn",
    "Russia": "ru",
    "Venezuela": "ve",
    "Iraq": "iq",
    "Pakistan": "pk",
    "North Korea": "kp",
    "Canada": "ca",
}


_FILLER = frozenset(
    {"and", "or", "items", "controlled", "by", "in", "the", "only", "this", "entry"}
)
"""Words that only introduce paragraph references ("items controlled by 1C351.d.15")."""


def parse_columns(reason: str, text: str) -> tuple[str, ...]:
    cols = [f"{m.group(1)} {m.group(2)}" for m in _COLUMN.finditer(text)]
    bare = _BARE_COLUMN.match(text)
    if not cols and bare and reason in {"CB", "NP", "NS", "MT", "RS", "FC", "CC", "AT"}:
        cols = [f"{reason} {bare.group(1)}"]
    return tuple(c for c in dict.fromkeys(cols) if c in CHART_COLUMNS)


@dataclass(frozen=True, slots=True)
class Scope:
    """What a License Requirements line covers.

    ``refs`` ``None`` means the entire entry; ``excluded`` are paragraphs an "except"
    list takes out, ``excluded_if`` paragraphs it takes out only under a condition (so a
    paragraph there is answered "unknown"). ``complete`` is False when words remain that
    were not read (conditions, descriptions): a matching paragraph is then "unknown".
    """

    refs: tuple[str, ...] | None
    complete: bool
    excluded: tuple[str, ...] = ()
    excluded_if: tuple[str, ...] = ()


def _refs(eccn: str, text: str) -> tuple[tuple[str, ...], list[str]]:
    """Paragraph references of ``eccn`` in ``text`` in order, and the words left over."""
    refs: list[tuple[int, str]] = []
    spans: list[tuple[int, int]] = []
    patterns = (
        (re.compile(re.escape(eccn) + r"((?:\.[a-z0-9]{1,2})+)"), True),
        (re.compile(r"(?<![\w.])\.([a-z](?:\.[a-z0-9]{1,2})*)"), False),
        (re.compile(r"(?<![\w.])([a-z]\.[0-9]{1,2}(?:\.[a-z0-9]{1,2})*)"), False),
        (re.compile(r"(?:,|\band)\s+([a-z])(?=\s*\(|,)"), False),
    )
    for pattern, full in patterns:
        for m in pattern.finditer(text):
            if any(a <= m.start(1) < b for a, b in spans):
                continue
            path = m.group(1).lstrip(".")
            refs.append((m.start(1), eccn + "." + path if not full else eccn + m.group(1)))
            spans.append((m.start(1), m.end(1)))
    # ".16" after "1C351.d.15 and": a sibling of the reference before it.
    for m in re.finditer(r"(?<![\w.])\.(\d{1,2})(?![\w.])", text):
        before = [r for pos, r in refs if pos < m.start(1)]
        if before and "." in before[-1][len(eccn) :]:
            refs.append((m.start(1), before[-1].rsplit(".", 1)[0] + "." + m.group(1)))
            spans.append((m.start(1), m.end(1)))
    leftover = text
    for a, b in sorted(spans, reverse=True):
        leftover = leftover[:a] + " " + leftover[b:]
    leftover = re.sub(re.escape(eccn), " ", leftover)
    words = [w for w in re.findall(r"[A-Za-z]{2,}", leftover) if w.lower() not in _FILLER]
    ordered = tuple(dict.fromkeys(r for _, r in sorted(refs)))
    return tuple(r for r in ordered if ECCN.is_valid(r)), words


def _except_list(eccn: str, text: str) -> Scope:
    """ "entire entry except 0A501.y", "except .a.1", "except: 9A610.b; parts ... in
    9A610.x if ...; and 9A610.y". Each ";" item is read as paragraphs taken out, or as
    paragraphs taken out only "if" a condition holds. An item that names another ECCN,
    leaves bare letters or words beyond such a condition is not read: the list is then
    partial, and only its paragraphs taken out for certain are used."""
    excluded: list[str] = []
    conditional: list[str] = []
    complete = True
    for chunk in re.split(r";", text):
        others = {m for m in re.findall(r"\b\d[A-E]\d{3}\b", chunk) if m != eccn}
        refs, words = _refs(eccn, chunk)
        bare = re.search(r"(?<![\w.])[a-z](?![\w.])", _without_refs(eccn, chunk))
        if others:
            complete = False
        elif not refs:
            complete = complete and not words and not bare
        elif not words and not bare:
            excluded += refs
        elif " if " in chunk:
            head = chunk.split(" if ", 1)[0]
            conditional += [r for r in refs if r in _refs(eccn, head)[0]]
            complete = complete and bool(conditional)
        else:
            complete = False
    return Scope(None, complete, tuple(excluded), tuple(conditional))


def _without_refs(eccn: str, text: str) -> str:
    """``text`` with the entry's paragraph references and the ECCN itself removed."""
    text = re.sub(re.escape(eccn) + r"(?:\.[a-z0-9]{1,2})*", " ", text)
    return re.sub(r"(?<![\w.])\.?[a-z](?:\.[a-z0-9]{1,2})+|(?<![\w.])\.[a-z]\b", " ", text)


def parse_scope(eccn: str, control: str) -> Scope:
    """The paragraphs a control line covers (see :class:`Scope`).

    References to the entry's own paragraphs are collected wherever they stand
    (``3A001.b.2``, ``.c``, ``z.2.a``, ``, b (``); "entire entry except ..." lists are
    read into exclusions.
    """
    text = control
    for marker in (" applies to ", " apply to ", " applies "):
        if marker in control:
            text = control.split(marker, 1)[1]
            break
    if re.match(r"^\s*(the\s+)?entire entry", text, re.I):
        parts = re.split(r"\bexcept\b:?", text, maxsplit=1, flags=re.I)
        if len(parts) == 1:
            return Scope(None, True)
        return _except_list(eccn, parts[1])
    valid, words = _refs(eccn, text)
    return Scope(valid, not words and bool(valid))


def parse_control(eccn: str, control: str, destination_text: str) -> ChartControl:
    reason = control.split()[0] if control.split() else ""
    scope = parse_scope(eccn, control)
    return ChartControl(
        reason=reason,
        scope=scope.refs,
        scope_text=control if not scope.complete else "",
        columns=parse_columns(reason, destination_text),
        destination_text=destination_text.strip(),
        excluded=scope.excluded,
        excluded_if=scope.excluded_if,
        text=control,
    )


@dataclass(frozen=True, slots=True)
class DestinationRule:
    """Where a special (non-column) license requirement reaches.

    ``kind``: ``worldwide``, ``listed`` (countries and groups, minus exclusions),
    ``none`` ("N/A"), ``un`` (UN sanctions of § 746.1(b)), or ``unread`` (a pointer to
    another section whose text we do not hold).
    """

    kind: str
    countries: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    excluded_countries: frozenset[str] = frozenset()
    excluded_groups: frozenset[str] = frozenset()


def parse_destination_rule(reason: str, text: str) -> DestinationRule:
    t = " ".join(text.split())
    if re.fullmatch(r"N/A\.?", t):
        return DestinationRule("none")
    if reason == "UN" or re.search(r"§\s*7[46][64]\.1(\(b\))? .*UN controls", t):
        return DestinationRule("un")
    if reason == "Russian":
        return DestinationRule("listed", countries=frozenset({"ru", "by"}))
    if re.search(r"\bexcluding\b|\bexcept\b", t):
        parts = re.split(r"\bexcluding\b|\bexcept\b", t, maxsplit=1)
        include, exclude = parts[0], parts[1]
    else:
        include, exclude = t, ""
    if re.search(r"worldwide|\ball destinations\b", include, re.I):
        return DestinationRule(
            "worldwide",
            excluded_countries=_named(exclude),
            excluded_groups=_groups(exclude),
        )
    countries, groups = _named(include), _groups(include)
    if countries or groups:
        return DestinationRule(
            "listed",
            countries=countries,
            groups=groups,
            excluded_countries=_named(exclude),
            excluded_groups=_groups(exclude),
        )
    return DestinationRule("unread")


def _named(text: str) -> frozenset[str]:
    return frozenset(code for name, code in NAMED_DESTINATIONS.items() if name in text)


def _groups(text: str) -> frozenset[str]:
    if "Country Group" not in text:
        return frozenset()
    return frozenset(m for m in _GROUP.findall(text) if ":" in m)


def reason_codes(reasons: tuple[str, ...]) -> tuple[str, ...]:
    """Reasons for control as two-letter codes ("CC 1" and "CC1" are CC, "MT and AT" is
    MT and AT); "foreign policy" is FP, the reason the Russian sanctions lines carry."""
    out: list[str] = []
    for text in reasons:
        if re.search(r"foreign policy", text, re.I):
            out.append("FP")
        else:
            out += re.findall(r"(?<![A-Za-z])([A-Z]{2})(?![a-z])", text)
    return tuple(dict.fromkeys(out))


def missing_reasons(
    entry_reasons: tuple[str, ...], line_reasons: tuple[str, ...]
) -> tuple[str, ...]:
    """Reasons for control the entry names but no parsed License Requirements line carries."""
    have = {"FP" if r == "Russian" else r for r in line_reasons}
    return tuple(r for r in reason_codes(entry_reasons) if r not in have)
