"""How the classroom viewer looks, in Debian's chromium (issue 15: projector, colour, cards, a11y, phone, print).

Each test opens the real site (built from the repository's dataset) in a window of the size the
issue measured: 1366×768 (a laptop), 1920×1080 (a projector), 390 px (a phone), print, forced
colours and emulated colour blindness. Screenshots go to ``build/test-artifacts/site/look-*``
(or under ``$DPRKMEDIA_ARTIFACTS``). The accessibility and phone checks run over every HTML file
the site builds, so pages added later are checked too. What is checked and why: docs/viewer.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from dprkmedia.corpus.repo import Repo

from . import test_site_browser as kit
from .conftest import ROOT
from .site_fixture import XSS_DOC
from .test_site_browser import (
    ARTIFACTS,
    DOC,
    Watch,
    build_served,
    gold,
    need_browser,
    open_page,
    serving,
)

pytestmark = pytest.mark.integration

LAPTOP = {"width": 1366, "height": 768}
PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
ARTICLES = sorted(p.stem for p in (ROOT / "annotations").glob("*.jsonl") if p.name != "sources.jsonl")

# Machado, Oliveira & Fernandes (2009), severity 1.0, for linear RGB: an SVG feColorMatrix works
# in linearRGB by default, so the matrix applies as the model defines it (docs/viewer.md).
CVD = {
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
}


@dataclass
class Site:
    base: str
    pages: list[str]
    """Every HTML file of the real site, relative to ``base`` (``site/...``)."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, repo: Repo) -> Iterator[Site]:
    need_browser()
    root = tmp_path_factory.mktemp("look")
    files = build_served(repo, root)
    pages = sorted(path.relative_to(root).as_posix() for path in files if path.suffix == ".html")
    with serving(root) as base:
        yield Site(base, pages)


browser = kit.browser  # the fixture of test_site_browser.py: one chromium per module


@contextmanager
def window(browser: Any, site: Site, viewport: dict[str, int], **options: Any) -> Iterator[Any]:
    """A fresh browser context (no remembered projector choice) with one tab, watched like test_site_browser's."""
    context = browser.new_context(viewport=viewport, **options)
    watch = Watch(site.base)

    def route(route: Any) -> None:
        url = route.request.url
        watch.requests.append(url)
        if url.startswith(site.base):
            route.continue_()
        else:
            watch.outside.append(url)
            route.abort()

    context.route("**/*", route)
    tab = context.new_page()
    tab.on("console", lambda msg: watch.errors.append(msg.text) if msg.type in ("error", "warning") else None)
    tab.on("pageerror", lambda exc: watch.errors.append(str(exc)))
    tab.watch = watch
    try:
        yield tab
        watch.assert_clean()
    finally:
        context.close()


def shot(tab: Any, name: str, **options: Any) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    tab.screenshot(path=str(path), **options)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return path


def rect(tab: Any, selector: str) -> dict[str, float]:
    box: dict[str, float] = tab.evaluate(
        "(s) => { const r = document.querySelector(s).getBoundingClientRect();"
        " return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width, height: r.height}; }",
        selector,
    )
    return box


def visible_spans(tab: Any) -> set[str]:
    values = tab.eval_on_selector_all("#text .seg", "segs => segs.map(s => s.dataset.visible || '')")
    return {key for value in values for key in value.split()}


def shown_tags(tab: Any) -> list[str]:
    """Label names standing in the text that are displayed."""
    names: list[str] = tab.eval_on_selector_all(
        "#text .tag", "tags => tags.filter(t => t.getClientRects().length > 0).map(t => t.textContent)"
    )
    return names


def enter_exercise(tab: Any, tap: bool = False) -> None:
    """Open the article's exercise: its mode button, or the link to an exercise page where there is one."""
    if tab.locator("#mode-exercise").count():
        (tab.tap if tap else tab.click)("#mode-exercise")
    else:
        link = tab.locator("a.exercise-link").first
        assert link.count(), "the article offers no exercise"
        (link.tap if tap else link.click)()
        tab.wait_for_selector("body[data-ready='true']")


