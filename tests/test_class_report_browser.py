"""The class report in real headless chromium (Playwright, Debian's chromium, nothing downloaded):
the whole loop from the viewer's exercise mode (two students annotate and download) to the
report, and the report itself opens from the file system without a console error, a CSP
violation or a request, its style and charts render, and it prints to PDF.

Run with ``DPRKMEDIA_CHROMIUM=/usr/bin/chromium``; skipped without a browser (failed under
``make test``, which sets ``DPRKMEDIA_REQUIRE_BROWSER=1``), as tests/test_site_browser.py is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dprkmedia.cli.main import main

from . import test_site_browser as site_browser
from .classroom_fixture import answer_folder, synthetic_class
from .conftest import ROOT, Repo
from .test_site_browser import EXERCISE_DOC, gold, need_browser
from .test_site_exercise_browser import add_span, open_exercise

# the site tests' fixtures: chromium (module-scoped), the real site served on 127.0.0.1, a watched tab
browser = site_browser.browser
served = site_browser.served
page = site_browser.page

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
    tab = context.new_page()
    tab.on("console", lambda msg: messages.append(f"{msg.type}: {msg.text}"))
    tab.on("pageerror", lambda exc: messages.append(f"pageerror: {exc}"))
    tab.goto(url)
    tab.wait_for_load_state("load")
    assert messages == []  # a CSP violation (e.g. a style not allowed by its hash) would be an error here
    assert requests == [url]
    # the inline style applies (the CSP allows it by its hash): the headings have their rule
    border = tab.eval_on_selector("h2", "h => getComputedStyle(h).borderBottomStyle")
    assert border == "solid"
    charts = tab.locator("svg.chart")
    assert charts.count() == 4
    for index in range(charts.count()):
        box = charts.nth(index).bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 100
    bars = tab.eval_on_selector_all("svg.chart rect[height='11']", "rects => rects.map(r => r.getBBox().width)")
    assert bars and max(bars) > 100
    assert tab.locator("#unused").inner_text().count("zoe") >= 1
    assert tab.locator("table.confusion td.diagonal").count() > 5
    context.close()


def test_class_report_prints(browser: Any, report: Path, tmp_path: Path) -> None:
    tab = browser.new_page()
    messages: list[str] = []
    tab.on("console", lambda msg: messages.append(f"{msg.type}: {msg.text}"))
    tab.goto(report.as_uri())
    screen = tab.eval_on_selector("table.confusion", "t => parseFloat(getComputedStyle(t).fontSize)")
    tab.emulate_media(media="print")
    printed = tab.eval_on_selector("table.confusion", "t => parseFloat(getComputedStyle(t).fontSize)")
    assert printed < screen  # the wide confusion table gets smaller type on paper
    assert tab.eval_on_selector("div.wide", "d => getComputedStyle(d).overflowX") == "visible"  # not clipped
    pdf = tmp_path / "report.pdf"
    tab.pdf(path=str(pdf), format="A4")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 20_000
    assert messages == []
    tab.close()


def test_class_report_of_real_viewer_downloads_equals_score(page: Any, tmp_path: Path, capsys: Any) -> None:
    """Two students do the exercise in the real viewer and download their answers; the class report
    of the two downloads gives each exactly what ``dprkmedia score`` gives their file."""
    spans = gold(EXERCISE_DOC).spans["rhetoric"]
    hand_ins = tmp_path / "hand-ins"
    hand_ins.mkdir()
    for name, chosen in (("alice", spans[:3]), ("bob", spans[2:6])):
        open_exercise(page, EXERCISE_DOC)
        page.evaluate("localStorage.clear()")  # one browser for both students: the next starts afresh
        open_exercise(page, EXERCISE_DOC)
        for span in chosen:
            add_span(page, "rhetoric", span.label, span.start, span.end, span.text)
        page.check("#ex-genre input[name=genre][value=opinion]")
        with page.expect_download() as info:
            page.click("#ex-download")
        assert info.value.suggested_filename == f"{EXERCISE_DOC}.answers.jsonl"
        info.value.save_as(hand_ins / f"{name}_{info.value.suggested_filename}")  # renamed, as handed in
    html, data = tmp_path / "report.html", tmp_path / "report.json"
    args = ["--root", str(ROOT), "class-report", str(hand_ins), "-o", str(html), "--json", str(data)]
    assert main([*args, "--gamma-pairs", "0"]) == 0
    report = json.loads(data.read_text(encoding="utf-8"))
    assert [s["name"] for s in report["students"]] == ["alice", "bob"]
    for student in report["students"]:
        capsys.readouterr()
        gold_file = ROOT / "annotations" / f"{EXERCISE_DOC}.jsonl"
        assert (
            main(["score", str(gold_file), str(hand_ins / f"{student['name']}_{EXERCISE_DOC}.answers.jsonl"), "--json"])
            == 0
        )
        assert student["score"] == json.loads(capsys.readouterr().out)
    assert report["students"][0]["score"]["layers"]["rhetoric"]["exact"]["predicted"] == 3
    page.watch.assert_clean()
