"""The README's Python quick start runs as written (offline, from the repository root)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dprkmedia.corpus.repo import Repo


@pytest.mark.loading
def test_readme_python_blocks_run(repo: Repo, tmp_path: Path) -> None:
    readme = (repo.root / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    assert blocks, "the README shows how to load the dataset"
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    run = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", "-c", "\n".join(blocks)],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "['O', 'B-PERSON', 'I-PERSON']" in run.stdout
