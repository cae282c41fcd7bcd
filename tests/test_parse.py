"""Free-text parsing: synonyms, negation and its scope, typos, options, and engine answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from careguide.cli import app
from careguide.kb import Knowledge
from careguide.text import parse, to_evidence

ROOT = Path(__file__).resolve().parents[1]


def _p(k: Knowledge, text: str) -> tuple[set[str], set[str]]:
    r = parse(k, text)
    return set(r.present), set(r.absent)


def test_the_example_from_the_issue(shipped: Knowledge) -> None:
    present, absent = _p(shipped, "my lower back has hurt for weeks, worse at night, no fever, I had breast cancer")
    assert {"back_pain", "pain_location:lower_back", "night_pain", "history_of_cancer", "cancer_type:breast"} <= present
    assert absent == {"fever"}


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("no fever, chills or weight loss", set(), {"fever", "weight_loss"}),
        ("No fever but my legs are weak", {"leg_weakness"}, {"fever"}),
        ("I didn't notice anything, legs are numb", {"numbness_legs"}, set()),
        ("never had cancer. My back hurts", {"back_pain"}, {"history_of_cancer"}),
        ("No chest pain - just the ache in my neck", {"back_pain", "pain_location:neck"}, {"chest_pain"}),
        ("rest doesn't help at all", {"rest_pain"}, set()),
        ("I can't stop being sick", {"nausea_vomiting"}, set()),
        ("denies saddle numbness", set(), {"saddle_numbness"}),
    ],
)
def test_negation_and_its_scope(shipped: Knowledge, text: str, present: set[str], absent: set[str]) -> None:
    got_present, got_absent = _p(shipped, text)
    assert present <= got_present
    assert got_absent == absent


def test_spelling_mistakes_are_tolerated_but_not_confused(shipped: Knowledge) -> None:
    present, absent = _p(shipped, "bak pain and numbnes in my legs, no feaver")
    assert {"back_pain", "numbness_legs"} <= present and absent == {"fever"}
    present, _ = _p(shipped, "he never had that")
    assert "fever" not in present  # "never" is not a typo of "fever"
    present, _ = _p(shipped, "it wakes me up")
    assert "colicky_pain" not in present  # "wakes" is not "waves"


def test_options_imply_their_findings_but_children_do_not(shipped: Knowledge) -> None:
    present, _ = _p(shipped, "an ache in the middle of my back")
    assert {"pain_location:mid_upper_back", "back_pain"} <= present
    # Options of attributes (which side, how long) count only with their finding; a yes/no child does not
    # imply its parent in the parse (the engine counts the parent as present when it gets the answers).
    present, _ = _p(shipped, "pain down both legs")
    assert {"leg_pain", "leg_pain_sides:both_legs"} <= present and "back_pain" not in present
    present, _ = _p(shipped, "my left leg is swollen, for two days")
    assert not any(r.startswith(("leg_pain", "duration", "back_pain")) for r in present)
    present, _ = _p(shipped, "I feel hot and sweaty")
    assert "sweating" in present and "chest_pain" not in present


def test_an_explicit_no_wins_over_an_implied_finding(shipped: Knowledge) -> None:
    present, absent = _p(shipped, "No back pain, but a rash of blisters on one side of my chest")
    assert "back_pain" in absent and "back_pain" not in present and "rash" in present


def test_to_evidence_gives_engine_answers(shipped: Knowledge) -> None:
    answers = to_evidence(shipped, parse(shipped, "lower back pain for months after lifting, no fever"))
    assert answers["back_pain"] == "present" and answers["fever"] == "absent"
    assert answers["pain_location"] == ["lower_back"]
    assert answers["duration"] == "over_3_months" and answers["onset"] == "after_strain"


def test_mentions_carry_offsets(shipped: Knowledge) -> None:
    text = "no fever"
    m = parse(shipped, text).mentions[0]
    assert text[m.start : m.end].lower() == "fever" and m.negated


def test_eval_parse_reports_precision_and_recall_on_the_annotated_sets() -> None:
    for name in ("dev", "test"):
        path = ROOT / "benchmarks" / "parsing" / f"{name}.jsonl"
        lines = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        assert len(lines) >= 50
        result = CliRunner().invoke(app, ["eval", "parse", str(path), "--json"])
        assert result.exit_code == 0, result.output
        scores = json.loads(result.output)
        assert scores["sentences"] == len(lines)
        assert 0 <= scores["precision"] <= 1 and 0 <= scores["recall"] <= 1


def test_everyday_short_words_are_not_typos_of_symptoms() -> None:
    from pathlib import Path

    from careguide.kb import load

    general = load(Path(__file__).resolve().parents[1] / "packs" / "general")
    present, _ = _p(general, "I've had pain low down in my back, and I had a deep ache there last year")
    assert "headache" not in present and "hand_pain" not in present
    assert "back_pain" in present


def test_answers_kept_from_the_complaint_box_are_only_those_the_interview_could_ask(shipped: Knowledge) -> None:
    parsed = parse(shipped, "I feel hot and sweaty and my back hurts, no fever")
    assert "sweating" in parsed.present  # "sweating with the pain" hangs from chest pain
    everything = to_evidence(shipped, parsed)
    askable = to_evidence(shipped, parsed, gate_with={"back_pain"})
    assert everything["sweating"] == "present" and "sweating" not in askable
    assert askable["fever"] == "absent"
