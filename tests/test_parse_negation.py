"""Negation words that do not deny: a problem that persists ("won't go away", "can't keep ... down")."""

from __future__ import annotations

import pytest

from careguide.kb import Knowledge
from careguide.text import parse


def test_a_problem_that_will_not_go_away_is_present_and_so_is_what_follows(general: Knowledge) -> None:
    got = parse(general, "a dry cough that won't go away, worse at night, tickly throat")
    assert {"cough", "throat_irritation"} <= set(got.present)
    assert not got.absent


def test_not_keeping_fluids_down_is_a_symptom(general: Knowledge) -> None:
    got = parse(general, "I can't keep fluids down, tummy pain too")
    assert {"cannot_keep_fluids_down", "abdominal_pain"} <= set(got.present)
    assert not got.absent


def test_a_plain_denial_still_reaches_a_list(general: Knowledge) -> None:
    got = parse(general, "no fever or rash, and I'm not vomiting but I feel nauseous")
    assert {"fever", "rash"} <= set(got.absent)
    assert "nausea_vomiting" in got.present  # "nauseous" is said plainly after the "but"


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("no fever, rash or vomiting", {"fever", "skin_rash", "nausea_vomiting"}),
        ("denies CP/SOB", {"chest_pain", "breathlessness"}),
        ("hasn't had any diarrhoea or vomiting", {"diarrhoea", "nausea_vomiting"}),
        ("without a temperature", {"fever"}),
        ("Denies: fever, night sweats, weight loss", {"fever", "night_sweats", "weight_loss"}),
        ("I don't have a fever, a rash or a stiff neck", {"fever", "skin_rash", "neck_stiffness"}),
        ("no vomiting/diarrhoea", {"nausea_vomiting", "diarrhoea"}),
        ("never had chest pain or palpitations", {"chest_pain", "palpitations"}),
        ("No headache, neck stiffness or photophobia.", {"headache", "neck_stiffness", "light_sensitivity"}),
        # one word that denies: a note's "afebrile", "non-smoker"
        ("Afebrile.", {"fever"}),
        ("apyrexial", {"fever"}),
        ("non-smoker", {"smoker"}),
        # "painless" denies the pain of the place it names, after it or before it
        ("painless lump in my left breast", {"breast_pain"}),
        ("hard lump L breast, painless", {"breast_pain"}),
        # a denial after the finding or between its words
        ("meningism absent, fever absent", {"fever"}),
        ("no fever and her neck isn't stiff", {"fever", "neck_stiffness"}),
        ("my chest doesn't hurt", {"chest_pain"}),
        ("free from pain in my back", {"back_pain"}),
    ],
)
def test_denials_reach_lists_and_one_word_denials(general: Knowledge, text: str, absent: set[str]) -> None:
    got = parse(general, text)
    assert absent <= set(got.absent)
    assert not absent & set(got.present)


def test_a_denying_word_denies_only_what_it_names(general: Knowledge) -> None:
    got = parse(general, "Afebrile, vomiting x3, non-productive cough")
    assert "fever" in got.absent
    assert {"nausea_vomiting", "cough"} <= set(got.present)  # the list after "afebrile" is not denied
    assert "coughing_up_sputum" in got.absent


def test_a_phrase_that_uses_painless_itself_is_kept(general: Knowledge) -> None:
    got = parse(general, "painless L neck gland for 6 weeks")
    assert "painless_persistent_gland" in got.present
