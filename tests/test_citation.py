"""CITATION.cff: valid Citation File Format (checked by cffconvert), and in step with the release.

`make test` installs cffconvert into .venv-cffconvert (it pins jsonschema<4, so it cannot share our
environment) and sets DPRKMEDIA_CFFCONVERT and DPRKMEDIA_REQUIRE_CFFCONVERT, so there the validation
cannot be skipped. Run by hand without them, it is skipped when cffconvert is not found.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

import dprkmedia
from dprkmedia.publish.card import read_front_matter

ROOT = Path(__file__).resolve().parents[1]


def cffconvert() -> str:
    command = os.environ.get("DPRKMEDIA_CFFCONVERT") or shutil.which("cffconvert")
    local = ROOT / ".venv-cffconvert" / "bin" / "cffconvert"
    if not command and local.is_file():
        command = str(local)
    if not command:
        if os.environ.get("DPRKMEDIA_REQUIRE_CFFCONVERT"):
            pytest.fail("DPRKMEDIA_REQUIRE_CFFCONVERT is set but no cffconvert command was found")
        pytest.skip("cffconvert is not installed (make test installs it)")
    return command


def test_citation_cff_is_valid_for_cffconvert(tmp_path: Path) -> None:
    command = cffconvert()
    run = subprocess.run([command, "--validate", "-i", str(ROOT / "CITATION.cff")], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "valid according to schema version 1.2.0" in run.stdout
    bibtex = subprocess.run([command, "-i", str(ROOT / "CITATION.cff"), "-f", "bibtex"], capture_output=True, text=True)
    assert "title = {DPRK–Russia State Media Corpus}" in bibtex.stdout
    # and it can fail: a citation without authors is refused
    broken = tmp_path / "CITATION.cff"
    broken.write_text(re.sub(r"authors:\n(  - .*\n)+", "", (ROOT / "CITATION.cff").read_text(encoding="utf-8")))
    assert subprocess.run([command, "--validate", "-i", str(broken)], capture_output=True).returncode != 0


def test_citation_follows_the_release() -> None:
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert citation["version"] == project["version"] == dprkmedia.__version__
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## (\d+\.\d+\.\d+) — (\d{4}-\d{2}-\d{2})$", changelog, flags=re.MULTILINE)
    assert releases and releases[0] == (citation["version"], str(citation["date-released"]))
    headings = re.findall(r"^## (.+)$", changelog, flags=re.MULTILINE)
    assert headings[0] in ("Unreleased", f"{releases[0][0]} — {releases[0][1]}")
    assert citation["title"] == read_front_matter(ROOT / "README.md")["pretty_name"]
    assert set(project["urls"]) >= {"Homepage", "Repository", "Changelog"}
    assert all(url.startswith("https://") for url in project["urls"].values())
