"""One frozen settings object, built at the edge (CLI or API start) and passed in.

Nothing below the interfaces reads environment variables or module globals: a
function that needs a setting takes the :class:`Settings` (or the section it needs).
Each capability owns one nested section so that adding a field touches one place.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

from dualuse.errors import InputError

ENV_PREFIX = "DUALUSE_"


@dataclass(frozen=True, slots=True)
class ScreeningSettings:
    """Party screening."""

    threshold: float | None = None
    """Score at or above which a result is a match; ``None`` means the algorithm's default."""
    algorithm: str | None = None
    """Scoring algorithm NAME; ``None`` means the default algorithm."""
    limit: int = 10
    """Results returned per query."""
    stale_after_days: int = 31
    """A list version older than this is reported as stale."""
    download_timeout_s: float = 60.0
    download_retries: int = 3
    max_download_bytes: int = 512 * 1024 * 1024
    download_backoff_s: float = 1.0
    """First wait before retrying a failed download; doubled on each retry."""
    list_urls: str = ""
    """Overrides of official list URLs, ``LIST=URL`` pairs separated by commas or spaces
    (e.g. a mirror, or a local server in tests). For a list of several files (the OFAC
    CSV sets) the URL is that of the main file; the others are fetched beside it."""
    max_shrink: float = 0.5
    """A new list version losing more than this share of the live version's entries is
    refused unless forced (a truncated download often still parses)."""
    keep_versions: int = 5
    """List versions kept per list (the live one included)."""
    use_bundled_lists: bool = True
    """Screen against the package's bundled snapshot for lists not loaded into the store."""


@dataclass(frozen=True, slots=True)
class ControlsSettings:
    """Classification and licence determination."""

    data_dir: Path | None = None
    """Folder with the control data files; ``None`` means the copy shipped in the package."""
    stale_after_days: int = 30
    """Control data older than this (against the date asked about) is flagged as stale."""
    end_user_review_band: float = 0.20
    """How far below the screening threshold an end user's best hit still makes a licence
    answer "unknown" (naming the hit) instead of "no". Why: a listed party known by a short
    name can score under the threshold ("Rostec" scored 0.61 against the SDN
    entry "STATE CORPORATION ROSTEC", threshold 0.75), and for a licence answer a missed
    listed party is the worst error there is. Measured (``bench/controls_review_band.py``,
    docs/benchmarks.md): at 0.20, 54% of 1,500 CSL organisations queried by one
    distinctive word are matched or in the band (27% at 0.00, 48% at 0.15, whose floor
    0.60 sits on a cluster of such scores at 0.61), while 1.6% of 1,500 unlisted person
    names turn "unknown" (0.9% at 0.15): a review, never a wrong "no"."""


@dataclass(frozen=True, slots=True)
class DecisionSettings:
    """Transaction decisions."""

    rules_files: str = ""
    """Rule files (YAML, the format of ``dualuse/data/decisions/rules.yaml``) read after
    the packaged one, separated by commas; a rule with the same id replaces it."""
    disabled_rules: str = ""
    """Rule ids switched off, separated by commas."""


@dataclass(frozen=True, slots=True)
class TrackingSettings:
    """Post-export location verification."""

    bound: str = "secure"
    """Speed bound for device verdicts: ``secure`` (c), ``fibre`` (2/3 c) or ``calibrated``."""
    border_buffer_km: float = 5.0
    """Widening of every country test (Natural Earth 1:50m borders are off by a few km)."""
    max_level: int = 9
    """Finest quadtree level of the feasible region (9 is about 0.088 degrees)."""
    countries_file: Path | None = None
    """Natural Earth admin-0 GeoJSON (plain or .gz) instead of the packaged 1:50m file."""
    nonce_ttl_s: float = 120.0
    max_skew_s: float = 300.0
    """How far a device's or landmark's clock may stray from the verifier's."""
    max_token_bytes: int = 8192
    max_measurements: int = 200
    """Landmark receipts accepted with one piece of evidence."""
    lease_ttl_s: float = 3600.0
    max_evidence_age_s: float = 300.0
    """Evidence older than this cannot back a lease."""
    max_override_s: float = 7 * 86400.0
    checkin_interval_s: int = 3600
    """Default check-in interval for newly enrolled devices."""
    max_speed_kmh: float = 1000.0
    """Travel between fixes faster than this is impossible travel."""
    signal_window_s: float = 7 * 86400.0
    """Blocking signals this recent stop automatic lease renewal."""
    lease_key_file: Path | None = None
    """PEM private key that signs leases; default ``home/tracking/lease-key.pem``."""
    verifier_name: str = "dualuse"


