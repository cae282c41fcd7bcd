"""On a phone-sized screen: the conditions A to Z (letters and search, without JavaScript), the 404 page with
its way back and emergency notice, and axe-core on the home, A-Z and error pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.test_site import _axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 390, "height": 844}


def test_a_to_z_search_and_the_404_page_work_on_a_phone_without_javascript(
    browser: Browser, live_server: LiveServer
) -> None:
    ctx = browser.new_context(viewport=PHONE, java_script_enabled=False, is_mobile=True, has_touch=True)
    ctx.set_default_timeout(15000)
    page = ctx.new_page()
    page.goto(live_server.url + "/conditions/")
    expect(page.get_by_role("heading", name="Conditions A to Z")).to_be_visible()
    letters = page.get_by_role("navigation", name="Conditions by first letter")
    letters.get_by_role("link", name="M", exact=True).click()
    expect(page).to_have_url(re.compile(r"\?letter=M$"))
    expect(page.get_by_role("heading", name="M", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Migraine", exact=True)).to_be_visible()

    search = page.get_by_label("Search the conditions by name")
    search.fill("migrane")  # a typo
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"\?q=migrane$"))
    expect(page.get_by_role("heading", name=re.compile("matching “migrane”"))).to_be_visible()
    expect(page.get_by_label("Search the conditions by name")).to_have_value("migrane")
    page.get_by_role("link", name="Migraine", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Migraine")).to_be_visible()

    response = page.goto(live_server.url + "/no/such/page/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.get_by_role("complementary", name="Important")).to_contain_text("In an emergency call 999")
    expect(page.get_by_role("link", name="Go to the home page")).to_be_visible()
    page.get_by_role("link", name="Start the symptom checker").first.click()
    expect(page).to_have_url(re.compile(r"/check/$"))
    ctx.close()


def test_home_a_to_z_and_404_pages_fit_a_phone_and_have_no_serious_accessibility_violations(
    browser: Browser, live_server: LiveServer, axe_source: str
) -> None:
    # bypass_csp: to inject axe-core into pages whose CSP forbids inline scripts
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True)
    page = ctx.new_page()
    paths = [
        "/",
        "/conditions/",
        "/conditions/?letter=M",
        "/conditions/?letter=X",
        "/conditions/?q=migraine",
        "/conditions/?q=xyzzy",
        "/no/such/page/",
    ]
    problems: dict[str, list[str]] = {}
    for path in paths:
        page.goto(live_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems[path] = [f"wider than the phone by {overflow}px"]
        found = _axe(page, axe_source)
        if found:
            problems.setdefault(path, []).extend(f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in found)
    ctx.close()
    assert problems == {}
