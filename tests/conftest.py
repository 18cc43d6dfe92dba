"""Shared fixtures: the real repository, and throw-away copies of it."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from dprkmedia.corpus.repo import Repo
from dprkmedia.model.taxonomy import Taxonomy, load_taxonomy

from .wheel_fixture import venv, wheel  # noqa: F401  (session fixtures: the wheel, installed in a fresh venv)

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


RUN_MARK = "DPRKMEDIA_TEST_RUN"
os.environ[RUN_MARK] = f"{os.getpid()}-{uuid.uuid4().hex}"
"""Every process the suite starts inherits this mark (Label Studio, chromium, ``dprkmedia``
subprocesses), also when its parent dies and it is reparented: the session ends by looking
for processes that still carry it."""


def marked_processes(mark: str) -> dict[int, str]:
    """Live processes (not zombies) whose environment carries ``RUN_MARK=mark``: pid → command line."""
    needle = f"{RUN_MARK}={mark}".encode()
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            if (entry / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                continue
            found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found


@pytest.fixture(scope="session", autouse=True)
def no_process_outlives_the_suite() -> Iterator[None]:
    """Fail the run when a process the suite started is still alive at its end (after a grace
    period for ones being stopped); such processes are killed by their id, then reported."""
    yield
    if not Path("/proc").is_dir():
        return
    deadline = time.monotonic() + 10
    while (left := marked_processes(os.environ[RUN_MARK])) and time.monotonic() < deadline:
        time.sleep(0.5)
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    assert not left, "processes started by the tests outlived them:\n" + "\n".join(
        f"  {pid}: {cmd[:200]}" for pid, cmd in left.items()
    )
