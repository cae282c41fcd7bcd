"""The results page: the care level first (what to do, where, how soon, tap-to-call numbers from settings,
what to do while waiting), one consistent message, readable reasons, bars by urgency, tailored treatments."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from pytest_django.fixtures import Settings

from careguide.web.checker.models import QuizSession
from careguide.web.env import env_phone
from careguide.web.knowledge import knowledge

pytestmark = pytest.mark.django_db


def _results(client: Client, age: int, sex: str, answers: list[list[str]], complaint: str = "back_pain") -> str:
    """The results page of a quiz with these answers (the general pack, the site's default)."""
    response = client.post("/check/", {"age": str(age), "sex": sex, "complaint": complaint})
    assert response.status_code == 302
    session = QuizSession.objects.get(pk=str(response["Location"]).split("/")[-2])
    session.answers = [list(a) for a in answers]
    session.save()
    page = client.get(f"/check/{session.id}/results/")
    assert page.status_code == 200
    return page.content.decode()


def _section(html: str, title_id: str) -> str:
    start = html.index(f'id="{title_id}"')
    return html[start : html.index("</section>", start)]


EMERGENCY = (70, "male", [["history_of_cancer", "present"], ["leg_weakness", "present"], ["fever", "absent"]])
URGENT = (30, "female", [["fever", "present"], ["urinary_symptoms", "present"], ["flank_pain", "present"]])
ROUTINE = (40, "male", [["duration", "over_3_months"]])
SELF_CARE = (30, "female", [["fever", "absent"], ["leg_weakness", "absent"], ["history_of_cancer", "absent"]])


def test_an_emergency_says_where_how_soon_with_a_tap_to_call_link_and_what_to_do_while_waiting(
    visitor: Client,
) -> None:
    html = _results(visitor, *EMERGENCY)
    care = _section(html, "care-title")
    assert html.index('id="care-title"') < html.index('id="conditions-title"')  # the care level first
    assert "Get emergency help now" in care and 'role="alert"' in html
    assert "Ambulance (999) or A&amp;E (the emergency department)" in care and "Now" in care
    assert '<a class="button primary call" href="tel:999">Call 999 for an ambulance</a>' in care
    waiting = _section(html, "care-title").split("While you wait for help")[1]
    for step in ("Stay with someone", "Do not drive yourself", "Unlock the front door", "list of your medicines"):
        assert step in waiting
    # Only safe, general steps: nothing that depends on what the cause turns out to be.
    assert "eat or drink" not in waiting
    assert "What you can do now" not in html  # no self-care advice when the answers call for an emergency


def test_warning_signs_list_only_what_the_person_said_yes_to(visitor: Client) -> None:
    html = _results(visitor, *EMERGENCY)
    signs = re.search(r'<ul class="warning-signs">(.*?)</ul>', html, re.S)
    assert signs is not None
    text = signs.group(1)
    k = knowledge()
    said = f"{k.finding('history_of_cancer').name} and {k.finding('leg_weakness').name.lower()}"
    assert f"<li>{said}: together these can be a sign of" in text
    # The rule also fires on numbness, walking trouble or bladder changes; none was said, so none is listed.
    for denied_or_unasked in ("numb", "walking", "bladder", "bowel", "fever"):
        assert denied_or_unasked not in text.lower()


def test_the_conditions_do_not_contradict_the_care_level(visitor: Client) -> None:
    # A warning sign calls for emergency care though the most likely cause, on its own, is self-care.
    html = _results(visitor, 40, "female", [["mechanical_pain", "present"], ["saddle_numbness", "present"]])
    assert "Get emergency help now" in html
    conditions = _section(html, "conditions-title")
    assert "The advice above is for your answers as a whole, which call for emergency care" in conditions
    assert "On its own usually needs self-care" in conditions
    assert "This condition needs" not in html


def test_bars_are_coloured_by_each_condition_s_care_level_with_words_beside_them(visitor: Client) -> None:
    conditions = _section(_results(visitor, *EMERGENCY), "conditions-title")
    levels = set(re.findall(r'<meter class="level-(\w+)"', conditions))
    assert {"emergency", "urgent"} <= levels  # not all one colour
    for level, words in re.findall(
        r'<span class="care-label level-(\w+)">On its own usually needs ([^<]+)</span>', conditions
    ):
        assert words == {"emergency": "emergency care", "urgent": "care within 24 hours",
                         "routine": "a doctor&#x27;s appointment", "self_care": "self-care"}[level]  # fmt: skip


def test_reasons_read_as_phrases_about_the_condition(visitor: Client) -> None:
    conditions = _section(_results(visitor, *EMERGENCY), "conditions-title")
    assert "Compared with the other likely causes:" in conditions
    assert "is more typical of" in conditions
    assert "(yes)" not in conditions and "Less likely because" not in conditions


def test_urgent_care_sends_to_urgent_care_or_out_of_hours_with_the_urgent_number(visitor: Client) -> None:
    html = _results(visitor, *URGENT)
    care = _section(html, "care-title")
    assert "Get medical help today" in care and "Within 24 hours" in care
    assert "Urgent care: NHS 111 (111), your GP surgery, or an out-of-hours service" in care
    assert 'href="tel:111">Call NHS 111 on 111</a>' in care
    assert "If things change" in care and "call 999 at once" in care
    assert "Treatments a doctor may discuss" in html


def test_routine_care_is_a_gp_appointment_with_no_call_button(visitor: Client) -> None:
    html = _results(visitor, *ROUTINE)
    care = _section(html, "care-title")
    assert "Book an appointment with a doctor" in care and "GP: your GP surgery" in care
    assert "In the coming days" in care
    assert 'class="button primary call"' not in care
    assert "call NHS 111 on 111" in care


def test_self_care_comes_as_what_you_can_do_now_and_when_to_get_help(visitor: Client) -> None:
    html = _results(visitor, *SELF_CARE)
    care = _section(html, "care-title")
    assert "You can probably look after this yourself" in care and "No appointment needed now" in care
    now = _section(html, "self-title")
    assert "What you can do now" in now and "pharmacist" in now
    assert "Keep active" in now  # the condition's own self-care advice
    assert "When to get help" in now and "not getting better after a few days" in now
    assert html.index('id="self-title"') < html.index('id="conditions-title"')
    doctor = html.split('id="treat-title"')[1] if 'id="treat-title"' in html else ""
    assert "Keep active" not in doctor  # self-care is advice, not something to discuss with a doctor
    assert "Treatment options to discuss" not in html


def test_numbers_and_service_names_come_from_the_deployment_s_settings(visitor: Client, settings: Settings) -> None:
    settings.CAREGUIDE_EMERGENCY_NUMBER = "112"
    settings.CAREGUIDE_EMERGENCY_DEPARTMENT = "the emergency department"
    settings.CAREGUIDE_URGENT_NUMBER = "+49 116 117"
    settings.CAREGUIDE_URGENT_SERVICE = "the on-call medical service"
    emergency = _section(_results(visitor, *EMERGENCY), "care-title")
    assert 'href="tel:112">Call 112 for an ambulance</a>' in emergency
    assert "Ambulance (112) or the emergency department" in emergency and "999" not in emergency
    urgent = _section(_results(visitor, *URGENT), "care-title")
    assert 'href="tel:+49116117">Call the on-call medical service on +49 116 117</a>' in urgent
    assert "111" not in urgent.replace("116 117", "")


def test_a_telephone_setting_must_be_a_number(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_NUMBER", "911")
    assert env_phone("X_NUMBER", "999") == "911"
    monkeypatch.setenv("X_NUMBER", "+44 20-7946 0000")
    assert env_phone("X_NUMBER", "999") == "+44 20-7946 0000"
    for bad in ("call us", "", "999; rm", "tel:999"):
        monkeypatch.setenv("X_NUMBER", bad)
        with pytest.raises(ImproperlyConfigured, match="X_NUMBER must be a telephone number"):
            env_phone("X_NUMBER", "999")


def test_suspected_spine_metastases_get_no_spinal_manipulation_or_massage(visitor: Client) -> None:
    answers = [
        ["history_of_cancer", "present"],
        ["night_pain", "present"],
        ["rest_pain", "present"],
    ]
    html = _results(visitor, 70, "female", answers)
    assert "Radiotherapy to the spine" in html
    assert "spinal manipulation" not in html.lower() and "massage" not in html.lower()


def test_an_emergency_lists_only_treatments_of_the_serious_causes(visitor: Client) -> None:
    # Crushing chest pain with sweating: heart attack leads; a panic attack is also possible. Beside "call 999",
    # an SSRI or CBT for panic would read as reassurance; the heart attack's emergency care is what matters.
    answers = [["crushing_chest_pain", "present"], ["sweating", "present"], ["chest_pain_over_15_minutes", "absent"]]
    html = _results(visitor, 58, "male", answers, complaint="chest_pain")
    assert "Get emergency help now" in _section(html, "care-title")
    treatments = _section(html, "treat-title")
    names = {t.id: t.name for t in knowledge().treatments}
    assert names["heart_attack_emergency_care"] in treatments
    assert names["anxiety_ssri"] not in html and names["anxiety_cbt_self_help"] not in html
