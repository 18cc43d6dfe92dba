"""The classroom viewer in a real headless browser: Debian's chromium driven by Playwright.

The site is made from the repository's built dataset (and a hostile fixture document),
served on 127.0.0.1, and every request that would leave the machine is recorded and
refused. Screenshots go to ``build/test-artifacts/site/`` (or ``$DPRKMEDIA_ARTIFACTS``).

``make test`` installs chromium (Debian) and sets DPRKMEDIA_REQUIRE_BROWSER=1, so a
missing browser fails there; elsewhere these tests are skipped without one.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from dprkmedia.adapters.site.pages import build_site, write_site
from dprkmedia.corpus.repo import Repo
from dprkmedia.evaluate.score import AnnotatedDoc, read_side

from .conftest import ROOT
from .site_fixture import XSS_DOC, hostile_document, hostile_taxonomy

pytestmark = pytest.mark.integration

CHROMIUM = Path(os.environ.get("DPRKMEDIA_CHROMIUM", "/usr/bin/chromium"))
# As the machine's own probe starts it: no background networking of Chromium's own.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(os.environ.get("DPRKMEDIA_ARTIFACTS", ROOT / "build" / "test-artifacts")) / "site"
DOC = "000_b6101718c2532778"
EXERCISE_DOC = "003_ffbef9be4e76c7d4"


def need_browser() -> None:
    """Skip (or, under ``make test``, fail) when chromium or Playwright is missing."""
    problem = None
    if not CHROMIUM.exists():
        problem = f"no browser at {CHROMIUM} (Debian: apt-get install chromium; or set DPRKMEDIA_CHROMIUM)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "Playwright for Python is not installed (pip install -e '.[test]')"
    if problem and os.environ.get("DPRKMEDIA_REQUIRE_BROWSER") == "1":
        pytest.fail(problem)
    if problem:
        pytest.skip(problem)


# --- serving and browsing ---------------------------------------------------------------------


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def build_served(repo: Repo, root: Path) -> list[Path]:
    """The real site in ``root/site`` and the hostile fixture in ``root/fixture``: the site's files."""
    files = build_site(repo, root / "site")
    write_site(root / "fixture", [hostile_document()], hostile_taxonomy(repo))
    return files


