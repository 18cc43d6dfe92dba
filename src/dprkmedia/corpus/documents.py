"""Assemble released ``documents`` records from raw pages, metadata and annotations."""

from __future__ import annotations

from dataclasses import dataclass

from dprkmedia.corpus.jsonl import Record
from dprkmedia.corpus.metadata import Metadata, Outlet, Source
from dprkmedia.corpus.pages import ParsedPage, SourceLine
from dprkmedia.model.records import Document, Header, Related, Span
from dprkmedia.model.taxonomy import LAYERS, Taxonomy


@dataclass(frozen=True)
class LoadedSource:
    """A registered source with its bytes' hash and its parsed page."""

    source: Source
    sha256: str
    page: ParsedPage


def evidence(line: SourceLine | None) -> str | None:
    """How a fact's source line is quoted in the data: ``line N: <text>``."""
    return None if line is None else f"line {line.number}: {line.text.strip()}"


def resolve_outlet(page: ParsedPage, meta: Metadata) -> tuple[Outlet, SourceLine] | None:
    """The outlet of a page: from ``Source:``, else ``More From``, else the copyright domain."""
    candidates = [
        (page.source_field, None, page.source_name),
        (page.more_from_outlet, None, page.more_from),
        (None, page.copyright_domain, page.copyright),
    ]
    for name, domain, line in candidates:
        if line is None or (name is None and domain is None):
            continue
        outlet = meta.outlet_for(name=name, domain=domain)
        if outlet is not None:
            return outlet, line
    return None


def publication(page: ParsedPage, source: Source) -> tuple[str | None, str | None, str | None]:
    """``(published, evidence, method)``: stated on the page, else inferred, else nulls."""
    stated = page.header_date or page.closing_date
    if stated is not None:
        return stated.value, evidence(stated.evidence), stated.method
    inferred = source.inferred.get("published")
    if inferred is not None:
        return inferred.value, f"{inferred.evidence} (inferred: {inferred.reasoning})", "inferred"
    return None, None, None


def title_of(page: ParsedPage, source: Source) -> tuple[str | None, str | None]:
    """``(title, evidence)``: the page's title line, else an inferred one, else nulls."""
    if page.title is not None:
        return page.title.text, evidence(page.title)
    inferred = source.inferred.get("title")
    if inferred is not None:
        return inferred.value, f"{inferred.evidence} (inferred: {inferred.reasoning})"
    return None, None


def span_sort_key(span: Span) -> tuple[int, int, str, str]:
    """Spans are released sorted by start, longest first, then label and id."""
    return (span.start, -span.end, span.label, span.id)


def layer_spans(records: list[Record], layer: str, tax: Taxonomy) -> tuple[Span, ...]:
    """The spans of one layer, from schema-valid annotation records, in release order."""
    spans = [Span.from_json(record.data, tax) for record in records if record.data.get("layer") == layer]
    return tuple(sorted(spans, key=span_sort_key))


def make_document(loaded: LoadedSource, records: list[Record], meta: Metadata, tax: Taxonomy) -> Document:
    """One ``documents`` record; ``records`` are the document's annotation lines."""
    page, source = loaded.page, loaded.source
    resolved = resolve_outlet(page, meta)
    if resolved is None:
        raise ValueError(f"{source.file}: outlet unknown (the validator reports outlet-unknown)")
    outlet, outlet_line = resolved
    header = Header.from_json(next(record.data for record in records if "doc" in record.data))
    title, title_evidence = title_of(page, source)
    published, published_evidence, method = publication(page, source)
    aggregator = page.aggregator_date
    return Document(
        id=source.id,
        title=title,
        title_evidence=title_evidence,
        outlet=outlet.name,
        outlet_evidence=evidence(outlet_line),
        published=published,
        published_evidence=published_evidence,
        published_method=method,
        aggregator_date=aggregator.value if aggregator else None,
        aggregator_date_evidence=evidence(aggregator.evidence) if aggregator else None,
        source_file=source.file,
        source_sha256=loaded.sha256,
        text=page.text,
        spans={layer: layer_spans(records, layer, tax) for layer in LAYERS},
        frames=header.frames,
        genre=header.genre,
        related=tuple(Related(item.title, item.excerpt, item.date, item.line) for item in page.related),
    )
