"""Validate a corpus repository: every problem in every file, each with a code and a place.

Checks are generators of :class:`~dprkmedia.model.catalogue.Issue`; :func:`validate_repo`
collects them into a :class:`~dprkmedia.model.catalogue.Report`. Nothing here stops at the
first problem, and nothing raises on bad input.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from dprkmedia.corpus.documents import LoadedSource, resolve_outlet
from dprkmedia.corpus.jsonl import Record, clean_text, decode_lines, iter_records, read_records
from dprkmedia.corpus.metadata import Metadata, Source, add_record
from dprkmedia.corpus.pages import PageFormatError, parse_page
from dprkmedia.corpus.repo import Repo
from dprkmedia.corpus.tokens import Sentence, text_to_sentences, text_token_boundaries, token_boundaries
from dprkmedia.model.catalogue import Issue, Report
from dprkmedia.model.schemas import annotation_schema, header_schema, sources_schema, span_schemas
from dprkmedia.model.taxonomy import LAYERS, Taxonomy, load_taxonomy
from dprkmedia.model.timex import EXAMPLES, timex_value_is_valid
from dprkmedia.validation.fastschema import Acceptor, compile_acceptor

LABEL_FIELDS = {"label", "type", "genre", "layer", "kind", "order", "split"}


@dataclass
class Context:
    """What the checks need to know of the repository."""

    repo: Repo
    tax: Taxonomy
    meta: Metadata = field(default_factory=Metadata)
    sources: dict[str, LoadedSource] = field(default_factory=dict)
    sentences: dict[str, list[Sentence]] | None = None
    """When a dict: each document's sentences, kept for the build (else only token offsets
    are computed, and nothing is kept)."""
    records: dict[Path, list[Record]] | None = None
    """When a dict: the records of every annotation file read, kept for the build."""

    @cached_property
    def resolved_root(self) -> Path:
        """The repository root, resolved once."""
        return self.repo.root.resolve()

    def display(self, path: Path) -> str:
        """A path as shown in reports: relative to the repository root."""
        try:
            return path.resolve().relative_to(self.resolved_root).as_posix()
        except ValueError:
            return str(path)


def json_path(error: ValidationError) -> str:
    """A JSON Schema error's location as ``$.a[0].b``."""
    path = "$"
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def schema_issue(error: ValidationError, display: str, line: int) -> Issue:
    """Turn one JSON Schema error into a coded issue."""
    field_name = next((p for p in reversed(error.absolute_path) if isinstance(p, str)), "")
    found = repr(error.instance) if not isinstance(error.instance, str) else error.instance
    where = json_path(error)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return Issue(
            "field-missing",
            display,
            f"Required field '{missing}' is missing.",
            line=line,
            path=where,
            expected=f"a '{missing}' field",
        )
    if error.validator == "additionalProperties":
        return Issue(
            "field-unknown",
            display,
            error.message + ".",
            line=line,
            path=where,
            expected=f"only {sorted(error.schema.get('properties', {}) if isinstance(error.schema, dict) else [])}",
        )
    if error.validator == "type":
        return Issue(
            "field-type",
            display,
            f"Wrong type for '{field_name or where}'.",
            line=line,
            path=where,
            found=found,
            expected=f"type {error.validator_value}",
        )
    if error.validator in ("enum", "const"):
        value = error.validator_value
        allowed = list(value) if error.validator == "enum" and isinstance(value, list) else [value]
        code = "label-unknown" if field_name in LABEL_FIELDS or "frames" in error.absolute_path else "value-invalid"
        return Issue(
            code,
            display,
            f"Value of '{field_name or where}' is not allowed.",
            line=line,
            path=where,
            found=found,
            expected="one of " + ", ".join(map(str, allowed)),
        )
    if error.validator == "pattern":
        return Issue(
            "value-format",
            display,
            f"Value of '{field_name}' has the wrong form.",
            line=line,
            path=where,
            found=found,
            expected=f"a match of {error.validator_value}",
        )
    return Issue("value-invalid", display, error.message + ".", line=line, path=where)


