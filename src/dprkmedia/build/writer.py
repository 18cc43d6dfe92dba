"""Build ``dataset/`` from ``dataset/sources/`` + ``annotations/``: Parquet configs + JSONL.

The build checks and builds in one pass over the documents, in id order, in batches of
:data:`BATCH_DOCS` handed to worker processes (:func:`~dprkmedia.corpus.parallel.ordered_map`):
a worker checks each document of its batch exactly as ``dprkmedia validate`` does, assembles its
rows and returns Arrow tables; the main process writes them as Parquet row groups and shards
(:mod:`dprkmedia.build.parquet`) as they come, so memory does not grow with the corpus.

The build refuses an invalid repository: the first problem stops it, the staged files are
removed, and the whole validation report is raised (:class:`InvalidRepoError`); the previous
dataset is left as it was. Output is deterministic: same inputs and pinned library versions
give byte-identical files, for any number of workers.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

import pyarrow as pa

from dprkmedia.build.features import FEATURES
from dprkmedia.build.parquet import ROW_GROUP_DOCS, SHARD_DOCS, ShardWriter, Staging, shard_names
from dprkmedia.build.rows import Rows, document_rows
from dprkmedia.corpus.documents import LoadedSource, make_document
from dprkmedia.corpus.fileio import atomic_write_bytes
from dprkmedia.corpus.jsonl import Record
from dprkmedia.corpus.loading import LoadedRepo
from dprkmedia.corpus.metadata import Source
from dprkmedia.corpus.parallel import batches, ordered_map
from dprkmedia.corpus.progress import QUIET, Progress
from dprkmedia.corpus.repo import Repo
from dprkmedia.corpus.tokens import Sentence, pipeline, text_to_sentences
from dprkmedia.model.issues import InvalidRepoError, Issue
from dprkmedia.model.records import Document
from dprkmedia.model.schemas import SPLITS
from dprkmedia.model.taxonomy import LAYERS, load_taxonomy
from dprkmedia.validation.cache import (
    CheckCache,
    FileState,
    doc_key,
    make_entry,
    metadata_context,
    sha256_file,
    source_json,
    stat_of,
)
from dprkmedia.validation.document import Checker, check_document
from dprkmedia.validation.incremental import document_paths
from dprkmedia.validation.repo import validate_repo
from dprkmedia.validation.repofiles import check_metadata, check_repository_files

BATCH_DOCS = 16
"""Documents per task of a worker (and the grain of row groups: a row group closes after the
batch that fills it)."""


@dataclass
class BuildResult:
    """What a build wrote and counted."""

    files: list[Path] = field(default_factory=list)
    documents: dict[str, int] = field(default_factory=dict)
    label_counts: dict[str, Counter[str]] = field(default_factory=dict)
    rows: dict[str, dict[str, int]] = field(default_factory=dict)
    nbytes: dict[str, dict[str, int]] = field(default_factory=dict)
    """In-memory Arrow size of each config's split, as the card's ``num_bytes``."""
    shards: dict[str, dict[str, int]] = field(default_factory=dict)
    """Number of Parquet files of each config's split."""

    def summary(self) -> str:
        """Human summary: documents per split, rows per config, spans per layer and label."""
        lines = ["Documents: " + ", ".join(f"{split} {n}" for split, n in self.documents.items())]
        for config, per_split in self.rows.items():
            lines.append(f"  {config}: " + ", ".join(f"{s} {n}" for s, n in per_split.items()) + " rows")
        for layer, counts in self.label_counts.items():
            lines.append(f"{layer}: {sum(counts.values())} spans")
            lines += [f"  {label}: {count}" for label, count in sorted(counts.items())]
        return "\n".join(lines)


def write_jsonl(path: Path, rows: Rows) -> None:
    """Write rows as JSON lines (UTF-8, keys in column order)."""
    atomic_write_bytes(path, "".join(jsonl_line(row) for row in rows).encode("utf-8"))


