"""``labelstudio import``: an export file read and checked in one pass, a plan of the files it
would write with every problem of the plan, and the chosen files written as one transaction.

Nothing is written while a problem remains, unless the caller asks to skip what the problems
touch (``--skip-invalid``): then every annotator with a problem, every task with a problem
and every output file with a problem is left out, and the rest is written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dprkmedia.adapters.labelstudio.checking import check_annotations
from dprkmedia.adapters.labelstudio.reading import ExportReading, ImportedAnnotation, Problem, read_export
from dprkmedia.corpus.fileio import write_files
from dprkmedia.corpus.jsonl import dump_line
from dprkmedia.corpus.loading import load_repo
from dprkmedia.corpus.repo import Repo
from dprkmedia.model.issues import Issue
from dprkmedia.model.messages import Message as M
from dprkmedia.model.messages import issue

UTF16_BOMS = {b"\xff\xfe": "little-endian, FF FE", b"\xfe\xff": "big-endian, FE FF"}


def load_export(path: Path, display: str) -> tuple[Any, list[Issue]]:
    """The parsed export, or the issues that say why it cannot be read: the file itself
    (missing, a folder), its bytes (0 bytes, UTF-16, not UTF-8) or its JSON, each with a hint
    that fits an export (one JSON array of tasks)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [issue(M.LS_EXPORT_UNREADABLE, display, found=str(path), reason=error.strerror or error)]
    if not data.strip():
        return None, [issue(M.LS_EXPORT_ZERO_BYTES, display, found=repr(data[:20]), size=len(data))]
    bom = next((name for mark, name in UTF16_BOMS.items() if data.startswith(mark)), None)
    if bom is None and len(data) >= 4 and (data[1::2][:8].count(0) >= 3 or data[0::2][:8].count(0) >= 3):
        bom = "no byte order mark; every other byte is NUL"
    if bom is not None:
        return None, [issue(M.LS_EXPORT_UTF16, display, found=data[:8].hex(" "), bom=bom)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        bad = data[error.start : error.end + 3].hex(" ")
        return None, [issue(M.LS_EXPORT_NOT_UTF8, display, found=bad, byte=error.start + 1)]
    try:
        return json.loads(text), []
    except json.JSONDecodeError as error:
        excerpt = text[error.pos : error.pos + 40]
        message = M.LS_EXPORT_SEVERAL_VALUES if error.msg == "Extra data" else M.LS_EXPORT_NOT_JSON
        return None, [issue(message, display, line=error.lineno, found=excerpt, error=error.msg, column=error.colno)]
    except RecursionError:
        return None, [issue(M.LS_EXPORT_TOO_DEEP, display, found=f"{len(text)} characters")]
    except ValueError as error:  # e.g. an integer of more digits than Python converts
        return None, [issue(M.LS_EXPORT_NOT_JSON, display, found=str(error)[:80], error=error, column=1)]


def read_export_file(repo: Repo, path: Path, display: str | None = None) -> ExportReading:
    """Read and check an export file against the repository's documents, in one pass."""
    shown = display or str(path)
    export, problems = load_export(path, shown)
    if problems:
        return ExportReading(shown, problems=[Problem(found) for found in problems])
    ctx = load_repo(repo)[0]
    texts = {doc_id: loaded.page.text for doc_id, loaded in ctx.sources.items()}
    reading = read_export(export, shown, texts, ctx.tax)
    check_annotations(reading, texts, ctx.tax)
    return reading


@dataclass
class ImportPlan:
    """The files an import would write, and every problem found (reading and planning)."""

    reading: ExportReading
    files: dict[Path, ImportedAnnotation] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def issues(self) -> list[Issue]:
        return [problem.issue for problem in self.problems]

    def blocked(self, path: Path) -> list[Problem]:
        """The problems that keep ``path`` from being written."""
        item = self.files[path]
        return [
            p
            for p in self.problems
            if (p.task is None and p.annotator is None and not p.targets)
            or p.annotator == item.annotator
            or (p.task == item.task and p.annotator is None and not p.targets)
            or path in p.targets
        ]

    def writable(self) -> dict[Path, bytes]:
        """The bytes of every planned file that no problem touches."""
        return {path: file_bytes(item) for path, item in sorted(self.files.items()) if not self.blocked(path)}


def file_bytes(item: ImportedAnnotation) -> bytes:
    """An annotation file's bytes, in the house form."""
    return "".join(dump_line(line) + "\n" for line in item.lines).encode("utf-8")


def plan_import(repo: Repo, reading: ExportReading, out: Path | None, gold: bool, force: bool) -> ImportPlan:
    """Where each annotation goes (``OUT/<annotator>/<doc>.jsonl``, or ``annotations/<doc>.jsonl``
    with ``gold``) and what stands in the way: several annotators of one gold document, files
    that exist (without ``force``), paths that cannot be written."""
    plan = ImportPlan(reading, problems=list(reading.problems))
    folder = out or repo.annotations_dir / "passes"
    by_doc: dict[str, list[ImportedAnnotation]] = {}
    for item in reading.annotations:
        by_doc.setdefault(item.doc_id, []).append(item)
    for doc_id, items in by_doc.items():
        if gold:
            path = repo.annotation_file(doc_id)
            annotators = sorted({item.annotator for item in items})
            if len(annotators) > 1:
                found = issue(
                    M.LS_GOLD_SEVERAL_ANNOTATORS,
                    str(path),
                    context=_contexts(items),
                    count=len(annotators),
                    annotators=", ".join(annotators),
                )
                plan.problems.append(Problem(found, targets=frozenset([path])))
            plan.files.setdefault(path, items[0])
        else:
            for item in items:
                plan.files.setdefault(folder / item.annotator / f"{doc_id}.jsonl", item)
    plan.problems += _output_problems(plan.files, force)
    return plan


def _contexts(items: list[ImportedAnnotation]) -> str:
    return "; ".join(item.context for item in items)


def _output_problems(files: dict[Path, ImportedAnnotation], force: bool) -> Iterator[Problem]:
    """Files that exist (without ``force``), and paths that cannot be written, found before
    anything is written: one problem per file in the way, naming every output it blocks."""
    blockers: dict[tuple[M, Path], set[Path]] = {}
    for path, item in sorted(files.items()):
        if path.is_dir():
            yield Problem(issue(M.LS_OUTPUT_IS_FOLDER, str(path), context=item.context), targets=frozenset([path]))
            continue
        if path.exists() and not force:
            yield Problem(issue(M.LS_OUTPUT_EXISTS, str(path), context=item.context), targets=frozenset([path]))
        folder = path.parent
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        if not folder.is_dir():
            blockers.setdefault((M.LS_OUTPUT_IS_FILE, folder), set()).add(path)
        elif not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path.parent, os.W_OK)):
            blockers.setdefault((M.LS_OUTPUT_NOT_WRITABLE, folder), set()).add(path)
    for (message, blocker), paths in sorted(blockers.items(), key=lambda kv: str(kv[0][1])):
        found = issue(message, str(blocker), blocker=blocker, count=len(paths))
        yield Problem(found, targets=frozenset(paths))


def write_plan(files: dict[Path, bytes]) -> None:
    """Write the chosen files as one transaction (see :func:`dprkmedia.corpus.fileio.write_files`)."""
    write_files(files)
