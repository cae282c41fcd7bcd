"""The terminal quiz, driven end to end with scripted answers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from careguide.cli import app

runner = CliRunner()


def _quiz(lines: list[str], *extra: str) -> tuple[int, str]:
    result = runner.invoke(app, ["quiz", "--answers", "-", *extra], input="\n".join(lines) + "\n")
    return result.exit_code, result.output


def test_a_scripted_quiz_reaches_results_with_care_conditions_and_treatments() -> None:
    code, out = _quiz(["1", "34", "f", "backache", "1", *["?"] * 40], "--budget", "8")
    assert code == 0, out
    assert "Question 1" in out
    assert "Question 9" not in out  # budget of 8
    assert "Conditions that best explain your answers" in out
    assert "not a diagnosis" in out
    assert any(title in out for title in ("Self-care", "See a doctor", "URGENT", "EMERGENCY"))


def test_red_flags_in_the_answers_lead_to_emergency_advice() -> None:
    # Yes to every yes/no question and the first option of every choice question: a "y" is refused by
    # a choice question, which then takes the "1". Any of the emergency red flags then fires.
    lines = ["1", "70", "female", "back pain", "1"] + ["y", "1"] * 25
    code, out = _quiz(lines)
    assert code == 0, out
    assert "EMERGENCY" in out
    flat = " ".join(out.replace("│", " ").split())
    assert "Call your emergency number or go to the nearest emergency department now." in flat


def test_bad_answers_are_asked_again_not_crashed_on() -> None:
    code, out = _quiz(
        ["1", "old", "200", "40", "x", "male", "zzzz", "back", "9", "1", "maybe", *["?"] * 40], "--budget", "3"
    )
    assert code == 0, out
    assert "Please type a whole number from 0 to 120." in out
    assert "Please type female or male" in out
    assert "Nothing matched" in out
    assert "Please choose a number from 1 to" in out
    assert "Please answer y, n, ? or b." in out or "Please choose one number, ? or b." in out


def test_going_back_lets_a_person_change_an_answer(tmp_path: Path) -> None:
    answers = tmp_path / "answers.txt"
    answers.write_text("\n".join(["1", "40", "m", "back pain", "1", "?", "b", *["?"] * 30]) + "\n")
    result = runner.invoke(app, ["quiz", "--answers", str(answers), "--budget", "4"])
    assert result.exit_code == 0, result.output
    assert "Gone back one question." in result.output
    first_question = result.output.split("Question 1", 1)[1].split("\n", 1)[0]
    assert result.output.count(f"Question 1{first_question}") == 2  # asked again after going back


def test_input_that_ends_early_is_reported_without_a_traceback() -> None:
    code, out = _quiz(["1", "40", "f"])
    assert code == 1
    assert "The input ended before the quiz finished." in out
    assert "Traceback" not in out


def test_a_missing_answers_file_is_reported(tmp_path: Path) -> None:
    result = runner.invoke(app, ["quiz", "--answers", str(tmp_path / "none.txt")])
    assert result.exit_code == 2
    assert "Cannot read answers file" in result.output


def test_the_installed_command_runs_the_quiz_from_stdin() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "careguide", "quiz", "--budget", "2"],
        input="1\n50\nmale\nback pain\n1\n?\n?\n?\n?\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Conditions that best explain your answers" in proc.stdout


def test_bench_prints_json_with_the_figures() -> None:
    result = runner.invoke(app, ["bench", "--json", "--steps", "100", "--conditions", "50", "--findings", "40"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [p["pack"] for p in data["packs"]] == ["shipped", "generated 50x40"]
    for p in data["packs"]:
        assert p["steps"] >= 100
        assert 0 < p["median_ms"] <= p["p95_ms"]
        assert p["steps_per_second"] > 0


def test_eval_synthetic_reports_accuracy_questions_and_care() -> None:
    result = runner.invoke(app, ["eval", "synthetic", "--patients", "20", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["patients"] == 20 and data["budget"] == 20
    assert 0 <= data["top1"] <= data["top3"] <= data["top5"] <= 1
    assert abs(data["care_accuracy"] + data["under_triaged"] + data["over_triaged"] - 1) < 1e-9
    assert 0 < data["mean_questions"] <= 20
    assert 0 <= data["emergencies_missed"] <= data["emergencies"] <= 20


def test_an_age_below_the_pack_s_youngest_is_refused_and_asked_again() -> None:
    code, out = _quiz(["1", "2", "15", "40", "m", "back pain", "1", *["?"] * 40], "--kb", "knowledge", "--budget", "2")
    assert code == 0, out
    flat = " ".join(out.split())
    assert flat.count("is written for people aged 16 and over") == 2
    assert "got 2" in flat and "got 15" in flat
    assert "Question 1" in out  # 40 is taken


def test_a_pack_for_all_ages_takes_a_child_in_the_terminal_quiz() -> None:
    code, out = _quiz(["2", "2", "f", "fever", "1", *["?"] * 40], "--kb", "packs/general", "--budget", "2")
    assert code == 0, out
    assert "written for people aged" not in out and "Question 1" in out


def test_the_quiz_first_asks_who_it_is_for_and_words_questions_for_a_child() -> None:
    code, out = _quiz(["child", "4", "f", "headache", "1", *["?"] * 40], "--budget", "3")
    assert code == 0, out
    flat = " ".join(out.split())
    assert "Who are you answering for? 1. Me 2. My child 3. Someone else" in flat
    assert "Your child's age in years: 4" in flat
    assert "What is bothering your child most?" in flat
    assert "Do you have" not in flat.split("Question 1", 1)[1].split("Conditions that best explain")[0]
    assert "Conditions that best explain the answers" in flat
    assert "Conditions that best explain your answers" not in flat


def test_for_someone_else_the_questions_use_their_wording() -> None:
    import careguide
    from careguide.engine import Case, step

    k = careguide.load()
    first = step(k, Case(70, "male", (), "chest_pain")).question
    assert first is not None and first.finding.question_other
    code, out = _quiz(["70", "m", "chest pain", "1", *["?"] * 40], "--for", "other", "--budget", "1")
    assert code == 0, out
    flat = " ".join(out.replace("│", " ").split())
    assert "Who are you answering for?" not in flat  # --for answers it
    assert "Their age in years: 70" in flat
    assert f"Question 1 {first.finding.question_other}" in flat
    assert first.finding.question not in flat


def test_a_wrong_answer_to_who_it_is_for_is_asked_again_and_a_wrong_for_is_refused() -> None:
    code, out = _quiz(["4", "3", "40", "f", "back pain", "1", *["?"] * 40], "--budget", "1")
    assert code == 0, out
    assert "Please choose 1 (me), 2 (my child) or 3 (someone else)." in out
    assert "Their age in years:" in out
    result = runner.invoke(app, ["quiz", "--for", "dog", "--answers", "-"], input="40\n")
    assert result.exit_code == 2
    assert "--for" in result.output and "dog" in result.output


def test_words_naming_one_complaint_start_the_questions_and_are_said_back() -> None:
    code, out = _quiz(["1", "50", "f", "my lower back has hurt for months, no fever, xylophone lessons", *["?"] * 40])
    assert code == 0, out
    assert "Choose a number" not in out  # no list when the words name one complaint
    assert "We understood:" in out and "Fever: No" in out
    assert "Not understood: xylophone lessons" in out
    assert "Have you had a fever" not in out  # answered by the words, not asked again
