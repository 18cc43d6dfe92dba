"""Property-based fuzzing of ``dprkmedia validate`` and ``dprkmedia score`` through the command
line: random bytes and random JSON lines in any input never give a traceback, always exit 0
(only when nothing is wrong), 1 or 2 with every problem coded from the catalogue, and never
write a file. ``DPRKMEDIA_FUZZ_EXAMPLES=1000`` runs more examples than the 40 of CI."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dprkmedia.cli.main import main
from dprkmedia.corpus.repo import Repo
from dprkmedia.model.catalogue import CATALOGUE
from dprkmedia.model.taxonomy import load_taxonomy

from .conftest import ROOT, copy_repo

DOC = "003_ffbef9be4e76c7d4"
TAX = load_taxonomy(ROOT / "schema")
ISSUE_LINE = re.compile(r"^(?:warning: )?\S.*?: \[(?P<code>[a-z0-9-]+)\] ")
FUZZ = settings(
    max_examples=int(os.environ.get("DPRKMEDIA_FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- random JSON lines, built from the format's own words so that they get past the parser --

FIELDS = ["doc", "frames", "genre", "layer", "id", "start", "end", "text", "label", "type", "value", "norm", "note"]
WORDS = [*TAX.names("entities"), *TAX.names("dates"), *TAX.names("rhetoric"), "entities", "dates", "rhetoric"]
WORDS += [DOC, "opinion", "Political", "DPRK", "2001-13-45", "T25:99", "P1D1Y", "2001-08-04", "e1", "d1", "r1"]
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-3, max_value=3000)
    | st.sampled_from(WORDS)
    | st.text(max_size=12)
    | st.floats(allow_nan=False)
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
records = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=6), values, max_size=9)


def line_of(record: dict[str, Any], slip: int) -> str:
    """A record as a JSON line, sometimes with the slips people make by hand."""
    text = json.dumps(record, ensure_ascii=slip % 2 == 0)
    if slip == 1 and text.endswith("}") and len(text) > 2:
        return text[:-1] + ", }"  # trailing comma
    if slip == 2:
        return text.replace('"', "\u201c", 1)  # a curly quote
    if slip == 3:
        return text[: len(text) // 2]  # cut
    if slip == 4:
        return text + "\r"  # CR LF
    return text


REAL = [json.loads(line) for line in (ROOT / "annotations" / f"{DOC}.jsonl").read_text(encoding="utf-8").splitlines()]
REAL += [json.loads(line) for line in (ROOT / "annotations" / "sources.jsonl").read_text(encoding="utf-8").splitlines()]


@st.composite
def near_real(draw: st.DrawFn) -> dict[str, Any]:
    """A real record of the corpus with one or two fields replaced, removed or added: it gets
    past the parser and the first checks, so the deeper checks meet odd values."""
    record = dict(draw(st.sampled_from(REAL)))
    for _ in range(draw(st.integers(min_value=1, max_value=2))):
        key = draw(st.sampled_from(sorted(record)) | st.sampled_from(FIELDS))
        if draw(st.booleans()):
            record[key] = draw(values)
        else:
            record.pop(key, None)
    return record


json_lines = st.lists(st.tuples(records | near_real(), st.integers(min_value=0, max_value=9)), max_size=8).map(
    lambda items: ("\n".join(line_of(r, slip) for r, slip in items) + "\n").encode("utf-8")
)
PAGE = (ROOT / "dataset" / "sources" / f"{DOC}.txt").read_bytes()


@st.composite
def mutated_page(draw: st.DrawFn) -> bytes:
    """The real raw page with a stretch of it replaced by random bytes (or cut)."""
    start = draw(st.integers(min_value=0, max_value=len(PAGE)))
    end = draw(st.integers(min_value=start, max_value=min(len(PAGE), start + 400)))
    return PAGE[:start] + draw(st.binary(max_size=40)) + PAGE[end:]


any_bytes = (
    st.binary(max_size=600) | json_lines | json_lines.map(lambda data: data.decode().encode("utf-16")) | mutated_page()
)


# --- the run ----------------------------------------------------------------------------------


def tree(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``root`` with its size and modification time: any write changes it. The check
    cache (``build/.cache/``, which validate keeps for the next run) is not the user's data and is left out."""
    cache = root / "build" / ".cache"
    return {
        str(p): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if p.is_file() and cache not in p.parents
    }


def coded(output: str) -> list[str]:
    """The codes of the issue lines of a report; every line before the summary is one."""
    lines = output.split("\nSummary:")[0].splitlines()
    lines = [line for line in lines if not line.startswith(("Checked ", "*** ", "... "))]
    codes = []
    for line in lines:
        match = ISSUE_LINE.match(line)
        assert match is not None, line
        codes.append(match["code"])
    return codes


