"""The SymCAT benchmark subsets: packs built from them and the literature's protocol."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from careguide.cli import app
from careguide.evaluation.symcat_subsets import load_subset_pack

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "symcat-subsets"
pytestmark = pytest.mark.skipif(not DATA.exists(), reason=f"SymCAT subsets not found at {DATA}")


def test_a_subset_becomes_a_pack_with_its_prevalences() -> None:
    k, diseases = load_subset_pack(DATA / "symcat_200.json")
    assert k.n_conditions == 200 == len(diseases)
    d = diseases["Tourette syndrome"]
    c = k.condition("tourette_syndrome")
    assert c.findings["abnormal_involuntary_movements"].p == pytest.approx(d.prevalence[0])


def test_the_command_reports_top1_top5_and_turns_for_each_subset() -> None:
    result = CliRunner().invoke(app, ["eval", "symcat-subsets", str(DATA), "--patients", "15", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["subset"] for r in rows] == ["symcat_200", "symcat_300", "symcat_400", "symcat_common"]
    for r in rows:
        assert 0 <= r["top1"] <= r["top5"] <= 1 and 1 <= r["mean_turns"] <= 20


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "symcat-subsets", str(tmp_path)])
    assert result.exit_code == 2 and "SymCAT subset file not found" in result.output
