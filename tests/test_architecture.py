"""The package's architecture: import-linter contracts that fail when broken, and docs/ARCHITECTURE.md
matching the tree."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "dprkmedia"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(src: Path) -> subprocess.CompletedProcess[str]:
    """Run the repository's contracts over the package found in ``src``."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=src,
        env={"PYTHONPATH": str(src), "PATH": str(Path(sys.executable).parent)},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A copy of ``src/`` to break."""
    shutil.copytree(PACKAGE, tmp_path / "dprkmedia", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def add_import(src: Path, module: str, line: str) -> None:
    path = src.joinpath(*module.split(".")).with_suffix(".py")
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def test_architecture_contracts_hold() -> None:
    result = lint_imports(ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_architecture_lint_fails_when_the_core_imports_an_adapter(package_copy: Path) -> None:
    add_import(package_copy, "dprkmedia.validation.spans", "import dprkmedia.adapters.exports  # noqa")
    result = lint_imports(package_copy)
    assert result.returncode != 0
    assert "The core never imports an adapter or the command line BROKEN" in result.stdout
    assert "dprkmedia.validation.spans -> dprkmedia.adapters.exports" in result.stdout


def test_architecture_lint_fails_on_a_cycle_inside_a_layer(package_copy: Path) -> None:
    # corpus.jsonl is imported by corpus.loading; importing it back makes a cycle within one layer
    add_import(package_copy, "dprkmedia.corpus.jsonl", "import dprkmedia.corpus.loading  # noqa")
    result = lint_imports(package_copy)
    assert result.returncode != 0
    assert "No import cycles, between subpackages or between the modules of one BROKEN" in result.stdout


def test_architecture_lint_fails_on_an_upward_import(package_copy: Path) -> None:
    add_import(package_copy, "dprkmedia.build.writer", "import dprkmedia.publish.card  # noqa")
    result = lint_imports(package_copy)
    assert result.returncode != 0
    assert "Layers: a subpackage imports only from the layers below it BROKEN" in result.stdout


def test_architecture_doc_names_every_module_and_only_real_ones() -> None:
    doc = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:model|corpus|validation|build|evaluate|publish|adapters|cli)/[\w/]+\.py)`", doc))
    modules = {
        p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if p.name not in ("__init__.py", "__main__.py")
    }
    assert named - modules == set(), "ARCHITECTURE.md names modules that do not exist"
    assert modules - named == set(), "modules missing from ARCHITECTURE.md"
    layers = re.search(r"The layers, from the bottom: (.*?)\. A module", doc, re.S)
    assert layers is not None
    order = re.findall(r"`(\w+)`", layers.group(1))
    contract = re.search(r"layers = \[(.*?)\]", (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.S)
    assert contract is not None
    assert order == [name.split(".")[1] for name in re.findall(r'"([\w.]+)"', contract.group(1))][::-1]
    assert sorted(order) == sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())


def test_architecture_no_module_is_over_about_500_lines() -> None:
    long = {
        p.relative_to(PACKAGE).as_posix(): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text().splitlines())) > 520
    }
    assert long == {}