def all_labels(doc_id: str) -> list[str]:
    return sorted(s.label for layer in gold(doc_id).spans.values() for s in layer)


def scroll_to_the_end_of_the_text(tab: Any) -> None:
    """Scroll down through the text, to its last line (the legend should have stayed with it)."""
    tab.evaluate("document.querySelector('#text p:last-child').scrollIntoView({block: 'end'})")
    assert tab.evaluate("window.scrollY") > 300


# --- 1. projector mode -------------------------------------------------------------------------------


def test_look_laptop_text_starts_high_with_the_controls_in_one_row(browser: Any, site: Site) -> None:
    with window(browser, site, LAPTOP) as tab:
        open_page(tab, f"site/{DOC}.html")
        assert tab.evaluate("document.documentElement.classList.contains('projector')") is False
        assert tab.get_attribute("#projector", "aria-pressed") == "false"
        text, controls = rect(tab, "#text"), rect(tab, "#controls")
        assert text["top"] < 400, f"the text starts at y = {text['top']} (it started at 641)"
        assert controls["height"] < 80 and controls["bottom"] <= text["top"]  # one row, above the text
        assert shown_tags(tab) == []  # names only on hover outside projector mode
        legend = rect(tab, "#legend")
        assert legend["left"] >= text["right"]  # beside the text
        shot(tab, "look-1366x768.png")
        scroll_to_the_end_of_the_text(tab)
        legend = rect(tab, "#legend")
        assert 0 <= legend["top"] < 100 and legend["bottom"] <= LAPTOP["height"]  # the legend stays on screen


def test_look_projector_mode_is_the_default_on_a_large_screen(browser: Any, site: Site) -> None:
    with window(browser, site, PROJECTOR) as tab:
        open_page(tab, f"site/{DOC}.html")
        assert tab.evaluate("document.documentElement.classList.contains('projector')") is True
        assert tab.get_attribute("#projector", "aria-pressed") == "true"
        # every span's label name is in the text, without hovering
        assert sorted(shown_tags(tab)) == all_labels(DOC)
        # the legend with counts, on screen, and it stays there
        counts = tab.locator("#legend .count").all_inner_texts()
        assert any(c.strip("()").isdigit() and int(c.strip("()")) > 0 for c in counts)
        assert tab.locator("#legend input[data-label]").first.is_visible()
        assert rect(tab, "#text")["top"] < 400
        shot(tab, "look-1920x1080.png")
        size = tab.evaluate("parseFloat(getComputedStyle(document.querySelector('#text')).fontSize)")
        assert size >= 28
        scroll_to_the_end_of_the_text(tab)
        legend = rect(tab, "#legend")
        assert 0 <= legend["top"] < 100 and legend["bottom"] <= PROJECTOR["height"]
        # a large card
        tab.locator("#text .seg.ann").first.scroll_into_view_if_needed()
        tab.locator("#text .seg.ann").first.hover()
        assert tab.evaluate("parseFloat(getComputedStyle(document.querySelector('#card')).fontSize)") >= 22


def test_look_projector_mode_is_a_toggle_and_remembered(browser: Any, site: Site) -> None:
    with window(browser, site, LAPTOP) as tab:
        open_page(tab, f"site/{DOC}.html")
        normal = tab.evaluate("parseFloat(getComputedStyle(document.querySelector('#text')).fontSize)")
        tab.click("#projector")
        assert tab.get_attribute("#projector", "aria-pressed") == "true"
        assert sorted(shown_tags(tab)) == all_labels(DOC)
        assert tab.evaluate("parseFloat(getComputedStyle(document.querySelector('#text')).fontSize)") > normal * 1.15
        open_page(tab, "site/index.html")
        open_page(tab, f"site/{DOC}.html")  # another page: still on
        assert tab.get_attribute("#projector", "aria-pressed") == "true"
        tab.click("#projector")
        tab.reload()
        tab.wait_for_selector("body[data-ready='true']")
        assert tab.get_attribute("#projector", "aria-pressed") == "false"
        assert shown_tags(tab) == []


