"""``dprkmedia validate --format github``: workflow commands that GitHub turns into annotations on the diff.

The commands are read back by a parser written from GitHub's published syntax
(``::error file=F,line=N,title=T::MESSAGE``; in the message ``%``, CR and LF are percent-encoded, in a
property value also ``:`` and ``,``), so a message that would break the command (a newline, a comma in a
file name) is caught.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dprkmedia.cli.main import main
from dprkmedia.corpus.repo import Repo
from dprkmedia.model.catalogue import CATALOGUE, Code
from dprkmedia.model.github import escape_data, escape_property, issue_command, step_summary
from dprkmedia.model.issues import Issue, Report
from dprkmedia.validation.repo import validate_repo

COMMAND = re.compile(r"^::(?P<name>[a-z]+)(?: (?P<props>[^:]*))?::(?P<message>.*)$")


def unescape(text: str, *, prop: bool) -> str:
    """GitHub's unescaping: the escapes of a property (``%3A``, ``%2C``) only in properties; ``%25`` last."""
    pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if prop else []) + [("%25", "%")]
    for escaped, plain in pairs:
        text = text.replace(escaped, plain)
    return text


def parse(line: str) -> tuple[str, dict[str, str], str] | None:
    """``(command, properties, message)`` of a workflow command line, None for a plain log line."""
    match = COMMAND.match(line)
    if match is None:
        return None
    props = {}
    for item in (match["props"] or "").split(","):
        key, _, value = item.partition("=")
        props[key] = unescape(value, prop=True)
    return match["name"], props, unescape(match["message"], prop=False)


def test_github_escaping_follows_the_toolkit() -> None:
    assert escape_data("50% of\r\nlines") == "50%25 of%0D%0Alines"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    assert escape_data("%0A") == "%250A"  # an escape already in the text survives the round trip


def test_github_command_survives_awkward_text() -> None:
    issue = Issue(Code.VALUE_INVALID, "annotations/odd, name:1.jsonl", "100% wrong,\nreally: yes", line=7)
    parsed = parse(issue_command(issue))
    assert parsed is not None
    name, props, message = parsed
    assert name == "error"
    assert props == {"file": "annotations/odd, name:1.jsonl", "line": "7", "title": "value-invalid"}
    assert message.startswith("[value-invalid] 100% wrong,\nreally: yes")
    assert "\n" not in issue_command(issue)


def test_github_format_gives_one_annotation_per_problem(
    repo_copy: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = repo_copy.annotation_file("004_ae8d796d95327752")
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join([*lines[:5], lines[4], *lines[5:]]), encoding="utf-8")  # a duplicated span line
    (repo_copy.root / "annotations" / "000_b6101718c2532778.jsonl").write_bytes(
        b"\xef\xbb\xbf" + (repo_copy.root / "annotations" / "000_b6101718c2532778.jsonl").read_bytes()
    )
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))

    assert main(["--root", str(repo_copy.root), "validate", "--format", "github"]) == 1
    out = capsys.readouterr().out.splitlines()
    report = validate_repo(repo_copy)
    commands = [parsed for line in out if (parsed := parse(line))]
    assert len(commands) == len(report.issues) >= 3
    for (name, props, message), issue in zip(commands, report.issues, strict=True):
        assert name == "error"
        assert props["file"] == issue.file and not Path(props["file"]).is_absolute()
        assert props.get("line") == (None if issue.line is None else str(issue.line))
        assert props["title"] == issue.code
        assert f"[{issue.code}] {issue.message}" in message and "Fix: " in message
    assert out[-1] == f"*** FAILED *** with {len(report.issues)} errors"

    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n")  # appended, never overwritten
    rows = dict(re.findall(r"^\| `([a-z0-9-]+)` \| (\d+) \|", text, flags=re.MULTILINE))
    assert {code: int(n) for code, n in rows.items()} == report.counts()
    assert CATALOGUE[Code.ENCODING_BOM].title in text


def test_github_format_passes_quietly(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(repo.root), "validate", "--format", "github"]) == 0
    out = capsys.readouterr().out
    assert "::error" not in out and out.rstrip().endswith("*** PASSED ***")
    assert "passed" in step_summary(Report(files=["a"]))


def test_github_workflow_and_pre_commit_run_the_same_report() -> None:
    root = Path(__file__).resolve().parents[1]
    workflow = (root / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    assert "dprkmedia validate --format github" in workflow
    hooks = (root / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "entry: dprkmedia validate" in hooks


def test_pre_commit_hook_runs_the_validator_and_shows_its_report(repo_copy: Repo, tmp_path: Path) -> None:
    """The hook of ``.pre-commit-hooks.yaml``, checked by pre-commit's own schema and run by pre-commit."""
    clientlib = pytest.importorskip("pre_commit.clientlib")
    root = Path(__file__).resolve().parents[1]
    (hook,) = clientlib.load_manifest(str(root / ".pre-commit-hooks.yaml"))
    clientlib.load_config(str(root / ".pre-commit-config.yaml"))
    assert hook["id"] == "dprkmedia-validate" and hook["language"] == "python"
    # the same hook as a local one (language python would pip-install the package: not offline)
    config = repo_copy.root / ".pre-commit-config.yaml"
    keys = ("id", "name", "entry", "pass_filenames", "files")
    lines = ["repos:", "  - repo: local", "    hooks:"]
    lines += [f"      - id: {hook['id']}"] + [f"        {key}: {hook[key]!r}" for key in keys[1:]]
    lines.append("        language: system")
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    bad = repo_copy.annotation_file("004_ae8d796d95327752")
    bad.write_bytes(bad.read_bytes().replace(b'"label": "PERSON"', b'"label": "PERSN"', 1))
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit"),
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }
    subprocess.run(["git", "init", "-q"], cwd=repo_copy.root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=repo_copy.root, check=True)
    run = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--config", str(config)],
        cwd=repo_copy.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    expected = validate_repo(repo_copy).render()
    assert "[label-unknown]" in expected
    assert expected in run.stdout
