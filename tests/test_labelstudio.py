"""Label Studio adapter without a server: config, tasks ⇄ exports round trips, import rules."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dprkmedia.adapters.labelstudio.format import labeling_config, records_to_results
from dprkmedia.adapters.labelstudio.reading import read_export, utf16_to_codepoints
from dprkmedia.adapters.labelstudio.tasks import make_tasks
from dprkmedia.cli.main import main
from dprkmedia.corpus.jsonl import Record, read_records
from dprkmedia.corpus.repo import Repo
from dprkmedia.model.issues import DprkMediaError, InvalidAnnotationFileError, UnknownDocumentError
from dprkmedia.model.taxonomy import LAYERS, Taxonomy

DOC = "003_ffbef9be4e76c7d4"


def gold_lines(repo: Repo, doc: str = DOC) -> list[dict[str, Any]]:
    records, issues = read_records(repo.annotation_file(doc), doc)
    assert issues == []
    return [record.data for record in records]


def export_of(tasks: list[tuple[str, str, list[list[dict[str, Any]]]]]) -> list[dict[str, Any]]:
    """A Label Studio JSON export: (doc_id, text, [results of each annotation]) per task."""
    return [
        {
            "id": t,
            "data": {"doc_id": doc, "text": text},
            "annotations": [
                {
                    "id": a,
                    "completed_by": {"id": a, "email": f"ann{a}@example.org"},
                    "was_cancelled": False,
                    "result": results,
                }
                for a, results in enumerate(annotations, start=1)
            ],
        }
        for t, (doc, text, annotations) in enumerate(tasks, start=1)
    ]


def without_provenance(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in line.items() if k != "annotators"} for line in lines]


def document_text(repo: Repo, doc: str) -> str:
    from dprkmedia.corpus.loading import load_repo

    return load_repo(repo)[0].sources[doc].page.text


def test_labelstudio_config_has_every_label_and_control(tax: Taxonomy) -> None:
    root = ET.fromstring(labeling_config(tax))
    controls = {el.get("name"): el for el in root.iter() if el.get("toName") == "text"}
    assert set(controls) == {*LAYERS, "norm", "timex_value", "frames", "genre"}
    for layer in LAYERS:
        assert [label.get("value") for label in controls[layer]] == tax.names(layer)
        assert all(label.get("hint") and label.get("background", "").startswith("#") for label in controls[layer])
    assert controls["frames"].get("choice") == "multiple" and controls["genre"].get("choice") == "single"
    assert controls["norm"].get("perRegion") == "true"


def test_labelstudio_committed_config_is_current(repo: Repo, tax: Taxonomy) -> None:
    assert (repo.schema_dir / "labelstudio.xml").read_text(encoding="utf-8") == labeling_config(tax)


@pytest.mark.parametrize("doc", ["000_b6101718c2532778", "003_ffbef9be4e76c7d4", "004_ae8d796d95327752"])
def test_labelstudio_gold_round_trips_exactly(repo: Repo, tax: Taxonomy, doc: str) -> None:
    lines = gold_lines(repo, doc)
    text = document_text(repo, doc)
    results = records_to_results([Record(i, line) for i, line in enumerate(lines, start=1)], tax)
    reading = read_export(export_of([(doc, text, [results])]), "export.json", {doc: text}, tax)
    assert reading.issues == []
    assert without_provenance(reading.annotations[0].lines) == without_provenance(lines)
    assert reading.annotations[0].lines[0]["annotators"] == ["ls-ann1@example.org"]


def test_labelstudio_utf16_offsets_are_converted() -> None:
    text = "😀 DPRK and 😀 Russia"
    assert utf16_to_codepoints(text, 3) == 2
    assert utf16_to_codepoints(text, 1) is None  # inside the surrogate pair


def test_labelstudio_new_regions_get_fresh_ids_and_annotators_stay_apart(repo: Repo, tax: Taxonomy) -> None:
    lines = gold_lines(repo)
    text = document_text(repo, DOC)
    base = records_to_results([Record(i, line) for i, line in enumerate(lines, start=1)], tax)
    start = text.index("Kim Il Sung")
    added = [
        {
            "id": "Xy12ab",
            "from_name": "entities",
            "to_name": "text",
            "type": "labels",
            "value": {"start": start, "end": start + 3, "text": "Kim", "labels": ["PERSON"]},
        },
        {
            "id": "Xy12ab",
            "from_name": "norm",
            "to_name": "text",
            "type": "textarea",
            "value": {"start": start, "end": start + 3, "text": ["Kim Il Sung"]},
        },
    ]
    reading = read_export(export_of([(DOC, text, [base, base + added])]), "e.json", {DOC: text}, tax)
    assert reading.issues == []
    first, second = reading.annotations
    assert (first.annotator, second.annotator) == ("ls-ann1@example.org", "ls-ann2@example.org")
    new = [line for line in second.lines[1:] if line["text"] == "Kim" and line["layer"] == "entities"]
    assert new == [
        {
            "layer": "entities",
            "id": "e30",
            "start": start,
            "end": start + 3,
            "text": "Kim",
            "label": "PERSON",
            "norm": "Kim Il Sung",
        }
    ]


def bad_export(text: str) -> list[dict[str, Any]]:
    region = {"start": 0, "end": 5, "text": "March"}
    return [
        {
            "data": {"doc_id": DOC, "text": text},
            "annotations": [
                {"completed_by": 1, "was_cancelled": True, "result": []},
                {
                    "completed_by": 2,
                    "result": [
                        {
                            "id": "a",
                            "from_name": "entities",
                            "to_name": "text",
                            "type": "labels",
                            "value": {**region, "labels": ["COUNTRY"]},
                        },
                        {
                            "id": "b",
                            "from_name": "dates",
                            "to_name": "text",
                            "type": "labels",
                            "value": {"start": 1, "end": 6, "text": "March", "labels": ["DATE"]},
                        },
                        {
                            "id": "c",
                            "from_name": "sentiment",
                            "to_name": "text",
                            "type": "choices",
                            "value": {"choices": ["x"]},
                        },
                        {
                            "id": "d",
                            "from_name": "dates",
                            "to_name": "text",
                            "type": "labels",
                            "value": {**region, "labels": ["DATE"]},
                        },
                        "not an object",
                    ],
                },
            ],
        },
        {"data": {"doc_id": "999_unknown", "text": "x"}, "annotations": []},
        {"data": {"doc_id": DOC, "text": text + " changed"}, "annotations": []},
    ]


def test_labelstudio_bad_export_gives_coded_located_errors(repo: Repo, tax: Taxonomy) -> None:
    text = document_text(repo, DOC)
    reading = read_export(bad_export(text), "bad.json", {DOC: text}, tax)
    got = sorted((issue.path or "", issue.code) for issue in reading.issues)
    assert got == [
        ("$[0].annotations[1]", "field-missing"),
        ("$[0].annotations[1].result[0]", "label-unknown"),
        ("$[0].annotations[1].result[1]", "span-text-mismatch"),
        ("$[0].annotations[1].result[2]", "ls-control-unknown"),
        ("$[0].annotations[1].result[3]", "ls-region-incomplete"),
        ("$[0].annotations[1].result[4]", "ls-export-shape"),
        ("$[1].data.doc_id", "doc-unknown"),
        ("$[2].data.text", "ls-text-changed"),
    ]
    assert reading.notes == [
        f"task without id, doc {DOC}, annotation by ls-1 ($[0].annotations[0]): cancelled or skipped, left out"
    ]
    assert {problem.annotator for problem in reading.problems} == {None, "ls-2"}  # nothing of ls-2 is importable


def test_labelstudio_import_cli_refuses_a_bad_export(
    repo_copy: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "bad.json"
    export.write_text(json.dumps(bad_export(document_text(repo_copy, DOC))), encoding="utf-8")
    before = sorted(repo_copy.annotations_dir.rglob("*"))
    assert main(["--root", str(repo_copy.root), "labelstudio", "import", str(export)]) == 1
    captured = capsys.readouterr()
    assert (
        f"bad.json at '$[0].annotations[1].result[0]' (task without id, doc {DOC}, annotation by ls-2, region 'a'): "
        "[label-unknown]" in captured.out
    )
    assert "cancelled or skipped" in captured.err
    assert sorted(repo_copy.annotations_dir.rglob("*")) == before


def test_labelstudio_import_never_overwrites_without_force(repo_copy: Repo, tax: Taxonomy, tmp_path: Path) -> None:
    lines = gold_lines(repo_copy)
    text = document_text(repo_copy, DOC)
    results = records_to_results([Record(i, line) for i, line in enumerate(lines, start=1)], tax)
    export = tmp_path / "export.json"
    export.write_text(json.dumps(export_of([(DOC, text, [results])])), encoding="utf-8")
    args = ["--root", str(repo_copy.root), "labelstudio", "import", str(export), "--gold"]
    original = repo_copy.annotation_file(DOC).read_bytes()
    assert main(args) == 1
    assert repo_copy.annotation_file(DOC).read_bytes() == original
    assert main([*args, "--force"]) == 0
    written = [json.loads(line) for line in repo_copy.annotation_file(DOC).read_text(encoding="utf-8").splitlines()]
    assert without_provenance(written) == without_provenance(lines)
    assert main(["--root", str(repo_copy.root), "validate"]) == 0


def test_labelstudio_gold_import_refuses_several_annotators(
    repo_copy: Repo, tax: Taxonomy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = gold_lines(repo_copy)
    results = records_to_results([Record(i, line) for i, line in enumerate(lines, start=1)], tax)
    export = tmp_path / "export.json"
    export.write_text(
        json.dumps(export_of([(DOC, document_text(repo_copy, DOC), [results, results])])), encoding="utf-8"
    )
    assert main(["--root", str(repo_copy.root), "labelstudio", "import", str(export), "--gold", "--force"]) == 1
    captured = capsys.readouterr()
    assert "[ls-gold-several-annotators] --gold: 2 annotators annotated this document" in captured.out
    assert "Nothing was imported" in captured.err
    out = tmp_path / "passes"
    assert main(["--root", str(repo_copy.root), "labelstudio", "import", str(export), "--out", str(out)]) == 0
    assert sorted(p.parent.name for p in out.glob("*/*.jsonl")) == ["ls-ann1@example.org", "ls-ann2@example.org"]


def test_labelstudio_tasks_cli_writes_predictions(repo: Repo, tmp_path: Path) -> None:
    out = tmp_path / "tasks.json"
    assert main(["--root", str(repo.root), "labelstudio", "tasks", DOC, "--model-version", "v1", "-o", str(out)]) == 0
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert [t["data"]["doc_id"] for t in tasks] == [DOC]
    assert tasks[0]["data"]["title"] == "DPRK-Russia friendship, cooperation carried on in new century"
    assert tasks[0]["predictions"][0]["model_version"] == "v1"
    assert "annotations" not in tasks[0]


def test_labelstudio_tasks_of_unknown_documents_raise_a_typed_error(repo: Repo) -> None:
    with pytest.raises(UnknownDocumentError) as caught:
        make_tasks(repo, [DOC, "no-such-doc"], "predictions", "gold", None)
    assert isinstance(caught.value, DprkMediaError)
    assert caught.value.unknown == ["no-such-doc"]
    assert str(caught.value).startswith("unknown document(s): no-such-doc; known: ")


def test_labelstudio_tasks_cli_reports_unknown_and_invalid_files_in_one_line(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(repo.root), "labelstudio", "tasks", "no-such-doc"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("dprkmedia: unknown document(s): no-such-doc; known: ") and err.count("\n") == 1
    bad = tmp_path / f"{DOC}.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(InvalidAnnotationFileError):
        make_tasks(repo, [DOC], "predictions", "gold", tmp_path)
    assert main(["--root", str(repo.root), "labelstudio", "tasks", DOC, "--from", str(tmp_path)]) == 1
    assert capsys.readouterr().err == f"dprkmedia: {bad} is invalid; run 'dprkmedia validate {bad}'\n"


alphabet = st.sampled_from(list("abc DEF éжК한글😀\n,.-’"))


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=alphabet, min_size=1, max_size=60), st.data())
def test_labelstudio_random_spans_round_trip(tax: Taxonomy, text: str, data: st.DataObject) -> None:
    words = [(i, i + 1) for i, ch in enumerate(text) if not ch.isspace()]
    spans: list[dict[str, Any]] = []
    counters = dict.fromkeys(LAYERS, 0)
    for _ in range(data.draw(st.integers(0, 6))):
        if not words:
            break
        a = data.draw(st.sampled_from(words))[0]
        b = data.draw(st.sampled_from([w for w in words if w[0] >= a]))[1]
        layer = data.draw(st.sampled_from(LAYERS))
        counters[layer] += 1
        span: dict[str, Any] = {
            "layer": layer,
            "id": f"{layer[0]}{counters[layer]}",
            "start": a,
            "end": b,
            "text": text[a:b],
        }
        if layer == "dates":
            span |= {"type": "DATE", "value": data.draw(st.sampled_from(["2001", "XXXX-07-19", "PRESENT_REF"]))}
        else:
            span["label"] = data.draw(st.sampled_from(tax.names(layer)))
            if layer == "entities":
                span["norm"] = data.draw(st.text(alphabet="xyz Ü", min_size=1, max_size=5).filter(str.strip)).strip()
        if data.draw(st.booleans()):
            span["note"] = data.draw(st.text(max_size=10))
        spans.append(span)
    header = {"doc": "d", "frames": ["Political"], "genre": "opinion"}
    lines = [header, *sorted(spans, key=lambda s: (LAYERS.index(s["layer"]), int(s["id"][1:])))]
    results = records_to_results([Record(i, line) for i, line in enumerate(lines, start=1)], tax)
    reading = read_export(export_of([("d", text, [results])]), "e.json", {"d": text}, tax)
    assert reading.issues == []
    assert without_provenance(reading.annotations[0].lines) == lines
