"""Issue 13's flows in a real browser on the general pack, from the words a person types: the results at each
care level on a phone (what to do, tap-to-call, nothing wider than the screen, no serious axe-core
violation), the report page and both downloads, a share link that expires with its quiz, and a quiz taken for
someone else. Issue 11's emergency screen, from typed words and from an answer, for an adult and a baby."""

from __future__ import annotations

import itertools
import json
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from careguide.engine import Case, question_text, step
from careguide.web.checker.models import QuizSession
from careguide.web.knowledge import config, knowledge
from tests.browser.test_site import _axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 390, "height": 844}
# What a person might type, and with "no" to every question, the care level the general pack reaches
# (the same words scripts/screenshots.py uses): care level -> (age, sex, words, heading, call link).
LEVELS = {
    "emergency": ("58", "male", "crushing chest pain and I'm sweating", "Get emergency help now", "tel:999"),
    "urgent": ("30", "female", "burning when I pee", "Get medical help today", "tel:111"),
    "routine": ("30", "female", "headache", "Book an appointment with a doctor", None),
    "self_care": ("30", "female", "sore throat", "You can probably look after this yourself", None),
}


def _start(page: Page, base: str, age: str, sex: str, words: str, who: str = "Me") -> None:
    page.goto(f"{base}/check/?q={words}")
    page.get_by_label(who, exact=True).check()
    page.get_by_label("Age in years").fill(age)
    page.get_by_label(sex.capitalize(), exact=True).check()
    page.get_by_role("button", name="Continue").click()
    if page.get_by_text("Which of these is closest").count():  # several complaints match: the first
        page.get_by_role("button", name="Continue").click()


def _no_until_results(page: Page) -> None:
    for _ in range(40):
        if "/results/" in page.url:
            return
        carry_on = page.get_by_role("button", name=re.compile("carry on with the questions"))
        if carry_on.count():
            carry_on.click()
            continue
        if page.locator("input[name=option]").count():
            page.locator("input[name=answer][value=none]").check()
        elif page.locator("input[value=absent]").count():
            page.locator("input[value=absent]").check()
        else:
            page.locator("input[name=answer][value=unknown]").check()
        page.get_by_role("button", name="Next").click()
    raise AssertionError("the quiz did not reach the results")


def _problems(page: Page, axe_source: str) -> list[str]:
    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    found = [f"wider than the screen by {wide}px"] if wide > 0 else []
    return found + [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in _axe(page, axe_source)]


@pytest.mark.parametrize("level", list(LEVELS))
def test_the_results_at_each_care_level_say_what_to_do_on_a_phone(
    browser: Browser, live_server: LiveServer, axe_source: str, level: str
) -> None:
    age, sex, words, heading, call = LEVELS[level]
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True)
    ctx.set_default_timeout(15000)
    page = ctx.new_page()
    _start(page, live_server.url, age, sex, words)
    _no_until_results(page)
    care = page.locator("section.care")
    expect(care).to_have_class(re.compile(rf"\bcare-{level}\b"))
    expect(page.locator("#care-title")).to_have_text(heading)
    if call:
        link = care.locator("a.call")
        expect(link).to_have_attribute("href", call)
        box = link.bounding_box()  # on the first screen, without scrolling
        assert box is not None and box["y"] + box["height"] <= PHONE["height"]
    else:
        expect(care.locator("a.call")).to_have_count(0)
    expect(page.get_by_role("heading", name="While you wait for help")).to_have_count(int(level == "emergency"))
    expect(page.get_by_role("heading", name="What you can do now")).to_have_count(int(level == "self_care"))
    expect(page.locator("ol.conditions > li").first).to_be_visible()
    # The buttons under the results do not touch when they wrap onto several rows.
    boxes = [b for b in (a.bounding_box() for a in page.locator("p.actions .button").all()) if b]
    assert len(boxes) == 4
    for upper, lower in itertools.pairwise(boxes):
        if lower["y"] > upper["y"] + 1:
            assert lower["y"] >= upper["y"] + upper["height"] + 4, "buttons on two rows touch"
    assert _problems(page, axe_source) == []
    ctx.close()


