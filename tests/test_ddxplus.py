"""DDXPlus: import to a valid pack, learned figures, patient answers, and the cross-validated evaluation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from careguide.cli import app
from careguide.importers import build_pack, load_ddxplus, patient_answers
from careguide.kb import check, compile_pack

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ddxplus"
pytestmark = pytest.mark.skipif(not DATA.exists(), reason=f"DDXPlus data not found at {DATA}")


@pytest.fixture(scope="module")
def data():  # type: ignore[no-untyped-def]
    return load_ddxplus(DATA)


def test_the_import_command_writes_a_pack_that_passes_kb_check(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["import", "ddxplus", str(DATA), "--output", str(tmp_path / "pack")])
    assert result.exit_code == 0, result.output
    assert "49 conditions, 223 findings" in result.output
    assert check(tmp_path / "pack") == []
    anaphylaxis = (tmp_path / "pack" / "conditions" / "anaphylaxis.yaml").read_text()
    assert "care: emergency" in anaphylaxis and "must_not_miss: true" in anaphylaxis and "icd10: T78.0" in anaphylaxis


def test_a_missing_data_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["import", "ddxplus", str(tmp_path)])
    assert result.exit_code == 2
    assert "release_evidences.json: DDXPlus file not found" in result.output


def test_figures_are_learned_from_the_patients_given(data) -> None:  # type: ignore[no-untyped-def]
    urti = [p for p in data.patients if p.diagnosis == "URTI"]
    k = compile_pack(build_pack(data, data.patients))
    c = k.condition("urti")
    with_fever = sum(1 for p in urti if p.evidence.get("E_91"))
    assert c.findings["e_91"].p == pytest.approx((with_fever + 1) / (len(urti) + 2))
    # A sub-question is learned among patients whose parent question was present.
    assert k.finding("e_55").parent == "e_53"
    assert c.prior.value == pytest.approx((len(urti) + 1) / (len(data.patients) + 49))


def test_patient_answers_follow_the_record_and_the_gating(data) -> None:  # type: ignore[no-untyped-def]
    p = data.patients[0]
    answers = patient_answers(data, p)
    assert answers["e_91"] == ("present" if p.evidence.get("E_91") else "absent")
    if p.evidence.get("E_53"):
        assert isinstance(answers["e_55"], list) and answers["e_55"]
    no_pain = next(q for q in data.patients if not q.evidence.get("E_53"))
    assert "e_55" not in patient_answers(data, no_pain)


def test_eval_reports_the_paper_metrics_and_writes_the_report(tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = CliRunner().invoke(
        app, ["eval", "ddxplus", str(DATA), "--output", str(out), "--folds", "2", "--limit", "15", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["patients"] == 30 and report["folds"] == 2
    assert set(report["metrics"]) == {"IL", "GTPA", "GTPA@1", "GTPA@3", "GTPA@5", "DDR", "DDP", "DDF1", "PER", "PEP"}
    assert 0 <= report["metrics"]["GTPA@1"] <= report["metrics"]["GTPA@5"] <= 1
    assert 0 < report["metrics"]["IL"] <= 30
    assert len(report["accuracy_by_questions"]) == 31
    assert "NOT directly comparable" in report["note"]
    for name in ("ddxplus_report.json", "ddxplus_report.md", "ddxplus_accuracy.png", "ddxplus_reliability.png"):
        assert (out / name).stat().st_size > 0
    assert "NOT directly comparable" in (out / "ddxplus_report.md").read_text()
