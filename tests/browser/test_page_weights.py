"""scripts/page_weights.py counts what a page costs: every request to our host, its bytes by kind, and any
request to another host (there must be none: no third-party assets). Checked on the test server; the figures
themselves are measured by the script, not asserted here."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser
from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


@pytest.fixture(scope="module")
def page_weights() -> ModuleType:
    sys.path.insert(0, str(SCRIPTS))  # the script imports its neighbour site_server.py
    try:
        spec = importlib.util.spec_from_file_location("page_weights", SCRIPTS / "page_weights.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["page_weights"] = module  # its dataclasses look their module up there
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(SCRIPTS))


def test_the_home_page_is_counted_request_by_request_all_from_our_host(
    browser: Browser, live_server: LiveServer, page_weights: ModuleType
) -> None:
    parts = urlsplit(live_server.url)
    site = page_weights.Site(live_server.url, parts.port, Path("unused.sqlite3"))
    weight = page_weights.Weight("home", "/")
    page_weights.transferred(browser, site, weight, [])
    assert weight.other_hosts == 0
    # The page, its style sheet, its script and the favicon.
    assert weight.requests == 4
    assert set(weight.by_kind) == {"html", "css", "js", "images"}
    assert weight.bytes == sum(weight.by_kind.values())
    html = len(live_server_get(live_server.url + "/"))
    assert weight.by_kind["html"] > html  # the body as sent, and its headers


def test_a_download_is_one_request_of_its_own_size(
    browser: Browser, live_server: LiveServer, page_weights: ModuleType
) -> None:
    parts = urlsplit(live_server.url)
    site = page_weights.Site(live_server.url, parts.port, Path("unused.sqlite3"))
    weight = page_weights.Weight("OpenAPI", "/api/openapi.json")
    page_weights.transferred(browser, site, weight, [])
    body = live_server_get(live_server.url + "/api/openapi.json")
    assert weight.requests == 1 and weight.by_kind["download"] == weight.bytes > len(body)


def live_server_get(url: str) -> bytes:
    from urllib.request import urlopen

    with urlopen(url) as response:  # the test server on the loopback
        body: bytes = response.read()
    return body
