"""Validate a corpus repository: every problem in every file, each with a code and a place.

:func:`validate_repo` loads the metadata (:mod:`dprkmedia.corpus.loading`), checks every
document (:func:`dprkmedia.validation.document.check_document`: its page and its annotation
files) in worker processes, one at a time, and runs the repository-level checks here; every
issue goes into a :class:`~dprkmedia.model.issues.Report`. Nothing here stops at the first
problem, and nothing raises on bad input (but :func:`load_valid_repo`, which raises on an
invalid one). The report is the same for any number of workers: documents are checked in the
order of the metadata file and the issues sorted by file and line.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from dprkmedia.corpus.loading import LoadedRepo, load_metadata
from dprkmedia.corpus.metadata import Metadata, Source
from dprkmedia.corpus.parallel import ordered_map
from dprkmedia.corpus.progress import QUIET, Progress
from dprkmedia.corpus.repo import Repo
from dprkmedia.model.issues import Issue, Report
from dprkmedia.model.messages import Message as M
from dprkmedia.model.messages import issue
from dprkmedia.model.taxonomy import load_taxonomy
from dprkmedia.validation.document import (
    Checker,
    DocumentCheck,
    annotation_file_issues,
    check_document,
    check_orphan,
    source_issues,
)

ExportChecker = Callable[[Repo, Path, str], list[Issue]]
"""Checks a file named on the command line as a Label Studio export: ``(repo, path, display)
-> issues``. The validator does not know the format; the command line passes the checker."""


# --- metadata and sources ---------------------------------------------------------------


def check_metadata(ctx: LoadedRepo) -> Iterator[Issue]:
    """Load the metadata into ``ctx`` (its schema issues), then check for duplicates."""
    path = ctx.repo.metadata_file
    display = ctx.display(path)
    ctx.meta, issues = load_metadata(path, ctx.tax, display)
    yield from issues
    yield from check_metadata_duplicates(ctx.meta, display)


def check_metadata_duplicates(meta: Metadata, display: str) -> Iterator[Issue]:
    """One record per source id and per file."""
    seen: dict[str, int] = {}
    for source in meta.sources:
        for key in (f"id {source.id}", f"file {source.file}"):
            if key in seen:
                yield issue(M.METADATA_DUPLICATE, display, line=source.line, found=key, key=key, first=seen[key])
            seen.setdefault(key, source.line)


def check_unregistered(ctx: LoadedRepo) -> Iterator[Issue]:
    """Raw pages in ``dataset/sources/`` that no source record names."""
    display_meta = ctx.display(ctx.repo.metadata_file)
    registered = {source.file for source in ctx.meta.sources}
    if ctx.repo.sources_dir.is_dir():
        for path in sorted(ctx.repo.sources_dir.iterdir()):
            if path.is_file() and path.name not in registered:
                yield issue(M.SOURCE_UNREGISTERED, ctx.display(path), found=path.name, metadata=display_meta)


# --- the whole repository -----------------------------------------------------------------


ANNOTATION_SUFFIXES = {".jsonl", ".md"}
"""What may stand in ``annotations/`` (and its ``passes/<annotator>/`` folders)."""


def annotation_files(repo: Repo) -> list[Path]:
    """Gold files ``annotations/*.jsonl`` (not the metadata file) and pass files
    ``annotations/passes/<annotator>/*.jsonl``."""
    return list(iter_annotation_files(repo))


def iter_annotation_files(repo: Repo) -> Iterator[Path]:
    """:func:`annotation_files`, one at a time (gold files, then pass files, each sorted)."""
    if not repo.annotations_dir.is_dir():
        return
    yield from sorted(p for p in repo.annotations_dir.glob("*.jsonl") if p != repo.metadata_file)
    yield from sorted(repo.annotations_dir.glob("passes/*/*.jsonl"))


def check_unexpected(ctx: LoadedRepo) -> Iterator[Issue]:
    """Files in ``annotations/`` that are neither annotation files nor documents."""
    if not ctx.repo.annotations_dir.is_dir():
        return
    for folder, _, names in os.walk(ctx.repo.annotations_dir):
        for name in names:
            path = Path(folder) / name
            if path.suffix not in ANNOTATION_SUFFIXES and path.is_file():
                yield issue(M.FILE_UNEXPECTED, ctx.display(path), found=name)


def has_duplicate_ids(meta: Metadata) -> bool:
    """Whether two source records share an id (reported by :func:`check_metadata_duplicates`)."""
    seen: set[str] = set()
    for source in meta.sources:
        if source.id in seen:
            return True
        seen.add(source.id)
    return False


def _check(checker: Checker, source: Source) -> DocumentCheck:
    return check_document(checker, source)


def check_repo(ctx: LoadedRepo, *, workers: int = 1, progress: Progress = QUIET) -> Iterator[Issue]:
    """All checks of a repository, metadata first (the others depend on it), then document by
    document in ``workers`` processes, then the files no document claims. Issues come in
    another order than file by file; :func:`validate_repo` sorts them."""
    yield from check_metadata(ctx)
    if has_duplicate_ids(ctx.meta):
        yield from check_repo_with_duplicates(ctx)
        return
    checker = Checker.for_repo(ctx)
    progress.start("Checking documents", len(ctx.meta.sources))
    for check in ordered_map(_check, checker, ctx.meta.sources, workers):
        yield from check.issues
        progress.advance()
    yield from check_repository_files(ctx, checker)


