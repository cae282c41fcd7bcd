"""`careguide eval vignettes`: the shipped vignettes run end to end, with the output format of the issue."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from careguide.cli import app
from careguide.evaluation.vignettes import Vignette, load_vignettes, run_vignette, summarise
from careguide.kb import CareLevel, Knowledge

VIGNETTES = Path(__file__).resolve().parents[1] / "knowledge" / "vignettes" / "back_pain.jsonl"


def test_the_shipped_vignettes_cover_every_care_level_and_condition(shipped: Knowledge) -> None:
    vignettes = load_vignettes(VIGNETTES)
    assert len(vignettes) >= 40
    levels: set[CareLevel] = set()
    for v in vignettes:
        assert v.expected is not None
        care = v.expected.care
        assert care is not None
        levels |= set(care) if isinstance(care, list) else {care}
    assert levels == set(CareLevel)
    codes = {c for v in vignettes if v.expected for c in v.expected.conditions}
    assert {c.icd10 for c in shipped.conditions} <= codes
    assert any(v.age < 18 for v in vignettes)


def test_the_command_writes_one_line_per_vignette_and_prints_the_scores(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    result = CliRunner().invoke(app, ["eval", "vignettes", str(VIGNETTES), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "top-1" in result.output and "under-triaged" in result.output
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(lines) == len(load_vignettes(VIGNETTES))
    first = lines[0]
    assert set(first) == {"id", "care", "conditions", "questions", "present", "absent"}
    assert len(first["conditions"]) == 10
    assert set(first["conditions"][0]) == {"id", "name", "icd10", "probability"}


def test_matching_by_icd_category_or_name_and_triage_counts(shipped: Knowledge) -> None:
    text = "I suddenly can't feel around my bottom and I can't pee, with bad back pain going down both legs."
    by_code = Vignette(id="a", age=45, sex="male", text=text, expected={"conditions": ["G83.49"], "care": "emergency"})
    by_name = Vignette(
        id="b", age=45, sex="male", text=text, expected={"conditions": ["cauda equina syndrome"], "care": ["urgent"]}
    )
    results = [run_vignette(shipped, by_code), run_vignette(shipped, by_name)]
    assert results[0].step.care.level is CareLevel.EMERGENCY
    s = summarise(results)
    assert s["top3"] == 1.0  # G83.49 shares the G83 category with G83.4
    assert s["care_accuracy"] == 0.5 and s["over_triaged"] == 1 and s["under_triaged"] == 0


def test_a_bad_vignette_line_is_reported_with_its_place(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "age": 40, "sex": "male", "text": "back pain"}\n{"id": "y", "age": "old"}\n')
    result = CliRunner().invoke(app, ["eval", "vignettes", str(bad), "--output", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 2
    assert f"{bad}:2: age: Input should be a valid integer" in result.output


def test_unmentioned_questions_are_answered_no_or_dont_know(shipped: Knowledge) -> None:
    v = Vignette(id="x", age=40, sex="male", text="My lower back hurts after lifting a box yesterday.")
    dont_know = run_vignette(shipped, v)
    no = run_vignette(shipped, v, unmentioned_absent=True)
    # Don't know adds nothing; "no" answers are evidence, so the two interviews end differently.
    assert [rc.probability for rc in dont_know.step.conditions] != [rc.probability for rc in no.step.conditions]
    reasons = [r for rc in no.step.conditions for r in (*rc.explanation.raised, *rc.explanation.lowered)]
    assert any(r.answer == "no" for r in reasons)


def test_the_unmentioned_option_is_checked(tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    bad = CliRunner().invoke(app, ["eval", "vignettes", str(VIGNETTES), "--output", str(out), "--unmentioned", "maybe"])
    assert bad.exit_code == 2 and "--unmentioned" in bad.output


def test_the_general_vignettes_name_conditions_the_general_pack_has() -> None:
    from careguide.evaluation.vignettes import _matches
    from careguide.kb import load

    root = Path(__file__).resolve().parents[1]
    general = load(root / "packs" / "general")
    vignettes = [
        v
        for name in ("general-adults", "general-children")
        for v in load_vignettes(root / "benchmarks" / "vignettes" / f"{name}.jsonl")
    ]
    assert len(vignettes) >= 80
    assert any(v.age == 0 for v in vignettes) and any(v.age >= 75 for v in vignettes)
    for v in vignettes:
        assert v.expected is not None and v.expected.care is not None
        assert any(_matches(c, e) for c in general.conditions for e in v.expected.conditions), v.id
