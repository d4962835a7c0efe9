"""Typed values of the control data: entries, chart cells, groups, citations.

Every value here is a frozen dataclass, never changed once the data are loaded (their
mappings are plain dicts, not copied, so nothing may write to them), and carries where it
came from, so a determination can quote the text and the date of every rule it applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Citation:
    """Act, section, the date of the text read, and where it was read."""

    act: str
    section: str
    date: str
    source: str = ""

    def __str__(self) -> str:
        return f"{self.act} {self.section} ({self.date})"


@dataclass(frozen=True, slots=True)
class Period:
    """When a rule is in force; ``None`` ends are open (not recorded)."""

    start: date | None = None
    end: date | None = None

    def contains(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day < self.end)


@dataclass(frozen=True, slots=True)
class ChartControl:
    """One line of an ECCN's License Requirements: a reason, what it covers, where.

    ``columns`` lists Country Chart columns (``NS 2``); when empty the line states a
    special destination rule in ``destination_text`` instead (e.g. "worldwide").
    ``scope`` is ``None`` for the entire entry, else the paragraph references found in
    the control text (``3A090.a``); ``scope_text`` keeps the text as written.
    """

    reason: str
    scope: tuple[str, ...] | None
    scope_text: str
    columns: tuple[str, ...]
    destination_text: str
    excluded: tuple[str, ...] = ()
    """Paragraphs an "entire entry except ..." list takes out."""
    excluded_if: tuple[str, ...] = ()
    """Paragraphs the "except" list takes out only under a condition (answered unknown)."""
    text: str = ""
    """The control text as written."""

    @property
    def entire_entry(self) -> bool:
        return self.scope is None


@dataclass(frozen=True, slots=True)
class ItemParagraph:
    paragraph: str | None
    kind: str
    depth: int
    text: str


@dataclass(frozen=True, slots=True)
class ControlEntry:
    """One ECCN of the Commerce Control List."""

    eccn: str
    category: str
    group: str
    heading: str
    reasons: tuple[str, ...]
    controls: tuple[ChartControl, ...]
    exception_flags: dict[str, str]
    related_controls: str
    items: tuple[ItemParagraph, ...]
    has_item_text: bool
    citation: Citation
    missing_reasons: tuple[str, ...] = ()
    """Reasons for control named by the entry with no parsed License Requirements line."""


@dataclass(frozen=True, slots=True)
class EUEntry:
    """One entry of Annex I to Regulation (EU) 2021/821 (as parsed upstream)."""

    code: str
    label: str
    category: str
    subgroup: str
    depth: int
    text: str
    citation: Citation


@dataclass(frozen=True, slots=True)
class ChartRow:
    """A destination's row of the Commerce Country Chart."""

    name: str
    marks: frozenset[str]
    footnotes: tuple[int, ...]
    embargo_pointer: str | None = None


@dataclass(frozen=True, slots=True)
class HSHeading:
    code: str
    description: str
    level: int
    parent: str
    section: str


@dataclass(frozen=True, slots=True)
class CHPLItem:
    tier: str
    hs6: str
    description: str
    tier_description: str
    citation: Citation


@dataclass(frozen=True, slots=True)
class LicenceException:
    symbol: str
    section: str
    title: str


class Outcome(StrEnum):
    """A licence answer: three values, never a silent default."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"

    @staticmethod
    def combine(outcomes: list[Outcome]) -> Outcome:
        """Yes if any says yes; otherwise unknown if any cannot tell; else no."""
        if Outcome.YES in outcomes:
            return Outcome.YES
        if Outcome.UNKNOWN in outcomes:
            return Outcome.UNKNOWN
        return Outcome.NO


class Effect(StrEnum):
    """What one reason does to the answer."""

    REQUIRES = "requires"
    """Makes a licence required."""
    UNDETERMINED = "undetermined"
    """Means the answer cannot be told from the facts and data we have."""
    NO_REQUIREMENT = "no_requirement"
    """A rule was checked and does not require a licence here."""
    CONDITION = "condition"
    """Does not change the answer but adds an obligation (e.g. a UVL statement)."""
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Reason:
    """One step of a determination, with the rule it rests on."""

    code: str
    effect: Effect
    text: str
    citation: Citation
    jurisdiction: str = "US-EAR"
    detail: dict[str, str] = field(default_factory=dict)