def check_repository_files(ctx: LoadedRepo, checker: Checker) -> Iterator[Issue]:
    """The files no registered document claims: raw pages no record names, files that do not
    belong in ``annotations/``, annotation files of unknown documents."""
    yield from check_unregistered(ctx)
    yield from check_unexpected(ctx)
    registered = {source.id for source in ctx.meta.sources}
    for path in iter_annotation_files(ctx.repo):
        if path.name.removesuffix(".jsonl") not in registered:
            yield from check_orphan(checker, path)


def check_repo_with_duplicates(ctx: LoadedRepo) -> Iterator[Issue]:
    """The checks of a repository whose metadata registers an id twice (an error, reported):
    in one process, each record's page loaded in turn, the annotation files of an id checked
    after its last record, against the last page of the id that loaded."""
    checker = Checker.for_repo(ctx)
    last = {source.id: index for index, source in enumerate(ctx.meta.sources)}
    by_doc: dict[str, list[Path]] = {}
    for path in annotation_files(ctx.repo):
        by_doc.setdefault(path.name.removesuffix(".jsonl"), []).append(path)
    for index, source in enumerate(ctx.meta.sources):
        loaded, issues = source_issues(ctx, source)
        yield from issues
        if loaded is not None:
            ctx.sources[source.id] = loaded
        if last[source.id] != index:
            continue  # a duplicate id (reported): its files are checked after its last record
        for path in by_doc.pop(source.id, []):
            found, _ = annotation_file_issues(path, ctx, checker.validators, ctx.sources.get(source.id), True)
            yield from found
        ctx.sources.pop(source.id, None)
    yield from check_unregistered(ctx)
    yield from check_unexpected(ctx)
    for paths in by_doc.values():
        for path in paths:
            yield from check_orphan(checker, path)


def check_given_files(ctx: LoadedRepo, paths: list[Path], check_export: ExportChecker | None) -> Iterator[Issue]:
    """Files named on the command line outside the repository's own inputs: a ``.json`` file
    is checked by ``check_export`` when there is one; anything else is unexpected."""
    inputs = (ctx.repo.annotations_dir.resolve(), ctx.repo.sources_dir.resolve(), ctx.repo.schema_dir.resolve())
    for path in paths:
        if not path.is_file() or _under(path, list(inputs)):
            continue
        if path.suffix == ".json" and check_export is not None:
            yield from check_export(ctx.repo, path, ctx.display(path))
        else:
            yield issue(M.FILE_NOT_CONTRIBUTION, ctx.display(path), found=path.name)


def checked_files(ctx: LoadedRepo, given: list[Path]) -> Iterator[Path]:
    """Every file a validation reads: the metadata, the annotation files, the registered pages,
    then the files named on the command line that are none of these."""
    repo = ctx.repo
    yield repo.metadata_file
    yield from iter_annotation_files(repo)
    for source in ctx.meta.sources:
        yield repo.sources_dir / source.file
    if not given:
        return
    pages = {repo.sources_dir / source.file for source in ctx.meta.sources}
    passes = repo.annotations_dir / "passes"
    for path in given:
        annotation = path.suffix == ".jsonl" and (path.parent == repo.annotations_dir or path.parent.parent == passes)
        if path.is_file() and path != repo.metadata_file and not annotation and path not in pages:
            yield path


def validate_repo(
    repo: Repo,
    paths: Iterable[Path] = (),
    *,
    check_export: ExportChecker | None = None,
    workers: int = 1,
    progress: Progress = QUIET,
) -> Report:
    """Validate ``repo``; with ``paths``, report only the issues of files under them (a
    ``.json`` path outside the repository's inputs is checked by ``check_export``, e.g. the
    Label Studio export checker the command line passes; without one it is unexpected).
    Documents are checked in ``workers`` processes; the report does not depend on their number."""
    ctx = LoadedRepo(repo, load_taxonomy(repo.schema_dir))
    issues = list(check_repo(ctx, workers=workers, progress=progress))
    given = [Path(p).resolve() for p in paths]
    issues += check_given_files(ctx, given, check_export)
    selected = given
    if selected:
        issues = [i for i in issues if _under(repo.root / i.file, selected)]
        count = sum(1 for p in checked_files(ctx, given) if _under(p, selected))
    else:
        count = sum(1 for _ in checked_files(ctx, given))
    sort_issues(issues)
    return Report(issues=issues, checked=count)


def sort_issues(issues: list[Issue]) -> None:
    """Order a report file by file, line by line (stable: checks yield in their own order)."""
    issues.sort(key=lambda issue: (issue.file, issue.line or 0))


def _under(path: Path, folders: list[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved == folder or folder in resolved.parents for folder in folders)


__all__ = [
    "ExportChecker",
    "check_metadata",
    "check_repo",
    "check_repository_files",
    "has_duplicate_ids",
    "validate_repo",
]
