"""How long the main problem has lasted and how it came on, read from everyday and note-style words.

One duration per text: the main complaint's. Numbers that are not how long the problem has lasted (an age, weeks
of pregnancy, tablets, how long one episode lasts, how long ago an exposure happened) give no duration.
"""

from __future__ import annotations

import pytest

from careguide.kb import Knowledge
from careguide.text import parse


def _durations(k: Knowledge, text: str) -> list[str]:
    return [r.partition(":")[2] for r in parse(k, text).present if r.startswith("symptom_duration:")]


def _onsets(k: Knowledge, text: str) -> list[str]:
    return [r.partition(":")[2] for r in parse(k, text).present if r.startswith("symptom_onset:")]


DURATIONS = [
    # everyday words, UK and US
    ("headache for 3 days", "days_1_to_3"),
    ("I've had a cough for 2 weeks", "weeks_1_to_3"),
    ("sore throat since Monday", "days_1_to_3"),
    ("sore throat since Tuesday", "days_1_to_3"),
    ("itchy rash for a fortnight", "weeks_1_to_3"),
    ("been vomiting for 48 hours", "days_1_to_3"),
    ("tummy ache for about a week", "days_4_to_7"),
    ("back pain for 10 days", "weeks_1_to_3"),
    ("coughing for a month", "weeks_3_to_12"),
    ("tired all the time for 6 months", "over_3_months"),
    ("ear ache for a couple of days", "days_1_to_3"),
    ("diarrhoea for 36 hours", "days_1_to_3"),
    ("headache for 5 hours", "under_1_day"),
    ("period pain for 2 hrs", "under_1_day"),
    ("symptoms for 1 week", "days_4_to_7"),
    ("low mood over the last 2 months", "weeks_3_to_12"),
    ("cough for three weeks", "weeks_1_to_3"),
    ("cough for four weeks", "weeks_3_to_12"),
    ("pain in my hip for nearly a year", "over_3_months"),
    ("since yesterday I've had a sore throat", "days_1_to_3"),
    ("sore throat since last week", "weeks_1_to_3"),
    ("wheezy since the weekend", "days_1_to_3"),
    ("the cough started 3 weeks ago", "weeks_1_to_3"),
    ("the cough began 2 months ago", "weeks_3_to_12"),
    ("noticed the lump 2 weeks ago", "weeks_1_to_3"),
    ("fainted 2 days ago", "days_1_to_3"),
    ("fever for 5 days", "days_4_to_7"),
    ("joint pains on and off for years", "over_3_months"),
    ("heartburn on and off for years", "over_3_months"),
    ("constipated for ages", "over_3_months"),
    ("itchy skin for months", "over_3_months"),
    ("heartburn since last year", "over_3_months"),
    ("diarrhea since last night", "under_1_day"),
    ("headache since this morning", "under_1_day"),
    ("the pain started this morning", "under_1_day"),
    ("sore eye since earlier today", "under_1_day"),
    ("it's the 2nd day of this flu", "days_1_to_3"),
    ("day 3 of a fever", "days_1_to_3"),
    ("pain for the last 24 hours", "days_1_to_3"),
    ("sore throat for about 6 weeks", "weeks_3_to_12"),
    ("cough for 2 wks", "weeks_1_to_3"),
    # clinical shorthand
    ("SOB + wheeze 2/7", "days_1_to_3"),
    ("cough 3/52", "weeks_1_to_3"),
    ("knee pain 6/12", "over_3_months"),
    ("4/7 hx of dysuria", "days_4_to_7"),
    ("sore throat x 5 days", "days_4_to_7"),
    ("a 2-week history of cough", "weeks_1_to_3"),
    ("3-day history of vomiting", "days_1_to_3"),
    ("rash 3d", "days_1_to_3"),
    ("3d cough", "days_1_to_3"),
    ("2/52 cough", "weeks_1_to_3"),
    ("chest pain since 0600", "under_1_day"),
    ("vomiting since 4am", "under_1_day"),
    ("fever since this AM", "under_1_day"),
    ("throwing up since about 3am", "under_1_day"),
    ("sudden pain in my testicle woke me up at 5am", "under_1_day"),
    ("2/12 hx of aching + stiffness, >1h every morning", "weeks_3_to_12"),
    # one duration: the complaint's, the longest when several
    ("cough for 3 days, fever since yesterday", "days_1_to_3"),
    ("fever for 2 weeks and a cough for 3 days", "weeks_1_to_3"),
    ("rash on and off for 6 days now and today his lips are red", "days_4_to_7"),
    ("smoked for 30 years, hoarse voice for 4 weeks", "weeks_3_to_12"),
    ("hip pain for 3 weeks, aged 67", "weeks_1_to_3"),
]

NO_DURATION = [
    # ages, pregnancy and birth
    "my 3 year old has a cough",
    "I'm 37 weeks pregnant and have a headache",
    "6/52 old baby crying all evening",
    "Baby boy 3/12, vomiting",
    "18/12 old girl with a fever",
    "11/12, hives round the mouth",
    "born at 34 weeks, now has a cough",
    "noted at the 8 wk check",
    # counts and doses
    "took 30 tablets of paracetamol",
    "40 pk yr smoker with a cough",
    # how long one episode lasts, or how fast something followed a trigger
    "dizzy spells lasting about 30 seconds",
    "palpitations about 10 minutes each time",
    "hives within 10 min of eating egg",
    "crying 3-4h every evening",
    "a 2 min fit at home, now alert",
    # how long ago an exposure happened
    "had sex 10 days ago, now burning when I pee",
    "gave birth 4 weeks ago and feel low",
    "flew back from Spain 2 days ago, calf swollen",
    "on lisinopril for 5 years, now swollen lips",
    "stopped drinking 2/7 ago, now shaky",
]

ONSETS = [
    ("the pain came on out of nowhere", "sudden"),
    ("all of a sudden I felt dizzy", "sudden"),
    ("suddenly I couldn't see out of my left eye", "sudden"),
    ("within seconds the pain was unbearable", "sudden"),
    ("sudden onset chest pain", "sudden"),
    ("sudden severe headache", "sudden"),
    ("sudden agony in my left testicle", "sudden"),
    ("earlier today sudden L sided weakness", "sudden"),
    ("tearing chest pain, came on all at once", "sudden"),
    ("headache came on like being hit with a bat", "sudden"),
    ("it came out of the blue", "sudden"),
    ("abrupt onset of breathlessness", "sudden"),
    ("the tiredness came on gradually", "gradual"),
    ("came on over a few hours", "hours"),
]

NO_ONSET = [
    "my brother died suddenly at 35",
    "uncle died suddenly aged 30",
    "no sudden weakness",
]


@pytest.mark.parametrize(("text", "band"), DURATIONS)
def test_a_duration_gives_one_band(general: Knowledge, text: str, band: str) -> None:
    assert _durations(general, text) == [band]


@pytest.mark.parametrize("text", NO_DURATION)
def test_numbers_that_are_not_how_long_give_no_duration(general: Knowledge, text: str) -> None:
    assert _durations(general, text) == []


@pytest.mark.parametrize(("text", "onset"), ONSETS)
def test_an_onset_is_read(general: Knowledge, text: str, onset: str) -> None:
    assert _onsets(general, text) == [onset]


@pytest.mark.parametrize("text", NO_ONSET)
def test_a_sudden_death_or_a_denial_is_no_onset(general: Knowledge, text: str) -> None:
    assert _onsets(general, text) == []


def test_the_table_is_large_enough() -> None:
    assert len(DURATIONS) + len(NO_DURATION) + len(ONSETS) + len(NO_ONSET) >= 60
