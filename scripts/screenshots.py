"""Screenshots of every page a person meets, on a phone and a desktop, to look at before a release.

    PYTHONPATH=src python3 scripts/screenshots.py [OUTPUT_DIR]      (default /tmp/careguide-shots)

Runs the real site (`careguide serve`) on a temporary SQLite database (scripts/site_server.py), drives
Debian's Chromium (/usr/bin/chromium, or $CAREGUIDE_CHROMIUM) with Playwright as tests/browser do, and saves
full-page PNGs named `<page>-<mobile|desktop>.png`: home, A–Z, a guide, a question, the emergency screen, the
results at each care level (the general pack, reached from typed words with "no" to every question), the
print-friendly report, a shared link, an expired share link and the 404 page; and the PDF summaries of the
emergency and urgent results with each of their pages rendered to PNG (pypdfium2). The PNGs are for looking
at, not for committing.
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from pathlib import Path

from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright
from site_server import Site, running_site

CHROMIUM = os.environ.get("CAREGUIDE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"]
VIEWPORTS: dict[str, ViewportSize] = {
    "mobile": {"width": 390, "height": 844},
    "desktop": {"width": 1280, "height": 800},
}
# Words a person might type that lead, with "no" to every question, to each care level in the general pack
# (checked when the script runs: it stops if a level is not the one named here).
LEVELS = {
    "emergency": ("58", "male", "crushing chest pain and I'm sweating"),
    "urgent": ("30", "female", "burning when I pee"),
    "routine": ("30", "female", "headache"),
    "self_care": ("30", "female", "sore throat"),
}


def start(page: Page, site: Site, age: str, sex: str, words: str) -> None:
    """From the start page with typed words to the first question (or the emergency screen)."""
    page.goto(f"{site.url}/check/?q={words}")
    page.get_by_label("Age in years").fill(age)
    page.get_by_label(sex.capitalize(), exact=True).check()
    page.get_by_role("button", name="Continue").click()
    if page.get_by_text("Which of these is closest").count():  # the words matched several complaints: the first
        page.get_by_role("button", name="Continue").click()


def answer_no_until_results(page: Page) -> None:
    for _ in range(60):
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
    raise RuntimeError(f"the quiz did not reach the results ({page.url})")


def shoot(page: Page, out: Path, name: str, kind: str) -> None:
    path = out / f"{name}-{kind}.png"
    page.screenshot(path=str(path), full_page=True)
    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    print(f"{path}{f'  (wider than the screen by {wide}px)' if wide > 0 else ''}")


def render_pdf(pdf: bytes, out: Path, name: str) -> None:
    import pypdfium2

    (out / f"{name}.pdf").write_bytes(pdf)
    document = pypdfium2.PdfDocument(pdf)
    for i in range(len(document)):
        path = out / f"{name}-page{i + 1}.png"
        document[i].render(scale=1.5).to_pil().save(path)
        print(path)
    document.close()


def age_every_quiz(site: Site, hours: int) -> None:
    """Make every quiz look as if its last answer was ``hours`` ago, as waiting would."""
    with sqlite3.connect(site.database) as db:
        db.execute("UPDATE checker_quizsession SET updated = datetime('now', ?)", (f"-{hours} hours",))


def run(browser: Browser, site: Site, out: Path, kind: str) -> None:
    viewport = VIEWPORTS[kind]
    mobile = kind == "mobile"
    context = browser.new_context(viewport=viewport, is_mobile=mobile, has_touch=mobile)
    context.set_default_timeout(20000)
    page = context.new_page()
    for name, path in (("home", "/"), ("a-z", "/conditions/"), ("guide", "/conditions/migraine/")):
        page.goto(site.url + path)
        shoot(page, out, name, kind)
    response = page.goto(site.url + "/no/such/page/")
    assert response is not None and response.status == 404
    shoot(page, out, "404", kind)

    results: dict[str, str] = {}
    for level, (age, sex, words) in LEVELS.items():
        start(page, site, age, sex, words)
        if level == "emergency":
            page.get_by_role("heading", name=re.compile("Call .* now")).wait_for()
            shoot(page, out, "emergency-screen", kind)
        elif level == "routine":
            page.get_by_text("Question 1 of").wait_for()
            shoot(page, out, "question", kind)
        answer_no_until_results(page)
        care = page.locator("section.care").get_attribute("class") or ""
        if f"care-{level}" not in care.split():
            raise RuntimeError(f"{words!r} reached {care!r}, not {level}: choose other words in LEVELS")
        shoot(page, out, f"results-{level.replace('_', '-')}", kind)
        results[level] = page.url

    page.goto(results["urgent"].replace("/results/", "/summary/"))
    shoot(page, out, "report", kind)
    if not mobile:
        for level in ("emergency", "urgent"):
            pdf = context.request.get(results[level].replace("/results/", "/report.pdf"))
            render_pdf(pdf.body(), out, f"summary-{level}")

    page.goto(results["urgent"])
    page.get_by_role("button", name="Make a link to share these results").click()
    link = page.get_by_label("Your link").input_value()
    shoot(page, out, "share-link-made", kind)
    other = browser.new_context(viewport=viewport, is_mobile=mobile, has_touch=mobile)
    doctor = other.new_page()
    doctor.goto(link)
    shoot(doctor, out, "shared", kind)
    age_every_quiz(site, 24 * 365)
    response = doctor.goto(link)
    assert response is not None and response.status == 410
    shoot(doctor, out, "share-link-expired", kind)
    other.close()
    context.close()


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/careguide-shots")
    out.mkdir(parents=True, exist_ok=True)
    with running_site() as site, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            for kind in VIEWPORTS:
                run(browser, site, out, kind)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
