"""Fixtures for the reviewers' pages: a real server on loopback with keys for each role,
and a small client that logs in through the login form like a browser does."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from dualuse.api.app import create_app
from dualuse.settings import Settings
from dualuse.storage import apikeys
from dualuse.storage.apikeys import Role
from dualuse.storage.db import make_engine
from tests.conftest import LiveServer

SESSION = "__Host-dualuse_session"
PRE = "__Host-dualuse_login"


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


@pytest.fixture
def site(screening_settings: Settings) -> Iterator[Site]:
    engine = make_engine(screening_settings.db_url)
    wanted = {
        "reviewer": {Role.REVIEWER},
        "reviewer2": {Role.REVIEWER},
        "approver": {Role.REVIEWER, *(r for r in Role if r.value == "approver")},
        "screener": {Role.SCREENER},
        "admin": {Role.ADMIN},
    }
    keys = {
        name: apikeys.create_key(engine, f"{name} <i>x</i>", frozenset(roles))[1]
        for name, roles in wanted.items()
    }
    keys["device"] = apikeys.create_key(
        engine, "device", frozenset({Role.DEVICE}), scope="device:x"
    )[1]
    with LiveServer(create_app(screening_settings)) as server:
        yield Site(server.url, keys, screening_settings)


@pytest.fixture
def browser(site: Site) -> Browser:
    return Browser(site.url)
