"""'Was this article helpful?': one vote per guide per visitor (browser and address); editors see the totals."""

from __future__ import annotations

import pytest
from django.test import Client

from careguide.web.feedback.models import Feedback

pytestmark = pytest.mark.django_db

URL = "/conditions/muscle_strain/feedback/"


def test_a_vote_and_comment_are_kept(visitor: Client) -> None:
    response = visitor.post(URL, {"helpful": "yes", "comment": "Clear, thank you"})
    assert response.status_code == 302 and response["Location"].endswith("?done=feedback#feedback")
    fb = Feedback.objects.get()
    assert fb.condition == "muscle_strain" and fb.helpful and fb.comment == "Clear, thank you"
    assert "Thank you for your feedback" in visitor.get(response["Location"]).content.decode()


def test_one_vote_per_visitor_per_guide(visitor: Client) -> None:
    visitor.post(URL, {"helpful": "yes"})
    again = visitor.post(URL, {"helpful": "no"})
    assert again["Location"].endswith("?done=feedback-again#feedback")
    assert Feedback.objects.count() == 1
    visitor.post("/conditions/sciatica/feedback/", {"helpful": "no"})  # another guide counts
    Client(REMOTE_ADDR="192.0.2.7").post(URL, {"helpful": "no"})  # another visitor (address) counts
    assert Feedback.objects.count() == 3


def test_dropping_the_cookie_does_not_give_another_vote() -> None:
    outcomes = [Client().post(URL, {"helpful": "yes"})["Location"].split("?")[1] for _ in range(10)]
    assert outcomes == ["done=feedback#feedback"] + ["done=feedback-again#feedback"] * 9
    assert Feedback.objects.count() == 1


def test_the_same_browser_from_another_address_still_has_one_vote(visitor: Client) -> None:
    visitor.post(URL, {"helpful": "yes"})
    again = visitor.post(URL, {"helpful": "no"}, REMOTE_ADDR="198.51.100.4")  # e.g. from home, then from work
    assert again["Location"].endswith("?done=feedback-again#feedback")
    assert Feedback.objects.count() == 1


def test_voting_needs_no_csrf_token_but_refuses_other_sites() -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(URL, {"helpful": "yes"}).status_code == 302
    assert strict.post(URL, {"helpful": "yes"}, headers={"Origin": "https://evil.example"}).status_code == 403
    assert Feedback.objects.count() == 1


def test_an_invalid_vote_is_a_400_naming_the_field(visitor: Client) -> None:
    response = visitor.post(URL, {"helpful": "maybe"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert Feedback.objects.count() == 0


def test_editors_see_counts_and_comments_per_guide(visitor: Client, editor_client: Client) -> None:
    visitor.post(URL, {"helpful": "yes", "comment": "Useful"})
    Client(REMOTE_ADDR="192.0.2.7").post(URL, {"helpful": "no"})
    html = editor_client.get("/admin/feedback/feedback/").content.decode()
    assert "<td>muscle_strain</td><td>1</td><td>1</td><td>1</td>" in html
    assert "Useful" in html