def test_look_label_names_follow_the_toggles(browser: Any, site: Site) -> None:
    with window(browser, site, PROJECTOR) as tab:
        open_page(tab, f"site/{DOC}.html")
        tab.locator("input[data-layer-toggle][data-layer='entities']").uncheck()
        doc = gold(DOC)
        expected = sorted(s.label for layer in ("dates", "rhetoric") for s in doc.spans[layer])
        assert sorted(shown_tags(tab)) == expected
        enter_exercise(tab)
        assert shown_tags(tab) == []  # exercise mode shows no gold, not even its names


# --- 2. colour, a second cue, forced colours --------------------------------------------------------


def test_look_underlines_carry_colour_and_pattern(browser: Any, site: Site) -> None:
    """Each span's underline is its label's colour in its family's pattern; families differ in pattern."""
    with window(browser, site, LAPTOP) as tab:
        open_page(tab, f"site/{DOC}.html")
        labels = tab.evaluate("JSON.parse(document.getElementById('page-data').textContent).labels")
        by_name = {(label["layer"], label["name"]): label for label in labels}
        rhetoric = [label for label in labels if label["layer"] == "rhetoric"]
        patterns = {label["category"]: label["pattern"] for label in rhetoric}
        assert len(set(patterns.values())) == len(patterns)  # one pattern per rhetoric category
        for layer, spans in gold(DOC).spans.items():
            for span in spans:
                image = tab.evaluate(
                    "(id) => document.querySelector(`#text .seg[data-visible~='${id}']`).style.backgroundImage", span.id
                )
                colour = by_name[(layer, span.label)]["colour"]
                rgb = ", ".join(str(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
                assert f"rgb({rgb})" in image, (span.id, colour, image)


def test_look_highlights_stay_visible_in_forced_colours(browser: Any, site: Site) -> None:
    with window(browser, site, LAPTOP, forced_colors="active") as tab:
        open_page(tab, f"site/{DOC}.html")
        assert tab.evaluate("matchMedia('(forced-colors: active)').matches")
        styles = tab.eval_on_selector_all(
            "#text .seg.ann",
            """segs => segs.map(s => { const c = getComputedStyle(s);
                return [c.textDecorationLine, c.textDecorationStyle, c.borderBottomStyle,
                        parseFloat(c.borderBottomWidth), c.borderBottomColor, c.backgroundColor]; })""",
        )
        assert styles
        for line, _style, border, width, colour, background in styles:
            assert "underline" in line and border == "solid" and width >= 1
            assert colour != background
        assert {s[1] for s in styles} >= {"solid", "dashed"}  # a style per family survives
        assert sorted(shown_tags(tab)) == all_labels(DOC)
        shot(tab, "look-forced-colors.png")


def cvd_filter(tab: Any, vision: str) -> None:
    """See the page through Machado's matrix: an SVG filter (feColorMatrix, linear RGB) on the body."""
    values = " ".join(" ".join(str(v) for v in row) + " 0 0" for row in CVD[vision]) + " 0 0 0 1 0"
    tab.evaluate(
        """(values) => {
          const ns = 'http://www.w3.org/2000/svg';
          const svg = document.createElementNS(ns, 'svg');
          svg.setAttribute('width', '0'); svg.setAttribute('height', '0'); svg.setAttribute('aria-hidden', 'true');
          svg.style.position = 'absolute';
          const filter = document.createElementNS(ns, 'filter');
          filter.setAttribute('id', 'cvd'); filter.setAttribute('color-interpolation-filters', 'linearRGB');
          const matrix = document.createElementNS(ns, 'feColorMatrix');
          matrix.setAttribute('type', 'matrix'); matrix.setAttribute('values', values);
          filter.append(matrix); svg.append(filter); document.body.append(svg);
          document.body.style.filter = 'url(#cvd)';
        }""",
        values,
    )


@pytest.mark.parametrize("vision", ["deuteranopia", "protanopia"])
def test_look_screenshots_under_emulated_colour_blindness(browser: Any, site: Site, vision: str) -> None:
    with window(browser, site, PROJECTOR) as tab:
        open_page(tab, f"site/{DOC}.html")
        plain = tab.screenshot()
        cvd_filter(tab, vision)
        assert tab.evaluate("getComputedStyle(document.body).filter") == 'url("#cvd")'
        seen = shot(tab, f"look-{vision}.png")
        assert seen.read_bytes() != plain  # the filter changed what is seen


# --- 4. cards stay in the viewport ------------------------------------------------------------------

CARD_CHECK = """
async () => {
  const card = document.getElementById('card');
  const vw = document.documentElement.clientWidth, vh = window.innerHeight;
  const problems = [];
  let checked = 0;
  const firsts = new Map();
  for (const seg of document.querySelectorAll('#text .seg.ann')) {
    for (const key of seg.dataset.visible.split(' ')) if (!firsts.has(key)) firsts.set(key, seg);
  }
  for (const [key, seg] of firsts) {
    for (const block of ['start', 'center', 'end']) {
      seg.scrollIntoView({block});
      await new Promise((done) => requestAnimationFrame(done));
      seg.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
      const r = card.getBoundingClientRect(), s = seg.getBoundingClientRect();
      checked += 1;
      const inside = !card.hidden && r.top >= -0.5 && r.left >= -0.5 && r.bottom <= vh + 0.5 && r.right <= vw + 0.5;
      const overlaps = r.left < s.right - 0.5 && s.left < r.right - 0.5
        && r.top < s.bottom - 0.5 && s.top < r.bottom - 0.5;
      if (!inside || overlaps) {
        problems.push({key, block, side: card.dataset.side, overlaps,
                       card: [r.left, r.top, r.right, r.bottom], span: [s.left, s.top, s.right, s.bottom]});
      }
      seg.dispatchEvent(new MouseEvent('mouseout', {bubbles: true}));
    }
  }
  return {checked, spans: firsts.size, problems};
}
"""


@pytest.mark.parametrize(
    ("viewport", "projector"), [(LAPTOP, False), (PHONE, False), (PROJECTOR, True)], ids=["1366", "390", "1920"]
)
def test_look_every_card_is_fully_in_the_window(
    browser: Any, site: Site, viewport: dict[str, int], projector: bool
) -> None:
    """Every span of every article, at the top, middle and bottom of the window: its card fits and leaves it visible."""
    checked = 0
    with window(browser, site, viewport) as tab:
        for page in site.pages:
            if not page.startswith("site/"):
                continue
            open_page(tab, page)
            if tab.locator("#text .seg.ann").count() == 0:
                continue  # no highlighted passage here (the index, an exercise)
            assert tab.evaluate("document.documentElement.classList.contains('projector')") is projector
            result = tab.evaluate(CARD_CHECK)
            assert result["spans"] == len(visible_spans(tab)) > 0
            assert result["problems"] == [], (page, result["problems"][:5])
            checked += result["spans"]
    assert checked >= sum(len(layer) for doc in ARTICLES for layer in gold(doc).spans.values())


def test_look_card_opens_on_hover_and_is_capped_in_height(browser: Any, site: Site) -> None:
    with window(browser, site, {"width": 1366, "height": 420}) as tab:
        open_page(tab, f"site/{DOC}.html")
        seg = tab.locator("#text .seg.ann").nth(3)
        seg.scroll_into_view_if_needed()
        seg.hover()
        card = rect(tab, "#card")
        assert card["height"] <= 420 * 0.7 + 1
        assert card["bottom"] <= 420 and card["top"] >= 0


# --- 8. accessibility ---------------------------------------------------------------------------------


def serious_violations(tab: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(tab)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_look_axe_finds_no_serious_violation_on_any_page(browser: Any, site: Site) -> None:
    """Every HTML file the site builds, as it opens; articles also in projector and in exercise mode."""
    found: dict[str, list[str]] = {}
    with window(browser, site, LAPTOP) as tab:
        for page in site.pages:
            open_page(tab, page)
            states = {"": lambda: None}
            if tab.locator("#projector").count():
                states["projector"] = lambda: tab.click("#projector")
            if tab.locator("#mode-exercise").count():
                states["exercise"] = lambda: tab.click("#mode-exercise")
            for state, enter in states.items():
                if state:
                    open_page(tab, page)
                    enter()
                if violations := serious_violations(tab):
                    found[f"{page} {state}".strip()] = violations
                if state == "projector":
                    tab.click("#projector")  # back off, for the next page
    assert found == {}


def test_look_spans_have_accessible_names(browser: Any, site: Site) -> None:
    doc = gold(DOC)
    with window(browser, site, LAPTOP) as tab:
        open_page(tab, f"site/{DOC}.html")
        for layer, spans in doc.spans.items():
            for span in spans[:3]:
                seg = tab.locator(f"#text .seg[data-visible~='{span.id}']").first
                name = seg.get_attribute("aria-label") or ""
                assert seg.get_attribute("role") == "button"
                assert f"{span.label} ({layer})" in name
                # what the browser's accessibility tree says, not only the attribute
                assert tab.get_by_role("button", name=name, exact=True).count() >= 1
        unnamed = tab.eval_on_selector_all(
            "#text .seg.ann", "segs => segs.filter(s => !s.getAttribute('aria-label')).length"
        )
        assert unnamed == 0


def test_look_skip_link_goes_to_the_text(browser: Any, site: Site) -> None:
    with window(browser, site, LAPTOP) as tab:
        open_page(tab, f"site/{DOC}.html")
        tab.keyboard.press("Tab")
        assert tab.evaluate("document.activeElement.textContent") == "Skip to the text"
        tab.keyboard.press("Enter")
        tab.keyboard.press("Tab")
        focused = tab.evaluate("document.activeElement.dataset.visible || ''")
        first = tab.evaluate("document.querySelector('#text .seg.ann').dataset.visible")
        assert focused and focused == first  # three presses, not 28
        assert tab.locator("#card").is_visible()
        tab.keyboard.press("Enter")  # keeps the card open
        assert tab.locator("#card").get_attribute("data-pinned") == "true"
        tab.keyboard.press("Escape")
        assert not tab.locator("#card").is_visible()


def test_look_type_follows_the_browser_font_size(browser: Any, site: Site) -> None:
    sizes = {}
    for default in (16, 24):
        with window(browser, site, LAPTOP) as tab:
            cdp = tab.context.new_cdp_session(tab)
            cdp.send("Page.setFontSizes", {"fontSizes": {"standard": default, "fixed": default}})
            open_page(tab, f"site/{DOC}.html")
            sizes[default] = tab.evaluate(
                """() => ['html', '#text', 'h1', '.about', '#legend'].map(
                     (s) => parseFloat(getComputedStyle(document.querySelector(s)).fontSize))"""
            )
    assert sizes[16][0] == 20  # 125 % of the default
    for small, large in zip(sizes[16], sizes[24], strict=True):
        assert large == pytest.approx(small * 1.5, rel=0.02)


# --- 9. phone ------------------------------------------------------------------------------------------


CONTROL = {"exercise": "#mode-exercise", "projector": "#projector"}


def test_look_no_page_scrolls_sideways_on_a_phone(browser: Any, site: Site) -> None:
    wide: dict[str, int] = {}
    with window(browser, site, PHONE, has_touch=True, is_mobile=True) as tab:
        for page in site.pages:
            open_page(tab, page)
            states = [""] + [name for name in ("exercise", "projector") if tab.locator(CONTROL[name]).count()]
            for state in states:
                if state:
                    open_page(tab, page)
                    tab.tap(CONTROL[state])
                width = tab.evaluate("document.documentElement.scrollWidth")
                if width > PHONE["width"]:
                    wide[f"{page} {state}".strip()] = width
                if state == "projector":
                    tab.tap("#projector")  # back off: the choice is remembered
        open_page(tab, "site/index.html")
        shot(tab, "look-390-index.png", full_page=True)
    assert wide == {}


def test_look_controls_work_by_touch_on_a_phone(browser: Any, site: Site) -> None:
    doc = gold(DOC)
    with window(browser, site, PHONE, has_touch=True, is_mobile=True) as tab:
        open_page(tab, f"site/{DOC}.html")
        assert rect(tab, "#text")["top"] < PHONE["height"]  # the text starts on the first screen
        assert tab.evaluate("document.getElementById('legend-box').open") is False  # collapsed above the text
        shot(tab, "look-390.png")
        tab.tap("#legend summary")
        assert tab.evaluate("document.getElementById('legend-box').open") is True
        box = tab.locator("input[data-layer-toggle][data-layer='dates']")
        box.tap()
        assert not visible_spans(tab) & {s.id for s in doc.spans["dates"]}
        box.tap()
        tab.tap("#legend summary")
        seg = tab.locator("#text .seg.ann").first
        seg.tap()
        assert tab.locator("#card").is_visible()  # a tap opens the card and keeps it
        tab.tap("h1")
        assert not tab.locator("#card").is_visible()
        tab.tap("#projector")
        assert tab.get_attribute("#projector", "aria-pressed") == "true"
        assert shown_tags(tab)
        enter_exercise(tab, tap=True)
        controls = tab.eval_on_selector_all(
            "button, select, input, textarea",
            """els => els.filter(e => e.getClientRects().length > 0).map(e => {
                 const r = e.getBoundingClientRect();
                 return [e.id || e.textContent, r.left, r.right];
               })""",
        )
        assert controls, "no control in the exercise"
        off = [c for c in controls if c[1] < 0 or c[2] > PHONE["width"]]
        assert off == []  # every exercise control (the Add button too) is on screen


# --- 10. print -----------------------------------------------------------------------------------------


def test_look_print_is_a_handout_with_names_inline(browser: Any, site: Site) -> None:
    with window(browser, site, LAPTOP) as tab:
        open_page(tab, f"site/{DOC}.html")
        tab.emulate_media(media="print")
        assert sorted(shown_tags(tab)) == all_labels(DOC)  # the names carry the labels in grayscale
        for hidden in ("#controls", ".related-block", "#card", "#legend input"):
            assert not tab.locator(hidden).first.is_visible(), hidden
        for shown in ("#text", "#legend .swatch", "#provenance", "#stats", ".about"):
            assert tab.locator(shown).first.is_visible(), shown
        assert tab.evaluate("getComputedStyle(document.querySelector('#text .seg.ann')).backgroundImage") != "none"
        shot(tab, "look-print.png", full_page=True)
        tab.evaluate("document.documentElement.style.filter = 'grayscale(1)'")
        shot(tab, "look-print-grayscale.png", full_page=True)
        tab.evaluate("document.documentElement.style.filter = ''")
        pdf = ARTIFACTS / "look-print.pdf"
        tab.pdf(path=str(pdf), format="A4")
        assert pdf.read_bytes()[:5] == b"%PDF-"


def test_look_print_in_exercise_mode_shows_no_gold(browser: Any, site: Site) -> None:
    with window(browser, site, LAPTOP) as tab:
        open_page(tab, f"site/{DOC}.html")
        enter_exercise(tab)
        tab.emulate_media(media="print")
        assert shown_tags(tab) == []
        assert not tab.locator("#legend").is_visible()


# --- hostile text stays text -----------------------------------------------------------------------------


def test_look_label_names_from_the_data_render_as_text(browser: Any, site: Site) -> None:
    with window(browser, site, PROJECTOR) as tab:
        open_page(tab, f"fixture/{XSS_DOC}.html")
        assert '<b>"PER\'SON"</b>' in shown_tags(tab)
        assert tab.locator("#text b, #text script, #text img").count() == 0
        name = tab.locator("#text .seg.ann").first.get_attribute("aria-label") or ""
        assert '<b>"PER\'SON"</b>' in name
        assert tab.evaluate("typeof window.__pwned") == "undefined"
