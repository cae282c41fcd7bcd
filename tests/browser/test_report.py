"""The report in a real browser: the PDF downloaded from the results page, and a share link opened in a
fresh browser context (no cookies: another person's browser)."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import Browser, BrowserContext, expect
from pypdf import PdfReader
from pytest_django.live_server_helper import LiveServer

from tests.browser.test_site import _answer_until_results, _axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_pdf_downloads_and_a_share_link_opens_in_another_browser(
    context: BrowserContext, browser: Browser, live_server: LiveServer, axe_source: str
) -> None:
    page = context.new_page()
    page.goto(live_server.url + "/check/?complaint=back_pain")
    page.get_by_label("Age in years").fill("45")
    page.get_by_label("Male", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    _answer_until_results(page)
    level = page.locator("section.care").get_attribute("class")
    results_url = page.url

    with page.expect_download() as info:
        page.get_by_role("link", name="Download the summary (PDF)").click()
    download = info.value
    assert download.suggested_filename == "careguide-summary.pdf"
    path = download.path()
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "Age 45 years, male" in text and "Not a diagnosis" in text
    assert "Care level suggested" in text and "Conditions considered" in text

    page.get_by_role("button", name="Make a link to share these results").click()
    link = page.get_by_label("Your link").input_value()
    assert "/check/shared/" in link

    other = browser.new_context(bypass_csp=True)  # to inject axe-core, as the site's accessibility test does
    try:
        doctor = other.new_page()
        doctor.goto(link)
        expect(doctor.get_by_role("heading", name="Shared symptom checker results")).to_be_visible()
        assert doctor.locator("section.care").get_attribute("class") == level  # the same care level
        care = doctor.locator("#care-title").inner_text()
        assert care and care in text  # the page and the PDF say the same
        assert _axe(doctor, axe_source) == []
        doctor.goto(live_server.url + "/check/shared/no-such-link/")
        expect(doctor.get_by_role("heading", name="This link has expired")).to_be_visible()
        assert _axe(doctor, axe_source) == []
        doctor.goto(results_url)  # the quiz's own address: not this browser's quiz
        expect(doctor.get_by_role("heading", name="These results are not available here")).to_be_visible()
    finally:
        other.close()
