"""The classroom units in docs/teaching/: their shape, every Python block runs as written in an
environment with only the package's default dependencies, and every number the text quotes is what
the code prints.

Each unit's ```python blocks are executed in order in one namespace (like a notebook), in a
fresh interpreter per unit, with the repository root as working directory, offline, and with
a private Hugging Face cache so that nothing is written to the user's cache. Warnings are
errors there too, as in the rest of the suite (pyproject: filterwarnings = error).

**Only the default install.** The README's quick start is ``make dataset``: ``pip install -e .``
without extras. The interpreter that runs a unit sees exactly the distributions that install
brings: the closure of ``[project] dependencies`` in pyproject.toml (markers evaluated, no extras)
over the installed metadata, linked into one folder that is its only site-packages (``python -S``
plus ``PYTHONPATH``), with the package's ``src``. A unit that imports anything else (duckdb,
nltk, ...) fails with ModuleNotFoundError, lazily imported modules included, as it would after
``make dataset``. This is offline and takes a second, where building a fresh virtual environment
from the registry would need the network and minutes; what it cannot catch is a dependency whose
installed version differs from what pip would pick today (constraints.txt pins those).

**Numbers.** Every decimal number in a unit's text (outside code blocks) and in its teacher notes must
be printed by the unit's code, at the precision the text gives (``0.8`` matches a printed ``0.790``);
section numbers ("section 4.5") are not results. Integer claims are checked one by one (``CLAIMS``).
"""

from __future__ import annotations

import importlib.metadata
import itertools
import json
import os
import re
import subprocess
import sys
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from dprkmedia.corpus.tokens import paragraph_offsets
from dprkmedia.publish.worksheet import worksheet_files

from .conftest import Repo

ROOT = Path(__file__).resolve().parents[1]
TEACHING = ROOT / "docs" / "teaching"
UNITS = sorted(TEACHING.glob("[0-9][0-9]-*.md"))
NOTES = TEACHING / "teacher"
NOTE_SECTIONS = ("## 45-minute plan", "## 90-minute plan", "## Model answers", "## Discussion prompts", "## Rubric")
DECIMAL = re.compile(r"(?<![\w.-])(\d+\.\d+)(?![\w.]*\d)")
FENCED = re.compile(r"^```.*?^```[ \t]*$", re.DOTALL | re.MULTILINE)
CLAIMS: dict[str, list[tuple[str, str]]] = {
    # unit: (a pattern in the text, a pattern in the output); their groups must be equal
    "01-persuasion-techniques": [
        (r"(?:precision credit and|gives it) (\d+) of (\d+) characters", r"'great contribution'.*?: (\d+) of (\d+)"),
        (r"About (\d+) of the (\d+) sentences", r"sentences with at least one technique: (\d+) of (\d+)"),
    ],
    "02-provenance-and-dates": [
        (r"agrees with the gold on (\d+) of (\d+)", r"naive rule = gold on (\d+) of (\d+)"),
        (
            r"That window, from (\d{4}) to at least (\d{4})",
            r"article mentions: (\d+); newest related headline: (\d{4})",
        ),
    ],
    "03-token-classification": [
        (
            r"`EVENT`:? (?:has )?(\d+) training\s+mentions?,? (?:and )?(\d+) test\s+mentions",
            r"EVENT\s+train\s+(\d+)\s+test\s+(\d+)",
        ),
        (r"two articles, (\d+) entity mentions", r"oracle \(gold IOB2 tags\)\s+spans\s+\d+/(\d+)"),
    ],
}

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


