"""Error pages: friendly pages on the site (a way home and the emergency number), JSON on the API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _broken(monkeypatch: pytest.MonkeyPatch) -> Client:
    from careguide.web.guides import views

    def fail() -> None:
        raise RuntimeError("the knowledge could not be read")

    monkeypatch.setattr(views, "knowledge", fail)
    return Client(raise_request_exception=False)


def test_a_missing_page_says_so_with_a_way_home_and_the_emergency_number(visitor: Client, settings: Any) -> None:
    settings.DEBUG = False
    response = visitor.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html and 'href="/"' in html and 'href="/check/"' in html
    assert 'class="notice"' in html and "In an emergency call 999" in html  # the site's notice, reused
    assert "call <strong>111</strong>" in html
    assert 'class="site-header"' in html  # the site's own page, with its navigation
    assert 'action="/conditions/"' in html and 'name="q"' in html  # and a search for a condition
    assert "Traceback" not in html and "Using the URLconf" not in html  # not Django's debug page


def test_an_unknown_condition_gets_the_same_friendly_404(visitor: Client, settings: Any) -> None:
    settings.DEBUG = False
    response = visitor.get("/conditions/no_such_thing/")
    assert response.status_code == 404 and "<h1>Page not found</h1>" in response.content.decode()


def test_a_server_error_is_a_friendly_page_with_the_emergency_number(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.DEBUG = False
    response = _broken(monkeypatch).get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, something went wrong" in html and 'href="/"' in html and 'href="/check/"' in html
    assert 'class="notice"' in html and "In an emergency call 999" in html and "call <strong>111</strong>" in html
    assert 'href="/static/careguide/site.css"' in html  # styled like the rest of the site
    assert "RuntimeError" not in html and "Traceback" not in html and "could not be read" not in html


def test_the_500_page_renders_even_when_the_static_files_are_broken(
    visitor: Client, settings: Any, tmp_path: Path
) -> None:
    """The base layout fails on a missing static manifest; the standalone 500 page does not use it."""
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path  # no manifest there: every {% static %} fails
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    response = Client(raise_request_exception=False).get("/about/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, something went wrong" in html and "In an emergency call 999" in html
    assert "site.css" not in html  # unstyled, but there
    assert "Missing staticfiles manifest" not in html and "Traceback" not in html


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