def test_the_report_page_and_both_downloads_say_what_the_results_say(
    browser: Browser, live_server: LiveServer, axe_source: str
) -> None:
    age, sex, words, _, _ = LEVELS["urgent"]
    ctx = browser.new_context(bypass_csp=True)
    ctx.set_default_timeout(15000)
    page = ctx.new_page()
    _start(page, live_server.url, age, sex, words)
    _no_until_results(page)
    where = page.locator(".care-help").inner_text()
    first = page.locator("ol.conditions > li h3 a").first.inner_text()

    with page.expect_download() as info:
        page.get_by_role("link", name="Download for health records (FHIR)").click()
    download = info.value
    assert download.suggested_filename.endswith(".json")
    bundle = json.loads(download.path().read_text(encoding="utf-8"))
    Bundle.model_validate(bundle)  # FHIR R4 (fhir.resources' R4B: the same elements for these resources)
    risk = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "RiskAssessment")
    assert risk["prediction"][0]["outcome"]["text"] == first  # the page's most likely condition comes first
    assert risk["mitigation"].startswith("Get medical help today")

    page.get_by_role("link", name="Print-friendly summary for your doctor").click()
    expect(page.get_by_role("heading", name="Symptom summary to show a health professional")).to_be_visible()
    expect(page.get_by_text(where)).to_be_visible()  # the results' own words for what to do
    expect(page.get_by_text("This condition needs")).to_have_count(0)
    # What the typed words answered is listed too, as it is on the results and in the PDF.
    expect(page.get_by_role("cell", name=re.compile(r"\(in their own words\)"))).not_to_have_count(0)
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.printed === true"), "the Print button does nothing"
    assert _problems(page, axe_source) == []
    ctx.close()


def test_a_share_link_opens_until_the_quiz_expires_then_says_so(
    browser: Browser, live_server: LiveServer, axe_source: str
) -> None:
    age, sex, words, _, _ = LEVELS["routine"]
    owner = browser.new_context()
    owner.set_default_timeout(15000)
    page = owner.new_page()
    _start(page, live_server.url, age, sex, words)
    _no_until_results(page)
    page.get_by_role("button", name="Make a link to share these results").click()
    link = page.get_by_label("Your link").input_value()
    owner.close()

    other = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True)
    other.set_default_timeout(15000)
    doctor = other.new_page()
    response = doctor.goto(link)
    assert response is not None and response.status == 200
    expect(doctor.get_by_role("heading", name="Shared symptom checker results")).to_be_visible()
    expect(doctor.locator("#care-title")).to_contain_text("Book an appointment with a doctor")
    assert _problems(doctor, axe_source) == []

    # As time would: the last answer is now older than the retention period.
    hours = settings.CAREGUIDE_QUIZ_RETENTION_HOURS
    QuizSession.objects.update(updated=timezone.now() - timedelta(hours=hours, minutes=1))
    response = doctor.goto(link)
    assert response is not None and response.status == 410
    expect(doctor.get_by_role("heading", name="This link has expired")).to_be_visible()
    expect(doctor.get_by_text(f"for {hours} hours")).to_be_visible()
    expect(doctor.get_by_text(words)).to_have_count(0)
    pdf = doctor.request.get(link + "report.pdf")
    assert pdf.status == 410
    assert _problems(doctor, axe_source) == []
    doctor.get_by_role("link", name="Start the symptom checker").click()
    expect(doctor).to_have_url(re.compile(r"/check/$"))
    other.close()


def test_a_quiz_for_someone_else_is_worded_for_them(context: BrowserContext, live_server: LiveServer) -> None:
    k = knowledge()
    first = step(k, Case(70, "male", (), "cough"), config()).question
    assert first is not None and first.finding.question_other  # the test needs a question worded for others
    page = context.new_page()
    page.goto(live_server.url + "/check/?complaint=cough")
    page.get_by_label("Someone else", exact=True).check()
    page.get_by_label("Age in years").fill("70")
    page.get_by_label("Male", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("legend h1")).to_have_text(question_text(first.finding, "other"))
    expect(page.locator("legend h1")).not_to_have_text(first.finding.question)
    _no_until_results(page)
    expect(page.get_by_role("heading", name="Results for the person you asked for", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Conditions that best explain the answers")).to_be_visible()
    expect(page.get_by_text("Warning signs in your answers")).to_have_count(0)


def test_an_emergency_in_a_baby_s_typed_words_is_shown_before_any_question(
    context: BrowserContext, live_server: LiveServer
) -> None:
    page = context.new_page()
    page.goto(live_server.url + "/check/?q=" + "my baby has a cough and is blue around the lips")
    page.get_by_label("My child", exact=True).check()
    page.get_by_label("Age in years").fill("0")
    page.get_by_label("For a baby or child under 2: age in months").fill("5")
    page.get_by_label("Male", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    if page.get_by_text("Which of these is closest").count():
        page.get_by_label("Cough", exact=True).check()
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Call 999 now")).to_be_visible()
    expect(page.get_by_role("link", name="Call 999")).to_have_attribute("href", "tel:999")
    expect(page.get_by_text("Question 1 of")).to_have_count(0)  # before any question


def test_an_adult_s_answer_that_is_an_emergency_is_shown_at_once(
    context: BrowserContext, live_server: LiveServer
) -> None:
    page = context.new_page()
    page.goto(live_server.url + "/check/?complaint=chest_pain")
    page.get_by_label("Age in years").fill("58")
    page.get_by_label("Male", exact=True).check()
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
    expect(page.get_by_role("link", name="Call 999")).to_have_attribute("href", "tel:999")
    expect(page.get_by_role("heading", name="What to do now")).to_be_visible()
