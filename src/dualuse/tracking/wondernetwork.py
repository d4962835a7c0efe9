"""Reader for the WonderNetwork "day in the life of the internet" RTT matrix (servers at
stated coordinates, one day of pings between them), used to evaluate the locator.

Caveats from ``shared/data/geo/SOURCES.md``: the servers header ends in a stray
``,,,11``; ``country`` holds English names; pings are keyed by server id, and rows for
ids missing from the servers file (292-295) and self-pings are dropped. The RTT of a pair
is the minimum over both directions.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from dualuse.errors import InputError
from dualuse.reference.countries import normalize_country


@dataclass(frozen=True, slots=True)
class Server:
    id: int
    name: str
    title: str
    country_name: str
    country: str
    """Upper-case ISO-2 code of the stated country."""
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Matrix:
    servers: dict[int, Server]
    rtt_ms: dict[tuple[int, int], float]
    """Minimum RTT per unordered pair, keyed ``(low id, high id)``."""
    dropped_rows: int
    self_pings: int

    def rtt(self, a: int, b: int) -> float | None:
        return self.rtt_ms.get((a, b) if a < b else (b, a))


def read_servers(text: str) -> dict[int, Server]:
    servers: dict[int, Server] = {}
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            sid = int(row["id"])
            lat, lon = float(row["latitude"]), float(row["longitude"])
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(
                "bad id or coordinates", source="servers", location=f"row {number}"
            ) from exc
        code = normalize_country(row.get("country"))
        if code is None:
            raise InputError(
                f"unknown country {row.get('country')!r}",
                source="servers",
                location=f"row {number}",
            )
        servers[sid] = Server(
            sid, row["name"], row["title"], row["country"], code.upper(), lat, lon
        )
    return servers


def read_matrix(servers_text: str, pings_text: str) -> Matrix:
    servers = read_servers(servers_text)
    best: dict[tuple[int, int], float] = {}
    dropped = selfs = 0
    for number, row in enumerate(csv.DictReader(io.StringIO(pings_text)), start=2):
        try:
            a, b, rtt = int(row["source"]), int(row["destination"]), float(row["min"])
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError("bad ping row", source="pings", location=f"row {number}") from exc
        if a == b:
            selfs += 1
            continue
        if a not in servers or b not in servers or not math.isfinite(rtt) or rtt < 0:
            dropped += 1
            continue
        key = (a, b) if a < b else (b, a)
        if rtt < best.get(key, math.inf):
            best[key] = rtt
    return Matrix(servers, best, dropped, selfs)


@dataclass(frozen=True)
class Cities:
    """GeoNames places (``cities15000_slim.csv``): candidate points for the baseline."""

    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    country: NDArray[np.str_]


def read_cities(text: str) -> Cities:
    lats: list[float] = []
    lons: list[float] = []
    codes: list[str] = []
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            lats.append(float(row["latitude"]))
            lons.append(float(row["longitude"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError("bad coordinates", source="cities", location=f"row {number}") from exc
        codes.append((row.get("country_code") or "").upper())
    return Cities(np.array(lats), np.array(lons), np.array(codes))


SERVERS_FILE = "wondernetwork/servers-2020-07-19.csv"
PINGS_FILE = "wondernetwork/pings-2020-07-19-2020-07-20-grouped.csv"
CITIES_FILE = "geonames/cities15000_slim.csv"


def load_geo_folder(folder: Path) -> tuple[Matrix, Cities]:
    """The matrix and the GeoNames cities from a copy of ``shared/data/geo``."""
    for name in (SERVERS_FILE, PINGS_FILE, CITIES_FILE):
        if not (folder / name).is_file():
            raise InputError("missing", source=str(folder / name))
    matrix = read_matrix(
        (folder / SERVERS_FILE).read_text(encoding="utf-8"),
        (folder / PINGS_FILE).read_text(encoding="utf-8"),
    )
    return matrix, read_cities((folder / CITIES_FILE).read_text(encoding="utf-8"))
