"""Editors' admin: groups and permissions, moderation queue, reviewer profiles, quiz statistics."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from careguide.web.checker.models import QuizOutcome
from careguide.web.guides.models import ReviewerProfile
from careguide.web.stories.models import Story

pytestmark = pytest.mark.django_db


def _pending() -> Story:
    return Story.objects.create(condition="sciatica", title="My sciatica", body="Walking helped.", consent=True)


def test_groups_exist_with_their_permissions() -> None:
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    moderators = set(Group.objects.get(name="Moderators").permissions.values_list("codename", flat=True))
    assert {"change_story", "view_feedback", "view_quizoutcome", "add_reviewerprofile"} <= editors
    assert moderators == {"view_story", "change_story"}


def test_visitors_cannot_reach_the_admin(visitor: Client) -> None:
    response = visitor.get("/admin/stories/story/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_moderator_approves_a_story_from_the_queue(moderator_client: Client, visitor: Client) -> None:
    story = _pending()
    queue = moderator_client.get("/admin/stories/story/?status__exact=pending").content.decode()
    assert "My sciatica" in queue
    response = moderator_client.post("/admin/stories/story/", {"action": "approve", "_selected_action": [story.pk]})
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Story.Status.APPROVED and story.reviewed_by is not None
    assert "My sciatica" in visitor.get("/conditions/sciatica/").content.decode()
    assert moderator_client.get("/admin/feedback/feedback/").status_code == 403


def test_rejecting_a_story_needs_a_reason(editor_client: Client) -> None:
    story = _pending()
    url = f"/admin/stories/story/{story.pk}/change/"
    response = editor_client.post(url, {"status": "rejected", "rejection_reason": ""})
    assert response.status_code == 200 and "Give the reason for rejecting this story." in response.content.decode()
    editor_client.post(url, {"status": "rejected", "rejection_reason": "Contains a phone number"})
    story.refresh_from_db()
    assert story.status == Story.Status.REJECTED and story.rejection_reason == "Contains a phone number"


def test_editors_keep_reviewer_profiles(editor_client: Client) -> None:
    assert ReviewerProfile.objects.count() == 0  # none are shipped
    response = editor_client.post(
        "/admin/guides/reviewerprofile/add/", {"name": "Test Reviewer", "role": "GP", "active": "on"}
    )
    assert response.status_code == 302
    assert ReviewerProfile.objects.get().role == "GP"


def test_quiz_statistics_show_counts_by_level_and_complaint(editor_client: Client) -> None:
    import datetime

    QuizOutcome.objects.create(day=datetime.date(2026, 11, 1), complaint="back_pain", care_level="urgent", count=3)
    QuizOutcome.objects.create(day=datetime.date(2026, 11, 2), complaint="back_pain", care_level="self_care", count=5)
    html = editor_client.get("/admin/checker/quizoutcome/").content.decode()
    assert "<td>urgent</td><td>3</td>" in html and "<td>back_pain</td><td>8</td>" in html


def test_guessing_passwords_locks_the_sign_in_until_an_operator_lifts_it(editor: User) -> None:
    from django.core.management import call_command

    from careguide.web.settings import AXES_FAILURE_LIMIT

    guesser = Client()
    right = {"username": "editor", "password": "correct horse battery staple"}
    codes = [
        guesser.post("/admin/login/", {"username": "editor", "password": f"guess {n}"}).status_code for n in range(8)
    ]
    assert AXES_FAILURE_LIMIT == 5
    assert codes == [200] * 4 + [429] * 4  # the fifth failure locks
    locked = guesser.post("/admin/login/", right)
    assert locked.status_code == 429 and "Sign-in locked" in locked.content.decode()
    assert "_auth_user_id" not in guesser.session
    # Locked by user name too: the right password from another address does not get in either.
    assert Client(REMOTE_ADDR="192.0.2.7").post("/admin/login/", right).status_code == 429
    call_command("axes_reset_username", "editor")  # `careguide manage axes_reset_username editor`
    response = guesser.post("/admin/login/?next=/admin/", right)
    assert response.status_code == 302 and response["Location"] == "/admin/"
