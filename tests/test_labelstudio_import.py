"""``labelstudio import`` without a server: the file itself (0 bytes, UTF-16, not JSON), the
transaction that writes all files or none, --skip-invalid, and fuzzing with random bytes and
random JSON (never a traceback, never a write after a failure). Exports made by a real Label
Studio server are in test_labelstudio_server.py."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dprkmedia.adapters.labelstudio.format import records_to_results
from dprkmedia.adapters.labelstudio.importing import load_export
from dprkmedia.adapters.labelstudio.reading import read_export
from dprkmedia.cli.main import main
from dprkmedia.corpus.fileio import write_files
from dprkmedia.corpus.jsonl import Record
from dprkmedia.corpus.repo import Repo
from dprkmedia.model.taxonomy import Taxonomy

from .conftest import copy_repo
from .test_labelstudio import DOC, document_text, export_of, gold_lines


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` with its bytes (None for a folder)."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None) for p in folder.rglob("*")}


def gold_results(repo: Repo, tax: Taxonomy, doc: str = DOC) -> list[dict[str, Any]]:
    lines = gold_lines(repo, doc)
    return records_to_results([Record(i, line) for i, line in enumerate(lines, start=1)], tax)


# --- the transaction ---------------------------------------------------------------------


def test_write_files_writes_every_file_with_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_files({tmp_path / "a" / "x.jsonl": b"x\n", tmp_path / "b" / "c" / "y.jsonl": b"y\n"})
    finally:
        os.umask(old)
    assert tree(tmp_path) == {"a": None, "a/x.jsonl": b"x\n", "b": None, "b/c": None, "b/c/y.jsonl": b"y\n"}
    assert {(p.stat().st_mode & 0o777) for p in tmp_path.rglob("*.jsonl")} == {0o644}


def test_write_files_changes_nothing_when_staging_fails_midway(tmp_path: Path) -> None:
    (tmp_path / "kept.jsonl").write_bytes(b"old\n")
    (tmp_path / "blocker").write_bytes(b"a file where a folder would go\n")
    before = tree(tmp_path)
    files = {
        tmp_path / "a" / "new.jsonl": b"new\n",  # staged first, in a folder this call makes
        tmp_path / "kept.jsonl": b"overwritten\n",
        tmp_path / "blocker" / "z.jsonl": b"z\n",  # its folder is a file: fails here
    }
    with pytest.raises(OSError):
        write_files(files)
    assert tree(tmp_path) == before  # no file, no temp file, no folder left


def test_write_files_puts_back_what_it_renamed_when_a_rename_fails(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_bytes(b"old a\n")
    (tmp_path / "z.jsonl").mkdir()  # a folder: the rename onto it fails after a.jsonl and b.jsonl are in place
    before = tree(tmp_path)
    with pytest.raises(OSError):
        write_files({tmp_path / "a.jsonl": b"new a\n", tmp_path / "b.jsonl": b"b\n", tmp_path / "z.jsonl": b"z\n"})
    assert tree(tmp_path) == before


# --- the export file itself ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "code", "words"),
    [
        (b"", "file-empty", "The export file is empty (0 bytes)"),
        (b"\n  \n", "file-empty", "The export file is empty (4 bytes)"),
        ('[{"data": {}}]'.encode("utf-16"), "encoding-invalid", "UTF-16 text (little-endian, FF FE)"),
        ('[{"data": {}}]'.encode("utf-16-be"), "encoding-invalid", "UTF-16 text (no byte order mark"),
        ('[{"data": "Köln"}]'.encode("latin-1"), "encoding-invalid", "Invalid UTF-8 at byte 13"),
        (b'[{"data": {}},]', "json-invalid", "Not JSON: Expecting value at column 15"),
        (b'{"doc": "x"}\n{"layer": "entities"}\n', "json-invalid", "More than one JSON value"),
        (b"[" * 100_000, "json-too-deep", "nested too deeply"),
        (b"1" * 5000, "json-invalid", "Not JSON"),
    ],
    ids=[
        "0-bytes",
        "whitespace",
        "utf-16-le",
        "utf-16-be-no-bom",
        "latin-1",
        "trailing-comma",
        "json-lines",
        "deep",
        "digits",
    ],
)
def test_labelstudio_import_names_what_is_wrong_with_the_file(
    repo_copy: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, code: str, words: str
) -> None:
    export = tmp_path / "export.json"
    export.write_bytes(data)
    _, issues = load_export(export, "export.json")
    assert [issue.code for issue in issues] == [code]
    assert words in issues[0].message
    assert "Each line is one JSON object" not in issues[0].render()  # the JSON Lines hint does not fit an export
    before = tree(repo_copy.root)
    assert main(["--root", str(repo_copy.root), "labelstudio", "import", str(export)]) == 1
    out, err = capsys.readouterr()
    assert f"[{code}]" in out and "Nothing was imported" in err
    assert tree(repo_copy.root) == before


def test_labelstudio_import_of_a_missing_export_exits_2(
    repo_copy: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(repo_copy.root), "labelstudio", "import", str(tmp_path / "nope.json")]) == 2
    assert "[file-unreadable] Cannot read the export: No such file or directory." in capsys.readouterr().out


def test_labelstudio_import_of_an_empty_export_is_not_silent(
    repo_copy: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "export.json"
    export.write_text("[]\n", encoding="utf-8")
    assert main(["--root", str(repo_copy.root), "labelstudio", "import", str(export)]) == 1
    out, err = capsys.readouterr()
    assert "[ls-export-empty] No submitted annotation in the export (0 tasks, 0 cancelled, 0 unsubmitted drafts)" in out
    assert "Nothing was imported" in err


# --- all or nothing, and --skip-invalid ----------------------------------------------------


def class_export(repo: Repo, tax: Taxonomy) -> list[dict[str, Any]]:
    """Two annotators of one task: ann1 is fine, ann2 left a region without its norm."""
    good = gold_results(repo, tax)
    slip = [r for r in good if not (r["from_name"] == "norm" and r["id"] == "e3")]
    return export_of([(DOC, document_text(repo, DOC), [good, slip])])


def test_labelstudio_import_writes_nothing_while_a_problem_remains(
    repo_copy: Repo, tax: Taxonomy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "export.json"
    export.write_text(json.dumps(class_export(repo_copy, tax)), encoding="utf-8")
    out = tmp_path / "passes"
    assert main(["--root", str(repo_copy.root), "labelstudio", "import", str(export), "--out", str(out)]) == 1
    printed, err = capsys.readouterr()
    assert (
        f"at '$[0].annotations[1].result[6]' (task 1, doc {DOC}, annotation 2 by ls-ann2@example.org, region 'e3'): "
        "[ls-region-incomplete]" in printed
    )
    assert "--skip-invalid" in err and not out.exists()
    assert (
        main(["--root", str(repo_copy.root), "labelstudio", "import", str(export), "--out", str(out), "--skip-invalid"])
        == 1
    )
    printed, err = capsys.readouterr()
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.jsonl")) == [f"ls-ann1@example.org/{DOC}.jsonl"]
    assert f"skipped 1 with problems:\n  {out / 'ls-ann2@example.org' / (DOC + '.jsonl')}" in err


def test_labelstudio_import_into_a_file_changes_nothing(
    repo_copy: Repo, tax: Taxonomy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "export.json"
    export.write_text(json.dumps(export_of([(DOC, document_text(repo_copy, DOC), [gold_results(repo_copy, tax)])])))
    blocker = tmp_path / "out"
    blocker.write_text("a file\n", encoding="utf-8")
    before = tree(tmp_path)
    assert main(["--root", str(repo_copy.root), "labelstudio", "import", str(export), "--out", str(blocker / "x")]) == 1
    printed, err = capsys.readouterr()
    assert (
        f"{blocker}: [ls-output-unwritable] {blocker} is a file, not a folder: 1 output files would go under it."
        in printed
    )
    assert "Traceback" not in err and tree(tmp_path) == before


def test_labelstudio_regions_sharing_an_id_are_all_kept(repo: Repo, tax: Taxonomy) -> None:
    text = document_text(repo, DOC)
    results = gold_results(repo, tax)
    first, second = text.index("Kim Jong Un"), text.rindex("Kim Jong Un")
    twin = [
        {"id": "x1", "from_name": name, "to_name": "text", "type": kind, "value": value}
        for at in (first, second)
        for name, kind, value in (
            ("entities", "labels", {"start": at, "end": at + 11, "text": "Kim Jong Un", "labels": ["PERSON"]}),
            ("norm", "textarea", {"start": at, "end": at + 11, "text": [f"Kim Jong Un at {at}"]}),
        )
    ]
    gold_without = [r for r in results if r["id"] not in ("e18", "e22")]
    reading = read_export(export_of([(DOC, text, [gold_without + twin])]), "e.json", {DOC: text}, tax)
    assert reading.issues == []
    spans = [line for line in reading.annotations[0].lines[1:] if line.get("text") == "Kim Jong Un"]
    assert [(s["start"], s["norm"]) for s in spans] == [
        (first, f"Kim Jong Un at {first}"),
        (second, f"Kim Jong Un at {second}"),
    ]
    assert any("region id 'x1' is used by 2 entities regions" in note for note in reading.notes)


def test_labelstudio_two_values_for_one_region_are_refused(repo: Repo, tax: Taxonomy) -> None:
    text = document_text(repo, DOC)
    results = gold_results(repo, tax)
    extra = next(r for r in results if r["from_name"] == "norm" and r["id"] == "e3")
    reading = read_export(
        export_of([(DOC, text, [[*results, {**extra, "value": {**extra["value"], "text": ["Kim Il-sung"]}}]])]),
        "e.json",
        {DOC: text},
        tax,
    )
    assert [(i.code, i.message) for i in reading.issues] == [
        ("ls-region-duplicate", "The entities region has 2 different norm values.")
    ]


# --- fuzzing ---------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
TASK_KEYS = ["id", "data", "annotations", "drafts", "predictions"]
ANNOTATION_KEYS = ["id", "completed_by", "was_cancelled", "result"]
RESULT_KEYS = ["id", "from_name", "to_name", "type", "value", "meta"]
VALUE_KEYS = ["start", "end", "text", "labels", "choices"]


def mutable_parts(export: list[dict[str, Any]]) -> list[tuple[dict[str, Any], list[str]]]:
    """The objects of a (partly mutated) export that are still shaped as in a real one, with their keys."""
    task = export[0]
    parts = [(task, TASK_KEYS)]
    annotations = task.get("annotations")
    if isinstance(annotations, list) and annotations and isinstance(annotations[0], dict):
        parts.append((annotations[0], ANNOTATION_KEYS))
        results = annotations[0].get("result")
        for result in results if isinstance(results, list) else []:
            if isinstance(result, dict):
                parts.append((result, RESULT_KEYS))
                if isinstance(result.get("value"), dict):
                    parts.append((result["value"], VALUE_KEYS))
    return parts


@pytest.fixture(scope="module")
def fuzz_repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    return copy_repo(tmp_path_factory.mktemp("fuzz") / "repo")


def import_once(repo: Repo, data: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    """Import ``data``: never an exception, and when it fails nothing is written."""
    export = repo.root.parent / "export.json"
    export.write_bytes(data)
    out = repo.root.parent / "out"
    code = main(["--root", str(repo.root), "labelstudio", "import", str(export), "--out", str(out)])
    printed, err = capsys.readouterr()
    assert "Traceback" not in printed + err
    assert code in (0, 1, 2)
    if code != 0:
        assert not out.exists(), "a failed import wrote files"
    else:
        assert any(out.rglob("*.jsonl"))
        for path in out.rglob("*"):
            path.unlink() if path.is_file() else None
        for path in sorted(out.rglob("*"), reverse=True):
            path.rmdir()
        out.rmdir()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300) | st.sampled_from([b"[]", b"[{}]", b"\xff\xfe[\x00]\x00", b'[{"data": 1}]']))
def test_labelstudio_import_fuzz_random_bytes(fuzz_repo: Repo, capsys: pytest.CaptureFixture[str], data: bytes) -> None:
    import_once(fuzz_repo, data, capsys)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_labelstudio_import_fuzz_random_json(
    fuzz_repo: Repo, tax: Taxonomy, capsys: pytest.CaptureFixture[str], data: st.DataObject
) -> None:
    """Random JSON, and a real export with random parts replaced by random JSON."""
    if data.draw(st.booleans()):
        export: Any = data.draw(json_values)
    else:
        export = export_of([(DOC, document_text(fuzz_repo, DOC), [gold_results(fuzz_repo, tax)[:12]])])
        for _ in range(data.draw(st.integers(1, 4))):
            target, keys = data.draw(st.sampled_from(mutable_parts(export)))
            target[data.draw(st.sampled_from(keys))] = data.draw(json_values)
    import_once(fuzz_repo, json.dumps(export).encode("utf-8"), capsys)


def test_labelstudio_import_that_fails_while_writing_changes_nothing(
    repo_copy: Repo, tax: Taxonomy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The plan finds no problem, but the second annotator's folder cannot be made (a dangling
    link is in its place): the first file, already staged, must not stay, and no traceback."""
    results = gold_results(repo_copy, tax)
    export = tmp_path / "export.json"
    export.write_text(json.dumps(export_of([(DOC, document_text(repo_copy, DOC), [results, results])])))
    out = tmp_path / "passes"
    out.mkdir()
    (out / "ls-ann2@example.org").symlink_to(tmp_path / "gone")
    before = tree(tmp_path)
    assert main(["--root", str(repo_copy.root), "labelstudio", "import", str(export), "--out", str(out)]) == 2
    printed, err = capsys.readouterr()
    assert printed == "" and "Traceback" not in err
    assert f"dprkmedia: cannot write {out / 'ls-ann2@example.org'}: File exists." in err
    assert "Nothing was imported: every file is as it was." in err
    assert tree(tmp_path) == before