def default_requirements() -> list[Requirement]:
    """``[project] dependencies`` of pyproject.toml: what ``pip install -e .`` (``make dataset``) installs."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(line) for line in project["dependencies"]]


def default_closure() -> dict[str, importlib.metadata.Distribution]:
    """Every installed distribution the default requirements pull in (no extras), by name."""
    found: dict[str, importlib.metadata.Distribution] = {}
    todo = default_requirements()
    while todo:
        requirement = todo.pop()
        if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
            continue
        name = canonicalize_name(requirement.name)
        if name in found:
            continue
        found[name] = importlib.metadata.distribution(name)
        todo += [Requirement(line) for line in found[name].requires or []]
    return found


@pytest.fixture(scope="session")
def default_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site-packages folder with only the default install's distributions (symlinks to the installed ones)."""
    site = tmp_path_factory.mktemp("default-install") / "site-packages"
    site.mkdir()
    for name, dist in default_closure().items():
        assert dist.files, f"{name} was installed without a file list (RECORD): cannot link it"
        for entry in dist.files:
            top = entry.parts[0]
            if top in ("..", "__pycache__") or top.endswith(".pth") or (site / top).exists():
                continue
            (site / top).symlink_to(dist.locate_file(top))
    return site


def run_in_default_install(site: Path, tmp_path: Path, code: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run ``code`` in an interpreter that sees only ``site`` and the package's ``src``."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(site), str(ROOT / "src")]),
        "HF_DATASETS_OFFLINE": "1",
        "HF_HUB_OFFLINE": "1",
        "HF_HOME": str(tmp_path / "hf"),
        "HF_DATASETS_CACHE": str(tmp_path / "hf" / "datasets"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "TMPDIR": str(tmp_path),
    }
    return subprocess.run(
        [sys.executable, "-S", "-c", code],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
        check=False,
    )


@cache
def _unit_run(unit: Path, site: Path, tmp: Path) -> subprocess.CompletedProcess[str]:
    blocks = python_blocks(unit.read_text(encoding="utf-8"))
    return run_in_default_install(site, tmp, RUNNER, json.dumps([unit.relative_to(ROOT).as_posix(), blocks]))


@pytest.fixture
def unit_output(default_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The run of a unit (once per unit and session): its completed process."""
    tmp = tmp_path_factory.getbasetemp() / "units"
    tmp.mkdir(exist_ok=True)
    return lambda unit: _unit_run(unit, default_site, tmp)


def test_teaching_default_install_is_really_restricted(default_site: Path, tmp_path: Path) -> None:
    """The check can fail: an extra's package, installed here, is missing in the default install."""
    names = set(default_closure())
    assert {"datasets", "spacy", "pandas", "jinja2"} <= names
    assert not {"duckdb", "nltk", "pygamma-agreement", "label-studio-sdk", "pytest"} & names
    probe = "import importlib.util as u; print([m for m in ('duckdb', 'nltk', 'pytest', 'pandas') if u.find_spec(m)])"
    result = run_in_default_install(default_site, tmp_path, probe)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['pandas']"


@pytest.mark.loading
@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.stem)
def test_teaching_python_blocks_run_in_order_with_only_the_default_install(unit: Path, unit_output: Any) -> None:
    blocks = python_blocks(unit.read_text(encoding="utf-8"))
    assert blocks, f"{unit.name} has no ```python block"
    result = unit_output(unit)
    assert result.returncode == 0, f"{unit.name} failed:\n{result.stderr[-4000:]}"
    assert len(result.stdout) <= MAX_OUTPUT, f"{unit.name} prints {len(result.stdout)} characters"


def prose(text: str) -> str:
    """``text`` without its fenced code blocks."""
    return FENCED.sub("", text)


def quoted_decimals(text: str) -> list[str]:
    """The decimal numbers a text quotes, section numbers ("section 4.5") excepted."""
    return [m.group(1) for m in DECIMAL.finditer(text) if not re.search(r"sections? $", text[: m.start()][-9:])]


def printed(number: str, output: str) -> bool:
    """Whether ``output`` prints ``number`` at the precision it is quoted with."""
    places = len(number.split(".")[1])
    return any(f"{float(value):.{places}f}" == number for value in DECIMAL.findall(output))


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.stem)
def test_teaching_numbers_in_the_text_and_notes_are_what_the_code_prints(unit: Path, unit_output: Any) -> None:
    result = unit_output(unit)
    assert result.returncode == 0, result.stderr[-2000:]
    texts = {unit.name: prose(unit.read_text(encoding="utf-8"))}
    notes = NOTES / f"{unit.stem[:2]}-notes.md"
    if notes.is_file():
        texts[notes.name] = prose(notes.read_text(encoding="utf-8"))
    for name, text in texts.items():
        wrong = [number for number in quoted_decimals(text) if not printed(number, result.stdout)]
        assert wrong == [], f"{name} quotes numbers the code of {unit.name} does not print: {wrong}"
    for text_pattern, output_pattern in CLAIMS.get(unit.stem, []):
        claims = [m for text in texts.values() for m in re.finditer(text_pattern, text)]
        assert claims, f"{unit.name}: the text no longer says {text_pattern!r}: update CLAIMS"
        shown = re.search(output_pattern, result.stdout)
        assert shown, f"{unit.name}: the output no longer prints {output_pattern!r}"
        for claim in claims:
            assert claim.groups() == shown.groups(), f"text {claim.group(0)!r}, output {shown.group(0)!r}"


