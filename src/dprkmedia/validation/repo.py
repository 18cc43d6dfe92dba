"""Validate a corpus repository: every problem in every file, each with a code and a place.

:func:`validate_repo` loads the repository (:mod:`dprkmedia.corpus.loading`), runs the checks
of :mod:`dprkmedia.validation.records` and :mod:`dprkmedia.validation.spans` on each
annotation file and the repository-level checks here, and collects every issue into a
:class:`~dprkmedia.model.issues.Report`. Nothing here stops at the first problem, and
nothing raises on bad input (but :func:`load_valid_repo`, which raises on an invalid one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from dprkmedia.corpus.jsonl import read_records
from dprkmedia.corpus.loading import LoadedRepo, load_metadata, load_source
from dprkmedia.corpus.metadata import Metadata, Source
from dprkmedia.corpus.repo import Repo
from dprkmedia.corpus.tokens import text_to_sentences, text_token_boundaries, token_boundaries
from dprkmedia.model.issues import InvalidRepoError, Issue, Report
from dprkmedia.model.messages import Message as M
from dprkmedia.model.messages import issue
from dprkmedia.model.taxonomy import load_taxonomy
from dprkmedia.validation.records import AnnotationValidators, check_header_position, check_record_shape
from dprkmedia.validation.spans import check_spans

ExportChecker = Callable[[Repo, Path, str], list[Issue]]
"""Checks a file named on the command line as a Label Studio export: ``(repo, path, display)
-> issues``. The validator does not know the format; the command line passes the checker."""


def check_annotation_file(
    path: Path, ctx: LoadedRepo, validators: AnnotationValidators, registered: set[str] | None = None
) -> Iterator[Issue]:
    """All checks of one ``annotations/<doc>.jsonl`` (``registered``: the source ids, when
    the caller has them at hand)."""
    display = ctx.display(path)
    records, issues = read_records(path, display)
    yield from issues
    if ctx.records is not None:
        ctx.records[path] = records
    doc_id = path.name.removesuffix(".jsonl")
    yield from check_header_position(records, display, doc_id)
    for record in records:
        yield from check_record_shape(record, validators, display)
    loaded = ctx.sources.get(doc_id)
    if loaded is None:
        if doc_id not in (registered if registered is not None else {source.id for source in ctx.meta.sources}):
            yield issue(M.DOC_UNKNOWN, display, line=1, found=doc_id)
        return
    text = loaded.page.text
    if ctx.sentences is None:
        boundaries = text_token_boundaries(text)
    else:
        if doc_id not in ctx.sentences:
            ctx.sentences[doc_id] = text_to_sentences(text)
        boundaries = token_boundaries(ctx.sentences[doc_id])
    yield from check_spans(records, text, ctx.tax, display, boundaries)


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


def check_source(ctx: LoadedRepo, source: Source) -> Iterator[Issue]:
    """One registered source exists, is unchanged, parses, names a known outlet and has an
    annotation file; on success its page is stored in ``ctx.sources``."""
    loaded, issues = load_source(ctx, source)
    yield from issues
    if loaded is not None:
        ctx.sources[source.id] = loaded
    registered_file = (ctx.repo.sources_dir / source.file).is_file()
    if registered_file and not ctx.repo.annotation_file(source.id).exists():
        display_meta = ctx.display(ctx.repo.metadata_file)
        file = ctx.display(ctx.repo.annotation_file(source.id))
        yield issue(M.ANNOTATION_MISSING, display_meta, line=source.line, found=source.id, annotation_file=file)


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
    if not repo.annotations_dir.is_dir():
        return []
    gold = [p for p in repo.annotations_dir.glob("*.jsonl") if p != repo.metadata_file]
    passes = list(repo.annotations_dir.glob("passes/*/*.jsonl"))
    return sorted(gold) + sorted(passes)


def check_unexpected(ctx: LoadedRepo) -> Iterator[Issue]:
    """Files in ``annotations/`` that are neither annotation files nor documents."""
    if not ctx.repo.annotations_dir.is_dir():
        return
    for path in sorted(ctx.repo.annotations_dir.rglob("*")):
        if path.is_file() and path.suffix not in ANNOTATION_SUFFIXES:
            yield issue(M.FILE_UNEXPECTED, ctx.display(path), found=path.name)


def check_repo(ctx: LoadedRepo, *, keep_sources: bool = True) -> Iterator[Issue]:
    """All checks of a repository, metadata first (the others depend on it).

    Document by document: each source is loaded, then the annotation files of its id are
    checked. With ``keep_sources=False`` the parsed page is dropped right after, so memory
    does not grow with the number of documents (``ctx.sources`` ends empty). Issues come in
    another order than file by file; :func:`validate_repo` sorts them.
    """
    yield from check_metadata(ctx)
    validators = AnnotationValidators.for_taxonomy(ctx.tax)
    registered = {source.id for source in ctx.meta.sources}
    last = {source.id: index for index, source in enumerate(ctx.meta.sources)}
    by_doc: dict[str, list[Path]] = {}
    for path in annotation_files(ctx.repo):
        by_doc.setdefault(path.name.removesuffix(".jsonl"), []).append(path)
    for index, source in enumerate(ctx.meta.sources):
        yield from check_source(ctx, source)
        if last[source.id] != index:
            continue  # a duplicate id (reported): its files are checked after its last record
        for path in by_doc.pop(source.id, []):
            yield from check_annotation_file(path, ctx, validators, registered)
        if not keep_sources:
            ctx.sources.pop(source.id, None)
    yield from check_unregistered(ctx)
    yield from check_unexpected(ctx)
    for paths in by_doc.values():
        for path in paths:
            yield from check_annotation_file(path, ctx, validators, registered)


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


def check_given_paths(ctx: LoadedRepo, given: list[Path], checked: list[Path]) -> Iterator[Issue]:
    """A given path that does not exist, or under which no file is checked, is a usage
    error: without it a typo in a CI config would pass having checked nothing."""
    for path in given:
        if not path.exists():
            yield issue(M.PATH_MISSING, ctx.display(path), found=ctx.display(path))
        elif not any(_under(file, [path]) for file in checked):
            yield issue(M.PATH_EMPTY, ctx.display(path), found=ctx.display(path))


def validate_repo(repo: Repo, paths: Iterable[Path] = (), *, check_export: ExportChecker | None = None) -> Report:
    """Validate ``repo``; with ``paths``, report only the issues of files under them (a
    ``.json`` path outside the repository's inputs is checked by ``check_export``, e.g. the
    Label Studio export checker the command line passes; without one it is unexpected)."""
    ctx = LoadedRepo(repo, load_taxonomy(repo.schema_dir))
    issues = list(check_repo(ctx, keep_sources=False))
    given = list(dict.fromkeys(Path(p).resolve() for p in paths))
    issues += check_given_files(ctx, given, check_export)
    checked = [repo.metadata_file, *annotation_files(repo)]
    checked += [repo.sources_dir / source.file for source in ctx.meta.sources]
    selected = given
    checked += [p for p in given if p.is_file() and p not in checked]
    if selected:
        issues = [i for i in issues if _under(repo.root / i.file, selected)]
        checked = [p for p in checked if _under(p, selected)]
        issues += check_given_paths(ctx, given, checked)
    sort_issues(issues)
    return Report(issues=issues, files=[ctx.display(p) for p in checked])


def sort_issues(issues: list[Issue]) -> None:
    """Order a report file by file, line by line (stable: checks yield in their own order)."""
    issues.sort(key=lambda issue: (issue.file, issue.line or 0))


def _under(path: Path, folders: list[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved == folder or folder in resolved.parents for folder in folders)


def load_valid_repo(repo: Repo) -> LoadedRepo:
    """Load a repository for building; raise InvalidRepoError with the report if invalid.

    The loaded repository keeps every parsed page, annotation file and sentence list for the build."""
    ctx = LoadedRepo(repo, load_taxonomy(repo.schema_dir), sentences={}, records={})
    issues = list(check_repo(ctx))
    if issues:
        sort_issues(issues)
        raise InvalidRepoError(Report(issues=issues))
    return ctx


__all__ = ["ExportChecker", "load_valid_repo", "validate_repo"]
