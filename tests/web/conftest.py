"""Fixtures for the reviewers' pages: a real server on loopback with keys for each role,
and a small client that logs in through the login form like a browser does."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import httpx
import pytest

from dualuse.api.app import create_app
from dualuse.settings import Settings
from dualuse.storage import apikeys
from dualuse.storage.apikeys import Role
from dualuse.storage.db import make_engine
from tests.conftest import LiveServer, postgres_schema

SESSION = "__Host-dualuse_session"
PRE = "__Host-dualuse_login"


PEOPLE = {
    "reviewer": "Rita Reviewer",
    "approver": "Alex Approver",
    "submitter": "Sam <b>Submitter</b>",
    "auditor": "Ada Auditor",
    "screener": "Screen Only",
}
ROLES = {
    "reviewer": {Role.REVIEWER, Role.APPROVER},  # may approve, but never what she cleared
    "approver": {Role.APPROVER},
    "submitter": {Role.SUBMITTER},
    "auditor": {Role.AUDITOR},
    "screener": {Role.SCREENER},
}
HELD_ORDER = {
    "id": "PO-2026-0107",
    "date": "2026-12-01",
    "route": {"origin": "US", "destination": "DE"},
    "parties": [
        {
            "role": "buyer",
            "name": "Arta Shipping Enterprises Ltd",
            "country": "DE",
            "business": "ship chandler",
        }
    ],
    "items": [
        {
            "line": 1,
            "description": "office chairs",
            "hs": "940131",
            "eccn": "EAR99",
            "quantity": 40,
            "value": 9000.0,
            "currency": "USD",
        }
    ],
    "end_use": "civil",
}
"""A German buyer whose name is that of an SDN entry (ARTA SHIPPING ENTERPRISES LIMITED,
IRAN programme): the decision is ``hold`` until a reviewer dispositions the alerts."""

REVIEW_ORDER = {
    "id": "PO-2026-0042",
    "date": "2026-12-01",
    "route": {"origin": "US", "transit": ["AE"], "destination": "KG"},
    "parties": [
        {
            "role": "buyer",
            "name": "Tengri Components OsOO",
            "country": "KG",
            "incorporated": "2023-03-14",
            "business": "wholesale trade",
        }
    ],
    "items": [
        {
            "line": 1,
            "description": "microcontrollers",
            "hs": "854231",
            "eccn": "EAR99",
            "quantity": 5000,
            "value": 40000.0,
            "currency": "USD",
        }
    ],
    "end_use": "civil",
    "payment": {"payer_country": "HK", "method": "wire"},
}
"""The issue's example: CHPL Tier 1 microcontrollers via the UAE to Kyrgyzstan for a
company incorporated in 2023, paid from Hong Kong: red flags, so ``review``."""


@dataclass
class Site:
    url: str
    keys: dict[str, str]
    settings: Settings


@dataclass
class Browser:
    """httpx keeps Secure cookies off plain http, so the cookies are carried by hand."""

    url: str
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str = ""

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"sec-fetch-site": "same-origin"}
        if self.cookies:
            headers["cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.update(extra or {})
        return headers

    def _keep(self, response: httpx.Response) -> None:
        for raw in response.headers.get_list("set-cookie"):
            name, _, rest = raw.partition("=")
            value = rest.split(";", 1)[0].strip('"')
            if "max-age=0" in raw.lower() or not value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        found = re.search(r'name="csrf" value="([^"]+)"', response.text)
        if found:
            self.csrf = found.group(1)

    def get(self, path: str, **kw: object) -> httpx.Response:
        r = httpx.get(self.url + path, headers=self._headers(), timeout=120, **kw)  # type: ignore[arg-type]
        self._keep(r)
        return r

    def post(
        self, path: str, data: dict[str, str], headers: dict[str, str] | None = None
    ) -> httpx.Response:
        body = {"csrf": self.csrf, **data}
        r = httpx.post(self.url + path, data=body, headers=self._headers(headers), timeout=300)
        self._keep(r)
        return r

    def login(self, key: str) -> httpx.Response:
        self.get("/ui/login")
        return self.post("/ui/login", {"api_key": key, "next": "/ui/audit"})


def _serve(settings: Settings) -> Iterator[Site]:
    engine = make_engine(settings.db_url)
    keys = {
        name: apikeys.create_key(engine, PEOPLE[name], frozenset(roles))[1]
        for name, roles in ROLES.items()
    }
    keys["device"] = apikeys.create_key(
        engine, "device", frozenset({Role.DEVICE}), scope="device:x"
    )[1]
    with LiveServer(create_app(settings)) as server:
        yield Site(server.url, keys, settings)
    engine.dispose()


@pytest.fixture
def site(request: pytest.FixtureRequest, screening_settings: Settings) -> Iterator[Site]:
    """The app on SQLite, or on PostgreSQL with ``indirect`` parameter ``"postgresql"``."""
    if getattr(request, "param", "sqlite") == "postgresql":
        schema = f"web{os.getpid()}_{abs(hash(request.node.nodeid)) % 10**8}"
        with postgres_schema(schema) as url:
            yield from _serve(replace(screening_settings, database_url=url))
        return
    yield from _serve(screening_settings)


@pytest.fixture
def browser(site: Site) -> Browser:
    return Browser(site.url)


def submit(site: Site, order: dict[str, object]) -> httpx.Response:
    """Submit an order as the submitter, through the order form's JSON field."""
    import json

    desk = Browser(site.url)
    desk.login(site.keys["submitter"])
    desk.get("/ui/orders/new")
    return desk.post("/ui/orders", {"order_json": json.dumps(order)})


def held_case(site: Site) -> int:
    """Submit :data:`HELD_ORDER`; the id of the case it opened."""
    r = submit(site, HELD_ORDER)
    assert r.status_code == 303, r.text
    page = httpx.get(site.url + r.headers["location"], headers={"cookie": ""}, timeout=60)
    assert page.status_code == 303  # a decision page needs a session too
    from dualuse.services.case_views import QueueFilter
    from dualuse.services.cases import CaseService

    service = CaseService(site.settings)
    (case,) = service.queue(QueueFilter(order_id=HELD_ORDER["id"]))  # type: ignore[arg-type]
    assert case.verdict == "hold"
    return case.case_id


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


def assert_balanced(page: str) -> None:
    """Every element the templates open is closed, in order (no stray or crossed tags)."""
    from html.parser import HTMLParser

    stack: list[tuple[str, tuple[int, int]]] = []

    class Check(HTMLParser):
        def handle_starttag(self, tag: str, attrs: object) -> None:
            if tag not in VOID:
                stack.append((tag, self.getpos()))

        def handle_endtag(self, tag: str) -> None:
            assert stack, f"</{tag}> at {self.getpos()} closes nothing"
            opened, where = stack.pop()
            assert opened == tag, f"</{tag}> at {self.getpos()} closes <{opened}> from {where}"

    Check().feed(page)
    assert not stack, f"never closed: {stack}"
