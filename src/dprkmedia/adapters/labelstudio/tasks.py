"""Label Studio tasks from the repository, and the check of an export file that ``dprkmedia validate``
runs (no server)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dprkmedia.adapters.labelstudio.format import document_to_task
from dprkmedia.adapters.labelstudio.importing import read_export_file
from dprkmedia.corpus.documents import make_document
from dprkmedia.corpus.jsonl import Record, read_records
from dprkmedia.corpus.loading import load_repo
from dprkmedia.corpus.repo import Repo
from dprkmedia.model.issues import InvalidAnnotationFileError, Issue, UnknownDocumentError, UsageError

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


def export_issues(repo: Repo, path: Path, display: str) -> list[Issue]:
    """The issues of an export file (what ``dprkmedia validate EXPORT.json`` reports): the
    checker :func:`dprkmedia.validation.repo.validate_repo` is given as ``check_export``."""
    return read_export_file(repo, path, display).issues