@contextmanager
def serving(root: Path) -> Iterator[str]:
    """``root`` over HTTP on a free 127.0.0.1 port, until the block ends: its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, repo: Repo) -> Iterator[str]:
    """The real site under /site/ and the hostile fixture under /fixture/, on 127.0.0.1."""
    need_browser()
    root = tmp_path_factory.mktemp("served")
    build_served(repo, root)
    with serving(root) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Watch:
    """What one page did: console errors, uncaught exceptions, requests it tried."""

    base: str
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.outside == [], f"requests leaving the machine: {self.outside}"


@pytest.fixture
def page(browser: Any, served: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    watch = Watch(served)

    def route(route: Any) -> None:
        url = route.request.url
        watch.requests.append(url)
        if url.startswith(served):
            route.continue_()
        else:
            watch.outside.append(url)
            route.abort()

    context.route("**/*", route)
    tab = context.new_page()
    tab.on("console", lambda msg: watch.errors.append(msg.text) if msg.type in ("error", "warning") else None)
    tab.on("pageerror", lambda exc: watch.errors.append(str(exc)))
    tab.watch = watch
    yield tab
    context.close()


def open_page(tab: Any, path: str) -> None:
    tab.goto(tab.watch.base + path)
    tab.wait_for_selector("body[data-ready='true']")


def gold(doc_id: str) -> AnnotatedDoc:
    docs, issues = read_side(ROOT / "annotations" / f"{doc_id}.jsonl")
    assert issues == []
    return docs[doc_id]


def shown_keys(tab: Any) -> set[str]:
    """Ids of every span some segment of the text shows."""
    values = tab.eval_on_selector_all("#text .seg", "segs => segs.map(s => s.dataset.visible || '')")
    return {key for value in values for key in value.split()}


def screenshot(tab: Any, name: str, **options: Any) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    tab.screenshot(path=str(path), **options)
    return path


# --- pages, requests, console -------------------------------------------------------------------


def test_site_browser_every_page_loads_clean_and_stays_on_the_machine(page: Any, repo: Repo) -> None:
    open_page(page, "site/index.html")
    links = page.eval_on_selector_all("table.index th > a", "as => as.map(a => a.getAttribute('href'))")
    doc_ids = sorted(p.stem for p in repo.annotations_dir.glob("*.jsonl") if p.name != "sources.jsonl")
    assert sorted(link.removesuffix(".html") for link in links) == doc_ids
    for link in links:
        open_page(page, f"site/{link}")
        doc_id = link.removesuffix(".html")
        expected = {s.id for layer in gold(doc_id).spans.values() for s in layer}
        assert shown_keys(page) == expected  # every gold span shows by default
    page.watch.assert_clean()
    assert page.watch.requests, "the route saw no requests at all"
    assert all(url.startswith(page.watch.base) for url in page.watch.requests)


def test_site_browser_screenshots_are_saved(page: Any) -> None:
    open_page(page, "site/index.html")
    index = screenshot(page, "index.png", full_page=True)
    open_page(page, f"site/{DOC}.html")
    page.hover("#text .seg[data-spans~='d1']")
    article = screenshot(page, "article.png")
    for path in (index, article):
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert path.stat().st_size > 10_000
    page.watch.assert_clean()


# --- toggles, card, keyboard, print -------------------------------------------------------------


def test_site_browser_layer_toggle_hides_and_shows_the_layer(page: Any) -> None:
    doc = gold(DOC)
    dates = {s.id for s in doc.spans["dates"]}
    others = {s.id for layer in ("entities", "rhetoric") for s in doc.spans[layer]}
    open_page(page, f"site/{DOC}.html")
    toggle = page.locator("input[data-layer-toggle][data-layer='dates']")
    toggle.uncheck()
    assert shown_keys(page) == others
    toggle.check()
    assert shown_keys(page) == others | dates
    page.watch.assert_clean()


def test_site_browser_label_toggle_hides_only_that_label(page: Any) -> None:
    doc = gold(DOC)
    gpe = {s.id for s in doc.spans["entities"] if s.label == "GPE"}
    person = {s.id for s in doc.spans["entities"] if s.label == "PERSON"}
    assert gpe and person
    open_page(page, f"site/{DOC}.html")
    page.locator("input[data-label='GPE'][data-layer='entities']").uncheck()
    shown = shown_keys(page)
    assert not shown & gpe
    assert person <= shown
    page.locator("input[data-label='GPE'][data-layer='entities']").check()
    assert gpe <= shown_keys(page)
    page.watch.assert_clean()


def test_site_browser_hover_card_shows_label_and_timex_value(page: Any) -> None:
    date = gold(DOC).spans["dates"][0]
    open_page(page, f"site/{DOC}.html")
    page.hover(f"#text .seg[data-spans~='{date.id}']")
    card = page.locator("#card")
    assert card.is_visible()
    assert date.label in card.locator(".card-label").all_inner_texts()
    assert date.value in card.locator("dd[data-field='TIMEX3 value']").all_inner_texts()
    page.watch.assert_clean()


def test_site_browser_hover_card_shows_entity_canonical_name(page: Any) -> None:
    person = next(s for s in gold(DOC).spans["entities"] if s.label == "PERSON" and s.norm != s.text)
    open_page(page, f"site/{DOC}.html")
    page.hover(f"#text .seg[data-spans~='{person.id}']")
    card = page.locator("#card")
    assert "PERSON" in card.locator(".card-label").all_inner_texts()
    assert person.norm in card.locator("dd[data-field='Canonical name']").all_inner_texts()
    page.mouse.move(1, 1)
    assert not card.is_visible()


def test_site_browser_hover_card_shows_a_rhetoric_span_s_confidence(page: Any) -> None:
    span = next(s for s in gold(DOC).spans["rhetoric"] if s.confidence == "borderline")
    open_page(page, f"site/{DOC}.html")
    page.hover(f"#text .seg[data-spans~='{span.id}']")
    card = page.locator("#card")
    shown = card.locator("dd[data-field='Confidence']").all_inner_texts()
    assert any(text.startswith("borderline: only one independent annotation pass") for text in shown)
    page.watch.assert_clean()


def test_site_browser_keyboard_reaches_spans_and_the_card(page: Any) -> None:
    doc = gold(DOC)
    open_page(page, f"site/{DOC}.html")
    focused = ""
    for _ in range(80):  # skip link, nav, mode buttons, every toggle, then the text
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.dataset.visible || ''")
        if focused:
            break
    assert focused, "Tab never reached a highlighted passage"
    first = focused.split()[0]
    label = next(s.label for layer in doc.spans.values() for s in layer if s.id == first)
    card = page.locator("#card")
    assert card.is_visible()
    assert label in card.locator(".card-label").all_inner_texts()
    assert page.evaluate("document.activeElement.getAttribute('aria-describedby')") == "card"
    page.keyboard.press("Escape")
    assert not card.is_visible()
    page.watch.assert_clean()


def test_site_browser_projector_size_and_print_stylesheet(page: Any) -> None:
    open_page(page, f"site/{DOC}.html")
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#text')).fontSize)")
    assert size >= 20
    assert page.locator(".modes").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".modes").is_visible()
    assert not page.locator("#controls input").first.is_visible()
    assert page.locator("#text").is_visible()
    assert page.locator("#provenance").is_visible()
    assert page.locator("#toggles .swatch").first.is_visible()  # the legend stays


# The exercise (its own page, exercise/<id>.html) is tested in test_site_exercise_browser.py.


# --- hostile text ------------------------------------------------------------------------------------


def test_site_browser_markup_in_the_data_renders_as_text(page: Any) -> None:
    open_page(page, "fixture/index.html")
    assert "<script>window.__pwned = 'title'</script>" in page.locator("table.index").inner_text()
    open_page(page, f"fixture/{XSS_DOC}.html")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    body = page.locator("body").inner_text()
    for literal in (
        "<script>window.__pwned = 'text'</script>",
        "</p><b>left</b>",
        '<img src="http://example.invalid/x.png"',
        "<script>window.__pwned = 'title'</script> \"Quoted\" & 'single'",
        'Outlet "<i>italic</i>"',
        "</dd></dl><script>window.__pwned = 'evidence'</script>",
        '<img src="http://example.invalid/r.png">',
        '<b>"PER\'SON"</b>',
    ):
        assert literal in body, literal
    assert page.locator("#text script, #text img, #text b, #provenance img").count() == 0
    page.hover("#text .seg[data-spans~='e1']")
    card = page.locator("#card")
    assert '<b>"PER\'SON"</b>' in card.locator(".card-label").all_inner_texts()
    assert "</script><script>window.__pwned = 'norm'</script>" in card.inner_text()
    assert "<script>window.__pwned = 'definition'</script>" in card.inner_text()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    page.watch.assert_clean()