def jsonl_line(row: dict[str, object]) -> str:
    """One ``documents`` row as a line of the JSONL mirror."""
    return json.dumps(row, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class BuiltDocument:
    """One checked, built document, as a :class:`DocumentStep` sees it in a worker."""

    number: int
    """Its position in id order."""
    source: Source
    loaded: LoadedSource
    records: list[Record]
    """Its gold annotation lines."""
    sentences: list[Sentence]
    document: Document


class DocumentStep(Protocol):
    """More work per document, done in the build's pass while the document is at hand (the
    pre-annotation baseline of the README is one): :meth:`prepare` runs in the main process
    before the pass (the workers inherit what it computes), :meth:`run` in a worker for each
    document, and :meth:`collect` in the main process with each result, in id order."""

    def prepare(self, ctx: LoadedRepo, sources: list[Source], workers: int, progress: Progress) -> None: ...

    def run(self, built: BuiltDocument) -> Any: ...

    def collect(self, result: Any) -> None: ...


@dataclass
class Builder:
    """What the workers share: the checker (taxonomy, metadata, schemas), the Arrow schemas and
    the steps to run on each document."""

    checker: Checker
    schemas: dict[str, pa.Schema]
    steps: Sequence[DocumentStep] = ()
    pass_dirs: list[str] | None = None
    """When recording into the check cache: the passes' folders (relative to the root)."""


@dataclass
class Batch:
    """A batch of documents, checked and built: its issues, or its tables and counts."""

    issues: list[Issue] = field(default_factory=list)
    tables: dict[str, dict[str, tuple[pa.Table, list[int]]]] = field(default_factory=dict)
    """Config → split → the rows of the batch's documents, and how many rows each document has."""
    documents: dict[str, int] = field(default_factory=dict)
    jsonl: dict[str, str] = field(default_factory=dict)
    labels: dict[str, Counter[str]] = field(default_factory=dict)
    steps: list[list[Any]] = field(default_factory=list)
    """Per document, the results of the steps."""
    files: list[tuple[FileState, ...]] = field(default_factory=list)
    """Per document, its files' stats and hashes (when recording into the check cache)."""


def file_states(root: str, paths: tuple[str, ...]) -> tuple[FileState, ...]:
    """Stat, then hash, each file (in that order: a file changed in between is hashed again next time)."""
    states = []
    for path in paths:
        stat = stat_of(f"{root}/{path}")
        states.append(FileState(path, stat, None if stat is None else sha256_file(f"{root}/{path}")))
    return tuple(states)


def build_batch(builder: Builder, numbered: list[tuple[int, Source]]) -> Batch:
    """Check and build a batch of documents (in a worker process)."""
    ctx = builder.checker.ctx
    batch = Batch(labels={layer: Counter() for layer in LAYERS})
    rows: dict[str, dict[str, Rows]] = {config: {} for config in FEATURES}
    counts: dict[str, dict[str, list[int]]] = {config: {} for config in FEATURES}
    for number, source in numbered:
        check = check_document(builder.checker, source, keep=True)
        if check.issues:
            batch.issues += check.issues
            continue
        assert check.loaded is not None and check.records is not None  # else an issue says why
        sentences = check.sentences or text_to_sentences(check.loaded.page.text)
        document = make_document(check.loaded, check.records, ctx.meta, ctx.tax)
        built = BuiltDocument(number, source, check.loaded, check.records, sentences, document)
        batch.steps.append([step.run(built) for step in builder.steps])
        if builder.pass_dirs is not None:
            paths = document_paths(builder.pass_dirs, source.id, source.file)
            batch.files.append(file_states(str(ctx.repo.root), paths))
        made = document_rows(document, ctx.tax, sentences)
        for config, config_rows in made.items():
            rows[config].setdefault(source.split, []).extend(config_rows)
            counts[config].setdefault(source.split, []).append(len(config_rows))
        batch.documents[source.split] = batch.documents.get(source.split, 0) + 1
        batch.jsonl[source.split] = batch.jsonl.get(source.split, "") + jsonl_line(made["documents"][0])
        for layer in LAYERS:
            batch.labels[layer].update(span.label for span in document.spans[layer])
    if batch.issues:
        return Batch(issues=batch.issues)
    for config, per_split in rows.items():
        batch.tables[config] = {
            split: (pa.Table.from_pylist(split_rows, schema=builder.schemas[config]), counts[config][split])
            for split, split_rows in per_split.items()
        }
    return batch


class Output:
    """The files of one build being written: a :class:`ShardWriter` per config and split, a
    JSONL file per split, all staged until :meth:`commit`."""

    def __init__(self, repo: Repo, schemas: dict[str, pa.Schema], row_group_docs: int, shard_docs: int) -> None:
        self.repo, self.schemas = repo, schemas
        self.row_group_docs, self.shard_docs = row_group_docs, shard_docs
        self.staging = Staging(repo.dataset_dir)
        self.writers: dict[str, dict[str, ShardWriter]] = {config: {} for config in FEATURES}
        self.jsonl: dict[str, IO[str]] = {}
        self.result = BuildResult(label_counts={layer: Counter() for layer in LAYERS})

    def add(self, batch: Batch) -> None:
        """Write a built batch (batches come in id order)."""
        for config, per_split in batch.tables.items():
            for split, (table, doc_rows) in per_split.items():
                writer = self.writers[config].get(split)
                if writer is None:
                    folder = self.staging.folder(config)
                    writer = ShardWriter(folder, split, self.schemas[config], self.row_group_docs, self.shard_docs)
                    self.writers[config][split] = writer
                writer.add(table, doc_rows)
        for split, text in batch.jsonl.items():
            if split not in self.jsonl:
                self.jsonl[split] = (self.staging.folder("jsonl") / f"{split}.jsonl").open("w", encoding="utf-8")
            self.jsonl[split].write(text)
        for split, count in batch.documents.items():
            self.result.documents[split] = self.result.documents.get(split, 0) + count
        for layer, counts in batch.labels.items():
            self.result.label_counts[layer].update(counts)

    def commit(self) -> BuildResult:
        """Close every file and rename them into ``dataset/``; the result of the build."""
        result = self.result
        order = {split: index for index, split in enumerate(SPLITS)}
        result.documents = dict(sorted(result.documents.items(), key=lambda item: order[item[0]]))
        files: dict[Path, Path] = {}
        for config, per_split in self.writers.items():
            result.rows[config], result.nbytes[config], result.shards[config] = {}, {}, {}
            for split in sorted(per_split, key=order.__getitem__):
                writer = per_split[split]
                writer.close()
                result.rows[config][split] = writer.rows
                result.nbytes[config][split] = writer.nbytes
                result.shards[config][split] = len(writer.shards)
                for staged, name in zip(writer.shards, shard_names(split, len(writer.shards)), strict=True):
                    files[staged] = self.repo.dataset_dir / config / name
        for split in sorted(self.jsonl, key=order.__getitem__):
            self.jsonl[split].close()
            files[self.staging.folder("jsonl") / f"{split}.jsonl"] = self.repo.dataset_dir / "jsonl" / f"{split}.jsonl"
        owned = {config: "*.parquet" for config in FEATURES} | {"jsonl": "*.jsonl"}
        result.files = self.staging.commit(files, owned)
        self.staging.discard()
        return result

    def discard(self) -> None:
        """Close and remove everything staged; ``dataset/`` stays as it was."""
        for per_split in self.writers.values():
            for writer in per_split.values():
                writer.close()
        for stream in self.jsonl.values():
            stream.close()
        self.staging.discard()


@dataclass
class Recorder:
    """Records a successful build's checks into the check cache (see :mod:`dprkmedia.validation.cache`)."""

    ctx: LoadedRepo
    cache: CheckCache
    context: str
    pass_dirs: list[str]

    @classmethod
    def open(cls, ctx: LoadedRepo, checker: Checker) -> Recorder | None:
        cache = CheckCache.open(ctx.repo)
        if cache is None:
            return None
        cache.begin(rewrite=True)
        pass_dirs = [folder.relative_to(ctx.repo.root).as_posix() for folder in checker.pass_dirs]
        return cls(ctx, cache, metadata_context(ctx.meta), pass_dirs)

    def put(self, seq: int, source: Source, files: tuple[FileState, ...]) -> None:
        """Record that document ``seq`` (of the metadata file) has these files and no issue."""
        encoded = source_json(source)
        key = doc_key(self.context, encoded, list(files))
        self.cache.put(make_entry(seq, source.id, source.file, encoded, files, key, "[]", self.cache.started))

    def finish(self, count: int) -> None:
        self.cache.finish(self.ctx.repo, self.context, [], count)


def refuse(repo: Repo, workers: int) -> InvalidRepoError:
    """The error of a refused build: the whole validation report."""
    return InvalidRepoError(validate_repo(repo, workers=workers))


def build_dataset(
    repo: Repo,
    progress: Progress = QUIET,
    *,
    workers: int = 1,
    row_group_docs: int = ROW_GROUP_DOCS,
    shard_docs: int = SHARD_DOCS,
    steps: Sequence[DocumentStep] = (),
    cache: bool = False,
) -> BuildResult:
    """Check, then build every config of ``dataset/`` in ``workers`` processes (running
    ``steps`` on each document too); raises InvalidRepoError (with the validation report) if
    the repository is invalid. With ``cache``, what the checks found (nothing) is recorded with
    every document's content hashes, so that the next ``validate`` checks only what changes."""
    ctx = LoadedRepo(repo, load_taxonomy(repo.schema_dir))
    if any(True for _ in check_metadata(ctx)):
        raise refuse(repo, workers)
    checker = Checker.for_repo(ctx)
    if any(True for _ in check_repository_files(ctx, checker)):
        raise refuse(repo, workers)
    schemas = {config: make(ctx.tax).arrow_schema for config, make in FEATURES.items()}
    order = sorted(range(len(ctx.meta.sources)), key=lambda seq: ctx.meta.sources[seq].id)
    sources = [ctx.meta.sources[seq] for seq in order]
    for step in steps:
        step.prepare(ctx, sources, workers, progress)
    progress.start("Building documents", len(sources))
    pipeline()  # loaded once here: the workers inherit it
    output = Output(repo, schemas, row_group_docs, shard_docs)
    recorder = Recorder.open(ctx, checker) if cache else None
    builder = Builder(checker, schemas, steps, recorder.pass_dirs if recorder else None)
    built = ordered_map(build_batch, builder, batches(enumerate(sources), BATCH_DOCS), workers, batch=1)
    result: BuildResult | None = None
    done_docs = 0
    try:
        for batch in built:
            if batch.issues:
                break
            output.add(batch)
            for results in batch.steps:
                for step, done in zip(steps, results, strict=True):
                    step.collect(done)
            for files in batch.files:
                assert recorder is not None
                recorder.put(order[done_docs], sources[done_docs], files)
                done_docs += 1
            progress.advance(sum(batch.documents.values()))
        else:
            result = output.commit()
            if recorder is not None:
                recorder.finish(len(sources))
    except BaseException:
        output.discard()
        raise
    finally:
        built.close()  # stops the workers
        if recorder is not None:
            recorder.cache.close()
    if result is None:  # a document has problems: report them all
        output.discard()
        raise refuse(repo, workers)
    progress.say(f"Wrote {len(result.files)} files under {repo.dataset_dir}.")
    return result


__all__ = ["BuildResult", "BuiltDocument", "DocumentStep", "atomic_write_bytes", "build_dataset", "write_jsonl"]
