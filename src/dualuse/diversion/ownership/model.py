"""Parties, stakes and data-quality findings: what the loaders produce and the rules read.

A stake's percentage is kept as an interval (``low``..``high``) so that a missing, ranged
or unparseable value is carried honestly: the rules derive a status from the low ends
(what is certain) and from the high ends (what is possible); the difference is
``unknown``, never ``clear``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

HUNDRED = Decimal(100)
ZERO = Decimal(0)


class StakeKind(StrEnum):
    OWNERSHIP = "ownership"
    """Shares or proprietary rights: counted by the percentage rules."""
    CONTROL = "control"
    """Board seats, voting agreements, dominant influence, consolidation: review only."""


@dataclass(frozen=True, slots=True)
class Share:
    """A percentage as an interval; ``strict`` ends are open (``> low``, ``< high``)."""

    low: Decimal
    high: Decimal
    low_strict: bool = False
    high_strict: bool = False
    raw: str | None = None
    """The value as written in the source, for the report."""

    @property
    def exact(self) -> bool:
        return self.low == self.high and not (self.low_strict or self.high_strict)

    def text(self) -> str:
        if self.exact:
            return f"{_fmt(self.low)}%"
        lo = ">" if self.low_strict else "≥"
        hi = "<" if self.high_strict else "≤"
        return f"{lo}{_fmt(self.low)}% and {hi}{_fmt(self.high)}%"


UNKNOWN_SHARE = Share(ZERO, HUNDRED)


def _fmt(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


@dataclass(frozen=True, slots=True)
class Party:
    id: str
    name: str | None = None
    schema: str | None = None
    listed: bool = False
    """Designated on a sanctions list (FtM topic ``sanction`` or named by the caller)."""
    arrangement: bool = False
    """A joint holding (BODS ``arrangement``): its holders hold its stakes jointly."""
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Stake:
    """One edge: ``owner`` holds an interest in ``asset``."""

    id: str
    owner: str
    asset: str
    kind: StakeKind
    share: Share | None
    """``None`` for control edges, which carry no percentage."""
    start_date: str | None = None
    end_date: str | None = None
    interest: str | None = None
    """The source's name for the interest (``shareholding``, ``Directorship``, ...)."""
    joint: bool = False
    """Held jointly with the other joint stakes in the same asset (FtM ``ownershipType``)."""
    source: str = ""
    """File and line or statement where the stake was read."""

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "owner": self.owner,
            "asset": self.asset,
            "kind": self.kind.value,
            "percentage": self.share.text() if self.share else None,
            "start_date": self.start_date,
            "end_date": self.end_date,
            "interest": self.interest,
            "joint": self.joint,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Finding:
    """A data-quality problem or a case for review, with where it was found."""

    code: str
    message: str
    entity: str | None = None
    stake: str | None = None
    source: str | None = None
    evidence: tuple[dict[str, object], ...] = ()

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"code": self.code, "message": self.message}
        if self.entity is not None:
            out["entity"] = self.entity
        if self.stake is not None:
            out["stake"] = self.stake
        if self.source is not None:
            out["source"] = self.source
        if self.evidence:
            out["evidence"] = list(self.evidence)
        return out


@dataclass(slots=True)
class Graph:
    """Parties and stakes from one or more files, plus what the loaders found wrong."""

    parties: dict[str, Party] = field(default_factory=dict)
    stakes: list[Stake] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def add_party(self, party: Party) -> None:
        old = self.parties.get(party.id)
        if old is not None:
            party = Party(
                id=party.id,
                name=party.name or old.name,
                schema=party.schema or old.schema,
                listed=party.listed or old.listed,
                arrangement=party.arrangement or old.arrangement,
                source=old.source or party.source,
            )
        self.parties[party.id] = party


# -- percentages --------------------------------------------------------------------------

_NUMBER = r"[+-]?\d+(?:\.\d+)?"
_RANGE = re.compile(rf"^({_NUMBER})\s*%?\s*(?:-|–|to)\s*({_NUMBER})\s*%?$")


def parse_percentage(raw: str) -> tuple[Share | None, str | None]:
    """``"33.3"``, ``"33.3%"``, ``"25-50"`` to a share; otherwise ``(None, problem)``.

    Negative values and values above 100 are refused as problems, not clipped: a wrong
    number must not silently become a plausible one.
    """
    text = raw.strip()
    match = _RANGE.match(text)
    if match:
        low, high = Decimal(match.group(1)), Decimal(match.group(2))
        return _checked(low, high, raw)
    try:
        value = Decimal(text.removesuffix("%").strip())
    except InvalidOperation:
        return None, f"percentage {raw!r} is not a number"
    if not value.is_finite():
        return None, f"percentage {raw!r} is not a number"
    return _checked(value, value, raw)


def _checked(low: Decimal, high: Decimal, raw: str) -> tuple[Share | None, str | None]:
    if low < 0 or high < 0:
        return None, f"percentage {raw!r} is negative"
    if low > HUNDRED or high > HUNDRED:
        return None, f"percentage {raw!r} is above 100"
    if low > high:
        return None, f"percentage range {raw!r} runs backwards"
    return Share(low, high, raw=raw), None


# -- dates ----------------------------------------------------------------------------------

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def date_span(raw: str | None) -> tuple[date, date] | None:
    """The first and last day a (possibly partial) ISO date can mean; ``None`` if bad.

    ``"2020"`` spans the year, ``"2020-05"`` the month; a timestamp keeps its date part.
    """
    if raw is None:
        return None
    match = _DATE.match(raw.strip())
    if not match:
        return None
    try:
        year = int(match.group(1))
        if match.group(3):
            day = date(year, int(match.group(2)), int(match.group(3)))
            return day, day
        if match.group(2):
            month = int(match.group(2))
            last = calendar.monthrange(year, month)[1]
            return date(year, month, 1), date(year, month, last)
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None
