"""The wheel works anywhere: built, installed into a fresh virtual environment, and run outside any clone.

The wheel is built offline (``pip wheel --no-build-isolation``: hatchling comes from the test extra,
nothing is downloaded). The fresh environment is made without the system's site-packages and gets
the wheel with ``pip install --no-deps --no-index``; its dependencies (datasets, spaCy, ...) are
reached through a ``.pth`` line naming the test environment's site-packages. A ``.pth`` line adds a
folder but does not run the ``.pth`` files inside it, so the test environment's editable install
(which points at this checkout's ``src/``) stays out: ``dprkmedia`` is imported from the wheel, and
the commands run in a temporary folder with PYTHONPATH unset. Resolving the dependencies from the
registry is what ``make test-lowest`` does; this test is about what the wheel itself carries
(taxonomy, JSON Schemas, site templates) and needs no network.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest

from dprkmedia.model.taxonomy import packaged_schema_dir

from .conftest import copy_repo
from .wheel_fixture import check

ROOT = Path(__file__).resolve().parents[1]
DOC = "003_ffbef9be4e76c7d4"

pytestmark = pytest.mark.slow


def outside(tmp_path: Path) -> dict[str, str]:
    """The environment of a user's shell outside the clone: no PYTHONPATH, offline."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return {**env, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "HOME": str(tmp_path)}


def test_wheel_carries_the_taxonomy_schemas_and_site_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("taxonomy.json", "annotation.schema.json", "sources.schema.json", "document.schema.json"):
        assert f"dprkmedia/schema/{name}" in names
        packaged = zipfile.ZipFile(wheel).read(f"dprkmedia/schema/{name}")
        assert packaged == (ROOT / "schema" / name).read_bytes()  # the same bytes: schema/ stays their home
    assert "dprkmedia/adapters/site/templates/article.html" in names
    assert "dprkmedia/adapters/site/assets/site.js" in names


def test_wheel_imports_from_the_fresh_environment(venv: Path, tmp_path: Path) -> None:
    code = "import dprkmedia, dprkmedia.model.taxonomy as t; print(dprkmedia.__file__); print(t.packaged_schema_dir())"
    shown = check([str(venv / "python"), "-c", code], cwd=tmp_path, env=outside(tmp_path)).stdout.split()
    assert Path(shown[0]).is_relative_to(venv.parent), shown
    assert Path(shown[1]) == Path(shown[0]).parent / "schema"


def test_wheel_score_outside_any_clone(venv: Path, tmp_path: Path) -> None:
    gold, pred = tmp_path / "gold.jsonl", tmp_path / "student.jsonl"
    shutil.copy(ROOT / "annotations" / f"{DOC}.jsonl", gold)
    lines = (ROOT / "annotations" / f"{DOC}.jsonl").read_text(encoding="utf-8").splitlines()
    pred.write_text("\n".join(lines[:-3]) + "\n", encoding="utf-8")  # a student who missed three spans
    run = check([str(venv / "dprkmedia"), "score", str(gold), str(pred), "--json"], cwd=tmp_path, env=outside(tmp_path))
    assert '"exact"' in run.stdout
    assert "Traceback" not in run.stderr


def test_wheel_validate_and_site_in_a_copied_corpus(venv: Path, tmp_path: Path) -> None:
    corpus = copy_repo(tmp_path / "corpus").root
    env = outside(tmp_path)
    validate = check([str(venv / "dprkmedia"), "validate"], cwd=corpus / "annotations", env=env)
    assert "*** PASSED ***" in validate.stdout
    check([str(venv / "dprkmedia"), "--root", str(corpus), "site", str(tmp_path / "site")], cwd=tmp_path, env=env)
    assert (tmp_path / "site" / "index.html").is_file()
    assert (tmp_path / "site" / f"{DOC}.html").is_file()


def test_wheel_packaged_schema_is_the_checkout_schema_in_a_clone() -> None:
    """In a clone (editable install) the package reads the checkout's schema/: one home for the labels."""
    assert packaged_schema_dir() == ROOT / "schema"
