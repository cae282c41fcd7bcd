"""Settings come from environment variables through strict helpers."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from pytest_django.fixtures import Settings

from careguide.web.env import env_bool, env_int, env_list


def test_booleans_accept_common_spellings_and_reject_others(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "0")
    assert env_bool("X_FLAG", True) is False
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG must be true or false"):
        env_bool("X_FLAG", False)


def test_integers_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_HOURS", "twelve")
    with pytest.raises(ImproperlyConfigured, match="X_HOURS must be a whole number, got 'twelve'"):
        env_int("X_HOURS", 24)
    monkeypatch.setenv("X_HOURS", "0")
    with pytest.raises(ImproperlyConfigured, match="X_HOURS must be at least 1"):
        env_int("X_HOURS", 24, minimum=1)
    monkeypatch.delenv("X_HOURS")
    assert env_int("X_HOURS", 24) == 24


def test_lists_split_on_commas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_HOSTS", "a.example, b.example,")
    assert env_list("X_HOSTS", []) == ["a.example", "b.example"]


def test_the_site_refuses_to_start_on_invalid_knowledge(tmp_path: Path, settings: Settings) -> None:
    from careguide.web import knowledge as site

    settings.CAREGUIDE_KB = str(tmp_path)
    site.knowledge.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured, match="refusing to start"):
            site.knowledge()
    finally:
        site.knowledge.cache_clear()