@dataclass(frozen=True, slots=True)
class ApiSettings:
    """HTTP interface."""

    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = 16 * 1024 * 1024
    keep_alive_s: int = 30
    """How long an idle keep-alive connection stays open. uvicorn's default (5 s) is
    shorter than a request can take under overload, and its keep-alive timer can then
    close a connection whose next request is already in (uvicorn #1637, #2243): the
    client sees the connection drop (measured: 2 of 3,000 requests at 200 clients)."""


def default_home() -> Path:
    return Path(platformdirs.user_data_dir("dualuse", appauthor=False))


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable, in one immutable value."""

    home: Path = field(default_factory=default_home)
    """Folder for list versions, indexes and the default SQLite database."""
    database_url: str | None = None
    """SQLAlchemy URL; ``None`` means SQLite at ``home/dualuse.db``."""
    shared_data: Path | None = None
    """Optional folder with the shared public data (``../shared/data``), for benchmarks."""
    workers: int = 0
    """Processes for batch work; 0 means one per core."""
    audit_key_file: Path | None = None
    """Ed25519 private key (PEM) that signs audit checkpoints; ``None`` means
    ``home/audit/checkpoint-key.pem``. Keep it away from the database (another disk,
    another account) so that whoever can rewrite the log cannot sign for it."""
    screening: ScreeningSettings = field(default_factory=ScreeningSettings)
    controls: ControlsSettings = field(default_factory=ControlsSettings)
    tracking: TrackingSettings = field(default_factory=TrackingSettings)
    api: ApiSettings = field(default_factory=ApiSettings)
    decisions: DecisionSettings = field(default_factory=DecisionSettings)

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'dualuse.db'}"

    @property
    def effective_workers(self) -> int:
        return self.workers if self.workers > 0 else (os.cpu_count() or 1)

    @property
    def checkpoint_key(self) -> Path:
        return self.audit_key_file or self.home / "audit" / "checkpoint-key.pem"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``DUALUSE_*`` variables.

        Top-level fields are ``DUALUSE_HOME``, ``DUALUSE_DATABASE_URL``...; section fields
        are ``DUALUSE_<SECTION>_<FIELD>``, e.g. ``DUALUSE_SCREENING_THRESHOLD=0.8``.
        A value that does not parse is an :class:`InputError` naming the variable.
        """
        env = os.environ if env is None else env
        top: dict[str, Any] = {}
        for f in fields(cls):
            if f.name in {"screening", "controls", "tracking", "api", "decisions"}:
                section_cls = type(getattr(cls(), f.name))
                top[f.name] = _section_from_env(section_cls, f"{ENV_PREFIX}{f.name.upper()}_", env)
                continue
            key = f"{ENV_PREFIX}{f.name.upper()}"
            if key in env:
                top[f.name] = _parse(key, env[key], f.type)
        return cls(**top)


def _section_from_env(section_cls: type[Any], prefix: str, env: Mapping[str, str]) -> Any:
    values: dict[str, Any] = {}
    for f in fields(section_cls):
        key = f"{prefix}{f.name.upper()}"
        if key in env:
            values[f.name] = _parse(key, env[key], f.type)
    return section_cls(**values)


def _parse(key: str, raw: str, type_name: Any) -> Any:
    kind = str(type_name)
    raw = raw.strip()
    try:
        if "None" in kind and raw == "":
            return None
        if kind.startswith("Path"):
            return Path(raw).expanduser()
        if kind.startswith("float"):
            return float(raw)
        if kind.startswith("int"):
            return int(raw)
        if kind.startswith("bool"):
            if raw.lower() in {"1", "true", "yes", "on"}:
                return True
            if raw.lower() in {"0", "false", "no", "off"}:
                return False
            raise ValueError(raw)
    except ValueError as exc:
        raise InputError(f"cannot parse {raw!r} as {kind}", source=key) from exc
    return raw
