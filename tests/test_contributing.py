"""CI for contributors: the workflow and the pre-commit hook run the targets .ci/run runs."""

from __future__ import annotations

import re

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