def check_schema(
    validator: Draft202012Validator, record: Record, display: str, accept: Acceptor | None = None
) -> Iterator[Issue]:
    """Every JSON Schema error of one record (never only the first).

    ``accept`` (see :mod:`dprkmedia.validation.fastschema`) may vouch for a valid record; the JSON
    Schema validator runs whenever it does not, so the issues are always its own.
    """
    if accept is not None and accept(record.data):
        return
    for error in sorted(validator.iter_errors(record.data), key=lambda e: list(e.absolute_path)):
        yield schema_issue(error, display, record.line)


# --- annotation files -----------------------------------------------------------------


@dataclass
class AnnotationValidators:
    """One compiled validator per record kind of an annotation file."""

    header: Draft202012Validator
    spans: dict[str, Draft202012Validator]
    accept_header: Acceptor | None = None
    accept_spans: dict[str, Acceptor] = field(default_factory=dict)
    """Fast acceptance checks of the same schemas (see :func:`check_schema`)."""

    @classmethod
    def for_taxonomy(cls, tax: Taxonomy) -> AnnotationValidators:
        spans = span_schemas(tax)
        header = header_schema(tax)
        return cls(
            header=Draft202012Validator(header),
            spans={layer: Draft202012Validator(spans[layer]) for layer in LAYERS},
            accept_header=compile_acceptor(header),
            accept_spans={layer: compile_acceptor(spans[layer]) for layer in LAYERS},
        )


def check_record_shape(record: Record, validators: AnnotationValidators, display: str) -> Iterator[Issue]:
    """Schema checks for a header or span line, picking the schema by its kind."""
    data = record.data
    if "doc" in data:
        yield from check_schema(validators.header, record, display, validators.accept_header)
        return
    layer = data.get("layer")
    if layer is None:
        yield Issue(
            "field-missing",
            display,
            "Required field 'layer' is missing.",
            line=record.line,
            path="$",
            expected="'layer': one of " + ", ".join(LAYERS),
        )
    elif layer not in validators.spans:
        yield Issue(
            "label-unknown",
            display,
            "Value of 'layer' is not allowed.",
            line=record.line,
            path="$.layer",
            found=str(layer),
            expected="one of " + ", ".join(LAYERS),
        )
    else:
        yield from check_schema(validators.spans[layer], record, display, validators.accept_spans.get(layer))


def check_header_position(records: list[Record], display: str, doc_id: str) -> Iterator[Issue]:
    """Line 1 is the only header, and it names this file's document."""
    if not records:
        return
    headers = [record for record in records if "doc" in record.data]
    if "doc" not in records[0].data:
        yield Issue(
            "header-missing",
            display,
            "The first record is not the document header.",
            line=records[0].line,
            expected='{"doc": ..., "frames": [...], "genre": ...} on the first line',
        )
    for extra in headers[1:]:
        yield Issue(
            "header-duplicate",
            display,
            "A second header line.",
            line=extra.line,
            found=str(extra.data.get("doc")),
            expected="one header, on the first line",
        )
    if headers and isinstance(headers[0].data.get("doc"), str) and headers[0].data["doc"] != doc_id:
        yield Issue(
            "doc-file-mismatch",
            display,
            "The header names another document than the file.",
            line=headers[0].line,
            path="$.doc",
            found=headers[0].data["doc"],
            expected=repr(doc_id),
        )


def is_valid_span(data: dict[str, Any], tax: Taxonomy) -> bool:
    """Whether a record has the typed fields the semantic span checks read."""
    return (
        data.get("layer") in tax.id_prefixes
        and isinstance(data.get("start"), int)
        and isinstance(data.get("end"), int)
        and isinstance(data.get("text"), str)
        and not isinstance(data.get("start"), bool)
        and not isinstance(data.get("end"), bool)
    )


