"""The glossary, the label pages, search and the compare view in a real headless chromium.

Served, watched (no request may leave the machine, no console error) and skipped as in
test_site_browser.py, whose fixtures these are. Screenshots go to ``build/test-artifacts/site/``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

import pytest

from dprkmedia.adapters.site.pages import read_built_documents
from dprkmedia.corpus.repo import Repo
from dprkmedia.evaluate.score import read_side
from dprkmedia.model.taxonomy import LAYERS, Taxonomy

from . import test_site_browser as kit
from .conftest import ROOT
from .test_site_browser import DOC, open_page, screenshot

pytestmark = pytest.mark.integration

served, browser, page = kit.served, kit.browser, kit.page  # the fixtures of test_site_browser.py

COMPARE_DOC = "002_420491b85ca59cb6"  # gold, passes A, B and C


def open_view(tab: Any, path: str) -> None:
    open_page(tab, path)
    tab.wait_for_selector("body[data-view-ready='true']")


def fits_the_width(tab: Any, width: int) -> bool:
    """Nothing wider than the phone: a mobile browser would widen the layout (and zoom out) to fit it."""
    return bool(tab.evaluate("(w) => window.innerWidth <= w && document.scrollingElement.scrollWidth <= w", width))


# --- glossary and label pages ----------------------------------------------------------------------


def test_site_glossary_example_links_to_its_place_in_the_article(page: Any, repo: Repo, tax: Taxonomy) -> None:
    doc = read_built_documents(repo)[0]
    span = next(s for s in doc["rhetoric"] if s["label"] == "Loaded_Language")
    open_page(page, "site/glossary.html")
    screenshot(page, "glossary.png")
    entry = page.locator("article.label[data-layer='rhetoric'][data-label='Loaded_Language']")
    definition = tax.label("rhetoric", "Loaded_Language")
    assert definition and entry.locator(".definition").inner_text() == definition.definition
    link = entry.locator(f"a[href='{doc['id']}.html#span={span['id']}']")
    assert not link.is_visible()  # a long list starts folded
    entry.locator("summary").click()
    link.click()
    page.wait_for_selector("body[data-view-ready='true']")
    assert page.url.endswith(f"/site/{doc['id']}.html#span={span['id']}")
    target = page.locator("#text .seg.target")
    assert target.count() >= 1
    assert "".join(target.all_text_contents()) == span["text"]
    assert page.evaluate("document.activeElement.classList.contains('target')")
    assert "Loaded_Language" in page.locator("#card .card-label").all_inner_texts()  # the card opens on it
    top = page.evaluate("document.querySelector('#text .seg.target').getBoundingClientRect().top")
    assert 0 <= top <= page.viewport_size["height"]
    page.watch.assert_clean()


def test_site_label_page_lists_every_span_and_links_to_it(page: Any, repo: Repo) -> None:
    docs = read_built_documents(repo)
    spans = [(doc["id"], s) for doc in docs for s in doc["rhetoric"] if s["label"] == "Exaggeration-Minimisation"]
    open_page(page, "site/labels/rhetoric-Exaggeration-Minimisation.html")
    screenshot(page, "label.png")
    assert page.locator("ol.kwic li").count() == len(spans)
    assert page.locator("ol.kwic mark").all_inner_texts() == [s["text"] for _, s in spans]
    doc_id, span = spans[-1]
    page.locator(f"ol.kwic li[data-span='{span['id']}'] a.goto").last.click()
    page.wait_for_selector("body[data-view-ready='true']")
    assert page.url.endswith(f"{doc_id}.html#span={span['id']}")
    assert page.evaluate("document.body.dataset.target") == f"{span['start']}-{span['end']}"
    page.watch.assert_clean()


# --- search -----------------------------------------------------------------------------------------


def test_site_search_by_text_and_by_label(page: Any, repo: Repo) -> None:
    docs = read_built_documents(repo)
    expected = sum(len(re.findall("historic", doc["text"], re.I)) for doc in docs)
    open_view(page, "site/search.html")
    page.fill("#q", "Historic")
    assert page.locator("#results li").count() == expected > 0
    assert page.locator("#summary").inner_text().startswith(f"{expected} results in ")
    assert all(m.lower() == "historic" for m in page.locator("#results mark").all_inner_texts())
    assert "q=Historic" in page.url  # a search can be linked

    loaded = [(d["id"], s) for d in docs for s in d["rhetoric"] if s["label"] == "Loaded_Language"]
    page.select_option("#label", "rhetoric:Loaded_Language")
    both = [s for _, s in loaded if "historic" in s["text"].lower()]
    assert page.locator("#results li").count() == len(both) > 0
    page.fill("#q", "")
    assert page.locator("#results li").count() == len(loaded)
    assert sorted(page.locator("#results mark").all_inner_texts()) == sorted(s["text"] for _, s in loaded)
    screenshot(page, "search.png")

    open_view(page, "site/search.html?q=new%20era")
    first = page.locator("#results li").first
    doc_id, start, end = (first.get_attribute(k) for k in ("data-doc", "data-start", "data-end"))
    text = next(d["text"] for d in docs if d["id"] == doc_id)
    assert text[int(start) : int(end)].lower() == "new era"
    first.locator("a.goto").click()
    page.wait_for_selector("body[data-view-ready='true']")
    assert page.url.endswith(f"{doc_id}.html#at={start}-{end}")
    assert page.evaluate("document.body.dataset.target") == f"{start}-{end}"
    assert page.evaluate("CSS.highlights.has('target')")
    highlighted = page.evaluate("[...CSS.highlights.get('target')][0].toString()")
    assert highlighted == text[int(start) : int(end)]
    page.watch.assert_clean()


def test_site_search_finds_nothing_without_a_query(page: Any) -> None:
    open_view(page, "site/search.html?q=zzzz-not-in-the-corpus")
    assert page.locator("#results li").count() == 0
    assert page.locator("#summary").inner_text() == "0 results in 0 articles."
    page.watch.assert_clean()


# --- compare -----------------------------------------------------------------------------------------


def cli_score(first: str, second: str) -> dict[str, Any]:
    run = subprocess.run(
        [sys.executable, "-m", "dprkmedia.cli", "score", str(ROOT / first), str(ROOT / second), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return dict(json.loads(run.stdout))


def test_site_compare_two_passes_side_by_side(page: Any, repo: Repo) -> None:
    open_view(page, f"site/compare/{COMPARE_DOC}.html")
    assert page.locator("#first").input_value() == "gold" and page.locator("#second").input_value() == "A"
    cli = cli_score(f"annotations/{COMPARE_DOC}.jsonl", f"annotations/passes/A/{COMPARE_DOC}.jsonl")
    summary = page.locator("#pair-summary").inner_text()
    rhetoric = cli["layers"]["rhetoric"]
    assert f"Exact F1 {rhetoric['exact']['f1']:.3f}, partial-credit F1 {rhetoric['partial']['f1']:.3f}" in summary
    screenshot(page, "compare.png")

    page.select_option("#first", "B")
    page.select_option("#second", "C")
    cli = cli_score(f"annotations/passes/B/{COMPARE_DOC}.jsonl", f"annotations/passes/C/{COMPARE_DOC}.jsonl")
    rhetoric = cli["layers"]["rhetoric"]
    summary = page.locator("#pair-summary").inner_text()
    assert f"Exact F1 {rhetoric['exact']['f1']:.3f}, partial-credit F1 {rhetoric['partial']['f1']:.3f}" in summary
    assert f"exact P {rhetoric['exact']['precision']:.3f} R {rhetoric['exact']['recall']:.3f}" in summary
    assert page.locator("#pair-figures tr.current").get_attribute("data-pair") == "B|C"

    # every span marked against the other side; the disagreements listed
    b = read_side(repo.annotations_dir / "passes" / "B" / f"{COMPARE_DOC}.jsonl")[0][COMPARE_DOC].spans["rhetoric"]
    c = read_side(repo.annotations_dir / "passes" / "C" / f"{COMPARE_DOC}.jsonl")[0][COMPARE_DOC].spans["rhetoric"]

    def only(mine: list[Any], other: list[Any]) -> int:
        return sum(not any(o.label == s.label and o.start < s.end and s.start < o.end for o in other) for s in mine)

    listed = page.locator("#disagreement-list li")
    assert listed.filter(has_text="✗ only in Pass B").count() == only(b, c)
    assert listed.filter(has_text="✗ only in Pass C").count() == only(c, b)
    same = sum(any(o.triple() == s.triple() for o in c) for s in b)
    left_marks = "".join(
        page.eval_on_selector_all("#side-first .seg[data-marks]", "ss => ss.map(s => s.dataset.marks)")
    )
    assert left_marks.count("✓") == same and left_marks.count("✗") == only(b, c)
    assert page.locator("#side-first .seg[data-status~='only']").count() > 0
    assert "left=B" in page.url and "right=C" in page.url
    page.watch.assert_clean()


def test_site_compare_index_agrees_with_the_datasheet(page: Any, repo: Repo) -> None:
    recorded = json.loads((repo.root / "docs" / "agreement.json").read_text(encoding="utf-8"))
    comparison = next(c for c in recorded["comparisons"] if (c["first"], c["second"]) == ("passes/A", "passes/C"))
    open_page(page, "site/compare.html")
    row = page.locator("tr[data-pair='A|C']")
    for layer in LAYERS:
        stored = comparison["layers"][layer]
        for key, name in (
            ("exact-f1", "exact_f1"),
            ("partial-f1", "partial_f1"),
            ("gamma", "gamma"),
            ("alpha", "alpha"),
        ):
            assert row.locator(f"td[data-layer='{layer}'][data-key='{key}']").inner_text() == f"{stored[name]:.3f}"
    page.locator(f"a[href='compare/{COMPARE_DOC}.html']").click()
    page.wait_for_selector("body[data-view-ready='true']")
    assert page.locator("#first option").count() == 4  # gold, A, B, C
    page.watch.assert_clean()


# --- every new page: offline, and usable on a phone -----------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "site/glossary.html",
        "site/search.html?label=rhetoric:Loaded_Language",
        "site/labels/rhetoric-Loaded_Language.html",
        "site/compare.html",
        f"site/compare/{COMPARE_DOC}.html",
        f"site/exercise/{DOC}.html",
    ],
)
def test_site_views_load_clean_and_fit_a_phone(browser: Any, served: str, path: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    outside: list[str] = []
    errors: list[str] = []
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(served)
            else (outside.append(route.request.url), route.abort())
        ),
    )
    tab = context.new_page()
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type in ("error", "warning") else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto(served + path)
    tab.wait_for_selector("body[data-ready='true']")
    name = re.sub(r"[^A-Za-z0-9]+", "-", path.split("/", 1)[1]).strip("-")
    screenshot(tab, f"phone-{name}.png")
    wide = tab.evaluate(
        "[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 391)"
        ".map((e) => e.tagName)"
    )
    assert fits_the_width(tab, 390), (path, wide[:5])
    assert errors == [] and outside == []
    context.close()
