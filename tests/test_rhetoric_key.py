"""The rhetoric answer key: one definition per technique, the departures table, the rules the gold
follows, confidence derived from the independent passes, score --core and the agreement figures."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dprkmedia.cli.main import main
from dprkmedia.corpus.repo import Repo
from dprkmedia.evaluate.agreement import Sides, alpha, confidence, gamma
from dprkmedia.evaluate.score import AnnotatedDoc, core_only, read_side, score
from dprkmedia.model.records import Span
from dprkmedia.model.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[1]
DETERMINERS = {"the", "a", "an"}


def gold_spans(repo: Repo) -> list[tuple[str, Span]]:
    docs, issues = read_side(repo.annotations_dir)
    assert not issues
    return [(doc_id, s) for doc_id, doc in docs.items() for s in doc.spans["rhetoric"]]


def test_rhetoric_each_technique_has_one_definition_everywhere(repo: Repo) -> None:
    tax = load_taxonomy(repo.schema_dir)
    guidelines = (repo.annotations_dir / "GUIDELINES.md").read_text(encoding="utf-8")
    unit = (ROOT / "docs" / "teaching" / "01-persuasion-techniques.md").read_text(encoding="utf-8")
    generated = (ROOT / "docs" / "taxonomy.md").read_text(encoding="utf-8")
    rhetoric = [label for label in tax.labels if label.layer == "rhetoric"]
    assert len(rhetoric) >= 23
    for label in rhetoric:
        for name, text in (("GUIDELINES.md", guidelines), ("docs/taxonomy.md", generated)):
            assert label.definition in text, f"{label.name}: the taxonomy's definition is not in {name}"
    # Unit 1 defines the techniques students meet, in a table row per technique: the same sentence
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| [^|]+ \| `([\w-]+)`[^|]* \| ([^|]+) \|", unit, re.M)}
    assert len(rows) >= 10
    definitions = {label.name: label.definition for label in rhetoric}
    assert {name: text.strip() for name, text in rows.items()} == {name: definitions[name] for name in rows}


def test_rhetoric_departures_table_is_one_table_linked_from_unit_1_and_the_datasheet(repo: Repo) -> None:
    guidelines = (repo.annotations_dir / "GUIDELINES.md").read_text(encoding="utf-8")
    assert guidelines.count('<a id="departures-from-semeval-2023-task-3"></a>') == 1
    table = guidelines.split("### 4.0 Departures from SemEval-2023 Task 3", 1)[1].split("\n### ", 1)[0]
    assert "| technique | SemEval says | we do | why |" in table
    for extension in ("Reverential_Honorific", "Euphemism", "Repetition"):
        assert re.search(rf"^\| `?{extension}`?", table, re.M), extension
    link = "GUIDELINES.md#departures-from-semeval-2023-task-3"
    for path in (ROOT / "docs" / "teaching" / "01-persuasion-techniques.md", ROOT / "DATASHEET.md"):
        assert link in path.read_text(encoding="utf-8"), path.name


def test_rhetoric_gold_follows_the_rules(repo: Repo) -> None:
    problems = []
    for doc_id, span in gold_spans(repo):
        text, label = span.text, span.label
        if text.split()[0].lower() in DETERMINERS and label != "Reverential_Honorific":  # §4.3: the formula
            problems.append((doc_id, text, "starts with a determiner (R5)"))
        if label == "Repetition" and len(text.split()) < 2:
            problems.append((doc_id, text, "single-word Repetition (departures table)"))
        if label == "Slogans" and text.lower() in {"new era", "onto a new higher stage"}:
            problems.append((doc_id, text, "stock formula as Slogans (entry 47)"))
        if span.confidence is None:
            problems.append((doc_id, text, "no confidence"))
    assert problems == []


def test_rhetoric_confidence_is_what_the_independent_passes_say(repo: Repo) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "set_confidence.py"), "--root", str(repo.root), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    spans = [s for _, s in gold_spans(repo)]
    assert {s.confidence for s in spans} == {"core", "borderline"}


def test_rhetoric_confidence_counts_passes_that_overlap_with_the_same_label() -> None:
    span = (10, 20, "Loaded_Language")
    assert confidence(span, [[(12, 25, "Loaded_Language")], [(0, 11, "Loaded_Language")]]) == "core"
    assert confidence(span, [[(12, 25, "Loaded_Language")], [(12, 25, "Slogans")]]) == "borderline"
    assert confidence(span, [[(20, 30, "Loaded_Language")], [(0, 10, "Loaded_Language")]]) == "borderline"
    assert confidence(span, [[(10, 20, "Loaded_Language")]]) == "borderline"


def doc(spans: list[tuple[int, int, str | None]]) -> AnnotatedDoc:
    d = AnnotatedDoc("d", [], "opinion")
    d.spans["rhetoric"] = [
        Span("rhetoric", f"r{i}", start, end, "x" * (end - start), "Loaded_Language", confidence=conf)
        for i, (start, end, conf) in enumerate(spans, start=1)
    ]
    return d


def test_rhetoric_score_core_leaves_out_borderline_gold_and_what_only_touches_it() -> None:
    gold = {"d": doc([(0, 10, "core"), (20, 30, "borderline")])}
    # exact on a core span; only on the borderline span; on nothing (still a false positive)
    pred = {"d": doc([(0, 10, None), (22, 30, None), (40, 45, None)])}
    full = score(gold, pred)["layers"]["rhetoric"]["exact"]
    assert (full["gold"], full["predicted"]) == (2, 3)
    core = score(*core_only(gold, pred))["layers"]["rhetoric"]["exact"]
    assert (core["gold"], core["predicted"], core["recall"]) == (1, 2, 1.0)
    assert core["precision"] == 0.5


def test_rhetoric_score_cli_core(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    passes = repo.annotations_dir / "passes" / "C"
    assert main(["score", str(repo.annotations_dir), str(passes), "--json"]) == 0
    full = json.loads(capsys.readouterr().out)["layers"]["rhetoric"]["exact"]["gold"]
    assert main(["score", str(repo.annotations_dir), str(passes), "--json", "--core"]) == 0
    core = json.loads(capsys.readouterr().out)["layers"]["rhetoric"]["exact"]["gold"]
    borderline = sum(s.confidence == "borderline" for _, s in gold_spans(repo))
    assert core == full - borderline and borderline > 0


def sides(repo: Repo) -> Sides:
    texts = {}
    for path in (repo.dataset_dir / "jsonl").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            texts[row["id"]] = row["text"]
    first, _ = read_side(repo.annotations_dir / "passes" / "A")
    second, _ = read_side(repo.annotations_dir / "passes" / "C")
    return Sides(first, second, texts)


def test_rhetoric_committed_agreement_figures_are_what_the_passes_give(repo: Repo) -> None:
    figures = json.loads((ROOT / "docs" / "agreement.json").read_text(encoding="utf-8"))
    before = next(c for c in figures["comparisons"] if (c["first"], c["second"]) == ("passes/A", "passes/C"))
    both = sides(repo)
    assert before["documents"] == both.documents and len(both.documents) == 5
    rhetoric = before["layers"]["rhetoric"]
    assert rhetoric["gamma"] == round(gamma(both, "rhetoric") or 0, 3)
    assert rhetoric["alpha"] == round(alpha(both, "rhetoric") or 0, 3)
    loaded = rhetoric["labels"]["Loaded_Language"]
    assert loaded["alpha"] == round(alpha(both, "rhetoric", "Loaded_Language") or 0, 3)


def test_rhetoric_agreement_is_perfect_for_identical_passes_and_lower_for_others(repo: Repo) -> None:
    both = sides(repo)
    same = Sides(both.first, both.first, both.texts)
    assert alpha(same, "rhetoric") == pytest.approx(1.0)
    assert gamma(same, "rhetoric") == pytest.approx(1.0, abs=1e-6)
    assert alpha(both, "rhetoric") < 0.95
    assert gamma(both, "rhetoric") < 0.95


def test_rhetoric_agreement_figures_reach_readme_and_datasheet(repo: Repo) -> None:
    figures = json.loads((ROOT / "docs" / "agreement.json").read_text(encoding="utf-8"))
    gamma_text = f"{figures['comparisons'][0]['layers']['rhetoric']['gamma']:.3f}"
    assert gamma_text in (ROOT / "README.md").read_text(encoding="utf-8")
    assert gamma_text in (ROOT / "DATASHEET.md").read_text(encoding="utf-8")
