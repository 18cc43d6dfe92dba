"""Incremental validation: the cache gives the same report as checking everything, checks again
only what changed, and is never trusted beyond what it proves (stale, corrupt or tampered)."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

from dprkmedia.cli.main import main
from dprkmedia.corpus.repo import Repo
from dprkmedia.validation.cache import CACHE_FILE
from dprkmedia.validation.repo import validate_repo

HOUR = 3600 * 10**9


def age(repo: Repo) -> None:
    """Make every input file an hour old, as files of a repository usually are (a file changed
    within two seconds of being hashed is always hashed again)."""
    past = time.time_ns() - HOUR
    for folder in (repo.annotations_dir, repo.sources_dir, repo.schema_dir):
        for path in folder.rglob("*"):
            os.utime(path, ns=(past, past))


def report(repo: Repo, cache: bool) -> dict[str, object]:
    return validate_repo(repo, cache=cache).to_dict()


def recorded(repo: Repo) -> dict[str, int]:
    """Document id → when its row was recorded."""
    with sqlite3.connect(repo.root / CACHE_FILE) as db:
        return {doc: when for doc, when in db.execute("SELECT id, recorded FROM docs")}


def test_cache_gives_the_same_report_through_edits(repo_copy: Repo) -> None:
    age(repo_copy)
    assert report(repo_copy, True) == report(repo_copy, False)  # cold
    assert report(repo_copy, True) == report(repo_copy, False)  # warm
    gold = repo_copy.annotation_file("003_ffbef9be4e76c7d4")
    original = gold.read_bytes()
    gold.write_bytes(original.replace(b'"start": ', b'"start": 1', 1))
    broken = report(repo_copy, True)
    assert broken == report(repo_copy, False)
    assert not broken["passed"]
    gold.write_bytes(original)
    assert report(repo_copy, True) == report(repo_copy, False)
    page = repo_copy.sources_dir / "002_420491b85ca59cb6.txt"
    page.write_bytes(page.read_bytes() + b"\n")
    (repo_copy.sources_dir / "stray.txt").write_text("not registered\n", encoding="utf-8")
    (repo_copy.annotations_dir / "passes" / "A" / "999_unknown.jsonl").write_text('{"doc": "x"}\n', encoding="utf-8")
    changed = report(repo_copy, True)
    assert changed == report(repo_copy, False)
    assert {"source-sha256-mismatch", "source-unregistered", "doc-unknown"} <= set(changed["counts"])  # type: ignore[arg-type]
    metadata = repo_copy.metadata_file
    metadata.write_text(metadata.read_text(encoding="utf-8").replace('"Pyongyang Times"', '"PT"', 1), encoding="utf-8")
    assert report(repo_copy, True) == report(repo_copy, False)


def test_cache_checks_again_only_the_document_that_changed(repo_copy: Repo) -> None:
    age(repo_copy)
    assert main(["--root", str(repo_copy.root), "validate"]) == 0
    first = recorded(repo_copy)
    assert len(first) == 5
    assert main(["--root", str(repo_copy.root), "validate"]) == 0
    assert recorded(repo_copy) == first  # nothing changed: no row rewritten
    gold = repo_copy.annotation_file("001_c1a7854418038c75")
    gold.write_bytes(gold.read_bytes() + b"\n")
    assert main(["--root", str(repo_copy.root), "validate"]) == 0
    second = recorded(repo_copy)
    assert [doc for doc in first if second[doc] != first[doc]] == ["001_c1a7854418038c75"]


def test_cache_sees_a_change_that_keeps_size_and_modification_time(repo_copy: Repo) -> None:
    age(repo_copy)
    assert report(repo_copy, True)["passed"]
    gold = repo_copy.annotation_file("000_b6101718c2532778")
    before = gold.stat()
    data = gold.read_bytes()
    gold.write_bytes(data.replace(b'"start": 1', b'"start": 2', 1))  # same size, wrong offset
    os.utime(gold, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert gold.stat().st_size == before.st_size and gold.stat().st_mtime_ns == before.st_mtime_ns
    assert not report(repo_copy, True)["passed"]


def test_cache_that_is_corrupt_is_ignored_and_rebuilt(repo_copy: Repo) -> None:
    age(repo_copy)
    expected = report(repo_copy, False)
    path = repo_copy.root / CACHE_FILE
    path.parent.mkdir(parents=True)
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(4000))
    assert report(repo_copy, True) == expected
    assert report(repo_copy, True) == expected
    assert len(recorded(repo_copy)) == 5


def test_cache_row_that_was_tampered_with_is_not_trusted(repo_copy: Repo) -> None:
    age(repo_copy)
    gold = repo_copy.annotation_file("004_ae8d796d95327752")
    gold.write_bytes(b"\xef\xbb\xbf" + gold.read_bytes())
    age(repo_copy)
    expected = report(repo_copy, True)
    assert expected["counts"] == {"encoding-bom": 1}
    with sqlite3.connect(repo_copy.root / CACHE_FILE) as db:
        db.execute("UPDATE docs SET issues = '[]' WHERE id = '004_ae8d796d95327752'")
    assert report(repo_copy, True) == expected
    assert report(repo_copy, True) == expected  # and the cache was rebuilt
    assert len(recorded(repo_copy)) == 5


def test_cache_of_other_code_is_not_used(repo_copy: Repo) -> None:
    age(repo_copy)
    report(repo_copy, True)
    with sqlite3.connect(repo_copy.root / CACHE_FILE) as db:
        db.execute("UPDATE meta SET value = 'other' WHERE name = 'fingerprint'")
        db.execute('UPDATE docs SET issues = \'[{"code": "file-empty"}]\'')
    assert report(repo_copy, True) == report(repo_copy, False)


@pytest.mark.parametrize("flag", [["--no-cache"], []])
def test_cache_no_cache_writes_nothing(repo_copy: Repo, flag: list[str]) -> None:
    assert main(["--root", str(repo_copy.root), "validate", *flag]) == 0
    assert (repo_copy.root / CACHE_FILE).exists() == (not flag)


def test_cache_path_is_ignored_by_git() -> None:
    gitignore = (Path(__file__).resolve().parents[1] / ".gitignore").read_text(encoding="utf-8")
    assert "/build/" in gitignore.splitlines()
    assert CACHE_FILE.parts[0] == "build"


def test_cache_recorded_by_the_build_serves_the_next_validate(repo_copy: Repo) -> None:
    from dprkmedia.build.writer import build_dataset

    age(repo_copy)
    build_dataset(repo_copy, cache=True)
    built = recorded(repo_copy)
    assert len(built) == 5
    assert report(repo_copy, True) == report(repo_copy, False)
    assert recorded(repo_copy) == built  # every document's checks came from the build's record