def check_span_text(data: dict[str, Any], text: str, display: str, line: int) -> Iterator[Issue]:
    """Offsets in range, in order, proved by the span text; NFC; no edge whitespace."""
    start, end, span_text = data["start"], data["end"], data["text"]
    if not unicodedata.is_normalized("NFC", span_text):
        yield Issue(
            "text-not-nfc",
            display,
            "Span text is not NFC.",
            line=line,
            path="$.text",
            found=span_text,
            expected=repr(unicodedata.normalize("NFC", span_text)),
        )
    if span_text != span_text.strip():
        yield Issue(
            "span-edge-whitespace",
            display,
            "Span text starts or ends with whitespace.",
            line=line,
            path="$.text",
            found=span_text,
            expected=repr(span_text.strip()),
        )
    if start >= end:
        yield Issue(
            "offset-order",
            display,
            f"Span [{start}, {end}) is empty or reversed.",
            line=line,
            path="$.end",
            found=str(end),
            expected=f"end > start = {start}",
        )
        return
    if end > len(text):
        yield Issue(
            "offset-out-of-range",
            display,
            f"Span end is beyond the text ({len(text)} characters).",
            line=line,
            path="$.end",
            found=str(end),
            expected=f"end <= {len(text)}",
        )
        return
    if text[start:end] != span_text:
        where = text.find(span_text)
        hint = f" (that text first occurs at {where})" if where >= 0 else ""
        yield Issue(
            "span-text-mismatch",
            display,
            f"text[{start}:{end}] does not equal the span text{hint}.",
            line=line,
            path="$.text",
            found=text[start:end],
            expected=repr(span_text),
        )


def check_timex(data: dict[str, Any], display: str, line: int) -> Iterator[Issue]:
    """A date's TIMEX3 value has the syntax of its type."""
    timex_type, value = data.get("type"), data.get("value")
    if data["layer"] != "dates" or not isinstance(value, str) or timex_type not in EXAMPLES:
        return
    if not timex_value_is_valid(str(timex_type), value):
        yield Issue(
            "timex-value-invalid",
            display,
            f"Not a TIMEX3 {timex_type} value.",
            line=line,
            path="$.value",
            found=value,
            expected=EXAMPLES[str(timex_type)],
        )


def check_spans(
    records: list[Record], text: str, tax: Taxonomy, display: str, boundaries: tuple[set[int], set[int]]
) -> Iterator[Issue]:
    """Semantic checks of the span lines of one annotation file."""
    seen_ids: dict[str, int] = {}
    seen_spans: dict[tuple[Any, ...], int] = {}
    starts, ends = boundaries
    for record in records:
        data = record.data
        if "doc" in data or not is_valid_span(data, tax):
            continue
        start, end, span_text = data["start"], data["end"], data["text"]
        fine = (
            start < end <= len(text)
            and text[start:end] == span_text
            and span_text == span_text.strip()
            and unicodedata.is_normalized("NFC", span_text)
        )  # exactly when check_span_text has nothing to say (it runs only when not fine)
        problems = [] if fine else list(check_span_text(data, text, display, record.line))
        yield from problems
        if not problems and (data["start"] not in starts or data["end"] not in ends):
            yield Issue(
                "span-token-misaligned",
                display,
                "Span boundary falls inside a token.",
                line=record.line,
                path="$.start",
                found=data["text"],
                expected="a span covering whole tokens",
            )
        if data["layer"] == "dates":
            yield from check_timex(data, display, record.line)
        span_id = data.get("id")
        if isinstance(span_id, str):
            if span_id in seen_ids:
                yield Issue(
                    "id-duplicate",
                    display,
                    f"Span id also used on line {seen_ids[span_id]}.",
                    line=record.line,
                    path="$.id",
                    found=span_id,
                    expected="a unique id",
                )
            seen_ids.setdefault(span_id, record.line)
        key = (data["layer"], data["start"], data["end"], data.get("label", data.get("type")))
        if key in seen_spans:
            yield Issue(
                "span-duplicate",
                display,
                f"Same span and label as line {seen_spans[key]}.",
                line=record.line,
                found=data["text"],
                expected="each span once per label",
            )
        seen_spans.setdefault(key, record.line)


