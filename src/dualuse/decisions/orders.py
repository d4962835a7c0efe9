"""Parse and validate an order (a JSON object) into an :class:`Order`.

Every problem is collected, named by field path (``route.destination: missing``,
``parties[1].role: unknown 'byer'``), before anything is refused, so that the sender
fixes an order in one round. Two kinds of problem:

* fatal ones (a missing destination, an unknown country, ECCN or HS code, a name of a
  megabyte) raise :class:`OrderError` listing all of them, with suggestions;
* an unparseable *optional* fact (an incorporation date, a quantity) is kept on
  ``Order.problems``: the party is still screened and the order still decided, and the
  decision reports the field.
"""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from dualuse.controls.data import ControlData, suggest
from dualuse.decisions.model import (
    EndUse,
    Order,
    OrderChange,
    OrderError,
    OrderItem,
    OrderParty,
    OrderProblem,
    Payment,
    Role,
    Route,
)
from dualuse.errors import InputError
from dualuse.once import load_once
from dualuse.reference.countries import require_country

MAX_NAME = 500
"""Characters in a party name (the longest listed names are about 300)."""
MAX_TEXT = 2000
"""Characters in any other free-text field (description, business, address, note)."""
MAX_ID = 200
MAX_PARTIES = 100
MAX_ITEMS = 1000
MAX_TRANSIT = 20

REGIONS = {
    "UA-43": "Crimea (Autonomous Republic of Crimea)",
    "UA-40": "Sevastopol",
    "UA-14": "Donetsk region",
    "UA-09": "Luhansk region",
}
"""ISO 3166-2 codes accepted for the covered regions of Ukraine (15 CFR 746.6)."""
REGION_NAMES = {
    "crimea": "UA-43",
    "sevastopol": "UA-40",
    "donetsk": "UA-14",
    "dnr": "UA-14",
    "luhansk": "UA-09",
    "lugansk": "UA-09",
    "lnr": "UA-09",
}


@load_once
def _default_data() -> ControlData:
    from dualuse.controls.data import load

    return load(None)


