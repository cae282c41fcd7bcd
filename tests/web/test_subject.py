"""Asking for me, my child or someone else: the start form, the wording of questions and results, the API."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape

from careguide.web.checker.models import QuizSession
from careguide.web.knowledge import knowledge

pytestmark = pytest.mark.django_db

# For a 4-year-old with a cough the first question is whether they breathe fast, which has a wording for others.
CHILD = {"subject": "child", "age": "4", "sex": "female", "complaint": "cough"}


def _start(client: Client, data: dict[str, str]) -> str:
    response = client.post("/check/", data)
    assert response.status_code == 302, response.content.decode()[:1000]
    return str(response["Location"])


def _heading(html: str) -> str:
    m = re.search(r"<legend><h1>(.*?)</h1></legend>", html, re.S)
    assert m, html[:2000]
    return m.group(1)


def test_the_start_form_asks_who_it_is_for_before_the_age(visitor: Client) -> None:
    html = visitor.get("/check/").content.decode()
    assert "Who are you asking for?" in html
    assert html.index('name="subject"') < html.index('name="age"')
    for value, label in (("self", "Me"), ("child", "My child"), ("other", "Someone else")):
        assert re.search(rf'value="{value}"[^>]*>\s*{label}</label>', html), value
    assert re.search(r'value="self"[^>]*checked', html)  # the person themself unless they say otherwise


def test_a_child_quiz_is_stored_and_shows_the_question_for_someone_else(visitor: Client) -> None:
    url = _start(visitor, CHILD)
    session = QuizSession.objects.get()
    assert session.subject == "child"
    finding = knowledge().finding("fast_breathing")
    assert finding.question_other
    html = visitor.get(url).content.decode()
    assert 'name="finding" value="fast_breathing"' in html
    assert _heading(html) == escape(finding.question_other)
    assert escape(finding.question) not in html


def test_for_myself_the_question_is_the_finding_s_own(visitor: Client) -> None:
    url = _start(visitor, CHILD | {"subject": "self"})
    html = visitor.get(url).content.decode()
    assert _heading(html) == escape(knowledge().finding("fast_breathing").question)


def test_a_form_without_subject_is_for_the_person_and_a_wrong_one_is_refused(visitor: Client) -> None:
    data = {k: v for k, v in CHILD.items() if k != "subject"}
    _start(visitor, data)
    assert QuizSession.objects.get().subject == "self"
    response = visitor.post("/check/", CHILD | {"subject": "dog"})
    assert response.status_code == 400
    assert "Select a valid choice. dog is not one of the available choices." in response.content.decode()
    assert QuizSession.objects.count() == 1


def test_a_question_without_its_own_wording_says_whom_it_is_about(visitor: Client) -> None:
    url = _start(visitor, CHILD | {"subject": "other", "age": "40"})
    k = knowledge()
    for _ in range(15):
        response = visitor.get(url)
        if response.status_code == 302:
            break
        html = response.content.decode()
        fid = re.search(r'name="finding" value="(\w+)"', html)
        assert fid
        finding = k.finding(fid.group(1))
        expected = finding.question_other or f"About the person you are answering for: {finding.question}"
        assert _heading(html) == escape(expected)
        assert "your other answers" not in html
        visitor.post(url, {"finding": finding.id, "answer": "unknown"})


def test_results_for_a_child_speak_of_the_answers_and_of_the_child(visitor: Client) -> None:
    url = _start(visitor, CHILD)
    finding = knowledge().finding("fast_breathing")
    visitor.post(url, {"finding": "fast_breathing", "answer": "absent"})
    session = QuizSession.objects.get()
    html = visitor.get(f"/check/{session.id}/results/").content.decode()
    assert "<h1>Results for your child</h1>" in html
    assert "Conditions that best explain the answers" in html
    assert "Conditions that best explain your answers" not in html
    assert f"<td>{escape(finding.question_other or '')}</td>" in html  # the answers table, in their words


def test_results_for_myself_keep_their_wording(visitor: Client) -> None:
    _start(visitor, CHILD | {"subject": "self"})
    session = QuizSession.objects.get()
    html = visitor.get(f"/check/{session.id}/results/").content.decode()
    assert "<h1>Your results</h1>" in html
    assert "Conditions that best explain your answers" in html


def test_the_home_page_words_preselect_a_child_and_their_age(visitor: Client) -> None:
    html = visitor.get("/check/", {"q": "my daughter is 4 and has a cough"}).content.decode()
    assert re.search(r'value="child"[^>]*checked', html)
    assert not re.search(r'value="self"[^>]*checked', html)
    assert re.search(r'name="age"[^>]*value="4"', html)
    assert re.search(r'value="female"[^>]*checked', html)
    baby = visitor.get("/check/", {"q": "my 8 month old is vomiting"}).content.decode()
    assert re.search(r'value="child"[^>]*checked', baby)
    assert re.search(r'name="age"[^>]*value="0"', baby) and re.search(r'name="age_months"[^>]*value="8"', baby)
    own = visitor.get("/check/", {"q": "sore back for a week"}).content.decode()
    assert re.search(r'value="self"[^>]*checked', own)


# ---- the API ------------------------------------------------------------------------------------------


def _step(client: Client, body: dict[str, Any]) -> tuple[int, Any]:
    response = client.post("/api/step", json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


STEP = {"age": 4, "sex": "female", "complaint": "cough"}


def test_the_api_words_the_question_for_whom_the_answers_are_about(visitor: Client) -> None:
    finding = knowledge().finding("fast_breathing")
    code, own = _step(visitor, STEP)
    assert code == 200 and own["question"]["finding"] == "fast_breathing"
    assert own["question"]["text"] == finding.question  # default: the person themself
    for subject in ("child", "other"):
        code, data = _step(visitor, STEP | {"subject": subject})
        assert code == 200
        assert data["question"]["text"] == finding.question_other
        assert data["question"]["finding"] == own["question"]["finding"]
        assert data["conditions"] == own["conditions"]  # only the wording changes
    code, data = _step(visitor, STEP | {"subject": "self"})
    assert data["question"]["text"] == finding.question


@pytest.mark.parametrize("value", ["dog", "", "Child", 1, None])
def test_the_api_refuses_an_unknown_subject_with_a_422_naming_it(visitor: Client, value: object) -> None:
    code, data = _step(visitor, STEP | {"subject": value})
    assert code == 422
    assert [d["loc"] for d in data["detail"]] == [["body", "subject"]]


def test_the_api_documents_the_subject_field(visitor: Client) -> None:
    schema = visitor.get("/api/openapi.json").json()
    prop = schema["components"]["schemas"]["StepIn"]["properties"]["subject"]
    assert prop["enum"] == ["self", "child", "other"] and prop["default"] == "self"
    assert "Whom the answers are about" in prop["description"]
