"""The site in a real browser: the whole quiz with and without JavaScript, a story from submission to
approval in the admin to display, feedback, and accessibility (axe-core) of the main pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from careguide.web.feedback.models import Feedback
from careguide.web.stories.models import Story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _answer_until_results(page: Page, yes: bool = False) -> None:
    for _ in range(40):
        if "/results/" in page.url:
            return
        carry_on = page.get_by_role("button", name=re.compile("carry on with the questions"))
        if carry_on.count():
            carry_on.click()  # an emergency warning, read: go on to learn more
            continue
        if page.locator("input[name=option]").count():
            page.locator("input[name=answer][value=none]").check()
        elif page.locator("input[value=present]").count():
            page.locator(f"input[value={'present' if yes else 'absent'}]").check()
        else:
            page.locator("input[name=answer][value=unknown]").check()
        page.get_by_role("button", name="Next").click()
    raise AssertionError("the quiz did not reach the results")


def test_the_whole_quiz_with_autocomplete_reaches_a_result(context: BrowserContext, live_server: LiveServer) -> None:
    page = context.new_page()
    page.goto(live_server.url + "/check/")
    page.get_by_label("Age in years").fill("34")
    page.get_by_label("Female", exact=True).check()
    page.get_by_role("combobox").type("back pa")
    suggestion = page.get_by_role("option", name="Back pain")
    expect(suggestion).to_be_visible()
    suggestion.click()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Question 1 of at most 20")).to_be_visible()
    expect(page.get_by_text("This is not a diagnosis.")).to_be_visible()
    _answer_until_results(page)
    expect(page.get_by_role("heading", name="Your results")).to_be_visible()
    # Answering "none of these" to where the back hurts is not a realistic answer, so the care level is
    # left to the engine's own tests; the site must show one and the likely cause.
    expect(page.locator("#care-title")).to_have_text(
        re.compile(
            "Get emergency help now|Get medical help today|Book an appointment with a doctor|look after this yourself"
        )
    )
    expect(page.get_by_role("link", name="Non-specific low back pain")).to_be_visible()
    page.get_by_role("link", name="Print-friendly summary for your doctor").click()
    expect(page.get_by_role("heading", name="Symptom summary to show a health professional")).to_be_visible()


def test_the_quiz_works_without_javascript_and_can_change_an_answer(browser: Browser, live_server: LiveServer) -> None:
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(live_server.url + "/")
    page.get_by_label("Describe your main symptom").fill("backache")
    page.get_by_role("button", name="Start the symptom checker").click()
    page.get_by_label("Age in years").fill("72")
    page.get_by_label("Male", exact=True).check()
    page.get_by_role("button", name="Continue").click()  # "backache" names one complaint: no list to choose from
    expect(page.get_by_text("Question 1 of at most 20")).to_be_visible()
    first = page.locator("legend h1").inner_text()
    page.locator("input[name=answer][value=unknown]").check()
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Back to the previous question").click()
    expect(page.locator("legend h1")).to_have_text(first)
    _answer_until_results(page, yes=True)
    expect(page.locator("#care-title")).to_have_text("Get emergency help now")
    expect(page.get_by_text("Warning signs in your answers")).to_be_visible()
    page.get_by_role("link", name=re.compile("Change")).first.click()
    expect(page.get_by_role("button", name="Save answer")).to_be_visible()
    ctx.close()


def test_a_story_is_submitted_approved_in_the_admin_and_shown(browser: Browser, live_server: LiveServer) -> None:
    visitor = browser.new_context()
    page = visitor.new_page()
    page.goto(live_server.url + "/conditions/sciatica/")
    page.get_by_text("Share your story").click()
    page.get_by_label("Title").fill("Eight weeks to walking again")
    page.get_by_label("Your story").fill("Keeping active helped me more than rest did.")
    page.get_by_label("Your age range (optional)").select_option("35-44")
    page.get_by_label(re.compile("I agree that CareGuide may publish")).check()
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("Your story will appear here once an editor has reviewed it.")).to_be_visible()
    assert Story.objects.get().status == Story.Status.PENDING
    expect(page.get_by_text("Eight weeks to walking again")).to_have_count(0)
    visitor.close()

    editor = User.objects.create_user("editor", password="correct horse battery staple", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    admin = browser.new_context()
    page = admin.new_page()
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username:").fill("editor")
    page.get_by_label("Password:").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/admin/stories/story/?status__exact=pending")
    page.get_by_role("link", name=re.compile("Eight weeks to walking again")).click()
    page.get_by_label("Status:").select_option("approved")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    admin.close()

    reader = browser.new_context()
    page = reader.new_page()
    page.goto(live_server.url + "/conditions/sciatica/")
    expect(page.get_by_role("heading", name="Eight weeks to walking again")).to_be_visible()
    expect(page.get_by_text("Anonymous, aged 35 to 44 · written by a patient")).to_be_visible()
    reader.close()


def test_feedback_is_given_once(context: BrowserContext, live_server: LiveServer) -> None:
    page = context.new_page()
    page.goto(live_server.url + "/conditions/kidney_stone/")
    page.locator("#feedback").get_by_label("Yes").check()
    page.locator("#feedback").get_by_role("textbox").fill("Very clear")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_text("Thank you for your feedback.")).to_be_visible()
    fb = Feedback.objects.get()
    assert fb.helpful and fb.comment == "Very clear"


def _axe(page: Page, source: str) -> list[dict[str, Any]]:
    page.add_script_tag(content=source)
    result: dict[str, Any] = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_main_pages_have_no_serious_accessibility_violations(
    browser: Browser, live_server: LiveServer, axe_source: str
) -> None:
    ctx = browser.new_context(bypass_csp=True)  # to inject axe-core into pages whose CSP forbids inline scripts
    page = ctx.new_page()
    pages = ["/", "/conditions/", "/conditions/spine_metastases/", "/check/", "/about/"]
    problems: dict[str, list[str]] = {}
    for path in pages:
        page.goto(live_server.url + path)
        found = _axe(page, axe_source)
        if found:
            problems[path] = [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in found]
    page.goto(live_server.url + "/check/?complaint=back_pain")
    page.get_by_label("Age in years").fill("50")
    page.get_by_label("Male", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    for label, html_page in (("question", page.url), ("results", page.url + "results/")):
        page.goto(html_page)
        found = _axe(page, axe_source)
        if found:
            problems[label] = [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in found]
    ctx.close()
    assert problems == {}


def test_an_emergency_in_the_typed_words_is_shown_at_once(context: BrowserContext, live_server: LiveServer) -> None:
    page = context.new_page()
    page.goto(live_server.url + "/check/")
    page.get_by_label("Age in years").fill("58")
    page.get_by_label("Male", exact=True).check()
    page.get_by_role("combobox").fill("crushing chest pain and I'm sweating")
    page.get_by_role("button", name="Continue").click()  # the words name one complaint: straight on
    # Before any question: what to do, the number to call as a link, and why.
    expect(page.get_by_role("heading", name="Call 999 now")).to_be_visible()
    expect(page.get_by_role("link", name="Call 999")).to_have_attribute("href", "tel:999")
    expect(page.get_by_role("heading", name="What to do now")).to_be_visible()
    # The person may go on only to learn more; the warning stays on every following page.
    page.get_by_role("button", name=re.compile("carry on with the questions")).click()
    expect(page.locator(".alert-notice")).to_contain_text("Call 999 now")


def test_a_baby_s_answer_that_is_an_emergency_is_shown_at_once(
    context: BrowserContext, live_server: LiveServer
) -> None:
    page = context.new_page()
    page.goto(live_server.url + "/check/?complaint=cough")
    page.get_by_label("Age in years").fill("0")
    page.get_by_label("For a baby or child under 2: age in months").fill("5")
    page.get_by_label("Female", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Question 1 of")).to_be_visible()
    answered = 0
    for _ in range(20):
        if page.get_by_role("heading", name="Call 999 now").count():
            break
        if page.locator("input[name=option]").count():
            page.locator("input[name=option]").first.check()
        elif page.locator("input[value=present]").count():
            page.locator("input[value=present]").check()
        else:
            page.locator("input[name=answer]").first.check()
        page.get_by_role("button", name="Next").click()
        answered += 1
    assert answered >= 1, "the warning came from an answer, not from the start"
    expect(page.get_by_role("heading", name="Call 999 now")).to_be_visible()
    expect(page.get_by_role("alert")).to_be_visible()