class _Reader:
    """Collects problems while reading one order."""

    def __init__(self, data: ControlData | None) -> None:
        self._data = data
        self.fatal: list[OrderProblem] = []
        self.soft: list[OrderProblem] = []

    @property
    def data(self) -> ControlData:
        if self._data is None:
            self._data = _default_data()
        return self._data

    def fail(self, path: str, message: str, suggestions: tuple[str, ...] = ()) -> None:
        self.fatal.append(OrderProblem(path, message, suggestions))

    def warn(self, path: str, message: str) -> None:
        self.soft.append(OrderProblem(path, message))

    # -- scalars ---------------------------------------------------------------------
    def text(
        self, obj: Mapping[str, Any], key: str, path: str, *, required: bool, limit: int
    ) -> str | None:
        value = obj.get(key)
        where = f"{path}.{key}" if path else key
        if value is None:
            if required:
                self.fail(where, "missing")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(where, f"expected text, got {_kind(value)}")
            return None
        text = str(value)
        if len(text) > limit:
            self.fail(where, f"{len(text):,} characters; the limit is {limit:,}")
            return None
        bad = next((c for c in text if _forbidden(c)), None)
        if bad is not None:
            self.fail(
                where, f"contains the control character U+{ord(bad):04X} at {text.index(bad)}"
            )
            return None
        text = " ".join(text.split())
        if required and not text:
            self.fail(where, "empty")
            return None
        return text or None

    def country(self, value: Any, where: str) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or len(value) > 100:
            self.fail(where, f"expected a country code or name, got {_kind(value)}")
            return None
        region = _region(value)
        if region is not None:
            return region
        try:
            return require_country(value, source=where).upper()
        except InputError as exc:
            self.fail(where, exc.message, tuple(s.split(" ")[0] for s in exc.suggestions))
            return None

    def day(self, value: Any, where: str) -> dt.date | None:
        """An optional date: unparseable is a soft problem."""
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(str(value)[:10]) if isinstance(value, str) else None
        except ValueError:
            pass
        shown = repr(value)[:60]
        self.warn(where, f"not a date (YYYY-MM-DD): {shown}; ignored")
        return None

    def number(self, value: Any, where: str) -> float | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.warn(where, f"not a number: {_kind(value)}; ignored")
            return None
        try:
            number = float(value)
        except ValueError:
            self.warn(where, f"not a number: {str(value)[:60]!r}; ignored")
            return None
        if number != number or number < 0 or number in (float("inf"), float("-inf")):
            self.warn(where, f"not a non-negative finite number: {value!r}; ignored")
            return None
        return number

    def obj(self, value: Any, where: str, *, required: bool) -> Mapping[str, Any] | None:
        if value is None:
            if required:
                self.fail(where, "missing")
            return None
        if not isinstance(value, Mapping):
            self.fail(where, f"expected an object, got {_kind(value)}")
            return None
        return value

    def array(self, value: Any, where: str, *, required: bool, limit: int) -> list[Any] | None:
        if value is None:
            if required:
                self.fail(where, "missing")
            return None
        if not isinstance(value, list):
            self.fail(where, f"expected a list, got {_kind(value)}")
            return None
        if required and not value:
            self.fail(where, "empty: at least one is needed")
            return None
        if len(value) > limit:
            self.fail(where, f"{len(value):,} entries; the limit is {limit:,}")
            return None
        return value

    def choice(self, value: Any, where: str, enum: Callable[[str], Any], choices: list[str]) -> Any:
        if not isinstance(value, str):
            self.fail(where, f"expected one of {', '.join(choices)}, got {_kind(value)}")
            return None
        key = value.strip().lower().replace(" ", "_")
        alt = key.replace("_", "-")
        for candidate in (key, alt):
            if candidate in choices:
                return enum(candidate)
        near = tuple(difflib.get_close_matches(key, choices, n=2, cutoff=0.5))
        self.fail(where, f"unknown {value[:40]!r} (one of {', '.join(choices)})", near)
        return None

    # -- parts -----------------------------------------------------------------------
    def route(self, raw: Any) -> Route | None:
        obj = self.obj(raw, "route", required=True)
        if obj is None:
            return None
        dest_raw = obj.get("destination")
        if dest_raw is None or dest_raw == "":
            self.fail("route.destination", "missing")
        destination = self.country(dest_raw or None, "route.destination")
        origin = self.country(obj.get("origin"), "route.origin")
        transit: list[str] = []
        hops = obj.get("transit")
        if isinstance(hops, str):  # one country given as text
            hops = [hops]
        hops = self.array(hops, "route.transit", required=False, limit=MAX_TRANSIT)
        for i, hop in enumerate(hops or ()):
            code = self.country(hop, f"route.transit[{i}]")
            if code is not None:
                transit.append(code)
        if destination is None:
            return None
        return Route(destination=destination, origin=origin, transit=tuple(transit))

    def party(self, raw: Any, i: int) -> OrderParty | None:
        where = f"parties[{i}]"
        obj = self.obj(raw, where, required=True)
        if obj is None:
            return None
        role = None
        if obj.get("role") is None:
            self.fail(f"{where}.role", "missing")
        else:
            role = self.choice(obj["role"], f"{where}.role", Role, [r.value for r in Role])
        name = self.text(obj, "name", where, required=True, limit=MAX_NAME)
        country = self.country(obj.get("country"), f"{where}.country")
        idents: list[tuple[str, str]] = []
        for j, ident in enumerate(
            self.array(obj.get("identifiers"), f"{where}.identifiers", required=False, limit=20)
            or ()
        ):
            iobj = self.obj(ident, f"{where}.identifiers[{j}]", required=True)
            if iobj is not None:
                scheme = self.text(
                    iobj, "scheme", f"{where}.identifiers[{j}]", required=True, limit=50
                )
                value = self.text(
                    iobj, "value", f"{where}.identifiers[{j}]", required=True, limit=200
                )
                if scheme and value:
                    idents.append((scheme.lower(), value))
        incorporated = self.day(obj.get("incorporated"), f"{where}.incorporated")
        business = self.text(obj, "business", where, required=False, limit=MAX_TEXT)
        address = self.text(obj, "address", where, required=False, limit=MAX_TEXT)
        if role is None or not name:
            return None
        return OrderParty(
            role=role,
            name=name,
            country=country,
            incorporated=incorporated,
            business=business,
            address=address,
            identifiers=tuple(idents),
        )

    def item(self, raw: Any, i: int) -> OrderItem | None:
        where = f"items[{i}]"
        obj = self.obj(raw, where, required=True)
        if obj is None:
            return None
        line = obj.get("line", i + 1)
        if isinstance(line, bool) or not isinstance(line, int) or line < 1:
            self.fail(f"{where}.line", f"expected a positive whole number, got {line!r:.40}")
            line = None
        eccn = self.eccn(obj.get("eccn"), f"{where}.eccn")
        hs = self.hs(obj.get("hs"), f"{where}.hs")
        params = self.parameters(obj.get("parameters"), f"{where}.parameters")
        currency = self.text(obj, "currency", where, required=False, limit=3)
        item = OrderItem(
            line=line or 0,
            description=self.text(obj, "description", where, required=False, limit=MAX_TEXT),
            hs=hs,
            eccn=eccn,
            quantity=self.number(obj.get("quantity"), f"{where}.quantity"),
            value=self.number(obj.get("value"), f"{where}.value"),
            currency=currency.upper() if currency else None,
            parameters=params,
        )
        return item if line else None

    def eccn(self, value: Any, where: str) -> str | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str) or len(value) > 40:
            self.fail(where, f"expected an ECCN such as 3A090.a or EAR99, got {_kind(value)}")
            return None
        from dualuse.controls.items import parse_item

        try:
            eccn, _entry, _checked = parse_item(self.data, value)
        except InputError as exc:
            self.fail(where, exc.message, exc.suggestions)
            return None
        return str(eccn)

    def hs(self, value: Any, where: str) -> str | None:
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, str | int) or len(str(value)) > 20:
            self.fail(where, f"expected an HS code such as 854231, got {_kind(value)}")
            return None
        from dualuse.controls.classify import classify_hs

        try:
            return classify_hs(self.data, str(value)).code
        except InputError as exc:
            self.fail(where, exc.message, exc.suggestions)
            return None

    def parameters(self, value: Any, where: str) -> tuple[tuple[str, object], ...]:
        obj = self.obj(value, where, required=False)
        if not obj:
            return ()
        from dualuse.controls.classify import parameter_catalogue

        known = parameter_catalogue(self.data)
        out: list[tuple[str, object]] = []
        for key in sorted(obj, key=str):
            name = str(key).strip().lower()
            if name not in known:
                self.fail(
                    f"{where}.{str(key)[:40]}",
                    "unknown parameter",
                    tuple(suggest(name, sorted(known), limit=2)),
                )
                continue
            out.append((name, obj[key]))
        return tuple(out)

    def payment(self, raw: Any) -> Payment | None:
        obj = self.obj(raw, "payment", required=False)
        if obj is None:
            return None
        return Payment(
            payer_country=self.country(obj.get("payer_country"), "payment.payer_country"),
            method=self.text(obj, "method", "payment", required=False, limit=100),
            payer=self.text(obj, "payer", "payment", required=False, limit=MAX_NAME),
        )

    def changes(self, raw: Any) -> tuple[OrderChange, ...]:
        out = []
        for i, change in enumerate(
            self.array(raw, "changes", required=False, limit=MAX_ITEMS) or ()
        ):
            where = f"changes[{i}]"
            obj = self.obj(change, where, required=True)
            if obj is None:
                continue
            path = self.text(obj, "path", where, required=True, limit=200)
            if path:
                out.append(
                    OrderChange(
                        path=path,
                        changed_on=self.day(obj.get("changed_on"), f"{where}.changed_on"),
                        note=self.text(obj, "note", where, required=False, limit=MAX_TEXT),
                    )
                )
        return tuple(out)


