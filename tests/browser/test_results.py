"""The results page on a phone: an emergency result says what to do first, with a tap-to-call link and what
to do while waiting, fits the screen, and has no serious accessibility violations (axe-core)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from careguide.web.checker.models import QuizSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 390, "height": 844}


def _results_of(page: Page, base: str, age: str, answers: list[list[str]]) -> None:
    """Start a back-pain quiz in this browser, give it these answers, open its results."""
    page.goto(base + "/check/?complaint=back_pain")
    page.get_by_label("Age in years").fill(age)
    page.get_by_label("Male", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Question 1 of")).to_be_visible()
    session = QuizSession.objects.get(pk=page.url.rstrip("/").split("/")[-1])
    session.answers = answers
    session.save()
    page.goto(f"{base}/check/{session.id}/results/")


def _serious(page: Page, source: str) -> list[str]:
    page.add_script_tag(content=source)
    result: dict[str, Any] = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']}: {v['help']}" for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_an_emergency_result_on_a_phone_shows_what_to_do_first(
    browser: Browser, live_server: LiveServer, axe_source: str
) -> None:
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True)
    page = ctx.new_page()
    _results_of(page, live_server.url, "70", [["history_of_cancer", "present"], ["leg_weakness", "present"]])

    heading = page.get_by_role("heading", name="Get emergency help now")
    call = page.locator(".care a.call")
    expect(heading).to_be_visible()
    expect(call).to_have_text("Call 999 for an ambulance")
    expect(call).to_have_attribute("href", "tel:999")
    # The call button is on the first screen, without scrolling, and big enough to tap.
    box = call.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"] and box["height"] >= 24
    expect(page.get_by_role("heading", name="While you wait for help")).to_be_visible()
    expect(page.locator(".while-waiting li").first).to_contain_text("Stay with someone")
    expect(page.get_by_role("heading", name="What you can do now")).to_have_count(0)
    # Each condition's care level is in words, not only in the colour of its bar.
    expect(page.locator(".conditions .care-label").first).to_contain_text("On its own usually needs")
    colours = page.eval_on_selector_all(
        ".conditions .care-label", "els => [...new Set(els.map(e => getComputedStyle(e).color))]"
    )
    assert len(colours) >= 2  # not every condition in one colour
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert _serious(page, axe_source) == []
    ctx.close()


def test_a_self_care_result_on_a_phone_is_accessible(
    browser: Browser, live_server: LiveServer, axe_source: str
) -> None:
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True)
    page = ctx.new_page()
    _results_of(page, live_server.url, "30", [["fever", "absent"], ["leg_weakness", "absent"]])
    expect(page.get_by_role("heading", name="You can probably look after this yourself")).to_be_visible()
    expect(page.get_by_role("heading", name="What you can do now")).to_be_visible()
    expect(page.get_by_role("heading", name="When to get help")).to_be_visible()
    assert _serious(page, axe_source) == []
    ctx.close()
