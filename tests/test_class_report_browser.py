"""The class report in real headless chromium (Playwright, Debian's chromium, nothing downloaded):
it opens from the file system without a console error, a CSP violation or a request, its style
and charts render, and it prints to PDF.

Run with ``DPRKMEDIA_CHROMIUM=/usr/bin/chromium``; skipped without a browser (failed under
``make test``, which sets ``DPRKMEDIA_REQUIRE_BROWSER=1``), as tests/test_site_browser.py is.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dprkmedia.cli.main import main

from .classroom_fixture import answer_folder, synthetic_class
from .conftest import ROOT, Repo
from .test_site_browser import CHROMIUM, CHROMIUM_ARGS, need_browser

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, repo: Repo) -> Path:
    """A report of eight synthetic students and one unreadable file (γ left out: not the browser's business)."""
    need_browser()
    folder = tmp_path_factory.mktemp("class")
    answer_folder(folder / "answers", synthetic_class(repo, 8, seed=2))
    (folder / "answers" / "zoe_003_ffbef9be4e76c7d4.answers.jsonl").write_text("{not json\n", encoding="utf-8")
    out = folder / "report.html"
    args = ["--root", str(ROOT), "class-report", str(folder / "answers"), "-o", str(out), "--gamma-pairs", "0"]
    assert main(args) == 1  # one file not used
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def test_class_report_opens_in_chromium_without_errors_or_requests(browser: Any, report: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    messages: list[str] = []
    requests: list[str] = []
    url = report.as_uri()

    def route(route: Any) -> None:
        requests.append(route.request.url)
        if route.request.url == url:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda msg: messages.append(f"{msg.type}: {msg.text}"))
    page.on("pageerror", lambda exc: messages.append(f"pageerror: {exc}"))
    page.goto(url)
    page.wait_for_load_state("load")
    assert messages == []  # a CSP violation (e.g. a style not allowed by its hash) would be an error here
    assert requests == [url]
    # the inline style applies (the CSP allows it by its hash): the headings have their rule
    border = page.eval_on_selector("h2", "h => getComputedStyle(h).borderBottomStyle")
    assert border == "solid"
    charts = page.locator("svg.chart")
    assert charts.count() == 4
    for index in range(charts.count()):
        box = charts.nth(index).bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 100
    bars = page.eval_on_selector_all("svg.chart rect[height='11']", "rects => rects.map(r => r.getBBox().width)")
    assert bars and max(bars) > 100
    assert page.locator("#unused").inner_text().count("zoe") >= 1
    assert page.locator("table.confusion td.diagonal").count() > 5
    context.close()


def test_class_report_prints(browser: Any, report: Path, tmp_path: Path) -> None:
    page = browser.new_page()
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(f"{msg.type}: {msg.text}"))
    page.goto(report.as_uri())
    screen = page.eval_on_selector("table.confusion", "t => parseFloat(getComputedStyle(t).fontSize)")
    page.emulate_media(media="print")
    printed = page.eval_on_selector("table.confusion", "t => parseFloat(getComputedStyle(t).fontSize)")
    assert printed < screen  # the wide confusion table gets smaller type on paper
    assert page.eval_on_selector("div.wide", "d => getComputedStyle(d).overflowX") == "visible"  # not clipped
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 20_000
    assert messages == []
    page.close()
