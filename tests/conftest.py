"""Shared fixtures: the real repository, and throw-away copies of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dprkmedia.corpus.repo import Repo
from dprkmedia.model.taxonomy import Taxonomy, load_taxonomy

ROOT = Path(__file__).resolve().parents[1]
COPIED = ("schema", "annotations", "dataset", "README.md", "docs/agreement.json")


@pytest.fixture(scope="session")
def repo() -> Repo:
    """The repository under test (read only)."""
    return Repo(ROOT)


@pytest.fixture(scope="session")
def tax(repo: Repo) -> Taxonomy:
    return load_taxonomy(repo.schema_dir)


def copy_repo(target: Path) -> Repo:
    """Copy the inputs and outputs of the corpus (not the code) into ``target``."""
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return Repo(target)


@pytest.fixture
def repo_copy(tmp_path: Path) -> Repo:
    """A writable copy of the repository's data in a temporary folder."""
    return copy_repo(tmp_path / "repo")
