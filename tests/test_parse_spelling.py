"""Spelling slips: a word one letter from a phrase's word matches it, unless both are real words."""

from __future__ import annotations

import importlib

import pytest

from careguide.kb import Knowledge
from careguide.text import parse

_parse = importlib.import_module("careguide.text.parse")


@pytest.mark.parametrize(
    ("typed", "known"),
    [("feaver", "fever"), ("numbnes", "numbness"), ("temprature", "temperature"), ("breastfeding", "breastfeeding")],
)
def test_a_slip_that_is_no_word_matches(typed: str, known: str) -> None:
    assert _parse._same(known, typed)


@pytest.mark.parametrize(
    ("typed", "known"),
    [
        ("lose", "louse"),
        ("stops", "strops"),
        ("skipped", "slipped"),
        ("hypotension", "hypertension"),
        ("heard", "head"),
        ("injection", "infection"),
        ("hrt", "hurt"),  # an abbreviation without a vowel is no slip either
        ("lmp", "lump"),
    ],
)
def test_two_real_words_are_not_a_slip(typed: str, known: str) -> None:
    assert not _parse._same(known, typed)


@pytest.mark.parametrize(
    ("typed", "known"),
    [("arms", "arm"), ("ached", "ache"), ("diarrhea", "diarrhoea"), ("leukemia", "leukaemia"), ("svds", "svd")],
)
def test_forms_and_spellings_of_one_word_still_match(typed: str, known: str) -> None:
    assert _parse._same(known, typed)


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("my heart stops for a second then races", "temper_tantrums"),
        ("I lose my keys a lot and feel tired", "lice_or_eggs_seen"),
        ("my hypotension makes me dizzy", "high_blood_pressure"),
        ("he skipped down the stairs", "trauma"),
    ],
)
def test_no_finding_from_another_real_word(general: Knowledge, text: str, wrong: str) -> None:
    assert wrong not in parse(general, text).present


def test_slips_in_a_sentence_still_count(general: Knowledge) -> None:
    present = set(parse(general, "bak pain and a feaver, diarrhea since Sunday").present)
    assert {"back_pain", "fever", "diarrhoea"} <= present
