"""The classroom units in docs/teaching/: their shape, and every Python block runs as written.

Each unit's ```python blocks are executed in order in one namespace (like a notebook), in a
fresh interpreter per unit, with the repository root as working directory, offline, and with
a private Hugging Face cache so that nothing is written to the user's cache. Warnings are
errors there too, as in the rest of the suite (pyproject: filterwarnings = error).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEACHING = ROOT / "docs" / "teaching"
UNITS = sorted(TEACHING.glob("[0-9][0-9]-*.md"))

SECTIONS = ("## Goals", "## Lesson plan", "## Student tasks", "## Discussion questions")
FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)
PLAN_ROW = re.compile(r"^\|\s*(\d+)\s*[–-]\s*(\d+)\s*\|", re.MULTILINE)
MAX_OUTPUT = 20_000  # characters of stdout per unit: the outputs must stay classroom-sized

# Runs in the child interpreter: execs the blocks (sent as JSON on stdin) in one namespace.
# Each block is padded with blank lines so that a traceback points at the Markdown line.
RUNNER = """
import json, sys, warnings
warnings.simplefilter("error")
unit, blocks = json.load(sys.stdin)
namespace = {"__name__": "__main__"}
for number, (line, code) in enumerate(blocks, 1):
    print(f"--- block {number} ({unit}, line {line})", file=sys.stderr, flush=True)
    exec(compile("\\n" * (line - 1) + code, unit, "exec"), namespace)
"""


def python_blocks(text: str) -> list[tuple[int, str]]:
    """``(first code line, code)`` of every ```python block, in order (lines count from 1)."""
    return [(text.count("\n", 0, match.start(1)) + 1, match.group(1)) for match in FENCE.finditer(text)]


def section(text: str, heading: str) -> str:
    """The body of a level-2 section, up to the next level-2 heading."""
    start = text.index(heading + "\n")
    following = text.find("\n## ", start + len(heading))
    return text[start : following if following != -1 else len(text)]


def test_teaching_there_are_at_least_three_units() -> None:
    assert len(UNITS) >= 3, [p.name for p in UNITS]


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.stem)
def test_teaching_unit_has_goals_plan_tasks_discussion(unit: Path) -> None:
    text = unit.read_text(encoding="utf-8")
    assert text.startswith("# "), "a unit starts with its title"
    for heading in SECTIONS:
        assert f"\n{heading}\n" in text, f"{unit.name}: missing section {heading!r}"
    positions = [text.index(f"\n{heading}\n") for heading in SECTIONS]
    assert positions == sorted(positions), f"{unit.name}: sections out of order, expected {SECTIONS}"
    assert re.search(r"^\s*[-*] ", section(text, "## Goals"), re.MULTILINE), "goals are a list"
    assert section(text, "## Discussion questions").count("?") >= 3


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.stem)
def test_teaching_lesson_plan_has_contiguous_timings_of_45_to_90_minutes(unit: Path) -> None:
    plan = section(unit.read_text(encoding="utf-8"), "## Lesson plan")
    assert "minutes" in plan
    rows = [(int(a), int(b)) for a, b in PLAN_ROW.findall(plan)]
    assert len(rows) >= 3, f"{unit.name}: the plan needs a table of timed steps ('| 0–10 | ...')"
    assert rows[0][0] == 0
    for (_, end), (start, _) in itertools.pairwise(rows):
        assert start == end, f"{unit.name}: gap or overlap in the plan at minute {end}"
    assert all(a < b for a, b in rows)
    assert 45 <= rows[-1][1] <= 90, f"{unit.name}: the lesson lasts {rows[-1][1]} minutes"


@pytest.mark.loading
@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.stem)
def test_teaching_python_blocks_run_in_order(unit: Path, tmp_path: Path) -> None:
    blocks = python_blocks(unit.read_text(encoding="utf-8"))
    assert blocks, f"{unit.name} has no ```python block"
    env = {
        **os.environ,
        "HF_DATASETS_OFFLINE": "1",
        "HF_HUB_OFFLINE": "1",
        "HF_HOME": str(tmp_path / "hf"),
        "HF_DATASETS_CACHE": str(tmp_path / "hf" / "datasets"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "TMPDIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", RUNNER],
        input=json.dumps([unit.relative_to(ROOT).as_posix(), blocks]),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"{unit.name} failed:\n{result.stderr[-4000:]}"
    assert len(result.stdout) <= MAX_OUTPUT, f"{unit.name} prints {len(result.stdout)} characters"
