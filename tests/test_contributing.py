"""CI for contributors: the workflow and the pre-commit hook run the targets .ci/run runs."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

from dprkmedia.corpus.repo import Repo


def make_prerequisites(repo: Repo, target: str) -> list[str]:
    makefile = (repo.root / "Makefile").read_text(encoding="utf-8")
    match = re.search(rf"^{target}:([^#\n]*)", makefile, re.MULTILINE)
    assert match, target
    return match.group(1).split()


def test_contributing_ci_run_calls_make_test(repo: Repo) -> None:
    script = (repo.root / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", script, re.MULTILINE)


def test_contributing_make_test_validates(repo: Repo) -> None:
    assert {"lint", "typecheck", "validate", "unit"} <= set(make_prerequisites(repo, "test"))


def test_contributing_workflow_runs_make_test_on_pull_requests(repo: Repo) -> None:
    workflow = yaml.safe_load((repo.root / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as True
    assert "pull_request" in triggers
    commands = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert "make test" in commands
    assert any("git diff --exit-code -- dataset" in command for command in commands)


def test_contributing_pre_commit_hook_runs_make_validate(repo: Repo) -> None:
    config = yaml.safe_load((repo.root / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entries = [hook["entry"] for r in config["repos"] for hook in r["hooks"]]
    assert entries == ["make validate"]
    assert "validate" in make_prerequisites(repo, "test")


def zizmor() -> str:
    """The zizmor of the test environment (the test extra installs it)."""
    beside = Path(sys.executable).parent / "zizmor"
    found = str(beside) if beside.is_file() else shutil.which("zizmor")
    assert found, "zizmor is missing: install the test extra (pip install -e '.[test]')"
    return found


def test_contributing_workflows_have_no_zizmor_findings(repo: Repo) -> None:
    """Pinned actions, no persisted credentials, read-only token: safe on strangers' pull requests."""
    run = subprocess.run(
        [zizmor(), "--offline", "--format", "json", str(repo.root / ".github" / "workflows")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    findings = json.loads(run.stdout)
    assert [(f["ident"], f["desc"]) for f in findings] == []
    assert run.returncode == 0, run.stderr


def test_contributing_make_lint_runs_zizmor_offline(repo: Repo) -> None:
    makefile = (repo.root / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^lint:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert recipe, "no lint target"
    assert re.search(r"zizmor --offline \.github/workflows", recipe.group(1))
    assert "lint" in make_prerequisites(repo, "test")


def test_contributing_ci_runs_make_test_lowest_as_the_readme_documents(repo: Repo) -> None:
    """The lower bounds are tried in CI (.ci/run and the workflow), and .ci/run calls only documented targets."""
    script = (repo.root / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test-lowest$", script, re.MULTILINE)
    workflow = yaml.safe_load((repo.root / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    commands = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert "make test-lowest" in commands
    readme = (repo.root / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"^make ([a-z-]+)$", script, re.MULTILINE):
        assert f"make {target}" in readme, target


def test_contributing_make_test_lowest_runs_every_loading_test(repo: Repo) -> None:
    """Every test marked `loading` is in a file that `make test-lowest` runs."""
    makefile = (repo.root / "Makefile").read_text(encoding="utf-8")
    listed = re.search(r"^LOADING_TESTS\s*:=(.*)$", makefile, re.MULTILINE)
    assert listed, "no LOADING_TESTS in the Makefile"
    marked = {
        path.relative_to(repo.root).as_posix()
        for path in sorted((repo.root / "tests").glob("test_*.py"))
        if re.search(r"^@pytest\.mark\.loading$|^pytestmark\b.*\bloading\b", path.read_text(encoding="utf-8"), re.M)
    }
    assert marked == set(listed.group(1).split())
    assert "-m loading $(LOADING_TESTS)" in makefile


def test_contributing_every_dependency_has_a_floor_that_test_lowest_installs(repo: Repo) -> None:
    run = subprocess.run(
        [sys.executable, str(repo.root / "scripts" / "lowest_requirements.py"), "--extra", "test", "pytest", "duckdb"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    pins = dict(line.split("==") for line in run.stdout.split())
    project = tomllib.loads((repo.root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = [re.match(r"[A-Za-z0-9._-]+", item).group(0) for item in project["dependencies"]]  # type: ignore[union-attr]
    assert list(pins) == [*names, "pytest", "duckdb"]
    assert all(re.fullmatch(r"\d+(\.\d+)*", version) for version in pins.values()), pins
