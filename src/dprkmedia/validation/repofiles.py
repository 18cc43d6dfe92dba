"""The checks of a repository beyond its documents: the metadata file (and its duplicates), the
files no registered document claims, and the count of checked files.

Both :mod:`dprkmedia.validation.repo` and :mod:`dprkmedia.validation.incremental` (which skips
the unchanged documents) run them.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dprkmedia.corpus.loading import LoadedRepo, load_metadata
from dprkmedia.corpus.metadata import Metadata, Source
from dprkmedia.corpus.repo import Repo
from dprkmedia.model.issues import Issue
from dprkmedia.model.messages import Message as M
from dprkmedia.model.messages import issue
from dprkmedia.validation.document import Checker, annotation_file_issues, check_orphan, source_issues

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


def check_unregistered(ctx: LoadedRepo, registered: set[str] | None = None) -> Iterator[Issue]:
    """Raw pages in ``dataset/sources/`` that no source record names (``registered``: the
    file names the records give, when the caller has them)."""
    display_meta = ctx.display(ctx.repo.metadata_file)
    if registered is None:
        registered = {source.file for source in ctx.meta.sources}
    if ctx.repo.sources_dir.is_dir():
        with os.scandir(ctx.repo.sources_dir) as entries:
            for entry in entries:
                if entry.name not in registered and entry.is_file():
                    path = ctx.repo.sources_dir / entry.name
                    yield issue(M.SOURCE_UNREGISTERED, ctx.display(path), found=entry.name, metadata=display_meta)


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


def annotation_names(repo: Repo, pass_dirs: list[Path]) -> Iterator[tuple[Path, str]]:
    """``(folder, name)`` of every annotation file (the files of :func:`annotation_files`, in no
    particular order, without a path object per file: an archive has many)."""
    if not repo.annotations_dir.is_dir():
        return
    metadata = (repo.metadata_file.parent, repo.metadata_file.name)
    for folder in (repo.annotations_dir, *pass_dirs):
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith(".jsonl") and (folder, entry.name) != metadata:
                    yield folder, entry.name


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


def check_repository_files(
    ctx: LoadedRepo, checker: Checker, ids: set[str] | None = None, files: set[str] | None = None
) -> Iterator[Issue]:
    """The files no registered document claims: raw pages no record names, files that do not
    belong in ``annotations/``, annotation files of unknown documents (``ids`` and ``files``:
    the registered ones, when the caller has them)."""
    yield from check_unregistered(ctx, files)
    yield from check_unexpected(ctx)
    registered = ids if ids is not None else {source.id for source in ctx.meta.sources}
    for folder, name in annotation_names(ctx.repo, checker.pass_dirs):
        if name.removesuffix(".jsonl") not in registered:
            yield from check_orphan(checker, folder / name)


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


@dataclass
class Registered:
    """The ids and page files the metadata registers (what the checks of the files no document
    claims, and the count of checked files, need of it)."""

    ids: set[str] = field(default_factory=set)
    files: Counter[str] = field(default_factory=Counter)
    """Page file name → number of records that name it."""

    def add(self, source: Source) -> None:
        self.ids.add(source.id)
        self.files[source.file] += 1

    @classmethod
    def of(cls, meta: Metadata) -> Registered:
        registered = cls()
        for source in meta.sources:
            registered.add(source)
        return registered


def _count_under(folder: Path, names: Counter[str], selected: list[Path] | None) -> int:
    """How many of the files ``folder / name`` (with multiplicity) lie under a selected path
    (every one without a selection)."""
    if selected is None:
        return sum(names.values())
    resolved = folder.resolve()
    if any(s == resolved or s in resolved.parents for s in selected):
        return sum(names.values())
    if all("/" not in name for name in names):
        return sum(names[s.name] for s in set(selected) if s.parent == resolved)
    return sum(n for name, n in names.items() if under(folder / name, selected))


def count_checked(
    ctx: LoadedRepo, registered: Registered, pass_dirs: list[Path], given: list[Path], selected: list[Path] | None
) -> int:
    """How many files a validation read: the metadata, the annotation files, the registered pages
    (once per record), and the files named on the command line that are none of these; with a
    selection, only those under it."""
    repo = ctx.repo
    count = _count_under(repo.metadata_file.parent, Counter([repo.metadata_file.name]), selected)
    folders: dict[Path, Counter[str]] = {}
    for folder, name in annotation_names(repo, pass_dirs):
        folders.setdefault(folder, Counter())[name] += 1
    for folder, names in folders.items():
        count += _count_under(folder, names, selected)
    count += _count_under(repo.sources_dir, registered.files, selected)
    passes = repo.annotations_dir / "passes"
    for path in given:
        annotation = path.suffix == ".jsonl" and (path.parent == repo.annotations_dir or path.parent.parent == passes)
        page = path.parent == repo.sources_dir and registered.files[path.name] > 0
        if path.is_file() and path != repo.metadata_file and not annotation and not page:
            count += selected is None or under(path, selected)
    return count


def under(path: Path, folders: list[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved == folder or folder in resolved.parents for folder in folders)


__all__ = [
    "Registered",
    "annotation_files",
    "annotation_names",
    "check_metadata",
    "check_repo_with_duplicates",
    "check_repository_files",
    "count_checked",
    "has_duplicate_ids",
    "iter_annotation_files",
    "under",
]
