"""Tracking over real HTTP (uvicorn on loopback): roles, the device protocol driven by the
simulator, operator views, the map page (also in Debian chromium), bad input."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest

from dualuse.api.app import create_app
from dualuse.settings import Settings
from dualuse.storage import apikeys
from dualuse.storage.apikeys import Role
from dualuse.storage.db import make_engine
from dualuse.tracking.keys import Signer
from dualuse.tracking.simulator import HttpTransport, LeaseLapsed, SimDevice, SimLandmark, check_in
from tests.conftest import LiveServer

LANDMARKS = {
    "Munich": (48.1374, 11.5755),
    "Frankfurt": (50.1109, 8.6821),
    "Vienna": (48.2088, 16.3726),
}


class FakeClock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def live(settings: Settings) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    settings = replace(settings, tracking=replace(settings.tracking, lease_ttl_s=600.0))
    engine = make_engine(settings.db_url)
    keys = {
        role.value: apikeys.create_key(engine, role.value, frozenset({role}))[1]
        for role in (Role.OPERATOR, Role.SCREENER, Role.REVIEWER)
    }
    # Replaced by the key the enrolment returns (bound to the enrolled device).
    keys["device"] = apikeys.create_key(
        engine, "unbound device", frozenset({Role.DEVICE}), scope="device:none"
    )[1]
    with LiveServer(create_app(settings)) as server:
        yield server, keys


def client(server: LiveServer, key: str) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers={"X-API-Key": key}, timeout=60)


def setup_fleet(server: LiveServer, keys: dict[str, str]) -> tuple[str, Signer, list[SimLandmark]]:
    op = client(server, keys["operator"])
    sims = []
    for name, (lat, lon) in LANDMARKS.items():
        signer = Signer.generate()
        r = op.post(
            "/v1/tracking/landmarks",
            json={"landmark_id": name, "lat": lat, "lon": lon, "public_key": signer.public.pem()},
        )
        assert r.status_code == 201, r.text
        sims.append(SimLandmark(name, lat, lon, signer))
    device_key = Signer.generate()
    r = op.post(
        "/v1/tracking/devices",
        json={
            "serial": "SN-77",
            "model": "DMU 65 monoBLOCK",
            "eccn": "2B001",
            "licence": "BAFA-1",
            "end_user": "Werkzeugbau GmbH",
            "prohibited": ["CN", "RU", "IR"],
            "permitted": ["DE", "AT"],
            "public_key": device_key.public.pem(),
        },
    )
    assert r.status_code == 201, r.text
    keys["device"] = r.json()["api_key"]
    return r.json()["device_id"], device_key, sims


def test_roles_are_enforced(live) -> None:  # type: ignore[no-untyped-def]
    server, keys = live
    assert httpx.get(f"{server.url}/v1/tracking/devices").status_code == 401
    assert client(server, keys["device"]).get("/v1/tracking/devices").status_code == 403
    assert client(server, keys["reviewer"]).post("/v1/tracking/devices/x/nonce").status_code == 403
    assert client(server, keys["screener"]).post("/v1/tracking/devices", json={}).status_code == 403
    assert client(server, keys["operator"]).post("/v1/tracking/devices/x/nonce").status_code == 403
    locate = client(server, keys["screener"]).post(
        "/v1/tracking/locate",
        json={
            "measurements": [{"landmark_lat": 48.14, "landmark_lon": 11.58, "rtt_ms": 1.0}],
            "prohibited": ["CN"],
        },
    )
    assert locate.status_code == 200 and "DE" in locate.json()["possible_countries"]
    assert locate.json()["verdict"]["verdict"] == "proven_outside"


def test_a_device_key_speaks_only_for_its_device(live) -> None:  # type: ignore[no-untyped-def]
    server, keys = live
    unbound = keys["device"]
    device_id, _key, _sims = setup_fleet(server, keys)
    own = client(server, keys["device"])
    assert own.post(f"/v1/tracking/devices/{device_id}/nonce").status_code == 200
    other = own.post("/v1/tracking/devices/dev_someoneelse/nonce")
    assert other.status_code == 403
    assert "not bound to this device" in other.text
    stray = client(server, unbound)
    assert stray.post(f"/v1/tracking/devices/{device_id}/nonce").status_code == 403


def test_device_protocol_over_http(live) -> None:  # type: ignore[no-untyped-def]
    server, keys = live
    device_id, device_key, sims = setup_fleet(server, keys)
    transport = HttpTransport(server.url, keys["device"])
    clock = FakeClock()
    device = SimDevice(
        device_id,
        transport.ueid(device_id),
        device_key,
        transport.verifier_key(),
        48.35,
        11.79,
        clock=clock,
    )
    result = check_in(device, sims, transport)
    assert result.evidence["verdict"] == "proven_outside", result.evidence
    assert result.lease and result.lease["granted"] and device.work() == 1
    clock.t = 601.0  # the lease (600 s) has lapsed on the device's own clock
    with pytest.raises(LeaseLapsed):
        device.work()
    op = client(server, keys["operator"])
    fleet = op.get("/v1/tracking/devices").json()
    assert fleet[0]["device_id"] == device_id and fleet[0]["lease_active"]
    history = op.get(f"/v1/tracking/devices/{device_id}").json()
    assert history["evidence"][0]["verdict"] == "proven_outside"
    page = op.get(f"/v1/tracking/devices/{device_id}/map")
    assert page.status_code == 200 and '<path id="region" d="M' in page.text
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert "script-src" not in page.headers["content-security-policy"]  # default-src 'none'
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    for picture in ("map.png", "history.png"):
        png = op.get(f"/v1/tracking/devices/{device_id}/{picture}")
        assert png.status_code == 200 and png.content[:4] == b"\x89PNG"
    assert op.get("/v1/audit/verify").status_code == 403  # operators do not read the audit log
    assert client(server, keys["reviewer"]).get("/v1/audit/verify").json()["intact"]


def test_bad_device_input_is_rejected_with_a_reason(live) -> None:  # type: ignore[no-untyped-def]
    server, keys = live
    device_id, _key, _sims = setup_fleet(server, keys)
    dev = client(server, keys["device"])
    garbage = base64.urlsafe_b64encode(b"\x9f\xff\x00").decode()
    r = dev.post(f"/v1/tracking/devices/{device_id}/evidence", json={"evidence": garbage})
    assert (
        r.status_code == 200 and r.json()["accepted"] is False and r.json()["reason"] == "malformed"
    )
    r = dev.post(f"/v1/tracking/devices/{device_id}/evidence", json={"evidence": "!!not base64!!"})
    assert r.status_code == 400 and "base64" in r.json()["detail"]
    r = dev.post(f"/v1/tracking/devices/{device_id}/evidence", json={"evidence": "A" * 20_000})
    assert r.status_code == 422
    r = dev.post("/v1/tracking/devices/nope/nonce")
    assert r.status_code == 403  # a device key cannot even probe other device ids
    r = client(server, keys["operator"]).get("/v1/tracking/devices/nope")
    assert r.status_code == 404
    r = dev.post(
        f"/v1/tracking/devices/{device_id}/lease",
        json={"evidence_id": 99999, "lease_nonce": "AAAAAAAAAAA"},
    )
    assert r.status_code == 404
    scr = client(server, keys["screener"])
    r = scr.post(
        "/v1/tracking/locate",
        json={"measurements": [{"landmark_lat": 95.0, "landmark_lon": 0, "rtt_ms": 1.0}]},
    )
    assert r.status_code == 400 and "off the globe" in r.json()["detail"]
    r = scr.post(
        "/v1/tracking/locate",
        content=b'{"measurements": [{"landmark_lat": NaN, "landmark_lon": 0, "rtt_ms": 1}]}',
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code in (400, 422)
    op = client(server, keys["operator"])
    r = op.post(
        "/v1/tracking/devices",
        json={
            "serial": "s",
            "model": "m",
            "eccn": "nope",
            "licence": "l",
            "end_user": "e",
            "prohibited": ["CN"],
            "public_key": "x",
        },
    )
    assert r.status_code == 400
    for bad_id in ("../../x", "a/b", "..", "a b"):
        r = op.post(
            "/v1/tracking/devices",
            json={
                "serial": "s2",
                "model": "m",
                "eccn": "3A090",
                "licence": "l",
                "end_user": "e",
                "prohibited": ["CN"],
                "public_key": Signer.generate().public.pem(),
                "device_id": bad_id,
            },
        )
        assert r.status_code == 422, (bad_id, r.text)
    assert [d["device_id"] for d in op.get("/v1/tracking/devices").json()] == [device_id]


@pytest.mark.browser
def test_map_page_in_chromium(live, chromium: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    server, keys = live
    device_id, device_key, sims = setup_fleet(server, keys)
    transport = HttpTransport(server.url, keys["device"])
    device = SimDevice(
        device_id, transport.ueid(device_id), device_key, transport.verifier_key(), 48.2, 16.0
    )
    check_in(device, sims, transport)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            context = browser.new_context(extra_http_headers={"X-API-Key": keys["operator"]})
            page = context.new_page()
            blocked: list[str] = []
            page.on("console", lambda m: blocked.append(m.text) if "Policy" in m.text else None)
            page.goto(f"{server.url}/v1/tracking/devices/{device_id}/map")
            page.wait_for_selector("#map")
            assert "proven_outside" in page.inner_text("#verdict")
            box = page.locator("#region").bounding_box()
            assert box is not None and box["width"] > 10 and box["height"] > 10
            assert page.locator("circle.landmark.shaping").count() >= 1
            page.wait_for_function("document.getElementById('history-plot').naturalWidth > 0")
            # The page's CSP lets its own inline style and images through, nothing else.
            opacity = page.eval_on_selector("#region", "e => getComputedStyle(e).fillOpacity")
            assert opacity == "0.35" and blocked == []
        finally:
            browser.close()
