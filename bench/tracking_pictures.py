"""Pictures of a simulated device's life for docs/tracking.md: its history plot and the
operator's map page rendered by Debian chromium.

A licensed machine tool in Munich checks in through four landmarks, is moved to Moscow
(violation, lease denied), an operator records an override (leases on that basis), a
cloned key answers from Singapore (impossible travel). Everything runs in-process on a
throwaway database, in simulated time.

Run: ``python -m bench.tracking_pictures [--out docs/img]``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dualuse.services.tracking import LocalTransport, TrackingService
from dualuse.settings import Settings
from dualuse.storage.db import make_engine
from dualuse.tracking.keys import Signer
from dualuse.tracking.simulator import SimDevice, SimLandmark, check_in
from dualuse.web.tracking.render import history_png, map_html

PLACES = {
    "Munich": (48.1374, 11.5755),
    "Frankfurt": (50.1109, 8.6821),
    "Vienna": (48.2088, 16.3726),
    "Warsaw": (52.2297, 21.0122),
    "Moscow": (55.7558, 37.6173),
    "Singapore": (1.2897, 103.8501),
}


class Clock:
    """Simulated time, so a day of check-ins takes a second."""

    def __init__(self, start: float) -> None:
        self.t = start

    def __call__(self) -> float:
        return self.t


class TimedTransport(LocalTransport):
    def __init__(self, service: TrackingService, clock: Clock) -> None:
        super().__init__(service)
        self.clock = clock

    def nonce(self, device_id: str) -> bytes:
        return self.service.issue_nonce(device_id, now=self.clock())[0]

    def evidence(
        self, device_id: str, token: bytes, measurements: Sequence[tuple[bytes, bytes]]
    ) -> dict[str, Any]:
        out = self.service.submit_evidence(device_id, token, measurements, now=self.clock())
        return {"evidence_id": out.evidence_id, "accepted": out.accepted}

    def lease(self, device_id: str, evidence_id: int, lease_nonce: bytes) -> dict[str, Any]:
        out = self.service.request_lease(device_id, evidence_id, lease_nonce, now=self.clock())
        return {"granted": out.granted, "token": out.token}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/img"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(home=Path(tmp))
        service = TrackingService(make_engine(settings.db_url), settings)
        lms = {}
        for name, (lat, lon) in PLACES.items():
            signer = Signer.generate()
            service.add_landmark(name, lat, lon, signer.public, actor="demo")
            lms[name] = SimLandmark(name, lat, lon, signer)
        clock = Clock(time.time() - 36 * 3600)
        for lm in lms.values():
            lm.wall = clock
        key = Signer.generate()
        row = service.enrol(
            serial="DMU-0042", model="5-axis machining centre", eccn="2B001", licence="BAFA-123",
            end_user="Werkzeugbau GmbH", prohibited=["CN", "RU", "IR"], permitted=["DE"],
            public_key=key.public, actor="demo",
        )  # fmt: skip
        device = SimDevice(
            row.device_id, row.ueid, key, service.lease_signer().public, 48.2, 11.7,
            clock=clock, wall=clock,
        )  # fmt: skip
        transport = TimedTransport(service, clock)
        europe = [lms[n] for n in ("Munich", "Frankfurt", "Vienna", "Warsaw")]
        for _ in range(8):  # hourly check-ins at the licensed site
            check_in(device, europe, transport)
            clock.t += 3600
        clock.t += 6 * 3600  # silent while it is moved: missed check-ins
        device.lat, device.lon = 55.70, 37.50
        device.reboot()
        for hour in range(4):
            if hour == 2:
                reason = "BAFA amendment under review"
                service.override(row.device_id, "allow", reason, 3600, actor="demo")
            check_in(device, [lms["Moscow"], lms["Warsaw"]], transport)
            clock.t += 3600
        clock.t += 1800
        device.lat, device.lon = PLACES["Singapore"]  # a cloned key answers elsewhere
        check_in(device, [lms["Singapore"]], transport)
        history = service.history(row.device_id)
        args.out.mkdir(parents=True, exist_ok=True)
        plot = history_png(
            history["evidence"], history["signals"], history["leases"], title=row.serial
        )
        (args.out / "tracking_history.png").write_bytes(plot)
        moscow = next(e["id"] for e in history["evidence"] if e["verdict"] == "violation")
        location, fix = service.device_location(row.device_id, moscow)
        page = map_html(
            location, service.locator.world, title=f"{row.serial}: evidence {fix['id']}",
            verdict=fix["verdict"], history_rows=history["evidence"][:6],
        )  # fmt: skip
        html = Path(tmp) / "map.html"
        html.write_text(page, encoding="utf-8")
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                ],
            )
            page_ = browser.new_page(viewport={"width": 1000, "height": 900})
            page_.goto(html.as_uri())
            page_.screenshot(path=str(args.out / "tracking_map_page.png"), full_page=True)
            browser.close()
    print(f"wrote {args.out / 'tracking_history.png'} and {args.out / 'tracking_map_page.png'}")


if __name__ == "__main__":
    main()
