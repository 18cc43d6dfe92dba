"""Validator behaviour on mutations of the committed annotation files, and its CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dprkmedia.adapters.labelstudio.tasks import export_issues
from dprkmedia.cli.main import main
from dprkmedia.corpus.repo import Repo
from dprkmedia.model.issues import Report
from dprkmedia.validation.repo import validate_repo

DOC = "004_ae8d796d95327752"


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def shift_offset(lines: list[str]) -> list[str]:
    record = json.loads(lines[4])
    record["start"] += 1
    record["end"] += 1
    return [*lines[:4], json.dumps(record, ensure_ascii=False), *lines[5:]]


def unknown_label(lines: list[str]) -> list[str]:
    record = json.loads(lines[4])
    record["label" if "label" in record else "type"] = "NOT_A_LABEL"
    return [*lines[:4], json.dumps(record, ensure_ascii=False), *lines[5:]]


def delete_key(lines: list[str]) -> list[str]:
    record = json.loads(lines[4])
    del record["text"]
    return [*lines[:4], json.dumps(record, ensure_ascii=False), *lines[5:]]


def cut_mid_line(lines: list[str]) -> list[str]:
    return [*lines[:4], lines[4][: len(lines[4]) // 2]]


def duplicate_line(lines: list[str]) -> list[str]:
    return [*lines[:5], lines[4], *lines[5:]]


MUTATIONS: dict[str, tuple[Callable[[list[str]], list[str]], int]] = {
    "shift-offset": (shift_offset, 5),
    "unknown-label": (unknown_label, 5),
    "delete-key": (delete_key, 5),
    "cut-mid-line": (cut_mid_line, 5),
    "duplicate-line": (duplicate_line, 6),
}


GOLD = sorted(p.stem for p in (Path(__file__).resolve().parents[1] / "annotations").glob("0*.jsonl"))


@pytest.mark.parametrize("doc", GOLD)
@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_validate_mutation_fails_naming_file_and_line(
    name: str, doc: str, repo_copy: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    path = repo_copy.annotation_file(doc)
    mutate, line = MUTATIONS[name]
    path.write_text("\n".join(mutate(lines_of(path))), encoding="utf-8")
    assert main(["--root", str(repo_copy.root), "validate"]) == 1
    out = capsys.readouterr().out
    assert f"annotations/{doc}.jsonl:{line}" in out
    assert "*** FAILED ***" in out


@pytest.mark.parametrize("doc", GOLD)
@pytest.mark.parametrize(
    ("name", "transform", "code"),
    [
        ("bom", lambda b: b"\xef\xbb\xbf" + b, "encoding-bom"),
        ("crlf", lambda b: b.replace(b"\n", b"\r\n"), "line-crlf"),
    ],
)
def test_validate_byte_mutations(
    name: str, transform: Callable[[bytes], bytes], code: str, doc: str, repo_copy: Repo
) -> None:
    path = repo_copy.annotation_file(doc)
    path.write_bytes(transform(path.read_bytes()))
    report = validate_repo(repo_copy)
    assert {(i.file, i.line, i.code) for i in report.issues} >= {(f"annotations/{doc}.jsonl", 1, code)}
    assert not report.passed


def test_validate_original_passes(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(repo.root), "validate"]) == 0
    assert "*** PASSED ***" in capsys.readouterr().out


def test_validate_json_output_equals_the_api(repo_copy: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo_copy.annotation_file(DOC)
    path.write_text("\n".join(duplicate_line(lines_of(path))), encoding="utf-8")
    assert main(["--root", str(repo_copy.root), "validate", "--json"]) == 1
    printed = json.loads(capsys.readouterr().out)
    assert printed == validate_repo(repo_copy).to_dict()
    assert printed["counts"] == {"id-duplicate": 1, "span-duplicate": 1}


def test_validate_max_errors_caps_printing_not_counting(repo_copy: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo_copy.annotation_file(DOC)
    lines = lines_of(path)
    path.write_text("\n".join([*lines[:4], *(line.replace('"id": "', '"id": "x') for line in lines[4:])]))
    assert main(["--root", str(repo_copy.root), "validate", "--max-errors", "2"]) == 1
    out = capsys.readouterr().out
    total = len(validate_repo(repo_copy).issues)
    assert total > 2
    assert out.count("[value-format]") == 2
    assert f"*** FAILED *** with {total} errors" in out


def test_validate_paths_select_what_is_reported(repo_copy: Repo) -> None:
    bad = repo_copy.annotation_file(DOC)
    bad.write_bytes(b"\xef\xbb\xbf" + bad.read_bytes())
    other = repo_copy.annotation_file("000_b6101718c2532778")
    assert validate_repo(repo_copy, [other]).passed
    assert not validate_repo(repo_copy, [bad]).passed


def test_validate_export_is_checked_by_the_given_checker(repo_copy: Repo, tmp_path: Path) -> None:
    export = tmp_path / "export.json"
    export.write_text("{}", encoding="utf-8")
    checked = validate_repo(repo_copy, [export], check_export=export_issues)
    assert [issue.code for issue in checked.issues] == ["ls-export-shape"]
    unchecked = validate_repo(repo_copy, [export])
    assert [issue.code for issue in unchecked.issues] == ["file-unexpected"]


def test_validate_misuse_exits_2() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "dprkmedia.cli", "validate", "--max-errors", "x"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert "--max-errors" in run.stderr


def test_validate_outside_a_repository_exits_2(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "dprkmedia.cli", "validate"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert run.returncode == 2
    assert "no corpus repository" in run.stderr


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_validate_random_bytes_only_ever_give_a_report(repo_copy: Repo, data: bytes) -> None:
    repo_copy.annotation_file(DOC).write_bytes(data)
    report = validate_repo(repo_copy)
    assert isinstance(report, Report)
    assert all(issue.file for issue in report.issues)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=10,
)
span_like = st.fixed_dictionaries(
    {
        "layer": st.sampled_from(["entities", "dates", "rhetoric", "x"]),
        "id": json_values,
        "start": json_values,
        "end": json_values,
        "text": json_values,
    },
    optional={"label": json_values, "type": json_values, "value": json_values, "norm": json_values},
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(span_like, max_size=5))
def test_validate_wrong_records_only_ever_give_a_report(repo_copy: Repo, records: list[dict[str, object]]) -> None:
    header = {"doc": DOC, "frames": [], "genre": "opinion"}
    text = "\n".join(json.dumps(r) for r in [header, *records]) + "\n"
    repo_copy.annotation_file(DOC).write_text(text, encoding="utf-8")
    report = validate_repo(repo_copy)
    assert isinstance(report, Report)
    assert report.passed == (records == [])
