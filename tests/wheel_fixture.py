"""The package's wheel, built offline once per session, and a fresh environment with it installed
(tests/test_wheel.py runs commands there, tests/test_loading.py loads the dataset from there).

The fresh environment is made without the system's site-packages and gets the wheel with
``pip install --no-deps --no-index``; its dependencies are reached through a ``.pth`` line naming the
test environment's site-packages, which does not run the ``.pth`` files inside it, so the editable
install of this checkout stays out: ``dprkmedia`` is imported from the wheel.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def check(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    run = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, f"{command}:\n{run.stdout[-2000:]}\n{run.stderr[-3000:]}"
    return run


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    check(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(out), "."],
        cwd=ROOT,
    )
    (built,) = out.glob("dprk_russia_media-*.whl")
    return built


@pytest.fixture(scope="session")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh environment with the wheel installed; yields its bin/ folder."""
    home = tmp_path_factory.mktemp("venv") / "env"
    check([sys.executable, "-m", "venv", "--without-pip", str(home)], cwd=home.parent)
    python = home / "bin" / "python"
    purelib = Path(
        check([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], home).stdout.strip()
    )
    (purelib / "_dependencies_of_the_tests.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)]
    check(pip, cwd=home.parent)
    yield home / "bin"


__all__ = ["check", "venv", "wheel"]