def parse_order(raw: Any, *, data: ControlData | None = None) -> Order:
    """An :class:`Order` from a decoded JSON value; raises :class:`OrderError` naming every
    fatal problem. ``data`` is the control data that ECCNs and HS codes are checked
    against (the packaged data when ``None``)."""
    if not isinstance(raw, Mapping):
        raise OrderError([OrderProblem("$", f"expected an order object, got {_kind(raw)}")])
    r = _Reader(data)
    order_id = r.text(raw, "id", "", required=True, limit=MAX_ID)
    order_date = r.day(raw.get("date"), "date")
    route = r.route(raw.get("route"))
    parties = [
        r.party(p, i)
        for i, p in enumerate(
            r.array(raw.get("parties"), "parties", required=True, limit=MAX_PARTIES) or ()
        )
    ]
    items = [
        r.item(x, i)
        for i, x in enumerate(
            r.array(raw.get("items"), "items", required=True, limit=MAX_ITEMS) or ()
        )
    ]
    seen: dict[int, int] = {}
    for i, item in enumerate(items):
        if item is not None:
            if item.line in seen:
                r.fail(f"items[{i}].line", f"line {item.line} repeats items[{seen[item.line]}]")
            seen.setdefault(item.line, i)
    end_use = EndUse.UNKNOWN
    if raw.get("end_use") is not None:
        end_use = r.choice(raw["end_use"], "end_use", EndUse, [e.value for e in EndUse])
    payment = r.payment(raw.get("payment"))
    changes = r.changes(raw.get("changes"))
    clause = raw.get("no_russia_clause")
    if clause is not None and not isinstance(clause, bool):
        r.warn("no_russia_clause", f"expected true or false, got {_kind(clause)}; ignored")
        clause = None
    if r.fatal or route is None or order_id is None or end_use is None:
        raise OrderError(r.fatal, order_id=order_id)
    return Order(
        id=order_id,
        route=route,
        parties=tuple(p for p in parties if p is not None),
        items=tuple(x for x in items if x is not None),
        date=order_date,
        end_use=end_use,
        payment=payment,
        changes=changes,
        no_russia_clause=clause,
        problems=tuple(r.soft),
        raw=dict(raw),
    )


def determination_country(code: str) -> str:
    """The country a destination is determined for: a covered region's country."""
    return code.split("-", 1)[0]


def _region(value: str) -> str | None:
    text = value.strip()
    upper = text.upper()
    if upper in REGIONS:
        return upper
    return REGION_NAMES.get(text.casefold())


def _forbidden(char: str) -> bool:
    """Control and format characters other than ordinary whitespace."""
    return char not in "\t\n\r" and unicodedata.category(char) in {"Cc", "Cs"}


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"the number {value!r:.40}"
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


__all__ = ["REGIONS", "OrderError", "determination_country", "parse_order"]
