"""No traceback on a user's error, from any command: one message that says what and how to fix, and
the documented exit code (0 ok, 1 problems found, 2 usage or environment).

Each case runs ``main()`` in-process (an exception escaping it fails the test) and checks the
message; a few run the installed console script to check that nothing reaches the terminal but
the message.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dprkmedia.cli.main import describe_os_error, main, parser
from dprkmedia.corpus.repo import Repo

ROOT = Path(__file__).resolve().parents[1]
DOC = "003_ffbef9be4e76c7d4"

COMMANDS = [
    ["validate"],
    ["build"],
    ["generate"],
    ["show", DOC],
    ["export", "conll"],
    ["site"],
    ["agreement", "--check"],
    ["preannotate", DOC],
    ["add-source", "page.txt"],
    ["labelstudio", "config"],
    ["labelstudio", "tasks"],
    ["labelstudio", "import", "export.json"],
]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Exit code and standard error of ``dprkmedia ARGS`` (an escaping exception fails the test)."""
    code = main(args)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def tree(root: Path) -> dict[str, str]:
    """Every file under ``root``: relative path → SHA-256 (to show that nothing was written)."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: "-".join(c))
def test_errors_root_that_is_not_a_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    code, err = run(["--root", str(tmp_path), *command], capsys)
    assert code == 2
    assert f"--root {tmp_path}: not a corpus repository: schema/taxonomy.json is missing there" in err


def test_errors_root_that_does_not_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(["--root", str(tmp_path / "nope"), "validate"], capsys)
    assert (code, "no such folder" in err) == (2, True)
    (tmp_path / "file").write_text("x", encoding="utf-8")
    code, err = run(["--root", str(tmp_path / "file"), "build"], capsys)
    assert (code, "not a folder" in err) == (2, True)


@pytest.mark.parametrize(("name", "block"), [("README.md", "summary"), ("DATASHEET.md", "statistics")])
def test_errors_build_without_a_generated_block_writes_nothing(
    repo_copy: Repo, capsys: pytest.CaptureFixture[str], name: str, block: str
) -> None:
    shutil.copy2(ROOT / "DATASHEET.md", repo_copy.root / "DATASHEET.md")
    path = repo_copy.root / name
    path.write_text(re.sub(rf"<!-- /?generated:{block} -->\n", "", path.read_text(encoding="utf-8")), encoding="utf-8")
    before = tree(repo_copy.root)
    code, err = run(["--root", str(repo_copy.root), "build"], capsys)
    assert code == 1
    assert f"{name}: no '{block}' block" in err
    assert f"<!-- generated:{block} -->" in err and "nothing was written" in err
    assert tree(repo_copy.root) == before
    code, err = run(["--root", str(repo_copy.root), "generate"], capsys)
    assert (code, f"{name}: no '{block}' block" in err) == (1, True)
    assert tree(repo_copy.root) == before


def test_errors_build_without_a_readme(repo_copy: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    (repo_copy.root / "README.md").unlink()
    before = tree(repo_copy.root)
    code, err = run(["--root", str(repo_copy.root), "build"], capsys)
    assert (code, "README.md: missing" in err) == (1, True)
    assert tree(repo_copy.root) == before


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"layers": \n', "schema/taxonomy.json:2: not valid JSON"),
        ("{}", "schema/taxonomy.json: the field 'labels' is missing"),
        ('{"labels": 3}', "schema/taxonomy.json: a field has the wrong kind of value"),
        ("\udcff", "schema/taxonomy.json: not UTF-8"),
    ],
    ids=["syntax", "missing-field", "wrong-kind", "not-utf8"],
)
@pytest.mark.parametrize("command", [["validate"], ["build"], ["labelstudio", "config"], ["site"]], ids="-".join)
def test_errors_broken_taxonomy(
    repo_copy: Repo, capsys: pytest.CaptureFixture[str], text: str, expected: str, command: list[str]
) -> None:
    (repo_copy.schema_dir / "taxonomy.json").write_bytes(text.encode("utf-8", "surrogateescape"))
    code, err = run(["--root", str(repo_copy.root), *command], capsys)
    assert code == 1
    assert expected in err
    assert "git checkout schema/taxonomy.json" in err


def test_errors_output_under_a_file(repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    root = ["--root", str(repo.root)]
    for command in (
        ["export", "semeval", "-o", str(blocker / "out")],
        ["site", str(blocker / "site")],
        ["labelstudio", "tasks", DOC, "-o", str(blocker / "tasks.json")],
        ["preannotate", DOC, "--write", str(blocker / "pre")],
    ):
        code, err = run([*root, *command], capsys)
        assert code == 2, command
        assert f"{blocker} is a file, not a folder" in err, command
        assert "Nothing was changed there" in err
    code, err = run([*root, "labelstudio", "tasks", DOC, "-o", str(tmp_path)], capsys)
    assert (code, f"cannot write {tmp_path}: it is a folder" in err) == (2, True)
    assert blocker.read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize("fmt", ["semeval", "docbin", "conll"])
def test_errors_export_of_a_dataset_not_built(
    repo_copy: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    shutil.rmtree(repo_copy.dataset_dir / ("tokens" if fmt == "conll" else "jsonl"))
    out = tmp_path / "out"
    code, err = run(["--root", str(repo_copy.root), "export", fmt, "-o", str(out)], capsys)
    assert code == 2
    assert "not found" in err and "'dprkmedia build'" in err
    assert not out.exists()


def test_errors_tasks_from_a_missing_folder(repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(["--root", str(repo.root), "labelstudio", "tasks", "--from", str(tmp_path / "nope")], capsys)
    assert (code, "not a folder" in err) == (2, True)


def test_errors_agreement_over_a_broken_pass(repo_copy: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    broken = repo_copy.annotations_dir / "passes" / "A" / f"{DOC}.jsonl"
    broken.write_bytes(b"\xef\xbb\xbf" + broken.read_bytes())
    code, err = run(["--root", str(repo_copy.root), "agreement", "--check"], capsys)
    assert code == 1
    assert "[encoding-bom]" in err and f"passes/A/{DOC}.jsonl" in err and "dprkmedia validate" in err


def test_errors_an_operating_system_error_names_the_path(tmp_path: Path) -> None:
    """What main() prints for an OSError that no command turned into its own message."""
    with pytest.raises(IsADirectoryError) as raised:
        tmp_path.open("rb")
    assert describe_os_error(raised.value).startswith(f"cannot use {tmp_path}: Is a directory. Check the path")


def test_errors_exit_codes_are_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    text = parser().format_help()
    assert re.search(r"^  0 +success", text, re.MULTILINE)
    assert re.search(r"^  1 +problems found", text, re.MULTILINE)
    assert re.search(r"^  2 +usage or environment", text, re.MULTILINE)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "0 ok, 1 problems found, 2 usage or environment" in readme


def console(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The real console command, as a user runs it."""
    script = Path(sys.executable).parent / "dprkmedia"
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [str(script), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_errors_console_prints_one_message_and_no_traceback(repo_copy: Repo, tmp_path: Path) -> None:
    no_repo = console(["--root", str(tmp_path), "validate"], cwd=tmp_path)
    assert no_repo.returncode == 2
    assert no_repo.stderr.startswith("dprkmedia: --root ") and "Traceback" not in no_repo.stderr
    assert len(no_repo.stderr.strip().splitlines()) == 1
    readme = repo_copy.root / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace("<!-- generated:summary -->\n", ""), "utf-8")
    build = console(["build"], cwd=repo_copy.root / "annotations")
    assert build.returncode == 1
    assert "Traceback" not in build.stderr and "ValueError" not in build.stderr
    assert "README.md: no 'summary' block" in build.stderr
    assert build.stdout == ""
