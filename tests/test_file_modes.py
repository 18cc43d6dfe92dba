"""Every file a command writes is as readable as the umask allows (0644 under 022, 0640 under 027).

On a shared class server the other users read README.md, the Parquet files and the site: a private
0600 (what ``tempfile.mkstemp`` makes) locks them out. Each command runs in-process under each umask
on a copy of the repository whose files were all set to a marker mode first: a file whose mode
changed was written by the command, and it must have exactly the umask's mode.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from dprkmedia.adapters.labelstudio.server import login
from dprkmedia.cli.main import main
from dprkmedia.corpus.fileio import atomic_write_bytes, make_staging_dir
from dprkmedia.corpus.repo import Repo

ROOT = Path(__file__).resolve().parents[1]

MARKER_MODE = 0o604  # no command writes this mode: a file that still has it was not written
DOC = "003_ffbef9be4e76c7d4"
PAGE = Path(__file__).parent / "fixtures" / "synthetic_page.txt"
SRC = ROOT / "src" / "dprkmedia"


@pytest.fixture(params=[0o022, 0o027], ids=["umask022", "umask027"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


@pytest.fixture
def marked(repo_copy: Repo) -> Repo:
    """The copy (with DATASHEET.md, which build updates) with every file at :data:`MARKER_MODE`."""
    shutil.copy2(ROOT / "DATASHEET.md", repo_copy.root / "DATASHEET.md")
    for path in repo_copy.root.rglob("*"):
        if path.is_file():
            path.chmod(MARKER_MODE)
    return repo_copy


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def written(root: Path) -> dict[str, int]:
    """Files under ``root`` that were written since they were marked: relative path → mode."""
    return {
        p.relative_to(root).as_posix(): mode(p)
        for p in sorted(root.rglob("*"))
        if p.is_file() and mode(p) != MARKER_MODE
    }


def assert_modes(files: dict[str, int], umask: int, expected: set[str]) -> None:
    assert expected <= set(files), f"not written: {sorted(expected - set(files))}"
    wrong = {name: oct(m) for name, m in files.items() if m != 0o666 & ~umask}
    assert wrong == {}, f"expected {oct(0o666 & ~umask)} under umask {oct(umask)}"


def assert_tree_modes(out: Path, umask: int) -> None:
    """Every file and folder under (and including) ``out`` has the umask's mode."""
    folders = [out, *(p for p in out.rglob("*") if p.is_dir())]
    files = [p for p in out.rglob("*") if p.is_file()]
    assert files
    assert {p.name: oct(mode(p)) for p in folders if mode(p) != 0o777 & ~umask} == {}
    assert {p.name: oct(mode(p)) for p in files if mode(p) != 0o666 & ~umask} == {}


@pytest.mark.slow
def test_modes_build(marked: Repo, umask: int) -> None:
    assert main(["--root", str(marked.root), "build"]) == 0
    files = written(marked.root)
    expected = {
        "README.md",
        "DATASHEET.md",
        "croissant.json",
        "dataset/documents/train.parquet",
        "dataset/tokens/test.parquet",
        "dataset/jsonl/train.jsonl",
        "docs/taxonomy.md",
    }
    assert_modes(files, umask, expected)


def test_modes_generate(marked: Repo, umask: int) -> None:
    assert main(["--root", str(marked.root), "generate"]) == 0
    assert_modes(written(marked.root), umask, {"schema/annotation.schema.json", "docs/validation.md", "DATASHEET.md"})


@pytest.mark.parametrize("fmt", ["semeval", "conll", "docbin"])
def test_modes_export(repo: Repo, tmp_path: Path, umask: int, fmt: str) -> None:
    out = tmp_path / "exports" / fmt
    assert main(["--root", str(repo.root), "export", fmt, "-o", str(out)]) == 0
    assert_tree_modes(tmp_path / "exports", umask)


def test_modes_site(repo: Repo, tmp_path: Path, umask: int) -> None:
    out = tmp_path / "site"
    assert main(["--root", str(repo.root), "site", str(out)]) == 0
    assert_tree_modes(out, umask)
    assert main(["--root", str(repo.root), "site", str(out)]) == 0  # replacing a site made before
    assert_tree_modes(out, umask)


