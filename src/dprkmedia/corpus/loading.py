"""Load a corpus repository: the metadata file and the raw pages, as values.

Every loader returns ``(value, issues)``: what could be loaded, and the problems that kept
the rest out (a metadata line its schema rejects, a page that is missing, changed or
unparseable). Loaders judge only what they must to load; the checks of the whole
repository are :mod:`dprkmedia.validation`'s, which composes these loaders.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from dprkmedia.corpus.documents import LoadedSource, resolve_outlet
from dprkmedia.corpus.jsonl import Record, clean_text, decode_lines, iter_records
from dprkmedia.corpus.metadata import Metadata, Source, add_record
from dprkmedia.corpus.pages import PageFormatError, parse_page
from dprkmedia.corpus.repo import Repo
from dprkmedia.corpus.schemacheck import Acceptor, check_schema, compile_acceptor
from dprkmedia.corpus.tokens import Sentence
from dprkmedia.model.catalogue import Code
from dprkmedia.model.issues import Issue
from dprkmedia.model.messages import Message as M
from dprkmedia.model.messages import issue
from dprkmedia.model.schemas import sources_schema
from dprkmedia.model.taxonomy import Taxonomy, load_taxonomy


@dataclass
class LoadedRepo:
    """A repository's taxonomy, metadata and parsed sources (what builds and checks read)."""

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


# --- the metadata file ---------------------------------------------------------------------


MetadataKinds = dict[str, tuple[Draft202012Validator, Acceptor]]
"""One compiled schema (and its fast acceptance check) per metadata record ``kind``."""


def metadata_kinds(tax: Taxonomy) -> MetadataKinds:
    """The schemas of the metadata records, compiled."""
    defs: dict[str, Any] = sources_schema(tax)["$defs"]
    return {kind: (Draft202012Validator(schema), compile_acceptor(schema)) for kind, schema in defs.items()}


def metadata_line_issues(kinds: MetadataKinds, record: Record, display: str) -> Iterator[Issue]:
    """Validate a metadata line against the schema (of ``kinds``) its ``kind`` selects."""
    kind = record.data.get("kind")
    if not isinstance(kind, str) or kind not in kinds:
        found = None if kind is None else str(kind)
        message = M.KIND_MISSING if kind is None else M.KIND_UNKNOWN
        yield issue(message, display, line=record.line, path="$.kind", found=found, kinds=", ".join(kinds))
        return
    validator, accept = kinds[kind]
    yield from check_schema(validator, record, display, accept)


def load_metadata(path: Path, tax: Taxonomy, display: str) -> tuple[Metadata, list[Issue]]:
    """The metadata file, line by line: each line its schema accepts is kept (only what it
    says, not the record); the others are issues."""
    kinds = metadata_kinds(tax)
    meta = Metadata()
    issues: list[Issue] = []
    for item in iter_records(path, display):
        if isinstance(item, Issue):
            issues.append(item)
            continue
        problems = list(metadata_line_issues(kinds, item, display))
        issues += problems
        if not problems:
            add_record(meta, item)
    return meta, issues


# --- raw pages -------------------------------------------------------------------------------


def page_byte_issues(data: bytes, display: str) -> Iterator[Issue]:
    """Byte-level problems of a raw page (BOM, NUL, invalid UTF-8; CRLF is allowed)."""
    if clean_text(data) is not None:  # the common case
        return
    for item in decode_lines(data, display):
        if isinstance(item, Issue) and item.code != Code.LINE_CRLF:
            yield item


def load_source(loaded: LoadedRepo, source: Source) -> tuple[LoadedSource | None, list[Issue]]:
    """Find, hash and parse one registered raw page, and resolve its outlet (with
    ``loaded.meta``); None when it cannot be used."""
    path = loaded.repo.sources_dir / source.file
    if not path.is_file():
        missing = issue(
            M.SOURCE_MISSING,
            loaded.display(loaded.repo.metadata_file),
            line=source.line,
            path="$.file",
            found=source.file,
            folder=loaded.display(loaded.repo.sources_dir),
        )
        return None, [missing]
    display = loaded.display(path)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    issues: list[Issue] = []
    if digest != source.sha256:
        issues.append(issue(M.SOURCE_SHA256_MISMATCH, display, found=digest, recorded=source.sha256))
    byte_issues = list(page_byte_issues(data, display))
    if byte_issues:
        return None, issues + byte_issues
    try:
        page = parse_page(data.decode("utf-8"), date_line_order=loaded.meta.date_line_order)
    except (PageFormatError, ValueError) as error:
        message = M.PAGE_UNPARSEABLE if isinstance(error, PageFormatError) else M.PAGE_DATE_INVALID
        issues.append(issue(message, display, found=source.file, error=error))
        return None, issues
    if resolve_outlet(page, loaded.meta) is None:
        named = page.source_field or page.more_from_outlet or page.copyright_domain
        issues.append(issue(M.OUTLET_UNKNOWN, display, found=named or "no outlet named on the page"))
        return None, issues
    return LoadedSource(source, digest, page), issues


# --- the repository ----------------------------------------------------------------------------


def load_repo(repo: Repo) -> tuple[LoadedRepo, list[Issue]]:
    """Taxonomy, metadata and every usable raw page of ``repo``, and the problems met on the
    way (not a validation: :func:`dprkmedia.validation.repo.validate_repo` checks everything)."""
    loaded = LoadedRepo(repo, load_taxonomy(repo.schema_dir))
    loaded.meta, issues = load_metadata(repo.metadata_file, loaded.tax, loaded.display(repo.metadata_file))
    for source in loaded.meta.sources:
        page, problems = load_source(loaded, source)
        issues += problems
        if page is not None:
            loaded.sources[source.id] = page
    return loaded, issues


__all__ = [
    "LoadedRepo",
    "load_metadata",
    "load_repo",
    "load_source",
    "page_byte_issues",
]
