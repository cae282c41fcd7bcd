"""Shared fixtures: the tiny hand-checkable pack, the shipped pack, and a way to make broken copies."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import careguide
from careguide.kb import Knowledge, back_pain_path

FIXTURES = Path(__file__).parent / "fixtures"
GOOD_PACK = FIXTURES / "packs" / "good"


@pytest.fixture(scope="session")
def tiny() -> Knowledge:
    """Four conditions, six findings: posteriors in the tests are computed by hand from its files."""
    return careguide.load(GOOD_PACK)


@pytest.fixture(scope="session")
def shipped() -> Knowledge:
    """The back-pain pack, whose literature figures and scenarios these tests check."""
    return careguide.load(back_pain_path())


@pytest.fixture(scope="session")
def general() -> Knowledge:
    """The default pack: every complaint, all ages."""
    return careguide.load()


@pytest.fixture
def pack_copy(tmp_path: Path) -> Callable[[], Path]:
    """A fresh copy of the good pack to break in one test."""

    def make() -> Path:
        root = tmp_path / "pack"
        shutil.copytree(GOOD_PACK, root)
        return root

    return make
