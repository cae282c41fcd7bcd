"""The quiz pages: start, questions, back, change, results, summary, ownership, expiry, statistics."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from careguide.web.checker.models import QuizOutcome, QuizSession

pytestmark = pytest.mark.django_db


def _start(client: Client, age: str = "40", sex: str = "male", complaint: str = "back_pain") -> str:
    response = client.post("/check/", {"age": age, "sex": sex, "complaint": complaint})
    assert response.status_code == 302, response.content.decode()[:500]
    return str(response["Location"])


def _current(client: Client, url: str) -> tuple[str, str]:
    html = client.get(url).content.decode()
    m = re.search(r'name="finding" value="(\w+)"', html)
    assert m, html[:2000]
    return m.group(1), html


def _answer_everything(client: Client, url: str, yes: bool = False) -> str:
    for _ in range(40):
        response = client.get(url)
        if response.status_code == 302:
            return str(response["Location"])
        fid, html = _current(client, url)
        if 'name="option"' in html:
            client.post(url, {"finding": fid, "answer": "none"})
        elif 'value="present"' in html:
            client.post(url, {"finding": fid, "answer": "present" if yes else "absent"})
        else:
            client.post(url, {"finding": fid, "answer": "unknown"})
    raise AssertionError("quiz did not end")


def test_start_page_has_age_sex_and_complaint_search(visitor: Client) -> None:
    html = visitor.get("/check/").content.decode()
    assert 'name="age"' in html and 'name="sex"' in html and 'name="words"' in html
    assert "not a diagnosis" in html and "In an emergency call 999" in html


def test_start_rejects_bad_age_and_missing_sex_naming_them(visitor: Client) -> None:
    response = visitor.post("/check/", {"age": "130", "words": "back pain"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="age-error"' in html and "less than or equal to 120" in html
    assert "This field is required." in html
    assert QuizSession.objects.count() == 0


def test_start_searches_words_and_offers_matches(visitor: Client) -> None:
    response = visitor.post("/check/", {"age": "40", "sex": "female", "words": "aching"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="complaint" value="' in html  # a list of complaints to choose from
    assert QuizSession.objects.count() == 0
    nothing = visitor.post("/check/", {"age": "40", "sex": "female", "words": "xylophone"})
    assert nothing.status_code == 400 and "We could not match that" in nothing.content.decode()


def test_the_quiz_can_start_from_a_guide_s_main_symptom(visitor: Client) -> None:
    html = visitor.get("/check/?complaint=flank_pain").content.decode()
    assert "Main symptom: <strong>Pain in the side (loin)</strong>" in html


def test_one_question_per_page_with_progress_and_dont_know(visitor: Client) -> None:
    url = _start(visitor)
    fid, html = _current(visitor, url)
    assert "Question 1 of at most 20" in html and "<progress" in html
    assert "I don't know" in html and "Why we ask:" in html
    assert "not a diagnosis" in html
    visitor.post(url, {"finding": fid, "answer": "unknown"})
    assert QuizSession.objects.get().answers == [[fid, "unknown"]]
    assert "Question 2 of at most 20" in visitor.get(url).content.decode()


def test_an_invalid_answer_is_asked_again(visitor: Client) -> None:
    url = _start(visitor)
    fid, _ = _current(visitor, url)
    response = visitor.post(url, {"finding": fid, "answer": "banana"})
    assert response.status_code == 400 and "Please choose an answer" in response.content.decode()
    assert QuizSession.objects.get().answers == []


def test_a_stale_form_does_not_record_an_answer(visitor: Client) -> None:
    url = _start(visitor)
    response = visitor.post(url, {"finding": "rash", "answer": "present"})
    assert response.status_code == 302
    assert QuizSession.objects.get().answers == []


def test_the_first_question_offers_no_way_back(visitor: Client) -> None:
    url = _start(visitor)
    assert "Back to the previous question" not in visitor.get(url).content.decode()
    fid, _ = _current(visitor, url)
    visitor.post(url, {"finding": fid, "answer": "unknown"})
    assert "Back to the previous question" in visitor.get(url).content.decode()


def test_back_removes_the_last_answer(visitor: Client) -> None:
    url = _start(visitor)
    fid, _ = _current(visitor, url)
    visitor.post(url, {"finding": fid, "answer": "unknown"})
    visitor.post(url + "back/")
    assert QuizSession.objects.get().answers == []
    assert _current(visitor, url)[0] == fid


def test_changing_an_answer_drops_answers_to_its_children(visitor: Client) -> None:
    url = _start(visitor, complaint="back_pain")
    session = QuizSession.objects.get()
    session.answers = [["sudden_severe_pain", "present"], ["tearing_pain", "absent"], ["fever", "absent"]]
    session.save()
    html = visitor.get(url + "change/sudden_severe_pain/").content.decode()
    assert 'value="present" checked' in html
    visitor.post(url + "change/sudden_severe_pain/", {"answer": "absent"})
    assert QuizSession.objects.get().answers == [["sudden_severe_pain", "absent"], ["fever", "absent"]]
    assert visitor.get(url + "change/rash/").status_code == 404  # not answered


@pytest.mark.usefixtures("back_pain_pack")
def test_a_complete_quiz_ends_with_care_conditions_treatments_and_a_summary(visitor: Client) -> None:
    url = _start(visitor, age="35", sex="female")
    results_url = _answer_everything(visitor, url)
    assert results_url.endswith("/results/")
    html = visitor.get(results_url).content.decode()
    assert html.index('id="care-title"') < html.index('id="conditions-title"')  # care level first
    assert "You can probably look after this yourself" in html
    assert 'href="/conditions/nonspecific_low_back_pain/"' in html
    assert "What you can do now" in html and "Keep active" in html
    assert "not a diagnosis" in html
    summary = visitor.get(results_url.replace("results", "summary")).content.decode()
    assert "Symptom summary to show a health professional" in summary and "M54.50" in summary


def test_red_flags_lead_to_emergency_advice_on_the_results_page(visitor: Client) -> None:
    url = _start(visitor, age="70", sex="male")
    session = QuizSession.objects.get()
    session.answers = [["history_of_cancer", "present"], ["leg_weakness", "present"]]
    session.save()
    html = visitor.get(url + "results/").content.decode()
    assert "Get emergency help now" in html and 'role="alert"' in html
    assert "Warning signs in your answers" in html and "pressure on the spinal cord" in html


@pytest.mark.usefixtures("back_pain_pack")
def test_a_finished_quiz_is_counted_once_without_personal_data(visitor: Client) -> None:
    url = _start(visitor, age="35", sex="female")
    results_url = _answer_everything(visitor, url)
    visitor.get(results_url)
    visitor.get(results_url)
    outcome = QuizOutcome.objects.get()
    assert (outcome.complaint, outcome.care_level, outcome.count) == ("back_pain", "self_care", 1)
    assert {f.name for f in QuizOutcome._meta.get_fields()} == {"id", "day", "complaint", "care_level", "count"}


def test_another_browser_cannot_see_a_quiz(visitor: Client) -> None:
    url = _start(visitor)
    stranger = Client()
    assert stranger.get(url).status_code == 404
    assert stranger.get(url + "results/").status_code == 404
    assert stranger.post(url + "back/").status_code == 404


def test_an_expired_quiz_is_gone_and_purged(visitor: Client) -> None:
    url = _start(visitor)
    QuizSession.objects.update(updated=timezone.now() - timedelta(hours=25))
    assert visitor.get(url).status_code == 404
    call_command("purge_quiz_sessions")
    assert QuizSession.objects.count() == 0


def test_purge_keeps_recent_quizzes(visitor: Client) -> None:
    _start(visitor)
    call_command("purge_quiz_sessions")
    assert QuizSession.objects.count() == 1


def test_answers_the_knowledge_no_longer_knows_ask_to_restart(visitor: Client) -> None:
    url = _start(visitor)
    QuizSession.objects.update(answers=[["retired_finding", "present"]])
    response = visitor.get(url)
    assert response.status_code == 409 and "Please start again" in response.content.decode()


def test_the_complaint_box_parses_a_sentence_and_keeps_what_it_says(visitor: Client) -> None:
    words = "my lower back has hurt for months, no fever"
    response = visitor.post("/check/", {"age": "50", "sex": "female", "words": words})
    assert response.status_code == 302
    session = QuizSession.objects.get()
    # What the words say is kept as answers given, not as questions asked.
    assert session.answers == []
    given = dict((f, a) for f, a in session.volunteered)
    assert given["pain_location"] == ["lower_back"] and given["duration"] == "over_3_months"
    assert given["fever"] == "absent" and given["symptom_duration"] == "over_3_months"
    assert session.complaint == "back_pain"


@pytest.mark.parametrize("words", ["back pain", "Back pain", "backache", "my back has been killing me since Monday"])
def test_words_naming_one_complaint_go_straight_to_the_quiz(visitor: Client, words: str) -> None:
    response = visitor.post("/check/", {"age": "40", "sex": "female", "words": words})
    assert response.status_code == 302, response.content.decode()[:300]
    assert QuizSession.objects.get().complaint == "back_pain"


def test_words_naming_two_complaints_offer_both_to_choose(visitor: Client) -> None:
    response = visitor.post("/check/", {"age": "40", "sex": "female", "words": "chest pain and a headache"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="complaint" value="chest_pain"' in html and 'name="complaint" value="headache"' in html
    assert QuizSession.objects.count() == 0


def test_words_not_understood_are_said_once_on_the_first_question(visitor: Client) -> None:
    words = "back pain, xylophone lessons tomorrow"
    url = str(visitor.post("/check/", {"age": "40", "sex": "female", "words": words})["Location"])
    html = visitor.get(url).content.decode()
    assert "We did not understand: \u201cxylophone lessons tomorrow\u201d" in html
    assert "xylophone" not in visitor.get(url).content.decode()  # said once, not stored
    assert "xylophone" not in str(QuizSession.objects.get().volunteered)


def test_the_person_can_add_something_in_their_own_words(visitor: Client) -> None:
    url = str(visitor.post("/check/", {"age": "40", "sex": "female", "words": "back pain"})["Location"])
    assert "Add something else in your own words" in visitor.get(url).content.decode()
    added = visitor.post(f"{url}add/", {"words": "I have a temperature of 39"})
    assert added.status_code == 302 and added["Location"] == url
    session = QuizSession.objects.get()
    assert ["fever", "present"] in session.volunteered
    html = visitor.get(url).content.decode()
    assert "What we understood from your words" in html and "Fever: Yes" in html
    before = list(session.volunteered)
    nothing = visitor.post(f"{url}add/", {"words": "xylophone"}, follow=True).content.decode()
    assert "We could not match that" in nothing
    session.refresh_from_db()
    assert session.volunteered == before  # nothing changed
    assert visitor.get(f"{url}add/").status_code == 405


@pytest.mark.usefixtures("back_pain_pack")
def test_an_age_below_the_pack_s_youngest_is_a_form_error_naming_the_age(visitor: Client) -> None:
    html = visitor.get("/check/").content.decode()
    assert "written for people aged 16 and over" in html  # said before anyone types an age
    response = visitor.post("/check/", {"age": "2", "sex": "female", "complaint": "back_pain"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="age-error"' in html and "cannot advise on a younger person" in html and "call 999" in html
    assert QuizSession.objects.count() == 0
    assert visitor.post("/check/", {"age": "16", "sex": "female", "complaint": "back_pain"}).status_code == 302


@pytest.mark.usefixtures("back_pain_pack")
def test_a_stored_quiz_below_the_pack_s_youngest_is_not_run(visitor: Client) -> None:
    url = _start(visitor)
    QuizSession.objects.update(age=3)  # e.g. started before the site switched to an adults' pack
    response = visitor.get(url)
    assert response.status_code == 409 and "Please start again" in response.content.decode()


def test_an_over_long_complaint_is_a_form_error_not_parsed(visitor: Client) -> None:
    response = visitor.post("/check/", {"age": "40", "sex": "female", "words": "back pain " * 500})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="words-error"' in html and "at most 200 characters" in html
    assert QuizSession.objects.count() == 0


def test_what_was_read_from_the_words_is_shown_and_can_be_taken_out(visitor: Client) -> None:
    words = "my lower back has hurt for months, no fever"
    response = visitor.post("/check/", {"age": "50", "sex": "female", "words": words, "complaint": "back_pain"})
    url = str(response["Location"])
    html = visitor.get(url).content.decode()
    assert "What we understood from your words" in html
    assert "Fever: No" in html
    session = QuizSession.objects.get()
    taken = visitor.post(f"{url}forget/fever/")
    assert taken.status_code == 302
    session.refresh_from_db()
    assert "fever" not in {f for f, _ in session.volunteered}
    assert "pain_location" in {f for f, _ in session.volunteered}  # the rest is kept
    html = visitor.get(url).content.decode()
    assert "Fever: No" not in html
    assert visitor.post(f"{url}forget/fever/").status_code == 404  # nothing left to take out
    assert visitor.get(f"{url}forget/pain_location/").status_code == 405  # only by a form post
