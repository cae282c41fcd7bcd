"""Choosing "my child" on the start page: the questions and the results are worded for the child."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, expect
from pytest_django.live_server_helper import LiveServer

from careguide.web.knowledge import knowledge
from tests.browser.test_site import _answer_until_results

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_parent_chooses_my_child_and_is_asked_about_the_child(
    context: BrowserContext, live_server: LiveServer
) -> None:
    first = knowledge().finding("fast_breathing")  # the first question for a 4-year-old with a cough
    assert first.question_other
    page = context.new_page()
    page.goto(live_server.url + "/check/?complaint=cough")
    expect(page.get_by_label("Me", exact=True)).to_be_checked()
    page.get_by_label("My child", exact=True).check()
    page.get_by_label("Age in years").fill("4")
    page.get_by_label("Female", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Question 1 of")).to_be_visible()
    expect(page.locator("legend h1")).to_have_text(first.question_other)
    _answer_until_results(page)
    expect(page.get_by_role("heading", name="Results for your child", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Conditions that best explain the answers")).to_be_visible()
