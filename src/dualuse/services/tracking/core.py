"""What every tracking use case shares: the settings, the locator, the audit log, the
verifier's lease key and the landmark calibrations; :data:`SIGNALS` weighs signals."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from dualuse.files import atomic_write_bytes
from dualuse.settings import Settings, TrackingSettings
from dualuse.storage import audit
from dualuse.storage import tracking as store
from dualuse.tracking import signals as sig
from dualuse.tracking.calibration import Bestline
from dualuse.tracking.evidence import Limits
from dualuse.tracking.keys import Signer
from dualuse.tracking.locate import LatencyLocator
from dualuse.tracking.world import CountryIndex, World, load_world

SIGNALS = sig.DiversionSignals()


def locator_for(cfg: TrackingSettings, world: World | None = None) -> LatencyLocator:
    world = world or load_world(cfg.countries_file)
    index = CountryIndex(world, cfg.border_buffer_km)
    return LatencyLocator(world, index=index, max_level=cfg.max_level)


@dataclass
class TrackingCore:
    """The state of a :class:`~dualuse.services.tracking.TrackingService`; the use cases
    are mixins on top of it, one module per subject."""

    engine: Engine
    settings: Settings
    world: World | None = None
    _locator: LatencyLocator | None = field(default=None, repr=False)

    @property
    def cfg(self) -> TrackingSettings:
        return self.settings.tracking

    @property
    def locator(self) -> LatencyLocator:
        if self._locator is None:
            self._locator = locator_for(self.cfg, self.world)
        return self._locator

    @property
    def limits(self) -> Limits:
        return Limits(max_token_bytes=self.cfg.max_token_bytes, max_skew_s=self.cfg.max_skew_s)

    def _audit(self, actor: str, action: str, subject: str, **payload: Any) -> None:
        audit.append(self.engine, actor=actor, action=action, subject=subject, payload=payload)

    def lease_signer(self) -> Signer:
        """The verifier's lease key, created (mode 0600) on first use.

        Servers that share a home may start together: the key is linked into place
        only if none is there yet (``os.link`` fails on an existing name), so every
        process signs with the one key that won, never with one it alone holds."""
        path = self.cfg.lease_key_file or self.settings.home / "tracking" / "lease-key.pem"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fresh = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
            try:
                atomic_write_bytes(fresh, Signer.generate().pem())
                os.chmod(fresh, 0o600)
                os.link(fresh, path)
            except FileExistsError:
                pass  # another process made it first: use theirs
            finally:
                fresh.unlink(missing_ok=True)
        return Signer.load_pem(path.read_bytes(), source=str(path))

    def _calibration(self) -> dict[str, Bestline]:
        return {
            str(r["landmark_id"]): Bestline(r["slope_ms_per_km"], 0.0, 0)
            for r in store.landmark_rows(self.engine)
            if r["slope_ms_per_km"] is not None
        }
