"""`careguide kb check`: every problem as path:line: message, exit status 1 if any."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from careguide.cli import app
from careguide.kb import check

runner = CliRunner()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"fixture text {old!r} not found in {path}"
    path.write_text(text.replace(old, new, 1))


def _messages(root: Path) -> list[str]:
    return [str(p) for p in check(root)]


def test_it_accepts_the_good_fixture_pack(pack_copy: Callable[[], Path]) -> None:
    assert _messages(pack_copy()) == []


def test_it_accepts_the_shipped_knowledge() -> None:
    result = runner.invoke(app, ["kb", "check"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith(": ok")


def test_it_rejects_unknown_finding_with_file_and_line(pack_copy: Callable[[], Path]) -> None:
    root = pack_copy()
    _edit(root / "conditions" / "cold.yaml", "  fever: {p: 0.2", "  fevr: {p: 0.2")
    assert _messages(root) == [f"{root}/conditions/cold.yaml:9: unknown finding 'fevr' (did you mean 'fever'?)"]


def test_it_rejects_probability_outside_open_interval(pack_copy: Callable[[], Path]) -> None:
    root = pack_copy()
    _edit(root / "conditions" / "cold.yaml", "cough: {p: 0.8", "cough: {p: 1.0")
    _edit(root / "conditions" / "pneumonia.yaml", "chest: 0.5", "chest: 1.5")
    assert _messages(root) == [
        f"{root}/conditions/cold.yaml:8: probability 1.0 for 'cough' is outside (0, 1)",
        f"{root}/conditions/pneumonia.yaml:16: probability 1.5 for pain_sites:chest is outside (0, 1)",
    ]


def test_it_rejects_duplicate_ids(pack_copy: Callable[[], Path]) -> None:
    root = pack_copy()
    (root / "findings" / "more.yaml").write_text("- id: fever\n  name: Fever again\n  question: Hot?\n")
    (root / "conditions" / "cold2.yaml").write_text((root / "conditions" / "cold.yaml").read_text())
    messages = _messages(root)
    assert (
        f"{root}/findings/more.yaml:1: duplicate finding id 'fever' (first defined at {root}/findings/main.yaml:6)"
        in messages
    )
    assert f"{root}/conditions/cold2.yaml:1: condition id 'cold' differs from file name" in messages
    assert any(m.startswith(f"{root}/conditions/cold2.yaml:1: duplicate condition id 'cold'") for m in messages)


def test_it_rejects_a_figure_without_provenance(pack_copy: Callable[[], Path]) -> None:
    root = pack_copy()
    _edit(root / "conditions" / "cold.yaml", "fever: {p: 0.2, source: textbook}", "fever: {p: 0.2}")
    assert _messages(root) == [
        f"{root}/conditions/cold.yaml:9: findings.fever: figure has no source: "
        "give `source: <id>` or `expert_estimate: true`"
    ]


def test_it_rejects_an_unknown_source(pack_copy: Callable[[], Path]) -> None:
    root = pack_copy()
    _edit(
        root / "conditions" / "cold.yaml",
        "fever: {p: 0.2, source: textbook}",
        "fever: {p: 0.2, source: nobody_2020}",
    )
    assert _messages(root) == [f"{root}/conditions/cold.yaml:9: unknown source 'nobody_2020' (not in sources.yaml)"]


def test_it_rejects_an_unknown_icd10_code(pack_copy: Callable[[], Path]) -> None:
    root = pack_copy()
    _edit(root / "conditions" / "cold.yaml", "icd10: J00", "icd10: J99.99")
    assert _messages(root) == [f"{root}/conditions/cold.yaml:4: unknown ICD-10-CM code 'J99.99'"]


def test_it_rejects_a_malformed_icd10_code(pack_copy: Callable[[], Path]) -> None:
    root = pack_copy()
    _edit(root / "conditions" / "cold.yaml", "icd10: J00", "icd10: cold")
    assert _messages(root) == [
        f"{root}/conditions/cold.yaml:4: icd10: 'cold' is not shaped like an ICD-10-CM code (e.g. M54.50)"
    ]


def test_it_rejects_a_child_whose_parent_does_not_exist(pack_copy: Callable[[], Path]) -> None:
    root = pack_copy()
    _edit(root / "findings" / "main.yaml", "parent: cough", "parent: coughing")
    assert _messages(root) == [
        f"{root}/findings/main.yaml:15: parent: unknown finding 'coughing' (did you mean 'cough'?)"
    ]


def test_it_rejects_a_rule_naming_an_unknown_finding_or_option(pack_copy: Callable[[], Path]) -> None:
    root = pack_copy()
    _edit(root / "rules.yaml", '"sputum:bloody"', '"sputum:purple"')
    _edit(root / "rules.yaml", "pregnant]", "pregnancy]")
    assert _messages(root) == [
        f"{root}/rules.yaml:4: all: finding 'sputum' has no option 'purple'",
        f"{root}/rules.yaml:10: all: unknown finding 'pregnancy' (did you mean 'pregnant'?)",
    ]


def test_it_rejects_unknown_keys_and_missing_keys(pack_copy: Callable[[], Path]) -> None:
    root = pack_copy()
    _edit(
        root / "findings" / "main.yaml",
        "  complaint: true\n  synonyms: [coughing",
        "  complaint: true\n  colour: red\n  synonyms: [coughing",
    )
    _edit(root / "sources.yaml", "  citation: A test citation (fixture only).\n", "")
    assert _messages(root) == [
        f"{root}/findings/main.yaml:5: unknown key 'colour'",
        f"{root}/sources.yaml:1: missing required key 'citation'",
    ]


def test_it_reports_yaml_syntax_errors_with_their_line(pack_copy: Callable[[], Path]) -> None:
    root = pack_copy()
    _edit(root / "conditions" / "cold.yaml", "care: self_care", "care: [self_care")
    messages = _messages(root)
    assert len(messages) == 1
    assert messages[0].startswith(f"{root}/conditions/cold.yaml:6: invalid YAML")


def test_it_rejects_options_of_one_choice_summing_above_one(pack_copy: Callable[[], Path]) -> None:
    root = pack_copy()
    _edit(root / "conditions" / "cold.yaml", "clear: 0.7, yellow: 0.3", "clear: 0.7, yellow: 0.6")
    assert _messages(root) == [f"{root}/conditions/cold.yaml:10: options of one_choice 'sputum' sum to 1.300, above 1"]


def test_it_rejects_a_must_not_miss_condition_without_red_flag(pack_copy: Callable[[], Path]) -> None:
    root = pack_copy()
    _edit(root / "conditions" / "pneumonia.yaml", ", red_flag: true", "")
    assert _messages(root) == [
        f"{root}/conditions/pneumonia.yaml:6: must-not-miss condition has no red flag: "
        "mark a finding `red_flag: true` or name it in a rule"
    ]


def test_it_rejects_p_for_a_choice_finding(pack_copy: Callable[[], Path]) -> None:
    root = pack_copy()
    _edit(
        root / "conditions" / "cold.yaml",
        "sputum: {options: {clear: 0.7, yellow: 0.3}, source: textbook}",
        "sputum: {p: 0.5, source: textbook}",
    )
    assert _messages(root) == [f"{root}/conditions/cold.yaml:10: 'sputum' is a one_choice finding: give `options`"]


def test_it_does_not_cascade_errors_from_a_condition_that_failed_to_parse(
    pack_copy: Callable[[], Path],
) -> None:
    root = pack_copy()
    _edit(root / "conditions" / "pneumonia.yaml", "care: urgent", "care: soonish")
    messages = _messages(root)
    assert len(messages) == 1
    assert messages[0].startswith(f"{root}/conditions/pneumonia.yaml:5: care: Input should be")


def test_cli_prints_every_problem_and_exits_1(pack_copy: Callable[[], Path]) -> None:
    root = pack_copy()
    _edit(root / "conditions" / "cold.yaml", "icd10: J00", "icd10: J99.99")
    _edit(root / "findings" / "main.yaml", "parent: cough", "parent: coughing")
    result = runner.invoke(app, ["kb", "check", str(root)])
    assert result.exit_code == 1
    assert f"{root}/conditions/cold.yaml:4: unknown ICD-10-CM code 'J99.99'" in result.output
    assert f"{root}/findings/main.yaml:15: parent: unknown finding 'coughing'" in result.output


def test_cli_refuses_to_start_the_quiz_on_invalid_knowledge(pack_copy: Callable[[], Path]) -> None:
    root = pack_copy()
    _edit(root / "conditions" / "cold.yaml", "icd10: J00", "icd10: J99.99")
    result = runner.invoke(app, ["quiz", "--kb", str(root), "--answers", "-"], input="40\n")
    assert result.exit_code == 1
    assert "refusing to start" in result.output
    assert "Age in years" not in result.output


def test_cli_reports_a_missing_pack_directory(tmp_path: Path) -> None:
    result = runner.invoke(app, ["kb", "check", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert f"{tmp_path / 'nowhere'}:1: knowledge pack directory does not exist" in result.output
