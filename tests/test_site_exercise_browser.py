"""The exercise page (``exercise/<id>.html``) in a real headless chromium driven by Playwright.

The page opens with the gold hidden and prints none of it; selections snap to the tokens of the
dataset's ``tokens`` config and stay in one paragraph; the work autosaves in localStorage and
comes back on reload; leaving with work that is not downloaded warns first; the scores (spans,
frames, genre) equal ``dprkmedia score`` on the downloaded file, which the validator's span
checks accept. Served, watched and skipped as in test_site_browser.py, whose fixtures these are.
Screenshots go to ``build/test-artifacts/site/``.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dprkmedia.adapters.site.exercise import read_built_tokens
from dprkmedia.corpus.jsonl import read_records
from dprkmedia.corpus.repo import Repo
from dprkmedia.corpus.tokens import text_token_boundaries
from dprkmedia.evaluate.score import AnnotatedDoc, score
from dprkmedia.model.records import Span
from dprkmedia.model.taxonomy import Taxonomy
from dprkmedia.validation.spans import check_spans

from . import test_site_browser as kit
from .conftest import ROOT
from .site_fixture import XSS_DOC
from .test_site_browser import DOC, EXERCISE_DOC, gold, open_page, screenshot, shown_keys

pytestmark = pytest.mark.integration

served, browser, page = kit.served, kit.browser, kit.page  # the fixtures of test_site_browser.py


def open_exercise(tab: Any, doc_id: str, site: str = "site") -> None:
    open_page(tab, f"{site}/exercise/{doc_id}.html")
    tab.wait_for_selector("body[data-exercise-ready='true']")


def text_of(doc_id: str) -> str:
    for split in ("train", "test"):
        for line in (ROOT / "dataset" / "jsonl" / f"{split}.jsonl").read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record["id"] == doc_id:
                return str(record["text"])
    raise AssertionError(doc_id)


def drag_select(tab: Any, start: int, end: int) -> None:
    """Select text[start:end] with the mouse: press before the first character, release after the last."""
    box = tab.evaluate(
        """([start, end]) => {
          const at = (offset) => {
            for (const seg of document.querySelectorAll('#text .seg')) {
              const a = Number(seg.dataset.start), chars = Array.from(seg.textContent);
              if (offset >= a && offset < a + chars.length) {
                const units = chars.slice(0, offset - a).join('').length;
                const range = document.createRange();
                range.setStart(seg.firstChild, units);
                range.setEnd(seg.firstChild, units + chars[offset - a].length);
                const r = range.getBoundingClientRect();
                return {left: r.left, right: r.right, y: r.top + r.height / 2};
              }
            }
            return null;
          };
          const seg = Array.from(document.querySelectorAll('#text .seg')).find((s) => Number(s.dataset.start) <= start
            && start < Number(s.dataset.start) + Array.from(s.textContent).length);
          if (seg) seg.scrollIntoView({block: 'center'});
          const first = at(start), last = at(end - 1);
          return first && last ? {x0: first.left + 1, y0: first.y, x1: last.right - 1, y1: last.y} : null;
        }""",
        [start, end],
    )
    assert box, f"no characters {start}-{end} on the page"
    tab.keyboard.press("Escape")
    tab.mouse.move(box["x0"], box["y0"])
    tab.mouse.down()
    tab.mouse.move(box["x1"], box["y1"], steps=5)
    tab.mouse.up()


def add_span(tab: Any, layer: str, label: str, start: int, end: int, text: str) -> None:
    tab.select_option("#ex-layer", layer)
    drag_select(tab, start, end)
    assert tab.locator("#ex-selection").inner_text() == f"Selected: “{text}” (characters {start}–{end})"
    tab.select_option("#ex-label", label)
    tab.click("#ex-add")


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def download(tab: Any, folder: Path) -> Path:
    with tab.expect_download() as info:
        tab.click("#ex-download")
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def cli_score(gold_file: Path, answers: Path) -> dict[str, Any]:
    run = subprocess.run(
        [sys.executable, "-m", "dprkmedia.cli", "score", str(gold_file), str(answers), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return dict(json.loads(run.stdout))


# --- the gold stays hidden ------------------------------------------------------------------------


def test_site_exercise_link_opens_straight_into_the_exercise_with_the_gold_hidden(page: Any) -> None:
    open_page(page, f"site/{EXERCISE_DOC}.html")
    page.click("a.exercise-link")
    page.wait_for_selector("body[data-exercise-ready='true']")
    assert page.url.endswith(f"/site/exercise/{EXERCISE_DOC}.html")
    assert shown_keys(page) == set()
    assert page.locator("#text .seg.ann").count() == 0
    # nothing of the gold on the page: no toggles with counts, no statistics, no card data
    assert page.locator("#toggles, #stats, #controls, .count").count() == 0
    data = json.loads(page.locator("#page-data").text_content())
    assert data["spans"] == [] and set(data["doc"]) == {"id", "text"}
    assert page.locator("#ex-result").inner_text() == ""
    page.emulate_media(media="print")
    assert page.locator("#text").is_visible()
    assert not page.locator("#ex-bar").is_visible()
    screenshot(page, "exercise-print.png", full_page=True)
    page.watch.assert_clean()


def test_site_exercise_prints_no_answers_after_a_check(page: Any) -> None:
    doc = gold(EXERCISE_DOC)
    span = doc.spans["rhetoric"][0]
    open_exercise(page, EXERCISE_DOC)
    add_span(page, "rhetoric", span.label, span.start, span.end, span.text)
    page.click("#ex-check")
    assert page.locator("#ex-result table").count() > 0
    assert page.locator("#text .seg[data-marks]").count() > 0
    page.emulate_media(media="print")
    assert not page.locator("#ex-result").is_visible()
    assert not page.locator("#ex-message").is_visible()
    styles = page.eval_on_selector_all(
        "#text .seg",
        """segs => segs.map(s => [getComputedStyle(s).boxShadow, getComputedStyle(s).outlineStyle,
                                  getComputedStyle(s, '::after').content])""",
    )
    assert styles and all(
        shadow == "none" and outline == "none" and after in ("none", "normal") for shadow, outline, after in styles
    )
    assert page.locator("#ex-spans .mark").count() == 0 or not page.locator("#ex-spans .mark").first.is_visible()
    page.emulate_media(media="screen")
    page.watch.assert_clean()


# --- selections ----------------------------------------------------------------------------------


def test_site_exercise_selections_snap_to_the_dataset_tokens(
    page: Any, repo: Repo, tmp_path: Path, tax: Taxonomy
) -> None:
    tokens = read_built_tokens(repo)[EXERCISE_DOC]
    span = next(
        s for s in gold(EXERCISE_DOC).spans["rhetoric"] if len(s.text.split()) >= 2 and len(s.text.split()[0]) > 3
    )
    start, end = span.start + 2, span.end - 2  # inside the first and the last word
    expected_start = next(a for a, b in tokens if a <= start < b)
    expected_end = next(b for a, b in tokens if a < end <= b)
    text = text_of(EXERCISE_DOC)
    open_exercise(page, EXERCISE_DOC)
    drag_select(page, start, end)
    wanted = text[expected_start:expected_end]
    assert (
        page.locator("#ex-selection").inner_text()
        == f"Selected: “{wanted}” (characters {expected_start}–{expected_end})"
    )
    assert "whole words" in page.locator("#ex-snap").inner_text()
    page.select_option("#ex-label", span.label)
    page.click("#ex-add")
    assert page.locator("#ex-spans li").count() == 1

    # across two paragraphs: refused, nothing to add
    paragraphs = page.eval_on_selector_all("#text p[data-start]", "ps => ps.map(p => Number(p.dataset.start))")
    second = paragraphs[1]
    drag_select(page, second - 8, second + 5)
    assert "more than one paragraph" in page.locator("#ex-selection").inner_text()
    assert page.locator("#ex-add").is_disabled()

    page.check(f"#ex-genre input[value='{gold(EXERCISE_DOC).genre}']")
    answers = download(page, tmp_path)
    records, problems = read_records(answers, answers.name)
    assert problems == []
    assert list(check_spans(records, text, tax, answers.name, text_token_boundaries(text))) == []
    assert [r.data["start"] for r in records[1:]] == [expected_start]
    page.watch.assert_clean()


# --- autosave and leaving ---------------------------------------------------------------------------


def test_site_exercise_work_autosaves_and_comes_back(page: Any, tmp_path: Path) -> None:
    doc = gold(EXERCISE_DOC)
    span = doc.spans["rhetoric"][1]
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", on_dialog)
    open_exercise(page, EXERCISE_DOC)
    add_span(page, "rhetoric", span.label, span.start, span.end, span.text)
    page.check("#ex-frames input[value='Political']")
    page.check("#ex-genre input[value='reporting']")
    page.reload()
    page.wait_for_selector("body[data-exercise-ready='true']")
    assert dialogs == ["beforeunload"]  # not downloaded: the browser asked first
    assert page.locator("#ex-spans li").count() == 1
    assert span.text in page.locator("#ex-spans li").inner_text()
    assert page.locator("#ex-frames input[value='Political']").is_checked()
    assert page.locator("#ex-genre input[value='reporting']").is_checked()
    assert page.locator("#ex-message").inner_text().startswith("Restored your work from this browser")
    assert page.locator("#text .seg.ann").count() > 0  # the student's span is drawn again

    download(page, tmp_path)
    page.reload()
    page.wait_for_selector("body[data-exercise-ready='true']")
    assert dialogs == ["beforeunload"]  # downloaded: no question
    assert page.locator("#ex-spans li").count() == 1  # and still there
    page.watch.assert_clean()


def test_site_exercise_warns_before_leaving_unsaved_work(page: Any) -> None:
    answers: list[bool] = [False]
    seen: list[tuple[str, str]] = []

    def on_dialog(dialog: Any) -> None:
        seen.append((dialog.type, dialog.message))
        dialog.accept() if answers[-1] else dialog.dismiss()

    page.on("dialog", on_dialog)
    open_exercise(page, EXERCISE_DOC)
    page.click("#ex-reset")  # nothing to lose yet: no question
    assert seen == []
    page.check("#ex-frames input[value='Economic']")
    page.click("nav.views a:has-text('All documents')")
    assert seen and seen[-1][0] == "confirm" and "not downloaded" in seen[-1][1]
    assert page.url.endswith(f"/exercise/{EXERCISE_DOC}.html")  # dismissed: still here
    page.evaluate("() => { window.location.reload(); }")  # dismissed beforeunload: still here
    page.wait_for_timeout(300)
    assert [kind for kind, _ in seen] == ["confirm", "beforeunload"]
    assert page.locator("#ex-frames input[value='Economic']").is_checked()
    answers.append(True)
    page.click("nav.views a:has-text('All documents')")
    page.wait_for_selector("table.index")
    assert page.url.endswith("/site/index.html")
    assert [kind for kind, _ in seen] == ["confirm", "beforeunload", "confirm"]  # asked once, not twice


def test_site_exercise_drops_saved_spans_that_no_longer_fit(page: Any) -> None:
    open_exercise(page, EXERCISE_DOC)
    text = text_of(EXERCISE_DOC)
    good = gold(EXERCISE_DOC).spans["rhetoric"][0]
    saved = {
        "version": 1,
        "doc": EXERCISE_DOC,
        "spans": [
            {"layer": "rhetoric", "start": good.start, "end": good.end, "text": good.text, "label": good.label},
            {"layer": "rhetoric", "start": 1, "end": 4, "text": text[1:4], "label": good.label},  # not on tokens
            {"layer": "rhetoric", "start": good.start, "end": good.end, "text": "changed", "label": good.label},
            {"layer": "rhetoric", "start": good.start, "end": good.end, "text": good.text, "label": "No_Such"},
        ],
        "frames": ["Political", "Not_A_Frame"],
        "genre": "opinion",
        "dirty": True,
    }
    page.evaluate(
        "([key, value]) => localStorage.setItem(key, value)",
        [f"dprkmedia.exercise.v1:{EXERCISE_DOC}", json.dumps(saved)],
    )
    page.on("dialog", lambda dialog: dialog.accept())
    page.reload()
    page.wait_for_selector("body[data-exercise-ready='true']")
    assert page.locator("#ex-spans li").count() == 1
    assert "3 saved spans no longer fit the text and were left out" in page.locator("#ex-message").inner_text()
    assert page.locator("#ex-frames input:checked").count() == 1
    page.watch.assert_clean()


# --- scores ---------------------------------------------------------------------------------------


def test_site_exercise_scores_equal_dprkmedia_score(page: Any, tmp_path: Path, tax: Taxonomy) -> None:
    doc = gold(EXERCISE_DOC)
    rhetoric, entities = doc.spans["rhetoric"], doc.spans["entities"]
    exact1, exact2, partial, relabel = rhetoric[0], rhetoric[1], rhetoric[2], rhetoric[3]
    first_word = len(partial.text.split()[0]) + 1
    other_label = next(s.label for s in rhetoric if s.label != relabel.label)
    frames = [doc.frames[0], next(f for f in ("Economic", "Morality") if f not in doc.frames)]
    open_exercise(page, EXERCISE_DOC)
    assert shown_keys(page) == set()  # the gold is hidden

    add_span(page, "rhetoric", exact1.label, exact1.start, exact1.end, exact1.text)
    add_span(page, "rhetoric", exact2.label, exact2.start, exact2.end, exact2.text)
    add_span(page, "rhetoric", partial.label, partial.start + first_word, partial.end, partial.text[first_word:])
    add_span(page, "rhetoric", other_label, relabel.start, relabel.end, relabel.text)
    entity = entities[0]
    add_span(page, "entities", entity.label, entity.start, entity.end, entity.text)
    assert page.locator("#ex-spans li").count() == 5
    page.select_option("#ex-layer", "rhetoric")
    for frame in frames:
        page.check(f"#ex-frames input[value='{frame}']")
    page.check(f"#ex-genre input[value='{doc.genre}']")
    page.click("#ex-check")

    shown = json.loads(page.locator("#ex-result").get_attribute("data-result"))
    # feedback is a mark, not colour alone: ✓ exact, ≈ partial, ✗ extra in the list, ○ missed in the text
    marks = page.eval_on_selector_all(
        "#ex-spans li", "lis => lis.map(li => [li.dataset.status, li.querySelector('.mark').textContent.trim()])"
    )
    assert {tuple(m) for m in marks} >= {("exact", "✓"), ("partial", "≈"), ("extra", "✗")}
    in_text = "".join(page.eval_on_selector_all("#text .seg[data-marks]", "segs => segs.map(s => s.dataset.marks)"))
    assert {"✓", "≈", "✗", "○"} <= set(in_text)
    assert {"✓", "≈", "✗", "○"} <= set(page.locator("#ex-result .legend").inner_text())
    assert page.locator("#text .seg.missed").count() > 0
    screenshot(page, "exercise.png")
    page.locator("#text .seg[data-marks]").first.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -200)")
    screenshot(page, "exercise-marks.png")

    answers = download(page, tmp_path)
    cli = cli_score(ROOT / "annotations" / f"{EXERCISE_DOC}.jsonl", answers)
    layers = cli["layers"]
    assert set(shown) == {"rhetoric", "entities", "document"}
    for layer in ("rhetoric", "entities"):
        result = shown[layer]
        for kind in ("exact", "partial"):
            for key in ("precision", "recall", "f1", "predicted", "gold"):
                assert close(result[kind][key], layers[layer][kind][key]), (layer, kind, key)
        assert set(result["labels"]) == set(layers[layer]["labels"])
        for label, per in result["labels"].items():
            for kind in ("exact", "partial"):
                for key in ("precision", "recall", "f1"):
                    assert close(per[kind][key], layers[layer]["labels"][label][kind][key]), (layer, label, kind, key)
        table = page.locator(f"table.score[data-layer='{layer}'] tr[data-row='ALL']")
        for kind in ("exact", "partial"):
            for key in ("precision", "recall", "f1"):
                cell = table.locator(f"td[data-key='{kind}-{key}']").inner_text()
                assert cell == f"{layers[layer][kind][key]:.3f}"
    for key in ("precision", "recall", "f1", "predicted", "gold"):
        assert close(shown["document"]["frames"][key], cli["document"]["frames"][key]), key
    assert shown["document"]["genre"] == cli["document"]["genre"]
    assert 0 < cli["document"]["frames"]["f1"] < 1  # one frame right, one wrong
    frames_cell = page.locator("table.score[data-layer='document'] td[data-key='frames']").inner_text()
    assert f"F1 {cli['document']['frames']['f1']:.3f}" in frames_cell
    assert layers["rhetoric"]["exact"]["predicted"] == 4
    assert 0 < layers["rhetoric"]["partial"]["precision"] < 1
    header = json.loads(answers.read_text(encoding="utf-8").splitlines()[0])
    assert header == {
        "doc": EXERCISE_DOC,
        "frames": [f.name for f in tax.frames if f.name in frames],  # in the taxonomy's order
        "genre": doc.genre,
        "note": "exercise answers from the classroom viewer",
    }
    page.watch.assert_clean()


def test_site_exercise_download_needs_a_genre(page: Any) -> None:
    open_exercise(page, EXERCISE_DOC)
    page.click("#ex-download")
    assert "genre" in page.locator("#ex-message").inner_text()


spans_strategy = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 25), st.sampled_from(["Doubt", "Slogans", "Repetition"])).map(
        lambda t: (t[0], t[0] + t[1], t[2])
    ),
    max_size=8,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(gold_spans=spans_strategy, pred_spans=spans_strategy)
def test_site_exercise_scorer_equals_python_scorer(page: Any, gold_spans: list[Any], pred_spans: list[Any]) -> None:
    if not page.url.endswith(f"exercise/{DOC}.html"):
        open_exercise(page, DOC)
    js = page.evaluate("([g, p]) => window.dprkmedia.Score.layer(g, p)", [gold_spans, pred_spans])

    def side(spans: list[Any]) -> dict[str, AnnotatedDoc]:
        doc = AnnotatedDoc("d")
        doc.spans["rhetoric"] = [Span("rhetoric", f"r{i}", s, e, "", label) for i, (s, e, label) in enumerate(spans, 1)]
        return {"d": doc}

    py = score(side(gold_spans), side(pred_spans))["layers"]["rhetoric"]
    for kind in ("exact", "partial"):
        for key in ("precision", "recall", "f1", "predicted", "gold"):
            assert close(js[kind][key], py[kind][key]), (kind, key)
    assert set(js["labels"]) == set(py["labels"])
    for label in js["labels"]:
        for kind in ("exact", "partial"):
            assert close(js["labels"][label][kind]["f1"], py["labels"][label][kind]["f1"])


frames_strategy = st.lists(st.sampled_from(["Economic", "Political", "Morality", "Security_and_defense"]), unique=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    gold_frames=frames_strategy,
    pred_frames=frames_strategy,
    genres=st.tuples(*[st.sampled_from(["opinion", "reporting"])] * 2),
)
def test_site_exercise_frames_and_genre_equal_python(
    page: Any, gold_frames: list[str], pred_frames: list[str], genres: tuple[str, str]
) -> None:
    if not page.url.endswith(f"exercise/{DOC}.html"):
        open_exercise(page, DOC)
    js = page.evaluate(
        "([g, p]) => window.dprkmedia.Score.documentLevel(g, p)",
        [{"frames": gold_frames, "genre": genres[0]}, {"frames": pred_frames, "genre": genres[1]}],
    )
    py = score({"d": AnnotatedDoc("d", gold_frames, genres[0])}, {"d": AnnotatedDoc("d", pred_frames, genres[1])})[
        "document"
    ]
    for key in ("precision", "recall", "f1", "predicted", "gold"):
        assert close(js["frames"][key], py["frames"][key]), key
    assert js["genre"] == py["genre"]


# --- hostile text ------------------------------------------------------------------------------------


def test_site_exercise_markup_in_the_data_renders_as_text(page: Any) -> None:
    open_exercise(page, XSS_DOC, site="fixture")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert "<script>window.__pwned = 'text'</script>" in page.locator("#text").inner_text()
    assert page.locator("#text script, #text img, #text b").count() == 0
    assert "<script>window.__pwned = 'title'</script>" in page.locator("h1").inner_text()
    page.click("#ex-check")  # the hostile gold goes through the result and the missed spans as text
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("#text img, #ex-result img, #ex-result b").count() == 0
    page.watch.assert_clean()
