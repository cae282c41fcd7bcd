"""Error pages: friendly pages on the site (a way home and the emergency number), JSON on the API."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _broken(monkeypatch: pytest.MonkeyPatch) -> Client:
    from careguide.web.guides import views

    def fail() -> None:
        raise RuntimeError("the knowledge could not be read")

    monkeypatch.setattr(views, "knowledge", fail)
    return Client(raise_request_exception=False)


def test_a_missing_page_says_so_with_a_way_home_and_the_emergency_number(visitor: Client) -> None:
    response = visitor.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html and 'href="/"' in html and 'href="/check/"' in html
    assert "call 999 now" in html and "call 111" in html
    assert 'class="site-header"' in html  # the site's own page, with its navigation


def test_a_server_error_is_a_friendly_page_with_the_emergency_number(monkeypatch: pytest.MonkeyPatch) -> None:
    response = _broken(monkeypatch).get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, something went wrong" in html and 'href="/"' in html and "call 999 now" in html
    assert "RuntimeError" not in html and "Traceback" not in html


def test_api_errors_are_json_never_html(visitor: Client) -> None:
    missing = visitor.get("/api/no/such/thing")
    assert missing.status_code == 404 and missing.json() == {"detail": "Not found."}
    condition = visitor.get("/api/conditions/nothing")
    assert condition.status_code == 404 and condition.json() == {"detail": "unknown condition 'nothing'"}


def test_an_api_server_error_is_json(monkeypatch: pytest.MonkeyPatch) -> None:
    from careguide.web.api import api

    def fail() -> None:
        raise RuntimeError("the knowledge could not be read")

    monkeypatch.setattr(api, "knowledge", fail)
    response = Client(raise_request_exception=False).get("/api/conditions")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json" and response.json() == {"detail": "Server error."}
