"""Label Studio tasks from the repository, and exports read back into annotation files (no server)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dprkmedia.adapters.labelstudio.format import (
    ExportReading,
    ImportedAnnotation,
    document_to_task,
    read_export,
)
from dprkmedia.corpus.documents import make_document
from dprkmedia.corpus.jsonl import Record, read_records
from dprkmedia.corpus.loading import LoadedRepo, load_repo
from dprkmedia.corpus.repo import Repo
from dprkmedia.corpus.tokens import text_to_sentences, token_boundaries
from dprkmedia.model.issues import InvalidAnnotationFileError, Issue, UnknownDocumentError, UsageError
from dprkmedia.model.messages import Message as M
from dprkmedia.model.messages import issue
from dprkmedia.validation.records import AnnotationValidators, check_record_shape
from dprkmedia.validation.spans import check_spans

JSON = dict[str, Any]


def make_tasks(
    repo: Repo, docs: list[str], spans: str, model_version: str, source: Path | None
) -> list[dict[str, Any]]:
    """Tasks for ``docs`` (all registered documents if empty), spans from the annotation files in
    ``source`` (default: annotations/). Raises UnknownDocumentError or InvalidAnnotationFileError."""
    if source is not None and not source.is_dir():
        raise UsageError(f"--from {source}: not a folder. Name a folder of annotation files (<doc id>.jsonl).")
    ctx = load_repo(repo)[0]
    folder = source or repo.annotations_dir
    chosen = docs or sorted(ctx.sources)
    unknown = [doc for doc in chosen if doc not in ctx.sources]
    if unknown:
        raise UnknownDocumentError(unknown, sorted(ctx.sources))
    tasks = []
    for doc_id in chosen:
        path = folder / f"{doc_id}.jsonl"
        records, problems = read_records(path, str(path)) if path.exists() else ([], [])
        if problems:
            raise InvalidAnnotationFileError(path)
        if not records:
            records = [Record(1, {"doc": doc_id, "frames": [], "genre": "opinion"})]
        document = make_document(ctx.sources[doc_id], records, ctx.meta, ctx.tax)
        tasks.append(document_to_task(document, records, ctx.tax, mode=spans, model_version=model_version))
    return tasks


def prediction_tasks(repo: Repo, predicted: dict[str, list[JSON]], model_version: str) -> list[dict[str, Any]]:
    """Tasks whose predictions are the annotation lines ``predicted`` (doc id → header and spans)."""
    ctx = load_repo(repo)[0]
    tasks = []
    for doc, lines in predicted.items():
        records = [Record(i, line) for i, line in enumerate(lines, start=1)]
        document = make_document(ctx.sources[doc], records, ctx.meta, ctx.tax)
        tasks.append(document_to_task(document, records, ctx.tax, mode="predictions", model_version=model_version))
    return tasks


def read_export_file(repo: Repo, path: Path, display: str | None = None) -> ExportReading:
    """Read and check an export file against the repository's documents."""
    shown = display or str(path)
    try:
        export = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        reading = ExportReading()
        reading.issues.append(issue(M.LS_EXPORT_UNREADABLE, shown, found=str(path), error=error))
        return reading
    ctx = load_repo(repo)[0]
    texts = {doc_id: loaded.page.text for doc_id, loaded in ctx.sources.items()}
    reading = read_export(export, shown, texts, ctx.tax)
    reading.issues += check_imported(reading.annotations, texts, ctx, shown)
    return reading


def export_issues(repo: Repo, path: Path, display: str) -> list[Issue]:
    """The issues of an export file (what ``dprkmedia validate EXPORT.json`` reports): the
    checker :func:`dprkmedia.validation.repo.validate_repo` is given as ``check_export``."""
    return read_export_file(repo, path, display).issues


def check_imported(
    annotations: list[ImportedAnnotation], texts: dict[str, str], ctx: LoadedRepo, display: str
) -> list[Issue]:
    """The annotation-file checks, run on what an export would write."""
    validators = AnnotationValidators.for_taxonomy(ctx.tax)
    issues: list[Issue] = []
    for item in annotations:
        records = [Record(number, line) for number, line in enumerate(item.lines, start=1)]
        where = f"{display} ({item.where})"
        for record in records:
            issues += check_record_shape(record, validators, where)
        text = texts[item.doc_id]
        issues += check_spans(records, text, ctx.tax, where, token_boundaries(text_to_sentences(text)))
    return issues


def targets(
    repo: Repo, reading: ExportReading, out: Path | None, gold: bool
) -> tuple[dict[Path, ImportedAnnotation], list[str]]:
    """Where each imported annotation goes, and the tasks refused (several annotators with --gold)."""
    planned: dict[Path, ImportedAnnotation] = {}
    refused: list[str] = []
    if gold:
        by_doc: dict[str, list[ImportedAnnotation]] = {}
        for item in reading.annotations:
            by_doc.setdefault(item.doc_id, []).append(item)
        for doc_id, items in by_doc.items():
            if len(items) > 1:
                names = ", ".join(item.annotator for item in items)
                refused.append(f"{doc_id}: {len(items)} annotators ({names}); import without --gold to keep them apart")
            else:
                planned[repo.annotation_file(doc_id)] = items[0]
        return planned, refused
    folder = out or repo.annotations_dir / "passes"
    for item in reading.annotations:
        path = folder / item.annotator / f"{item.doc_id}.jsonl"
        if path in planned:
            refused.append(f"{item.doc_id}: {item.annotator} has two annotations ({planned[path].where}, {item.where})")
            continue
        planned[path] = item
    return planned, refused
