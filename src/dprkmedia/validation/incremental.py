"""Validation that redoes only what changed since the last run (see :mod:`dprkmedia.validation.cache`).

:func:`check_repo_cached` gives the issues :func:`~dprkmedia.validation.repo.check_repo` gives
(the report, once sorted, is the same: the tests compare them), checking again only the
documents whose content key changed. When the metadata file is the one recorded, its sources
come from the cache and it is not parsed again; otherwise it is parsed and each document is
looked up by id. The files of a document whose recorded stat no longer proves it unchanged are
hashed in the worker that checks it, and a document whose content turns out the same is not
checked again. A repository that registers an id twice is checked without the cache.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from dprkmedia.corpus.loading import LoadedRepo
from dprkmedia.corpus.metadata import Source
from dprkmedia.corpus.parallel import ordered_map
from dprkmedia.corpus.progress import QUIET, Progress
from dprkmedia.corpus.tokens import pipeline
from dprkmedia.model.issues import Issue
from dprkmedia.validation.cache import (
    CacheBroken,
    CheckCache,
    Entry,
    FileState,
    doc_key,
    issues_from_json,
    issues_to_json,
    make_entry,
    metadata_context,
    sha256_file,
    signature,
    source_from_json,
    source_json,
    stat_of,
)
from dprkmedia.validation.document import Checker, check_document
from dprkmedia.validation.repofiles import (
    Registered,
    check_metadata,
    check_repo_with_duplicates,
    check_repository_files,
    has_duplicate_ids,
)


@dataclass
class Shared:
    """What the workers share: the checker, the metadata context of every key, the start of the run."""

    checker: Checker
    context: str
    started: int


@dataclass(frozen=True)
class Task:
    """A document whose recorded result is not proven current."""

    seq: int
    source: Source
    encoded: str
    paths: tuple[str, ...]
    known: tuple[str | None, ...]
    """Hashes still proven by their stat (None: to hash)."""
    entry: Entry | None


def document_paths(pass_dirs: list[str], doc_id: str, file: str) -> tuple[str, ...]:
    """Every file a document's checks read, present or not, relative to the repository root:
    page, gold, each pass's file (strings: an archive has many)."""
    name = f"{doc_id}.jsonl"
    return (f"dataset/sources/{file}", f"annotations/{name}", *(f"{folder}/{name}" for folder in pass_dirs))


def resolve(shared: Shared, task: Task) -> Entry:
    """Hash what is not proven, then reuse the recorded issues if the key is the same, else check
    (in a worker)."""
    root = str(shared.checker.ctx.repo.root)
    files = []
    for path, known in zip(task.paths, task.known, strict=True):
        stat = stat_of(f"{root}/{path}")
        files.append(FileState(path, stat, None if stat is None else known or sha256_file(f"{root}/{path}")))
    key = doc_key(shared.context, task.encoded, files)
    if task.entry is not None and task.entry.key == key:
        found = task.entry.issues
    else:
        found = issues_to_json(check_document(shared.checker, task.source).issues)
    source = task.source
    return make_entry(task.seq, source.id, source.file, task.encoded, tuple(files), key, found, shared.started)


def check_repo_cached(
    ctx: LoadedRepo,
    cache: CheckCache,
    *,
    workers: int = 1,
    progress: Progress = QUIET,
    registered: Registered | None = None,
) -> Iterator[Issue]:
    """The issues of the repository, documents whose content key is recorded not checked again;
    records this run's results in ``cache`` (``registered`` is filled as by
    :func:`~dprkmedia.validation.repo.check_repo`). Raises :class:`CacheBroken` when the cache
    fails while being read, before anything is reported."""
    registered = registered if registered is not None else Registered()
    recorded = cache.metadata(ctx.repo)
    if recorded is None:
        meta_issues = list(check_metadata(ctx))
        if has_duplicate_ids(ctx.meta):
            yield from meta_issues
            for source in ctx.meta.sources:
                registered.add(source)
            yield from check_repo_with_duplicates(ctx)
            return
        count = len(ctx.meta.sources)
    else:
        ctx.meta, meta_issues, count = recorded
    context = metadata_context(ctx.meta)
    checker = Checker.for_repo(ctx)
    root = str(ctx.repo.root)
    pass_dirs = [folder.relative_to(ctx.repo.root).as_posix() for folder in checker.pass_dirs]
    cache.begin(rewrite=recorded is None)
    issues: list[Issue] = list(meta_issues)
    tasks: list[Task] = []
    progress.start("Checking documents", count)
    seq = -1
    for seq, (given, entry) in enumerate(_documents(ctx, cache, recorded is not None)):
        if given is not None:
            doc_id, file = given.id, given.file
        else:
            assert entry is not None
            doc_id, file = entry.doc_id, entry.file
        registered.ids.add(doc_id)
        registered.files[file] += 1
        paths = document_paths(pass_dirs, doc_id, file)
        encoded = source_json(given) if given is not None else None
        if entry is not None and (entry.paths != "\n".join(paths) or encoded not in (None, entry.source)):
            entry = None
        if entry is not None and encoded is not None and doc_key(context, encoded, list(entry.states())) != entry.key:
            entry = None  # the metadata's outlets or date-line format changed: every key did
        stats = [stat_of(f"{root}/{path}") for path in paths]
        if entry is not None and entry.proven(signature(stats)):
            if entry.issues != "[]":
                issues += issues_from_json(entry.issues)
            if recorded is None:  # a new table: the row moves to its new place
                cache.put(replace(entry, seq=seq))
            progress.advance()
            continue
        if given is None:  # a recorded row whose files changed: its source is decoded now
            assert entry is not None
            given, encoded = source_from_json(entry.source), entry.source
        assert encoded is not None
        known = entry.known(stats) if entry is not None else (None,) * len(paths)
        tasks.append(Task(seq, given, encoded, paths, known, entry))
    if seq + 1 != count:
        raise CacheBroken(f"{seq + 1} documents recorded, {count} expected")
    if tasks:
        pipeline()  # loaded once here: the workers inherit it
    for done in ordered_map(resolve, Shared(checker, context, cache.started), tasks, workers):
        issues += issues_from_json(done.issues)
        cache.put(done)
        progress.advance()
    issues += check_repository_files(ctx, checker, registered.ids, set(registered.files))
    cache.finish(ctx.repo, context, meta_issues, count)
    yield from issues


def _documents(ctx: LoadedRepo, cache: CheckCache, recorded: bool) -> Iterator[tuple[Source | None, Entry | None]]:
    """``(source, its recorded entry)`` of every document in file order: from the recorded rows
    (the source not decoded: None), or from the parsed metadata."""
    if recorded:
        for entry in cache.rows():
            if entry is None:
                raise CacheBroken("a recorded row fails its checksum")
            yield None, entry
    else:
        for source in ctx.meta.sources:
            yield source, cache.lookup(source.id)


__all__ = ["CacheBroken", "check_repo_cached"]
