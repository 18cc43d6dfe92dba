"""The checks of one document: its raw page and its annotation files (gold and passes).

A document's checks depend only on the document and on what every document shares (the
taxonomy, the outlets and the date-line format of the metadata), so documents are checked one
at a time, in any process (:func:`check_document`, which :mod:`dprkmedia.validation.repo` and
the build run in worker processes), and nothing of a document is kept after its check.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dprkmedia.corpus.documents import LoadedSource
from dprkmedia.corpus.jsonl import Record, read_records
from dprkmedia.corpus.loading import LoadedRepo, load_source
from dprkmedia.corpus.metadata import Source
from dprkmedia.corpus.tokens import Sentence, text_to_sentences, text_token_boundaries, token_boundaries
from dprkmedia.model.issues import Issue
from dprkmedia.model.messages import Message as M
from dprkmedia.model.messages import issue
from dprkmedia.validation.records import AnnotationValidators, check_header_position, check_record_shape
from dprkmedia.validation.spans import check_spans


@dataclass
class Checker:
    """What the checks of every document share: the loaded repository (its taxonomy and
    metadata), the compiled schemas and the folders of the annotation passes."""

    ctx: LoadedRepo
    validators: AnnotationValidators
    pass_dirs: list[Path] = field(default_factory=list)

    @classmethod
    def for_repo(cls, ctx: LoadedRepo) -> Checker:
        """The checker of a repository whose metadata is loaded."""
        passes = ctx.repo.annotations_dir / "passes"
        dirs = sorted(p for p in passes.iterdir() if p.is_dir()) if passes.is_dir() else []
        return cls(ctx, AnnotationValidators.for_taxonomy(ctx.tax), dirs)

    def files_of(self, doc_id: str) -> list[Path]:
        """The annotation files of a document that exist: gold, then each pass (in name order)."""
        name = f"{doc_id}.jsonl"
        candidates = [self.ctx.repo.annotations_dir / name, *(folder / name for folder in self.pass_dirs)]
        return [path for path in candidates if path.exists()]


@dataclass
class DocumentCheck:
    """The issues of one document, and (for the build) what was loaded to check it."""

    issues: list[Issue]
    loaded: LoadedSource | None = None
    records: list[Record] | None = None
    """The gold file's records (when asked to keep them)."""
    sentences: list[Sentence] | None = None
    files: int = 0
    """Annotation files checked."""


def annotation_file_issues(
    path: Path,
    ctx: LoadedRepo,
    validators: AnnotationValidators,
    loaded: LoadedSource | None,
    registered: bool,
    sentences: list[Sentence] | None = None,
) -> tuple[list[Issue], list[Record]]:
    """All checks of one annotation file against its document (``loaded``: its page, None when
    it did not load; ``registered``: whether the metadata names the document). With
    ``sentences`` (an empty list, filled here) the document's sentences are computed and kept."""
    display = ctx.display(path)
    records, issues = read_records(path, display)
    doc_id = path.name.removesuffix(".jsonl")
    issues += check_header_position(records, display, doc_id)
    for record in records:
        issues += check_record_shape(record, validators, display)
    if loaded is None:
        if not registered:
            issues.append(issue(M.DOC_UNKNOWN, display, line=1, found=doc_id))
        return issues, records
    text = loaded.page.text
    if sentences is None:
        boundaries = text_token_boundaries(text)
    else:
        if not sentences:
            sentences += text_to_sentences(text)
        boundaries = token_boundaries(sentences)
    issues += check_spans(records, text, ctx.tax, display, boundaries)
    return issues, records


def source_issues(ctx: LoadedRepo, source: Source) -> tuple[LoadedSource | None, list[Issue]]:
    """One registered source exists, is unchanged, parses, names a known outlet and has an
    annotation file; its page when it loads."""
    loaded, issues = load_source(ctx, source)
    registered_file = (ctx.repo.sources_dir / source.file).is_file()
    if registered_file and not ctx.repo.annotation_file(source.id).exists():
        display_meta = ctx.display(ctx.repo.metadata_file)
        file = ctx.display(ctx.repo.annotation_file(source.id))
        issues.append(
            issue(M.ANNOTATION_MISSING, display_meta, line=source.line, found=source.id, annotation_file=file)
        )
    return loaded, issues


def check_document(checker: Checker, source: Source, *, keep: bool = False) -> DocumentCheck:
    """Every check of one registered document: its page, then its annotation files. With
    ``keep`` the page, the gold records and the sentences come back too (for the build)."""
    ctx = checker.ctx
    loaded, issues = source_issues(ctx, source)
    result = DocumentCheck(issues, loaded if keep else None)
    sentences: list[Sentence] | None = [] if keep else None
    gold = ctx.repo.annotation_file(source.id)
    for path in checker.files_of(source.id):
        found, records = annotation_file_issues(path, ctx, checker.validators, loaded, True, sentences)
        issues += found
        result.files += 1
        if keep and path == gold:
            result.records = records
    if keep:
        result.sentences = sentences if sentences else None
    return result


def check_orphan(checker: Checker, path: Path) -> list[Issue]:
    """An annotation file whose document the metadata does not name."""
    return annotation_file_issues(path, checker.ctx, checker.validators, None, False)[0]


def iter_issues(checks: Iterator[DocumentCheck]) -> Iterator[Issue]:
    """The issues of a stream of document checks, in order."""
    for check in checks:
        yield from check.issues


__all__ = ["Checker", "DocumentCheck", "annotation_file_issues", "check_document", "source_issues"]
