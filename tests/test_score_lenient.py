"""``dprkmedia score`` reads a student's file as their editor saved it (Notepad: a byte order
mark and CR LF; stray whitespace at line ends; UTF-16 with a BOM), with a warning, while
``dprkmedia validate`` stays strict for contributions."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from dprkmedia.cli.main import main
from dprkmedia.corpus.repo import Repo
from dprkmedia.evaluate.score import read_side
from dprkmedia.model.issues import Issue
from dprkmedia.validation.repo import validate_repo

from .conftest import ROOT

DOC = "004_ae8d796d95327752"
GOLD = ROOT / "annotations" / f"{DOC}.jsonl"


def notepad(data: bytes) -> bytes:
    return b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n")


def trailing_space(data: bytes) -> bytes:
    return data.replace(b"}\n", "}\t \u00a0\n".encode())


def utf16(data: bytes) -> bytes:
    return data.decode("utf-8").encode("utf-16")


def score_json(gold: Path, pred: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, object, str]:
    code = main(["score", str(gold), str(pred), "--json"])
    out, err = capsys.readouterr()
    return code, json.loads(out) if code == 0 else None, err


@pytest.mark.parametrize(
    ("save", "codes"),
    [
        (notepad, ["encoding-bom", "line-crlf"]),
        (trailing_space, ["json-invalid"]),
        (utf16, ["encoding-invalid"]),
        (lambda data: notepad(trailing_space(data)), ["encoding-bom", "line-crlf", "json-invalid"]),
    ],
    ids=["notepad", "trailing-space", "utf16", "all"],
)
def test_score_reads_a_students_file_leniently_with_a_warning(
    save: Callable[[bytes], bytes], codes: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pred = tmp_path / f"{DOC}.jsonl"
    pred.write_bytes(save(GOLD.read_bytes()))
    code, result, err = score_json(GOLD, pred, capsys)
    assert code == 0, err
    assert main(["score", str(GOLD), str(GOLD), "--json"]) == 0
    assert result == json.loads(capsys.readouterr().out)  # the same score as the clean file
    warnings = err.splitlines()
    assert [w.split("[")[1].split("]")[0] for w in warnings] == codes
    assert all(w.startswith(f"warning: {pred}:") and "Read for scoring although" in w for w in warnings)


def test_score_warns_once_per_file_not_per_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pred = tmp_path / f"{DOC}.jsonl"
    pred.write_bytes(notepad(GOLD.read_bytes()))
    assert main(["score", str(GOLD), str(pred)]) == 0
    out, err = capsys.readouterr()
    lines = GOLD.read_bytes().count(b"\n")
    assert len(err.splitlines()) == 2
    assert f"{lines} line(s) end with CR LF" in err
    assert "Documents compared: 1" in out


def test_score_still_refuses_what_it_cannot_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pred = tmp_path / f"{DOC}.jsonl"
    pred.write_bytes(notepad(GOLD.read_bytes()).replace(b'"start": ', b'"start": "', 1))
    assert main(["score", str(GOLD), str(pred)]) == 1
    err = capsys.readouterr().err
    assert "warning:" in err
    assert "*** FAILED ***" in err


def test_read_side_is_strict_unless_asked(tmp_path: Path) -> None:
    pred = tmp_path / f"{DOC}.jsonl"
    pred.write_bytes(notepad(GOLD.read_bytes()))
    _, issues = read_side(pred)
    assert sorted(i.code for i in issues) == ["encoding-bom", "line-crlf"]
    warnings: list[Issue] = []
    docs, issues = read_side(pred, warnings)
    assert issues == []
    assert list(docs) == [DOC]
    assert sorted(w.code for w in warnings) == ["encoding-bom", "line-crlf"]


def test_validate_stays_strict_on_the_same_file(repo_copy: Repo) -> None:
    path = repo_copy.annotation_file(DOC)
    path.write_bytes(notepad(trailing_space(path.read_bytes())))
    codes = sorted({i.code for i in validate_repo(repo_copy, [path]).issues})
    assert codes == ["encoding-bom", "json-invalid", "line-crlf"]


def test_score_a_path_that_does_not_exist_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(GOLD), str(tmp_path / "typo")]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'typo'}: [path-missing] No file or folder at this path." in err


def test_score_an_empty_folder_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(GOLD), str(tmp_path)]) == 2
    assert "[path-empty] No annotation files (*.jsonl) in this folder." in capsys.readouterr().err
