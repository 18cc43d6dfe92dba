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

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from dprkmedia.corpus.loading import LoadedRepo
from dprkmedia.corpus.metadata import Metadata, Source
from dprkmedia.corpus.parallel import ordered_map
from dprkmedia.corpus.progress import QUIET, Progress
from dprkmedia.corpus.repo import Repo
from dprkmedia.corpus.tokens import pipeline
from dprkmedia.model.issues import Issue, Report
from dprkmedia.model.messages import Message as M
from dprkmedia.model.messages import issue
from dprkmedia.model.taxonomy import load_taxonomy
from dprkmedia.validation.cache import CheckCache
from dprkmedia.validation.document import Checker, DocumentCheck, check_document
from dprkmedia.validation.incremental import CacheBroken, check_repo_cached
from dprkmedia.validation.repofiles import (
    Registered,
    check_metadata,
    check_repo_with_duplicates,
    check_repository_files,
    count_checked,
    has_duplicate_ids,
    under,
)

ExportChecker = Callable[[Repo, Path, str], list[Issue]]
"""Checks a file named on the command line as a Label Studio export: ``(repo, path, display)
-> issues``. The validator does not know the format; the command line passes the checker."""


def _check(checker: Checker, source: Source) -> DocumentCheck:
    return check_document(checker, source)


def check_repo(
    ctx: LoadedRepo,
    *,
    workers: int = 1,
    progress: Progress = QUIET,
    cache: bool = False,
    registered: Registered | None = None,
) -> Iterator[Issue]:
    """All checks of a repository, metadata first (the others depend on it), then document by
    document in ``workers`` processes, then the files no document claims (``registered`` is
    filled with the ids and files the metadata registers). Issues come in another order than
    file by file; :func:`validate_repo` sorts them. With ``cache`` (when it can be opened),
    :func:`~dprkmedia.validation.incremental.check_repo_cached` does the work."""
    registered = registered if registered is not None else Registered()
    if cache:
        opened = CheckCache.open(ctx.repo)
        if opened is not None:
            try:
                yield from check_repo_cached(ctx, opened, workers=workers, progress=progress, registered=registered)
                return
            except CacheBroken:
                opened.reset()  # rebuilt by the next run
                ctx.meta = Metadata()
                registered.ids.clear()
                registered.files.clear()
            finally:
                opened.close()
    yield from check_metadata(ctx)
    for source in ctx.meta.sources:
        registered.add(source)
    if has_duplicate_ids(ctx.meta):
        yield from check_repo_with_duplicates(ctx)
        return
    checker = Checker.for_repo(ctx)
    progress.start("Checking documents", len(ctx.meta.sources))
    if ctx.meta.sources:
        pipeline()  # loaded once here: the workers inherit it
    for check in ordered_map(_check, checker, ctx.meta.sources, workers):
        yield from check.issues
        progress.advance()
    yield from check_repository_files(ctx, checker)


def check_given_files(ctx: LoadedRepo, paths: list[Path], check_export: ExportChecker | None) -> Iterator[Issue]:
    """Files named on the command line outside the repository's own inputs: a ``.json`` file
    is checked by ``check_export`` when there is one; anything else is unexpected."""
    inputs = (ctx.repo.annotations_dir.resolve(), ctx.repo.sources_dir.resolve(), ctx.repo.schema_dir.resolve())
    for path in paths:
        if not path.is_file() or under(path, list(inputs)):
            continue
        if path.suffix == ".json" and check_export is not None:
            yield from check_export(ctx.repo, path, ctx.display(path))
        else:
            yield issue(M.FILE_NOT_CONTRIBUTION, ctx.display(path), found=path.name)


def check_given_paths(
    given: list[Path], counted: Callable[[list[Path]], int], display: Callable[[Path], str]
) -> Iterator[Issue]:
    """A given path that does not exist, or under which no file is checked (``counted`` of it is
    0), is a usage error: without it a typo in a CI config would pass having checked nothing."""
    for path in given:
        if not path.exists():
            yield issue(M.PATH_MISSING, display(path), found=display(path))
        elif counted([path]) == 0:
            yield issue(M.PATH_EMPTY, display(path), found=display(path))


def validate_repo(
    repo: Repo,
    paths: Iterable[Path] = (),
    *,
    check_export: ExportChecker | None = None,
    workers: int = 1,
    progress: Progress = QUIET,
    cache: bool = False,
) -> Report:
    """Validate ``repo``; with ``paths``, report only the issues of files under them (a
    ``.json`` path outside the repository's inputs is checked by ``check_export``, e.g. the
    Label Studio export checker the command line passes; without one it is unexpected).
    Documents are checked in ``workers`` processes; the report does not depend on their number.
    With ``cache``, only what changed since the last run is checked again
    (:mod:`dprkmedia.validation.cache`); the report is the same."""
    ctx = LoadedRepo(repo, load_taxonomy(repo.schema_dir))
    registered = Registered()
    issues = list(check_repo(ctx, workers=workers, progress=progress, cache=cache, registered=registered))
    given = list(dict.fromkeys(Path(p).resolve() for p in paths))
    issues += check_given_files(ctx, given, check_export)
    selected = given or None
    if selected:
        issues = [i for i in issues if under(repo.root / i.file, selected)]
    pass_dirs = Checker.for_repo(ctx).pass_dirs
    count = count_checked(ctx, registered, pass_dirs, given, selected)
    if selected:
        issues += check_given_paths(
            given, lambda chosen: count_checked(ctx, registered, pass_dirs, given, chosen), ctx.display
        )
    sort_issues(issues)
    return Report(issues=issues, checked=count)


def sort_issues(issues: list[Issue]) -> None:
    """Order a report file by file, line by line (stable: checks yield in their own order)."""
    issues.sort(key=lambda issue: (issue.file, issue.line or 0))


__all__ = ["ExportChecker", "check_repo", "sort_issues", "validate_repo"]
