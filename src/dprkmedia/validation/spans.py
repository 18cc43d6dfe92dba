"""Checks of the span lines of an annotation file against the document text: offsets proved
by the span text, token alignment, TIMEX3 values (form and reality), duplicates, nesting."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from dprkmedia.corpus.jsonl import Record
from dprkmedia.model.issues import Issue
from dprkmedia.model.messages import Message as M
from dprkmedia.model.messages import issue
from dprkmedia.model.taxonomy import Taxonomy
from dprkmedia.model.timex import EXAMPLES, timex_value_is_valid, timex_value_problem
from dprkmedia.validation.nesting import Placed, check_nesting


def is_valid_span(data: dict[str, Any], tax: Taxonomy) -> bool:
    """Whether a record has the typed fields the semantic span checks read."""
    return (
        isinstance(data.get("layer"), str)
        and data["layer"] in tax.id_prefixes
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
        nfc = unicodedata.normalize("NFC", span_text)
        yield issue(M.TEXT_NOT_NFC, display, line=line, path="$.text", found=span_text, nfc=nfc)
    if span_text != span_text.strip():
        stripped = span_text.strip()
        yield issue(M.SPAN_EDGE_WHITESPACE, display, line=line, path="$.text", found=span_text, stripped=stripped)
    if start >= end:
        yield issue(M.OFFSET_ORDER, display, line=line, path="$.end", found=str(end), start=start, end=end)
        return
    if end > len(text):
        yield issue(M.OFFSET_OUT_OF_RANGE, display, line=line, path="$.end", found=str(end), length=len(text))
        return
    if text[start:end] != span_text:
        where = text.find(span_text)
        yield issue(
            M.SPAN_TEXT_ELSEWHERE if where >= 0 else M.SPAN_TEXT_MISMATCH,
            display,
            line=line,
            path="$.text",
            found=text[start:end],
            start=start,
            end=end,
            text=span_text,
            elsewhere=where,
        )


def check_timex(data: dict[str, Any], display: str, line: int, tax: Taxonomy) -> Iterator[Issue]:
    """A date's TIMEX3 value has the syntax of its type (the date's label)."""
    timex_type, value = data.get(tax.label_field("dates")), data.get("value")
    if data["layer"] != "dates" or not isinstance(value, str) or str(timex_type) not in EXAMPLES:
        return
    example = EXAMPLES[str(timex_type)]
    if not timex_value_is_valid(str(timex_type), value):
        yield issue(
            M.TIMEX_VALUE_INVALID, display, line=line, path="$.value", found=value, type=timex_type, example=example
        )
    elif (problem := timex_value_problem(str(timex_type), value)) is not None:
        yield issue(
            M.TIMEX_VALUE_IMPOSSIBLE,
            display,
            line=line,
            path="$.value",
            found=value,
            type=timex_type,
            problem=problem,
            example=example,
        )


def check_span(
    data: dict[str, Any], text: str, display: str, line: int, boundaries: tuple[set[int], set[int]], tax: Taxonomy
) -> Iterator[Issue]:
    """The checks of one span line on its own: its text, its token alignment, its TIMEX3 value."""
    start, end, span_text = data["start"], data["end"], data["text"]
    fine = (
        start < end <= len(text)
        and text[start:end] == span_text
        and span_text == span_text.strip()
        and unicodedata.is_normalized("NFC", span_text)
    )  # exactly when check_span_text has nothing to say (it runs only when not fine)
    problems = [] if fine else list(check_span_text(data, text, display, line))
    yield from problems
    starts, ends = boundaries
    if not problems and (start not in starts or end not in ends):
        yield issue(M.SPAN_TOKEN_MISALIGNED, display, line=line, path="$.start", found=span_text)
    if data["layer"] == "dates":
        yield from check_timex(data, display, line, tax)


def check_unique(
    data: dict[str, Any],
    line: int,
    display: str,
    seen_ids: dict[str, int],
    seen_spans: dict[tuple[Any, ...], int],
    tax: Taxonomy,
) -> Iterator[Issue]:
    """A span's id, and its offsets with its label, not seen on an earlier line (noted in ``seen_*``)."""
    span_id = data.get("id")
    if isinstance(span_id, str):
        if span_id in seen_ids:
            yield issue(M.ID_DUPLICATE, display, line=line, path="$.id", found=span_id, first=seen_ids[span_id])
        seen_ids.setdefault(span_id, line)
    label = data.get(tax.label_field(data["layer"]))
    key = (data["layer"], data["start"], data["end"], label if isinstance(label, str) else repr(label))
    if key in seen_spans:
        yield issue(M.SPAN_DUPLICATE, display, line=line, found=data["text"], first=seen_spans[key])
    seen_spans.setdefault(key, line)


def check_spans(
    records: list[Record], text: str, tax: Taxonomy, display: str, boundaries: tuple[set[int], set[int]]
) -> Iterator[Issue]:
    """Semantic checks of the span lines of one annotation file."""
    seen_ids: dict[str, int] = {}
    seen_spans: dict[tuple[Any, ...], int] = {}
    placed: list[Placed] = []
    known = {layer: set(tax.names(layer)) for layer in tax.id_prefixes}
    for record in records:
        data = record.data
        if "doc" in data or not is_valid_span(data, tax):
            continue
        yield from check_span(data, text, display, record.line, boundaries, tax)
        yield from check_unique(data, record.line, display, seen_ids, seen_spans, tax)
        label = data.get(tax.label_field(data["layer"]))
        if 0 <= data["start"] < data["end"] <= len(text) and str(label) in known[data["layer"]]:
            placed.append(Placed(record.line, data["layer"], data["start"], data["end"], str(label), data["text"]))
    yield from check_nesting(placed, display)


__all__ = ["check_spans"]
