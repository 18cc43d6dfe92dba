"""``dprkmedia validate PATH`` with a PATH that names nothing to check is a usage error (exit 2),
never ``Checked 0 files. *** PASSED ***``: a typo in a CI or pre-commit config must fail loudly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dprkmedia.cli.main import main
from dprkmedia.corpus.repo import Repo
from dprkmedia.validation.repo import validate_repo


def run(repo: Repo, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--root", str(repo.root), "validate", *args])
    return code, capsys.readouterr().out


def test_validate_a_path_that_does_not_exist_exits_2(repo_copy: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    missing = repo_copy.root / "annotations" / "no-such-file.jsonl"
    code, out = run(repo_copy, str(missing), capsys=capsys)
    assert code == 2
    assert "annotations/no-such-file.jsonl: [path-missing]" in out
    assert "Got 'annotations/no-such-file.jsonl'" in out
    assert "Expected an annotation file" in out
    assert "*** PASSED ***" not in out


def test_validate_a_missing_path_outside_the_repository_is_named_as_given(
    repo_copy: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "elsewhere" / "export.json"
    code, out = run(repo_copy, str(missing), capsys=capsys)
    assert code == 2
    assert f"{missing}: [path-missing]" in out


def test_validate_an_empty_folder_exits_2(repo_copy: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    empty = repo_copy.root / "annotations" / "passes" / "D"
    empty.mkdir()
    code, out = run(repo_copy, str(empty), capsys=capsys)
    assert code == 2
    assert "annotations/passes/D: [path-empty]" in out
    assert "none of the files validate checks" in out


def test_validate_a_folder_without_checked_files_exits_2(repo_copy: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(repo_copy, str(repo_copy.schema_dir), "--json", capsys=capsys)
    assert code == 2
    report = json.loads(out)
    assert [(i["file"], i["code"]) for i in report["issues"]] == [("schema", "path-empty")]
    assert report["passed"] is False


def test_validate_one_bad_path_among_good_ones_exits_2(repo_copy: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    good = repo_copy.annotation_file("004_ae8d796d95327752")
    code, out = run(repo_copy, str(good), str(repo_copy.root / "annotations" / "typo.jsonl"), capsys=capsys)
    assert code == 2
    assert "Checked 1 files." in out
    assert "[path-missing]" in out


def test_validate_paths_that_select_files_still_pass(repo_copy: Repo) -> None:
    assert validate_repo(repo_copy, [repo_copy.annotations_dir / "passes" / "A"]).passed
    assert validate_repo(repo_copy, [repo_copy.annotation_file("004_ae8d796d95327752")]).passed
