"""The web page and the HTML report in a real browser: Debian's Chromium driven by Playwright.

Searches, checks a quotation and a draft, follows a citation link to its highlighted
paragraph, copies a citation, and opens the report file. Screenshots go to
build/screenshots/ (the path is printed at the end of the run). Without Chromium or
Playwright these tests skip and say why, except under CI=true, where `.ci/run` installs both
and they must run.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from search.report import report_html
from search.web import make_server, run_until_stopped, server_url, stop

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "build" / "screenshots"
DRAFT = ROOT / "docs" / "draft.md"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
VARIANT = ("A wave of depression passed over Russia, and the bureaucracy had its own way for "
           "five years.")


def _browser_or_skip():  # type: ignore[no-untyped-def]
    missing = ""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = "Playwright is not installed (pip install -e '.[test]')"
        sync_playwright = None
    if not missing and shutil.which("chromium") is None:
        missing = "Chromium is not installed (apt-get install chromium)"
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing}; under CI=true the browser tests must run")
        pytest.skip(missing)
    return sync_playwright


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    sync_playwright = _browser_or_skip()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                              args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site(seed_index):  # type: ignore[no-untyped-def]
    server = make_server(seed_index, port=0, threads=4)
    threading.Thread(target=run_until_stopped, args=(server,), daemon=True).start()
    yield server_url(server)
    stop(server)


@pytest.fixture
def page(browser, site):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1100, "height": 800},
                                  permissions=["clipboard-read", "clipboard-write"])
    opened = context.new_page()
    yield opened
    context.close()


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    print(f"screenshot: {path}")
    return path


def test_search_copy_and_follow_a_citation_to_its_paragraph(page, site):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site)
    screenshot(page, "home")
    page.fill("input[name=q]", "kronstadt uprising")
    page.select_option("form[role=search] select[name=style]", "apa")
    with page.expect_navigation():
        page.click("form[role=search] input[type=submit]")
    first = page.locator("article.hit").first
    assert first.locator(".snippet em").count() >= 1
    screenshot(page, "search")
    button = first.locator("button.copy").first
    expected = button.get_attribute("data-text")
    button.click()
    page.wait_for_function("b => b.textContent === 'Copied'", arg=button.element_handle())
    assert page.evaluate("navigator.clipboard.readText()") == expected
    href = first.locator("a.passage-link").get_attribute("href")
    with page.expect_navigation():
        first.locator("a.passage-link").click()
    anchor = href.split("#")[1]
    target = page.locator(f"#{anchor}")
    assert page.evaluate("location.hash") == f"#{anchor}"
    assert target.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 248, 197)"
    assert target.evaluate("e => { const r = e.getBoundingClientRect(); "
                           "return r.top >= 0 && r.top < innerHeight; }")
    assert target.locator("a.num").inner_text() == f"¶{anchor[1:]}"
    screenshot(page, "article")
    assert [url for url in requested if not url.startswith(site)] == []  # nothing from outside


def test_check_a_misquotation_shows_the_difference_side_by_side(page, site):
    page.goto(site)
    page.fill("textarea[name=quote]", VARIANT)
    with page.expect_navigation():
        page.click("text=Check quotation")
    quotation = page.locator(".quotation").first
    assert quotation.get_attribute("data-verdict") == "variant"
    assert quotation.locator("mark.ins").first.inner_text() == "five"
    assert quotation.locator("mark.del").first.inner_text() == "three"
    screenshot(page, "check")


def test_upload_a_draft_and_an_oversize_one(page, site, tmp_path):
    page.goto(site)
    page.set_input_files("input[name=draft]", str(DRAFT))
    with page.expect_navigation():
        page.click("text=Check draft")
    assert page.locator(".draft mark").count() == 4
    assert "2 of 4 quotations are not verified." in page.inner_text(".summary")
    screenshot(page, "draft")
    big = tmp_path / "big.md"
    big.write_text("word " * 500_000, encoding="utf-8")
    page.goto(site)
    page.set_input_files("input[name=draft]", str(big))
    with page.expect_response(lambda response: response.url.endswith("/check")) as answer:
        page.click("text=Check draft")
    assert answer.value.status == 413
    assert "The upload is larger than 2 MB" in page.inner_text("p.error")


def test_the_report_file_opens_offline_and_copies_a_citation(page, seed_library, seed_index,
                                                             tmp_path):
    report = tmp_path / "report.html"
    report.write_text(report_html(seed_library.check(DRAFT), "apa", seed_index.parent),
                      encoding="utf-8")
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(report.as_uri())
    assert requested == [report.as_uri()]  # nothing else is fetched
    assert page.locator(".draft mark").count() == 4
    page.click(".draft mark.bad a")
    assert page.evaluate("location.hash") == "#q3"
    button = page.locator("#q3 button.copy").first
    button.click()
    page.wait_for_function("b => b.textContent === 'Copied'", arg=button.element_handle())
    screenshot(page, "report")
