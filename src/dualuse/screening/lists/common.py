"""What every list loader shares: the parse context, a party builder that keeps values
unique and in order, date and text clean-up, and errors that name the file and place.

Loaders are pure: they take bytes and return parties. Reading files and downloading
belong to :mod:`dualuse.screening.lists.files` and the services layer.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from dualuse.errors import InputError
from dualuse.model.party import (
    Address,
    Identifier,
    NameKind,
    Party,
    PartyName,
    PartyType,
    Provenance,
)
from dualuse.reference.countries import normalize_country
from dualuse.reference.ids.imo import IMO
from dualuse.reference.ids.lei import LEI

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_name) if name})
MONTHS["sept"] = 9


@dataclass(frozen=True, slots=True)
class ParseContext:
    """Who the parsed parties belong to; every value gets this provenance."""

    list_id: str
    version: str
    source_url: str
    source: str
    """The file name used in error messages."""

    def provenance(self, entry_id: str) -> Provenance:
        return Provenance(self.list_id, self.version, self.source_url, entry_id)

    def error(self, message: str, location: str | None = None) -> InputError:
        return InputError(message, source=self.source, location=location)


@dataclass(frozen=True, slots=True)
class Parsed:
    """What a format parser returns before the list version is assembled."""

    parties: tuple[Party, ...]
    published: str | None = None
    """Publication date found in the file itself (ISO), if the format carries one."""
    warnings: tuple[str, ...] = ()
    list_hint: str | None = None
    """List id the file names for itself (FtM ``datasets``), if any."""


def _unique(values: Sequence[str]) -> tuple[str, ...]:
    if not values:
        return ()
    return tuple(dict.fromkeys(v for v in values if v))


@dataclass(slots=True)
class PartyBuilder:
    """Collects one entry's values; :meth:`build` returns the frozen :class:`Party`."""

    entry_id: str
    type: PartyType
    names: list[PartyName] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    listed_on: str | None = None
    sublist: str | None = None
    gender: str | None = None
    title: str | None = None
    license_requirement: str | None = None
    license_policy: str | None = None

    def name(
        self, value: str | None, kind: NameKind = NameKind.NAME, lang: str | None = None
    ) -> None:
        text = clean(value)
        if text and len(text) > 2 and text[0] == text[-1] and text[0] in "\"'":
            text = text[1:-1].strip()
        if text:
            self.names.append(PartyName(text, kind, lang))

    def nationality(self, value: str | None) -> None:
        code = normalize_country(value) if value else None
        if code:
            self.nationalities.append(code)

    def country(self, value: str | None) -> None:
        code = normalize_country(value) if value else None
        if code:
            self.countries.append(code)

    def birth_date(self, value: str | None) -> None:
        self.birth_dates.extend(parse_dates(value))

    def identifier(
        self, scheme: str, value: str | None, country: str | None = None, label: str | None = None
    ) -> None:
        text = clean(value)
        if not text:
            return
        if scheme == "imo":
            digits = IMO.normalize(text)
            if digits is None:
                scheme = "other"
            else:
                text = digits
        elif scheme == "lei":
            lei = LEI.normalize(text)
            if lei is None:
                scheme = "registration"
            else:
                text = lei
        code = normalize_country(country) if country else None
        self.identifiers.append(Identifier(scheme, text, code, clean(label)))

    def address(self, full: str | None, country: str | None = None) -> None:
        text = clean(full)
        code = normalize_country(country) if country else None
        if text or code:
            self.addresses.append(Address(text or (country or "").strip(), code))
            if code:
                self.countries.append(code)

    def add_extra(self, key: str, value: str | None) -> None:
        if not value:
            return
        text = clean(value)
        if text:
            self.extra.append((key, text))

    def build(self, ctx: ParseContext, location: str | None = None) -> Party:
        names = tuple(sorted(dict.fromkeys(self.names), key=lambda n: _KIND_ORDER[n.kind]))
        if not names or names[0].kind is not NameKind.NAME:
            raise ctx.error(f"entry {self.entry_id!r} has no name", location)
        return Party(
            id=f"{ctx.list_id}:{self.entry_id}",
            type=self.type,
            names=names,
            provenance=ctx.provenance(self.entry_id),
            birth_dates=_unique(self.birth_dates),
            birth_places=_unique(self.birth_places),
            nationalities=_unique(self.nationalities),
            countries=_unique(self.countries),
            identifiers=_unique_identifiers(self.identifiers),
            addresses=tuple(dict.fromkeys(self.addresses)) if self.addresses else (),
            programs=_unique(self.programs),
            listed_on=self.listed_on,
            sublist=self.sublist,
            gender=self.gender,
            title=self.title,
            remarks="; ".join(_unique(self.remarks)) or None,
            license_requirement=self.license_requirement,
            license_policy=self.license_policy,
            extra=tuple(dict.fromkeys(self.extra)) if self.extra else (),
        )


_KIND_ORDER = {kind: i for i, kind in enumerate(NameKind)}
"""Names are kept in this order (stable within a kind): the primary name comes first."""


def _unique_identifiers(values: list[Identifier]) -> tuple[Identifier, ...]:
    """One identifier per (scheme, value, country); the first label stated wins."""
    seen: dict[tuple[str, str, str | None], Identifier] = {}
    for ident in values:
        seen.setdefault((ident.scheme, ident.value, ident.country), ident)
    return tuple(seen.values())


_SPACES = re.compile(r"\s+")
NULLS = frozenset({"", "-0-", "n/a", "na", "none", "null", "unknown"})