def test_teaching_number_check_can_fail() -> None:
    assert quoted_decimals("F1 0.54 and section 4.5 and Python 3.11") == ["0.54", "3.11"]
    assert printed("0.8", "partial-credit F1 0.790") and printed("0.600", "F1 0.600")
    assert not printed("0.54", "spaCy NER, seed 0   F1 0.600")


def test_teaching_passages_in_the_materials_are_paragraphs(repo: Repo) -> None:
    from dprkmedia.corpus.loading import load_repo

    texts = {doc_id: loaded.page.text for doc_id, loaded in load_repo(repo)[0].sources.items()}
    found = 0
    for path in sorted(TEACHING.rglob("*.md")):
        for doc, start, end in re.findall(r"--passage (\w+):(\d+)-(\d+)", path.read_text(encoding="utf-8")):
            found += 1
            assert (int(start), int(end)) in paragraph_offsets(texts[doc]), f"{path.name}: {doc}:{start}-{end}"
    assert found >= 2


def test_teaching_worksheets_are_generated_from_the_data(repo: Repo) -> None:
    files = worksheet_files(repo)
    assert len(files) == 2 * len(UNITS)
    for path, text in files.items():
        assert path.is_file(), f"{path.name} is missing: run 'dprkmedia generate'"
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale: run 'dprkmedia generate'"


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.stem)
def test_teaching_unit_has_teacher_notes_with_plans_answers_prompts_and_rubric(unit: Path) -> None:
    notes = NOTES / f"{unit.stem[:2]}-notes.md"
    assert notes.is_file(), f"{unit.name} has no teacher notes ({notes.relative_to(ROOT)})"
    text = notes.read_text(encoding="utf-8")
    for heading in NOTE_SECTIONS:
        assert f"\n{heading}\n" in text, f"{notes.name}: missing section {heading!r}"
    for heading, minutes in (("## 45-minute plan", 45), ("## 90-minute plan", 90)):
        rows = [(int(a), int(b)) for a, b in PLAN_ROW.findall(section(text, heading))]
        assert rows and rows[0][0] == 0, f"{notes.name}: {heading} needs a table of timed steps from minute 0"
        assert all(end == start for (_, end), (start, _) in itertools.pairwise(rows)), f"{notes.name}: {heading}"
        assert rows[-1][1] == minutes, f"{notes.name}: {heading} lasts {rows[-1][1]} minutes"
    rubric = section(text, "## Rubric")
    assert rubric.count("\n|") >= 5, f"{notes.name}: the rubric is a table of criteria and levels"
    assert section(text, "## Discussion prompts").count("?") >= 3
    assert (TEACHING / "worksheets" / f"{unit.stem[:2]}-worksheet.md").is_file()
