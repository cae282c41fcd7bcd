"""Page weights and server times of the pages a person takes away: home, results, the print-friendly report,
the PDF and the FHIR download, measured against a real running site.

    PYTHONPATH=src python3 scripts/page_weights.py [--runs N] [--json]

Starts the site as `careguide serve` does (gunicorn, 2 workers, hashed and compressed static files) on a
temporary SQLite database (scripts/site_server.py), takes a quiz in Debian's Chromium (Playwright) from typed
words to its results, then for each page:

- loads it once in a fresh browser context (empty cache, the quiz's cookie) and counts every request and the
  bytes transferred (headers and body as sent, compressed where the site compresses), by kind: HTML, CSS, JS,
  images and other; requests to any other host are counted apart (there must be none);
- times N requests of the page itself (default 20) from this process over one keep-alive connection, with the
  browser's cookie and `Accept-Encoding: gzip, br`, and prints the median and the slowest: the server's time
  to build and send it over loopback, the browser's rendering left out.

Measured, not asserted: figures belong in docs (docs/site.md), not in tests.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import time
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Request, sync_playwright
from screenshots import answer_no_until_results, start
from site_server import Site, running_site

CHROMIUM = os.environ.get("CAREGUIDE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"]
# Typed words, age and sex of the quiz whose results are measured (general pack: results "within 24 hours",
# with ten conditions, treatments and thirteen answers: a full results page).
QUIZ = ("30", "female", "burning when I pee")
KINDS = {"document": "html", "stylesheet": "css", "script": "js", "image": "images"}


@dataclass
class Weight:
    page: str
    path: str
    requests: int = 0
    bytes: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    other_hosts: int = 0
    server_ms_median: float = 0.0
    server_ms_max: float = 0.0
    runs: int = 0


def take_quiz(browser: Browser, site: Site) -> tuple[str, list[dict[str, object]]]:
    """Answer "no" to every question from typed words; returns the results path and the cookies."""
    context = browser.new_context()
    context.set_default_timeout(20000)
    page = context.new_page()
    start(page, site, *QUIZ)
    answer_no_until_results(page)
    path = urlsplit(page.url).path
    cookies = [dict(c) for c in context.cookies()]
    context.close()
    return path, cookies


def transferred(browser: Browser, site: Site, weight: Weight, cookies: list[dict[str, object]]) -> None:
    """Load the page (or download) once in a fresh context and add up what came over the wire."""
    context = browser.new_context(accept_downloads=True)
    context.add_cookies(cookies)  # type: ignore[arg-type]
    seen: list[Request] = []
    context.on("requestfinished", lambda request: seen.append(request))
    page = context.new_page()
    url = site.url + weight.path
    if weight.path.endswith((".pdf", ".json")):
        # A download is not rendered: fetch it as the browser's download does, with its cookie.
        response = context.request.get(url, headers={"Accept-Encoding": "gzip, br"})
        body = response.body()
        headers = sum(len(k) + len(v) + 4 for k, v in response.headers.items())
        weight.requests, weight.bytes = 1, len(body) + headers
        weight.by_kind = {"download": len(body) + headers}
    else:
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        host = urlsplit(site.url).netloc
        for request in seen:
            if urlsplit(request.url).netloc != host:
                weight.other_hosts += 1
                continue
            sizes = request.sizes()
            size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            kind = KINDS.get(request.resource_type, "other")
            if urlsplit(request.url).path.endswith((".svg", ".png", ".ico")):
                kind = "images"  # the favicon is fetched as "other"
            weight.requests += 1
            weight.bytes += size
            weight.by_kind[kind] = weight.by_kind.get(kind, 0) + size
    context.close()


def server_time(site: Site, weight: Weight, cookies: list[dict[str, object]], runs: int) -> None:
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in cookies)
    conn = http.client.HTTPConnection("127.0.0.1", site.port, timeout=60)
    headers = {"Cookie": cookie, "Accept-Encoding": "gzip, br", "Connection": "keep-alive"}
    times = []
    for _ in range(runs + 1):  # the first one warms the worker up and is not counted
        t0 = time.perf_counter()
        conn.request("GET", weight.path, headers=headers)
        response = conn.getresponse()
        response.read()
        times.append((time.perf_counter() - t0) * 1e3)
        if response.status != 200:
            raise RuntimeError(f"{weight.path} answered {response.status}")
    conn.close()
    weight.server_ms_median = statistics.median(times[1:])
    weight.server_ms_max = max(times[1:])
    weight.runs = runs


def measure(runs: int) -> list[Weight]:
    with running_site() as site, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            results, cookies = take_quiz(browser, site)
            quiz = results.removesuffix("results/")
            weights = [
                Weight("home", "/"),
                Weight("results", results),
                Weight("report page", quiz + "summary/"),
                Weight("PDF", quiz + "report.pdf"),
                Weight("FHIR", quiz + "report.fhir.json"),
            ]
            for w in weights:
                transferred(browser, site, w, cookies)
                server_time(site, w, cookies, runs)
        finally:
            browser.close()
    return weights


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per page")
    args = parser.parse_args()
    weights = measure(max(1, args.runs))
    if args.json:
        for w in weights:
            print(json.dumps(asdict(w)))
        return
    print(f"{'page':<12} {'requests':>8} {'bytes':>9}  {'by kind':<44} {'server median':>13} {'slowest':>9}")
    for w in weights:
        kinds = ", ".join(f"{k} {v:,}" for k, v in sorted(w.by_kind.items()))
        others = f" (+{w.other_hosts} to other hosts!)" if w.other_hosts else ""
        print(
            f"{w.page:<12} {w.requests:>8} {w.bytes:>9,}  {kinds + others:<44} "
            f"{w.server_ms_median:>10.1f} ms {w.server_ms_max:>6.1f} ms"
        )
    print(f"(first visit with an empty cache; server times: median and slowest of {weights[0].runs} requests)")


if __name__ == "__main__":
    main()