def clean(value: str | None) -> str | None:
    """Collapse whitespace; publishers' null markers (``-0-``...) become ``None``."""
    if not value:
        return None
    text = value.strip()
    if "  " in text or "\n" in text or "\t" in text or "\r" in text:
        text = _SPACES.sub(" ", text)
    if len(text) <= 7 and text.lower() in NULLS:
        return None
    return text


def gender(value: str | None) -> str | None:
    text = (clean(value) or "").lower()
    if text in {"m", "male", "man"}:
        return "male"
    if text in {"f", "female", "woman"}:
        return "female"
    return None


_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ][\d:.]+(?:Z|[+-][\d:]+)?)?$")
_WORDS = re.compile(r"^(?:(\d{1,2})\s+)?([A-Za-z]{3,9})\.?,?\s+(\d{4})$")
_SLASHED = re.compile(r"^(\d{1,2}|[a-zA-Z]{2})[/.](\d{1,2}|[a-zA-Z]{2})[/.](\d{4})$")
_RANGE = re.compile(r"^(.+?)\s*(?:\bto\b|-|–)\s*(.+)$")
_APPROX = re.compile(r"^(?:circa|ca\.?|approximately|approx\.?|about|c\.)\s*", re.IGNORECASE)


def iso_date(
    year: int | str | None, month: int | str | None = 0, day: int | str | None = 0
) -> str | None:
    """A partial ISO date from parts; ``None`` if the parts do not make a real date."""
    try:
        y = int(year or 0)
        m = int(month or 0)
        d = int(day or 0)
    except (TypeError, ValueError):
        return None
    if not 1000 <= y <= 2999:
        return None
    if not m:
        return f"{y:04d}"
    if not 1 <= m <= 12:
        return None
    if not d:
        return f"{y:04d}-{m:02d}"
    if not 1 <= d <= calendar.monthrange(y, m)[1]:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def parse_date(value: str | None, *, order: str = "mdy") -> str | None:
    """One date as ISO 8601, possibly partial: ``1962``, ``1962-05`` or ``1962-05-17``.

    Reads ISO dates, ``17 May 1962``, ``May 1962``, ``circa 1962`` and slashed dates in
    ``order`` (``mdy`` for US publishers, ``dmy`` for the UK); ``00`` or ``dd``/``mm``
    in a slashed date mean unknown. Anything else is ``None``.
    """
    text = _APPROX.sub("", clean(value) or "")
    if not text:
        return None
    if m := _ISO.match(text):
        return iso_date(m.group(1), m.group(2), m.group(3))
    if m := _WORDS.match(text):
        month_no = MONTHS.get(m.group(2).lower())
        return iso_date(m.group(3), month_no, m.group(1)) if month_no else None
    if m := _SLASHED.match(text):
        first, second, year = m.groups()
        day, month = (first, second) if order == "dmy" else (second, first)
        day = day if day.isdigit() else "0"
        month = month if month.isdigit() else "0"
        return iso_date(year, month, day if int(month) else 0)
    return None


def parse_dates(value: str | None, *, order: str = "mdy") -> list[str]:
    """Dates in a cell, including ranges (``1951 to 1953`` gives each year spanned)."""
    text = clean(value)
    if not text:
        return []
    single = parse_date(text, order=order)
    if single:
        return [single]
    if m := _RANGE.match(_APPROX.sub("", text)):
        start, end = parse_date(m.group(1), order=order), parse_date(m.group(2), order=order)
        if start and end:
            first, last = int(start[:4]), int(end[:4])
            if 0 <= last - first <= 10:
                return [str(y) for y in range(first, last + 1)]
            return [start, end]
    return []


def split_values(value: str | None, sep: str = ";") -> list[str]:
    """Split a multi-valued cell and drop empty or null parts."""
    if not value:
        return []
    return [part for raw in value.split(sep) if (part := clean(raw))]


def text_hash(*parts: str | None, length: int = 12) -> str:
    """A short stable id for entries the publisher gives no id."""
    body = "\x1f".join((clean(p) or "").casefold() for p in parts)
    return hashlib.sha1(body.encode("utf-8"), usedforsecurity=False).hexdigest()[:length]


def unique_ids(builders: Sequence[PartyBuilder], tiebreak: Sequence[str] = ()) -> list[str]:
    """Make derived entry ids unique: entries sharing an id get ``<id>-<hash of
    tiebreak>`` (e.g. their addresses), and any left equal a ``~2``, ``~3`` suffix in file
    order. ``tiebreak`` holds one text per builder."""
    counts: dict[str, int] = {}
    for builder in builders:
        counts[builder.entry_id] = counts.get(builder.entry_id, 0) + 1
    if tiebreak:
        for builder, extra in zip(builders, tiebreak, strict=True):
            if counts[builder.entry_id] > 1:
                builder.entry_id = f"{builder.entry_id}-{text_hash(extra, length=6)}"
    seen: dict[str, int] = {}
    repeated = []
    for builder in builders:
        count = seen.get(builder.entry_id, 0) + 1
        seen[builder.entry_id] = count
        if count > 1:
            repeated.append(builder.entry_id)
            builder.entry_id = f"{builder.entry_id}~{count}"
    if not repeated:
        return []
    sample = ", ".join(repeated[:3])
    return [
        f"{len(repeated)} entries repeat another entry's id ({sample}...); kept with ~N suffixes"
    ]


def decode(data: bytes, source: str) -> str:
    """UTF-8 text (a BOM is dropped); other encodings are an error naming the line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            source=source,
            location=f"line {line}",
        ) from exc


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def combined_sha256(digests: dict[str, str]) -> str:
    """One digest for a set of files: SHA-256 over ``name:sha256`` lines, sorted by name."""
    if len(digests) == 1:
        return next(iter(digests.values()))
    body = "".join(f"{name}:{digests[name]}\n" for name in sorted(digests))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
