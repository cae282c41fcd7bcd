"""The conformance suite: every knowledge pack, shipped or imported, must pass it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from careguide.kb import back_pain_path, default_path, read_pack
from careguide.kb.conformance import conformance_problems
from careguide.kb.loader import PackFiles
from tests.conftest import GOOD_PACK

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def _from_dir(path: Path) -> Callable[[], PackFiles]:
    def load() -> PackFiles:
        files, problems = read_pack(path)
        assert problems == []
        return files

    return load


def _ddxplus() -> PackFiles:
    from careguide.importers import build_pack, load_ddxplus

    if not (SHARED / "ddxplus").exists():
        pytest.skip("DDXPlus data not found")
    data = load_ddxplus(SHARED / "ddxplus")
    return build_pack(data, data.patients)


PACKS: dict[str, Callable[[], PackFiles]] = {
    "back-pain": _from_dir(back_pain_path()),
    "general (default)": _from_dir(default_path()),
    "fixture": _from_dir(GOOD_PACK),
    "ddxplus-import": _ddxplus,
}


@pytest.mark.parametrize("name", sorted(PACKS))
def test_every_pack_conforms(name: str) -> None:
    assert conformance_problems(PACKS[name]()) == []


def test_conformance_reports_an_unreachable_condition(pack_copy: Callable[[], Path]) -> None:
    root = pack_copy()
    path = root / "conditions" / "lung_cancer.yaml"
    path.write_text(path.read_text().replace("cough: {p: 0.7", "cough: {p: 0.05"))
    files, _ = read_pack(root)
    assert conformance_problems(files) == [
        "lung_cancer: no main complaint it causes has P >= 0.1, so the quiz cannot reach it"
    ]


def test_conformance_reports_validation_problems_first(pack_copy: Callable[[], Path]) -> None:
    root = pack_copy()
    path = root / "conditions" / "cold.yaml"
    path.write_text(path.read_text().replace("icd10: J00", "icd10: J99.99"))
    files, _ = read_pack(root)
    assert conformance_problems(files) == [f"{path}:4: unknown ICD-10-CM code 'J99.99'"]
