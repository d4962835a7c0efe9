"""Orders as submitted by an order desk: parties, lines, route, payment,
and the problems found while reading one (see :mod:`dualuse.decisions.orders`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from dualuse.decisions.keys import digest, party_key
from dualuse.errors import InputError

JsonDict = dict[str, Any]


class Role(StrEnum):
    BUYER = "buyer"
    CONSIGNEE = "consignee"
    END_USER = "end_user"
    INTERMEDIATE_CONSIGNEE = "intermediate_consignee"
    FORWARDER = "forwarder"
    PAYER = "payer"
    BANK = "bank"


class EndUse(StrEnum):
    CIVIL = "civil"
    MILITARY = "military"
    MILITARY_INTELLIGENCE = "military-intelligence"
    WMD = "wmd"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class OrderProblem:
    """Something wrong with an order, named by field path (``route.destination``)."""

    path: str
    message: str
    suggestions: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = f"{self.path}: {self.message}"
        if self.suggestions:
            text += " (did you mean " + " or ".join(self.suggestions) + "?)"
        return text

    def to_json(self) -> JsonDict:
        out: JsonDict = {"path": self.path, "message": self.message}
        if self.suggestions:
            out["suggestions"] = list(self.suggestions)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> OrderProblem:
        return cls(str(data["path"]), str(data["message"]), tuple(data.get("suggestions", ())))


class OrderError(InputError):
    """An order that cannot be decided; ``problems`` lists every problem by path."""

    def __init__(self, problems: Sequence[OrderProblem], *, order_id: str | None = None) -> None:
        self.problems = tuple(problems)
        self.order_id = order_id
        where = f"order {order_id}" if order_id else "order"
        super().__init__(
            f"{len(self.problems)} problem(s): " + "; ".join(str(p) for p in self.problems),
            source=where,
        )


@dataclass(frozen=True, slots=True)
class OrderParty:
    role: Role
    name: str
    country: str | None = None
    """ISO 3166-1 alpha-2, upper case."""
    incorporated: dt.date | None = None
    business: str | None = None
    address: str | None = None
    identifiers: tuple[tuple[str, str], ...] = ()
    """``(scheme, value)`` pairs (registration, lei, tax...)."""

    @property
    def key(self) -> str:
        """Stable key of this customer: the same name and country on a later order give
        the same key (it is what a false-positive clearance is remembered against)."""
        return party_key(self.name, self.country)

    def to_json(self) -> JsonDict:
        out: JsonDict = {"role": self.role.value, "name": self.name}
        if self.country is not None:
            out["country"] = self.country
        if self.incorporated is not None:
            out["incorporated"] = self.incorporated.isoformat()
        if self.business is not None:
            out["business"] = self.business
        if self.address is not None:
            out["address"] = self.address
        if self.identifiers:
            out["identifiers"] = [{"scheme": s, "value": v} for s, v in self.identifiers]
        return out


@dataclass(frozen=True, slots=True)
class OrderItem:
    line: int
    description: str | None = None
    hs: str | None = None
    """Digits only (6 to 10)."""
    eccn: str | None = None
    """Upper case, or ``EAR99``; ``None`` means classify from ``parameters`` or ``hs``."""
    quantity: float | None = None
    value: float | None = None
    currency: str | None = None
    parameters: tuple[tuple[str, object], ...] = ()
    """Technical parameters for classification, as ``(name, value)`` pairs."""

    def to_json(self) -> JsonDict:
        out: JsonDict = {"line": self.line}
        for name in ("description", "hs", "eccn", "quantity", "value", "currency"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.parameters:
            out["parameters"] = dict(self.parameters)
        return out


@dataclass(frozen=True, slots=True)
class Route:
    destination: str
    """ISO 3166-1 alpha-2 (or a covered region code the controls data knows)."""
    origin: str | None = None
    transit: tuple[str, ...] = ()

    @property
    def countries(self) -> tuple[str, ...]:
        """Every country the goods touch after leaving the origin, in order."""
        return (*self.transit, self.destination)

    def to_json(self) -> JsonDict:
        out: JsonDict = {"destination": self.destination, "transit": list(self.transit)}
        if self.origin is not None:
            out["origin"] = self.origin
        return out


@dataclass(frozen=True, slots=True)
class Payment:
    payer_country: str | None = None
    method: str | None = None
    payer: str | None = None
    """The paying party's name, when the order gives it."""

    def to_json(self) -> JsonDict:
        return {
            k: v
            for k, v in (
                ("payer_country", self.payer_country),
                ("method", self.method),
                ("payer", self.payer),
            )
            if v is not None
        }


@dataclass(frozen=True, slots=True)
class OrderChange:
    """A change made to the order after it was first placed (parties, route...)."""

    path: str
    """What changed, by field path (``route.destination``, ``parties[1]``)."""
    changed_on: dt.date | None = None
    note: str | None = None

    def to_json(self) -> JsonDict:
        out: JsonDict = {"path": self.path}
        if self.changed_on is not None:
            out["changed_on"] = self.changed_on.isoformat()
        if self.note is not None:
            out["note"] = self.note
        return out


@dataclass(frozen=True, slots=True)
class Order:
    id: str
    route: Route
    parties: tuple[OrderParty, ...]
    items: tuple[OrderItem, ...]
    date: dt.date | None = None
    end_use: EndUse = EndUse.UNKNOWN
    payment: Payment | None = None
    changes: tuple[OrderChange, ...] = ()
    no_russia_clause: bool | None = None
    """Whether the contract holds the "no re-export to Russia" clause of Art. 12g of
    Reg. (EU) 833/2014; ``None`` when the order does not say."""
    problems: tuple[OrderProblem, ...] = ()
    """Problems that do not stop a decision (an unparseable incorporation date...)."""
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    """The order as submitted; the input digest is taken over it."""

    def to_json(self) -> JsonDict:
        out: JsonDict = {
            "id": self.id,
            "route": self.route.to_json(),
            "parties": [p.to_json() for p in self.parties],
            "items": [i.to_json() for i in self.items],
            "end_use": self.end_use.value,
        }
        if self.date is not None:
            out["date"] = self.date.isoformat()
        if self.payment is not None:
            out["payment"] = self.payment.to_json()
        if self.changes:
            out["changes"] = [c.to_json() for c in self.changes]
        if self.no_russia_clause is not None:
            out["no_russia_clause"] = self.no_russia_clause
        return out

    @property
    def input_digest(self) -> str:
        return digest(self.raw if self.raw else self.to_json())
