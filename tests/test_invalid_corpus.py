"""The invalid corpus: one minimal invalid input per validator code (tests/invalid/*.case).

Each case file says on its first line why it is invalid, names the file of the repository
it replaces (or appends to, deletes, turns into a folder), and lists the exact issues
expected as ``# expect: LINE CODE [FILE]`` (``-`` for no line; FILE defaults to the target).
``# validate: PATH`` names files to pass to the validator (Label Studio exports are checked
when named). ``# import: ARGS`` makes the case a Label Studio export imported with ARGS
(``--gold``, ``--force``, ``--out DIR``): the problems of the import's plan are compared, for the
codes only an import finds (where its output would go).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from string import Formatter

import pytest

from dprkmedia.adapters.labelstudio.importing import plan_import, read_export_file
from dprkmedia.adapters.labelstudio.tasks import export_issues
from dprkmedia.corpus.repo import Repo
from dprkmedia.model.catalogue import CATALOGUE
from dprkmedia.model.issues import Issue
from dprkmedia.model.messages import Message
from dprkmedia.validation.repo import validate_repo

from .conftest import copy_repo

CASES = Path(__file__).parent / "invalid"


@dataclass
class Case:
    why: str
    target: str
    mode: str
    expect: list[tuple[str, int | None, str]]
    body: bytes
    validate: list[str]
    imports: list[str] | None = None


def read_case(path: Path) -> Case:
    data = path.read_bytes()
    header: dict[str, list[str]] = {}
    while data.startswith(b"# "):
        line, _, data = data.partition(b"\n")
        key, _, value = line[2:].decode("utf-8").partition(": ")
        header.setdefault(key, []).append(value)
    if "pad" in header:
        token, count = header["pad"][0].split()
        data = data.replace(token.encode(), b"x" * int(count))
    target = header["target"][0]
    expect = []
    for item in header.get("expect", []):
        line, code, *file = item.split()
        expect.append((file[0] if file else target, None if line == "-" else int(line), code))
    imports = header["import"][0].split() if "import" in header else None
    validate = header.get("validate", [])
    return Case(header["why"][0], target, header["mode"][0], sorted(expect, key=str), data, validate, imports)


def install(case: Case, repo: Repo) -> None:
    path = repo.root / case.target
    if case.mode == "replace":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(case.body)
    elif case.mode == "append":
        path.write_bytes(path.read_bytes() + case.body)
    elif case.mode == "delete":
        path.unlink()
    elif case.mode == "mkdir":
        path.unlink()
        path.mkdir()
    elif case.mode == "new-folder":
        path.mkdir(parents=True)
    else:
        raise ValueError(case.mode)


def test_invalid_corpus_has_a_case_for_every_code() -> None:
    assert sorted(p.stem for p in CASES.glob("*.case")) == sorted(CATALOGUE)


def test_invalid_corpus_cases_say_why_on_their_first_line() -> None:
    for path in CASES.glob("*.case"):
        first = path.read_bytes().split(b"\n", 1)[0].decode()
        assert first.startswith("# why: ") and len(first) > 20, path.name


@pytest.mark.parametrize("path", sorted(CASES.glob("*.case")), ids=lambda p: p.stem)
def test_invalid_corpus_case_gives_exactly_its_issues(path: Path, tmp_path: Path) -> None:
    case = read_case(path)
    repo = copy_repo(tmp_path / "repo")
    install(case, repo)
    if case.imports is None:
        report = validate_repo(repo, [repo.root / p for p in case.validate], check_export=export_issues)
        assert not report.passed
        issues = report.issues
    else:
        issues = import_issues(repo, case)
    got = sorted(((relative(i.file, repo), i.line, i.code) for i in issues), key=str)
    assert got == case.expect
    assert path.stem in {code for _, _, code in got}


def import_issues(repo: Repo, case: Case) -> list[Issue]:
    """The problems ``dprkmedia labelstudio import TARGET ARGS`` reports before writing anything."""
    args = case.imports or []
    out = repo.root / args[args.index("--out") + 1] if "--out" in args else None
    reading = read_export_file(repo, repo.root / case.target, case.target)
    before = sorted(repo.root.rglob("*"))
    issues = plan_import(repo, reading, out, "--gold" in args, "--force" in args).issues
    assert sorted(repo.root.rglob("*")) == before  # planning writes nothing
    return issues


def relative(file: str, repo: Repo) -> str:
    """An output path of an import as a case names it (relative to the repository)."""
    return Path(file).relative_to(repo.root).as_posix() if Path(file).is_absolute() else file


def test_invalid_corpus_valid_repo_passes(repo: Repo) -> None:
    report = validate_repo(repo)
    assert report.passed, report.render()
    assert "*** PASSED ***" in report.render()


def test_invalid_corpus_every_code_has_a_message_and_every_template_is_well_formed() -> None:
    assert {message.code for message in Message} == set(CATALOGUE)
    for message in Message:
        for template in (message.text, message.expected or ""):
            fields = [name for _, name, _, _ in Formatter().parse(template) if name is not None]
            assert all(name.isidentifier() for name in fields), (message, fields)
