"""Patient stories: submitted as pending, shown only once approved, escaped, spam kept out."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from careguide.web.stories.models import Story

pytestmark = pytest.mark.django_db

URL = "/conditions/sciatica/stories/"


def _story(**extra: str) -> dict[str, str]:
    return {
        "title": "Back to walking",
        "body": "It took eight weeks <script>alert(1)</script>.",
        "age_range": "35-44",
        "display_name": "",
        "consent": "on",
        "website": "",
    } | extra


def test_a_submitted_story_waits_for_review(visitor: Client) -> None:
    response = visitor.post(URL, _story())
    assert response.status_code == 302 and response["Location"].endswith("?done=story#stories")
    story = Story.objects.get()
    assert story.status == Story.Status.PENDING and story.condition == "sciatica"
    html = visitor.get("/conditions/sciatica/").content.decode()
    assert "Back to walking" not in html


def test_an_approved_story_is_shown_escaped_and_marked_as_a_patients(visitor: Client) -> None:
    visitor.post(URL, _story(display_name="A reader"))
    Story.objects.update(status=Story.Status.APPROVED)
    html = visitor.get("/conditions/sciatica/").content.decode()
    assert "Back to walking" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert "A reader" in html and "written by a patient" in html and "not endorsed" in html


def test_a_rejected_story_is_never_shown(visitor: Client) -> None:
    visitor.post(URL, _story())
    Story.objects.update(status=Story.Status.REJECTED, rejection_reason="Names another person")
    assert "Back to walking" not in visitor.get("/conditions/sciatica/").content.decode()


def test_the_honeypot_keeps_bots_out_silently(visitor: Client) -> None:
    response = visitor.post(URL, _story(website="http://spam.example"))
    assert response.status_code == 302
    assert Story.objects.count() == 0


def test_a_story_needs_consent_title_and_text(visitor: Client) -> None:
    response = visitor.post(URL, {"title": "", "body": "", "website": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("This field is required.") == 3
    assert Story.objects.count() == 0


@override_settings(CAREGUIDE_STORIES_PER_HOUR=2)
def test_stories_are_rate_limited_per_visitor(visitor: Client) -> None:
    assert visitor.post(URL, _story()).status_code == 302
    assert visitor.post(URL, _story()).status_code == 302
    limited = visitor.post(URL, _story())
    assert limited.status_code == 429 and 1 <= int(limited["Retry-After"]) <= 3600
    assert "try again later" in limited.content.decode()
    assert Story.objects.count() == 2
    assert Client(REMOTE_ADDR="192.0.2.7").post(URL, _story()).status_code == 302  # another visitor is not limited


@override_settings(CAREGUIDE_STORIES_PER_HOUR=2)
def test_dropping_the_cookie_does_not_lift_the_story_limit() -> None:
    codes = [Client().post(URL, _story()).status_code for _ in range(10)]  # a new browser each time
    assert codes == [302, 302] + [429] * 8
    assert Story.objects.count() == 2


def test_the_form_works_without_a_csrf_token_from_the_same_site() -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(URL, _story(), headers={"Origin": "http://testserver"}).status_code == 302
    assert Story.objects.count() == 1


def test_cross_site_posts_are_refused(visitor: Client) -> None:
    response = visitor.post(URL, _story(), headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert Story.objects.count() == 0


def test_stories_for_unknown_conditions_are_404(visitor: Client) -> None:
    assert visitor.post("/conditions/nothing/stories/", _story()).status_code == 404


def test_no_email_address_is_asked_for(visitor: Client) -> None:
    html = visitor.get("/conditions/sciatica/").content.decode()
    assert 'type="email"' not in html and 'name="email"' not in html