@pytest.fixture(scope="module")
def shared_copy(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    return copy_repo(tmp_path_factory.mktemp("fuzz") / "repo")


@pytest.fixture
def fuzz_repo(shared_copy: Repo) -> Iterator[Repo]:
    saved = {p: p.read_bytes() for p in shared_copy.root.rglob("*") if p.is_file() and p.suffix in (".jsonl", ".txt")}
    yield shared_copy
    for path, data in saved.items():
        path.write_bytes(data)


TARGETS = [
    f"annotations/{DOC}.jsonl",
    "annotations/sources.jsonl",
    f"annotations/passes/A/{DOC}.jsonl",
    f"dataset/sources/{DOC}.txt",
]


@FUZZ
@given(data=any_bytes, target=st.sampled_from(TARGETS), as_json=st.booleans())
def test_fuzz_validate_never_crashes_codes_every_problem_and_writes_nothing(
    fuzz_repo: Repo, capsys: pytest.CaptureFixture[str], data: bytes, target: str, as_json: bool
) -> None:
    (fuzz_repo.root / target).write_bytes(data)
    before = tree(fuzz_repo.root)
    code = main(["--root", str(fuzz_repo.root), "validate", *(["--json"] if as_json else [])])
    out = capsys.readouterr().out
    assert tree(fuzz_repo.root) == before
    if as_json:
        report = json.loads(out)
        codes = [issue["code"] for issue in report["issues"]]
        assert code == (0 if report["passed"] else 1)
    else:
        codes = coded(out)
        assert code == (0 if "*** PASSED ***" in out else 1)
    assert set(codes) <= set(CATALOGUE)
    assert (code == 0) == (codes == [])


@FUZZ
@given(
    data=st.binary(max_size=400) | json_lines,
    name=st.text(
        st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="/"), min_size=1, max_size=12
    ),
)
def test_fuzz_validate_paths_never_crash(
    fuzz_repo: Repo, capsys: pytest.CaptureFixture[str], data: bytes, name: str
) -> None:
    given_file = fuzz_repo.root / "annotations" / "passes" / f"{name}.jsonl"
    missing = fuzz_repo.root / "annotations" / f"{name}-missing"
    given_file.write_bytes(data)
    before = tree(fuzz_repo.root)
    try:
        code = main(["--root", str(fuzz_repo.root), "validate", str(given_file), str(missing)])
        out = capsys.readouterr().out
        assert tree(fuzz_repo.root) == before
        assert code == 2
        assert "path-missing" in coded(out)
        assert set(coded(out)) <= set(CATALOGUE)
    finally:
        given_file.unlink()


@FUZZ
@given(pred=any_bytes, gold_is_random=st.booleans(), as_json=st.booleans())
def test_fuzz_score_never_crashes_codes_every_problem_and_writes_nothing(
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
    pred: bytes,
    gold_is_random: bool,
    as_json: bool,
) -> None:
    folder = tmp_path_factory.mktemp("score")
    gold = folder / "gold" / f"{DOC}.jsonl"
    gold.parent.mkdir()
    gold.write_bytes(pred if gold_is_random else (ROOT / "annotations" / f"{DOC}.jsonl").read_bytes())
    student = folder / "student.jsonl"
    student.write_bytes(pred)
    before = tree(folder)
    code = main(["score", str(gold.parent), str(student), *(["--json"] if as_json else [])])
    out, err = capsys.readouterr()
    assert tree(folder) == before
    assert code in (0, 1)
    codes = coded(err)
    assert set(codes) <= set(CATALOGUE)
    if code == 1:
        assert "*** FAILED ***" in err and not out
    else:
        assert all(line.startswith("warning: ") for line in err.splitlines())
        assert "Documents compared" in out or json.loads(out)["documents"] is not None


HEADER = json.dumps({"doc": DOC, "frames": ["Political"], "genre": "opinion"})


@pytest.mark.parametrize(
    ("target", "body", "codes"),
    [
        (f"annotations/{DOC}.jsonl", HEADER + '\n{"layer": []}\n', {"label-unknown"}),
        (
            f"annotations/{DOC}.jsonl",
            HEADER + '\n{"layer": "entities", "id": "e1", "start": 50, "end": 54, "text": "DPRK", "label": ["GPE"], '
            '"norm": "x"}\n',
            {"label-unknown"},
        ),
        (
            f"annotations/{DOC}.jsonl",
            HEADER + '\n{"layer": "dates", "id": "d1", "start": 50, "end": 54, "text": "DPRK", "type": ["DATE"], '
            '"value": "x"}\n',
            {"label-unknown"},
        ),
        ("annotations/sources.jsonl", '{"kind": ["source"]}\n', {"label-unknown"}),
    ],
    ids=["layer-list", "label-list", "type-list", "kind-list"],
)
def test_fuzz_found_values_of_the_wrong_type_are_issues_not_crashes(
    fuzz_repo: Repo, capsys: pytest.CaptureFixture[str], target: str, body: str, codes: set[str]
) -> None:
    """What the fuzzing found: a list where a label goes raised TypeError (unhashable)."""
    path = fuzz_repo.root / target
    path.write_text(body if target != "annotations/sources.jsonl" else path.read_text() + body, encoding="utf-8")
    assert main(["--root", str(fuzz_repo.root), "validate", "--json", str(path)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert codes <= {issue["code"] for issue in report["issues"]}