def test_modes_labelstudio_tasks_import_and_preannotate(marked: Repo, tmp_path: Path, umask: int) -> None:
    root = ["--root", str(marked.root)]
    tasks_file = tmp_path / "tasks.json"
    assert main([*root, "labelstudio", "tasks", DOC, "-o", str(tasks_file)]) == 0
    (task,) = json.loads(tasks_file.read_text(encoding="utf-8"))
    result = task["predictions"][0]["result"]
    export = [{"id": 1, "data": task["data"], "annotations": [{"id": 1, "completed_by": 7, "result": result}]}]
    export_file = tmp_path / "export.json"
    export_file.write_text(json.dumps(export), encoding="utf-8")
    assert main([*root, "labelstudio", "import", str(export_file)]) == 0
    assert main([*root, "labelstudio", "import", str(export_file), "--gold", "--force"]) == 0
    assert_modes(written(marked.root), umask, {f"annotations/passes/ls-7/{DOC}.jsonl", f"annotations/{DOC}.jsonl"})
    assert main([*root, "preannotate", DOC, "--write", str(tmp_path / "pre")]) == 0
    assert main([*root, "preannotate", DOC, "-o", str(tmp_path / "pre" / "tasks.json")]) == 0
    assert_tree_modes(tmp_path / "pre", umask)
    assert mode(tasks_file) == 0o666 & ~umask


def test_modes_add_source(marked: Repo, umask: int) -> None:
    assert main(["--root", str(marked.root), "add-source", str(PAGE)]) == 0
    files = written(marked.root)
    assert_modes(files, umask, {"annotations/sources.jsonl"})
    assert any(name.startswith("dataset/sources/") for name in files)
    assert sum(name.startswith("annotations/") and name.endswith(".jsonl") for name in files) == 2


def test_modes_helper_replaces_a_private_file_and_makes_readable_folders(tmp_path: Path, umask: int) -> None:
    old = tmp_path / "old.txt"
    old.write_bytes(b"old")
    old.chmod(0o600)  # as an earlier version left it
    atomic_write_bytes(old, b"new")
    atomic_write_bytes(tmp_path / "new" / "deeper" / "file.txt", b"x")
    assert old.read_bytes() == b"new"
    assert mode(old) == 0o666 & ~umask
    assert_tree_modes(tmp_path / "new", umask)
    staging = make_staging_dir(tmp_path / "site")
    assert mode(staging) == 0o777 & ~umask
    assert staging.parent == tmp_path and staging.name.startswith(".site.")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp") and p.is_file()] == []


def test_modes_secrets_stay_private(tmp_path: Path, umask: int) -> None:
    """The local Label Studio's password and API token are for this user only, whatever the umask."""
    made = login(tmp_path / ".labelstudio")
    assert mode(tmp_path / ".labelstudio" / "login.json") == 0o600
    assert login(tmp_path / ".labelstudio") == made


WRITERS = re.compile(
    r"\.write_text\(|\.write_bytes\(|\bopen\([^)]*['\"][wax]b?\+?['\"]|mkstemp|mkdtemp|NamedTemporaryFile|\.to_disk\("
)


# Files that are appended to, not written whole: Label Studio's log (by the server while it runs) and
# GitHub's job summary (every step of a job appends to it). open() gives them the umask's mode.
STREAMS = {("adapters/labelstudio/server.py", "server.log"), ("cli/main.py", "open(summary")}
# The build streams Parquet shards (pyarrow) and the JSONL mirror into a staging folder inside dataset/, then
# renames each finished file into place (build/parquet.py: Staging.commit): the files get open()'s mode, the
# umask's, and the staging folder itself is never renamed (test_modes_* checks the built files' modes).
STREAMS |= {("build/parquet.py", "mkdtemp(prefix=STAGING_PREFIX"), ("build/writer.py", '.jsonl").open("w"')}


def test_modes_every_writer_goes_through_the_helper() -> None:
    """The package writes files only through corpus/fileio.py (temp file, rename, umask's mode)."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted(SRC.rglob("*.py"))
        if path != SRC / "corpus" / "fileio.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if WRITERS.search(line)
        and not any(path.relative_to(SRC).as_posix() == name and word in line for name, word in STREAMS)
    ]
    assert offenders == []
