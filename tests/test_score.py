"""The scorer, on hand-computed cases (overlaps included) and through the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dprkmedia.cli.main import main
from dprkmedia.evaluate.score import AnnotatedDoc, Unit, exact_prf, layer_sums, partial_prf, score
from dprkmedia.model.records import Span
from dprkmedia.model.taxonomy import load_taxonomy

from .conftest import ROOT

TAX = load_taxonomy(ROOT / "schema")


def test_score_exact_match() -> None:
    gold = [(0, 10, "A"), (20, 30, "A"), (40, 45, "B")]
    pred = [(0, 10, "A"), (20, 31, "A")]
    prf = exact_prf(gold, pred)
    assert (prf.precision, prf.recall) == (1 / 2, 1 / 3)
    assert prf.f1 == pytest.approx(2 * (1 / 2) * (1 / 3) / (1 / 2 + 1 / 3))


def test_score_partial_credit_hand_computed() -> None:
    # gold t = [0, 10); pred s = [5, 15): |s∩t| = 5, P credit 5/10, R credit 5/10.
    prf = partial_prf([(0, 10, "A")], [(5, 15, "A")])
    assert (prf.precision, prf.recall, prf.f1) == (0.5, 0.5, 0.5)


def test_score_partial_credit_needs_the_same_label() -> None:
    prf = partial_prf([(0, 10, "A")], [(0, 10, "B")])
    assert (prf.precision, prf.recall) == (0.0, 0.0)


def test_score_partial_credit_with_overlapping_gold() -> None:
    # gold [0,10) and [5,20) both A; pred [0,20) A (|s|=20). The formula sums over pairs:
    # P = (10/20 + 15/20) / 1 = 1.25 (credit above 1 where same-label gold spans overlap),
    # R = (10/10 + 15/15) / 2 = 1.
    prf = partial_prf([(0, 10, "A"), (5, 20, "A")], [(0, 20, "A")])
    assert prf.precision == pytest.approx(1.25)
    assert prf.recall == pytest.approx(1.0)


def test_score_partial_credit_short_prediction_inside_long_gold() -> None:
    # gold [0, 40), pred [10, 20): P credit 10/10 = 1, R credit 10/40 = 0.25.
    prf = partial_prf([(0, 40, "L")], [(10, 20, "L")])
    assert (prf.precision, prf.recall) == (1.0, 0.25)
    assert prf.f1 == pytest.approx(0.4)


def test_score_empty_sides() -> None:
    assert exact_prf([], []).f1 == 1.0
    assert exact_prf([(0, 1, "A")], []).f1 == 0.0
    assert exact_prf([], [(0, 1, "A")]).precision == 0.0


def doc(doc_id: str, spans: dict[str, list[dict[str, Any]]], frames: list[str], genre: str) -> AnnotatedDoc:
    """A document of spans given as ``start``, ``end``, label field and attributes."""
    typed = {
        layer: [Span.from_json({"layer": layer, "id": f"x{i}", "text": "", **s}, TAX) for i, s in enumerate(items)]
        for layer, items in spans.items()
    }
    return AnnotatedDoc(doc_id, frames, genre, {"entities": [], "dates": [], "rhetoric": [], **typed})


def test_score_spans_never_pair_across_documents() -> None:
    span = {"start": 0, "end": 4, "label": "GPE", "norm": "X"}
    gold = {"a": doc("a", {"entities": [span]}, [], "opinion"), "b": doc("b", {}, [], "opinion")}
    pred = {"a": doc("a", {}, [], "opinion"), "b": doc("b", {"entities": [span]}, [], "opinion")}
    result = score(gold, pred)
    assert result["layers"]["entities"]["exact"]["f1"] == 0.0
    assert result["layers"]["entities"]["partial"]["f1"] == 0.0


def test_score_value_norm_frames_genre() -> None:
    dates_g = [
        {"start": 0, "end": 4, "type": "DATE", "value": "2001"},
        {"start": 10, "end": 14, "type": "DATE", "value": "2002"},
    ]
    dates_p = [
        {"start": 0, "end": 4, "type": "DATE", "value": "2001"},
        {"start": 10, "end": 14, "type": "DATE", "value": "XXXX"},
    ]
    ents_g = [{"start": 20, "end": 24, "label": "GPE", "norm": "Russian Federation"}]
    ents_p = [{"start": 20, "end": 24, "label": "GPE", "norm": "Russia"}]
    gold = {"a": doc("a", {"dates": dates_g, "entities": ents_g}, ["Political", "Economic"], "opinion")}
    pred = {"a": doc("a", {"dates": dates_p, "entities": ents_p}, ["Political"], "reporting")}
    result = score(gold, pred)
    assert result["layers"]["dates"]["value_accuracy"] == {"matched": 2, "correct": 1, "accuracy": 0.5}
    assert result["layers"]["entities"]["norm_accuracy"]["accuracy"] == 0.0
    assert result["document"]["frames"]["precision"] == 1.0
    assert result["document"]["frames"]["recall"] == 0.5
    assert result["document"]["genre"]["accuracy"] == 0.0


def write(path: Path, lines: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def test_score_cli_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header = {"doc": "d", "frames": ["Political"], "genre": "opinion"}
    span = {"layer": "rhetoric", "id": "r1", "start": 0, "end": 10, "text": "0123456789", "label": "Loaded_Language"}
    gold = write(tmp_path / "gold.jsonl", [header, span])
    pred = write(tmp_path / "pred.jsonl", [header, {**span, "start": 5, "end": 15, "text": "5678901234"}])
    assert main(["score", str(gold), str(pred), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["layers"]["rhetoric"]["partial"]["f1"] == 0.5
    assert result["layers"]["rhetoric"]["exact"]["f1"] == 0.0
    assert main(["score", str(gold), str(pred)]) == 0
    assert "Loaded_Language" in capsys.readouterr().out


def test_score_cli_refuses_invalid_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = write(tmp_path / "gold.jsonl", [{"doc": "d", "frames": [], "genre": "opinion"}])
    bad = write(
        tmp_path / "bad.jsonl", [{"doc": "d", "frames": [], "genre": "opinion"}, {"layer": "rhetoric", "start": 0}]
    )
    assert main(["score", str(gold), str(bad)]) == 1
    assert "bad.jsonl:2" in capsys.readouterr().err


def test_score_gold_against_itself_is_perfect() -> None:
    root = Path(__file__).resolve().parents[1] / "annotations"
    from dprkmedia.evaluate.score import read_side

    gold, issues = read_side(root)
    assert issues == [] and len(gold) == 5
    result = score(gold, gold)
    for layer in ("entities", "dates", "rhetoric"):
        assert result["layers"][layer]["exact"]["f1"] == 1.0


SPANS = st.lists(
    st.tuples(st.integers(0, 30), st.integers(1, 8), st.sampled_from(["A", "B", "C"])).map(
        lambda t: (t[0], t[0] + t[1], t[2])
    ),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(gold=SPANS, pred=SPANS)
def test_score_layer_sums_in_one_pass_equal_each_label_on_its_own(gold: list[Unit], pred: list[Unit]) -> None:
    def reference(g: list[Unit], p: list[Unit]) -> list[float]:
        exact, partial = exact_prf(g, p), partial_prf(g, p)
        return [
            exact.precision * len(p) if p else 0,
            partial.precision * len(p) if p else 0,
            partial.recall * len(g) if g else 0,
            len(p),
            len(g),
        ]

    sums = layer_sums(gold, pred)
    assert sums[None] == reference(gold, pred)  # the same floating-point numbers, not just close
    labels = sorted({u[2] for u in gold} | {u[2] for u in pred})
    assert list(sums) == [None, *labels]
    for label in labels:
        assert sums[label] == reference([u for u in gold if u[2] == label], [u for u in pred if u[2] == label])
