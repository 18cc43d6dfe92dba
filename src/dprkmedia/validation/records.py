"""Checks of the shape of annotation-file records: their schemas and the header line."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from jsonschema import Draft202012Validator

from dprkmedia.corpus.jsonl import Record
from dprkmedia.corpus.schemacheck import Acceptor, check_schema, compile_acceptor, nearest
from dprkmedia.model.issues import Issue
from dprkmedia.model.messages import Message as M
from dprkmedia.model.messages import issue
from dprkmedia.model.schemas import header_schema, span_schemas
from dprkmedia.model.taxonomy import LAYERS, Taxonomy


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
        yield issue(M.LAYER_MISSING, display, line=record.line, path="$", layers=", ".join(LAYERS))
    elif not isinstance(layer, str) or layer not in validators.spans:
        near = nearest(layer, LAYERS)
        message = M.LAYER_UNKNOWN if near is None else M.LAYER_UNKNOWN_NEAR
        yield issue(
            message, display, line=record.line, path="$.layer", found=str(layer), near=near, layers=", ".join(LAYERS)
        )
    else:
        yield from check_schema(validators.spans[layer], record, display, validators.accept_spans.get(layer))


def check_header_position(records: list[Record], display: str, doc_id: str) -> Iterator[Issue]:
    """Line 1 is the only header, and it names this file's document."""
    if not records:
        return
    headers = [record for record in records if "doc" in record.data]
    if "doc" not in records[0].data:
        yield issue(M.HEADER_MISSING, display, line=records[0].line)
    for extra in headers[1:]:
        yield issue(M.HEADER_DUPLICATE, display, line=extra.line, found=str(extra.data.get("doc")))
    if headers and isinstance(headers[0].data.get("doc"), str) and headers[0].data["doc"] != doc_id:
        header = headers[0]
        yield issue(M.DOC_FILE_MISMATCH, display, line=header.line, path="$.doc", found=header.data["doc"], doc=doc_id)


__all__ = ["AnnotationValidators", "check_header_position", "check_record_shape"]