def check_annotation_file(
    path: Path, ctx: Context, validators: AnnotationValidators, registered: set[str] | None = None
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
            yield Issue(
                "doc-unknown",
                display,
                "No registered source has this document id.",
                line=1,
                found=doc_id,
                expected="an id of annotations/sources.jsonl",
            )
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


def check_metadata(ctx: Context) -> Iterator[Issue]:
    """Schema of every metadata line, duplicates, then load the metadata into ``ctx``.

    Line by line: only what the metadata says is kept, not the records."""
    path = ctx.repo.metadata_file
    display = ctx.display(path)
    defs: dict[str, Any] = sources_schema(ctx.tax)["$defs"]
    kinds = {kind: (Draft202012Validator(schema), compile_acceptor(schema)) for kind, schema in defs.items()}
    ctx.meta = Metadata()
    for item in iter_records(path, display):
        if isinstance(item, Issue):
            yield item
            continue
        problems = list(check_schema_oneof(kinds, item, display))
        yield from problems
        if not problems:
            add_record(ctx.meta, item)
    yield from check_metadata_duplicates(ctx.meta, display)


def check_schema_oneof(
    kinds: dict[str, tuple[Draft202012Validator, Acceptor]], record: Record, display: str
) -> Iterator[Issue]:
    """Validate a metadata line against the schema (of ``kinds``) its ``kind`` selects."""
    kind = record.data.get("kind")
    if kind not in kinds:
        yield Issue(
            "label-unknown" if kind is not None else "field-missing",
            display,
            "Unknown or missing record 'kind'.",
            line=record.line,
            path="$.kind",
            found=None if kind is None else str(kind),
            expected="one of " + ", ".join(kinds),
        )
        return
    validator, accept = kinds[kind]
    yield from check_schema(validator, record, display, accept)


def check_metadata_duplicates(meta: Metadata, display: str) -> Iterator[Issue]:
    """One record per source id and per file."""
    seen: dict[str, int] = {}
    for source in meta.sources:
        for key in (f"id {source.id}", f"file {source.file}"):
            if key in seen:
                yield Issue(
                    "metadata-duplicate",
                    display,
                    f"Source {key} is also on line {seen[key]}.",
                    line=source.line,
                    found=key,
                    expected="one record per source",
                )
            seen.setdefault(key, source.line)


def check_sources(ctx: Context) -> Iterator[Issue]:
    """Every registered source exists, is unchanged, parses and names a known outlet."""
    for source in ctx.meta.sources:
        yield from check_source(ctx, source)
    yield from check_unregistered(ctx)


def check_source(ctx: Context, source: Source) -> Iterator[Issue]:
    """One registered source exists, is unchanged, parses, names a known outlet and has an
    annotation file; on success its page is stored in ``ctx.sources``."""
    display_meta = ctx.display(ctx.repo.metadata_file)
    path = ctx.repo.sources_dir / source.file
    if not path.is_file():
        yield Issue(
            "source-missing",
            display_meta,
            "Registered source file not found.",
            line=source.line,
            path="$.file",
            found=source.file,
            expected=f"a file in {ctx.display(ctx.repo.sources_dir)}",
        )
        return
    yield from load_source(ctx, source, path)
    if not ctx.repo.annotation_file(source.id).exists():
        yield Issue(
            "annotation-missing",
            display_meta,
            "Source has no annotation file.",
            line=source.line,
            found=source.id,
            expected=ctx.display(ctx.repo.annotation_file(source.id)),
        )


def check_unregistered(ctx: Context) -> Iterator[Issue]:
    """Raw pages in ``dataset/sources/`` that no source record names."""
    display_meta = ctx.display(ctx.repo.metadata_file)
    registered = {source.file for source in ctx.meta.sources}
    if ctx.repo.sources_dir.is_dir():
        for path in sorted(ctx.repo.sources_dir.iterdir()):
            if path.is_file() and path.name not in registered:
                yield Issue(
                    "source-unregistered",
                    ctx.display(path),
                    "Raw page has no source record.",
                    found=path.name,
                    expected=f"a record in {display_meta}",
                )


def load_source(ctx: Context, source: Source, path: Path) -> Iterator[Issue]:
    """Hash and parse one raw page; on success store it in ``ctx.sources``."""
    display = ctx.display(path)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != source.sha256:
        yield Issue(
            "source-sha256-mismatch",
            display,
            "Raw page differs from the recorded SHA-256.",
            found=digest,
            expected=source.sha256,
        )
    byte_issues = list(page_byte_issues(data, display))
    yield from byte_issues
    if byte_issues:
        return
    try:
        page = parse_page(data.decode("utf-8"), date_line_order=ctx.meta.date_line_order)
    except (PageFormatError, ValueError) as error:
        code = "page-unparseable" if isinstance(error, PageFormatError) else "date-invalid"
        yield Issue(code, display, f"{error}.", found=source.file, expected="a scraped article page")
        return
    loaded = LoadedSource(source, digest, page)
    if resolve_outlet(page, ctx.meta) is None:
        named = page.source_field or page.more_from_outlet or page.copyright_domain
        yield Issue(
            "outlet-unknown",
            display,
            "The page's outlet is not in the outlet records.",
            found=named or "no outlet named on the page",
            expected="a name or domain of an outlet record",
        )
        return
    ctx.sources[source.id] = loaded


def page_byte_issues(data: bytes, display: str) -> Iterator[Issue]:
    """Byte-level problems of a raw page (BOM, NUL, invalid UTF-8; CRLF is allowed)."""
    if clean_text(data) is not None:  # the common case
        return
    for item in decode_lines(data, display):
        if isinstance(item, Issue) and item.code != "line-crlf":
            yield item


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


def check_unexpected(ctx: Context) -> Iterator[Issue]:
    """Files in ``annotations/`` that are neither annotation files nor documents."""
    if not ctx.repo.annotations_dir.is_dir():
        return
    for path in sorted(ctx.repo.annotations_dir.rglob("*")):
        if path.is_file() and path.suffix not in ANNOTATION_SUFFIXES:
            yield Issue(
                "file-unexpected",
                ctx.display(path),
                "Unexpected file in annotations/.",
                found=path.name,
                expected="<doc id>.jsonl or a .md document",
            )


def check_repo(ctx: Context, *, keep_sources: bool = True) -> Iterator[Issue]:
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


def check_given_files(ctx: Context, paths: list[Path]) -> Iterator[Issue]:
    """Files named on the command line outside the repository's own inputs: a ``.json`` file
    is read as a Label Studio export; anything else is unexpected."""
    inputs = (ctx.repo.annotations_dir.resolve(), ctx.repo.sources_dir.resolve(), ctx.repo.schema_dir.resolve())
    for path in paths:
        if not path.is_file() or _under(path, list(inputs)):
            continue
        if path.suffix == ".json":
            from dprkmedia.adapters.labelstudio.tasks import (
                read_export_file,  # heavy (datasets): only when an export is given
            )

            yield from read_export_file(ctx.repo, path, ctx.display(path)).issues
        else:
            yield Issue(
                "file-unexpected",
                ctx.display(path),
                "Not a file that contributions consist of.",
                found=path.name,
                expected="an annotation file, a raw page, the metadata file or a Label Studio JSON export",
            )


def validate_repo(repo: Repo, paths: Iterable[Path] = ()) -> Report:
    """Validate ``repo``; with ``paths``, report only the issues of files under them
    (a ``.json`` path outside the repository's inputs is checked as a Label Studio export)."""
    ctx = Context(repo, load_taxonomy(repo.schema_dir))
    issues = list(check_repo(ctx, keep_sources=False))
    given = [Path(p).resolve() for p in paths]
    issues += check_given_files(ctx, given)
    checked = [repo.metadata_file, *annotation_files(repo)]
    checked += [repo.sources_dir / source.file for source in ctx.meta.sources]
    selected = given
    checked += [p for p in given if p.is_file() and p not in checked]
    if selected:
        issues = [i for i in issues if _under(repo.root / i.file, selected)]
        checked = [p for p in checked if _under(p, selected)]
    sort_issues(issues)
    return Report(issues=issues, files=[ctx.display(p) for p in checked])


def sort_issues(issues: list[Issue]) -> None:
    """Order a report file by file, line by line (stable: checks yield in their own order)."""
    issues.sort(key=lambda issue: (issue.file, issue.line or 0))


def _under(path: Path, folders: list[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved == folder or folder in resolved.parents for folder in folders)


def load_sources(repo: Repo) -> Context:
    """Metadata and parsed sources of ``repo``, problems left to :func:`validate_repo`."""
    ctx = Context(repo, load_taxonomy(repo.schema_dir))
    list(check_metadata(ctx))
    list(check_sources(ctx))
    return ctx


def load_valid_repo(repo: Repo) -> Context:
    """Load a repository for building; raise InvalidRepoError with the report if invalid.

    The context keeps every parsed page, annotation file and sentence list for the build."""
    from dprkmedia.model.catalogue import InvalidRepoError

    ctx = Context(repo, load_taxonomy(repo.schema_dir), sentences={}, records={})
    issues = list(check_repo(ctx))
    if issues:
        sort_issues(issues)
        raise InvalidRepoError(Report(issues=issues))
    return ctx


__all__ = ["Context", "annotation_schema", "load_valid_repo", "validate_repo"]
