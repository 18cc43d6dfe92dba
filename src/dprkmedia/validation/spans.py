"""Checks of the span lines of an annotation file against the document text: offsets proved
by the span text, token alignment, TIMEX3 values, duplicates."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from dprkmedia.corpus.jsonl import Record
from dprkmedia.model.catalogue import Issue
from dprkmedia.model.taxonomy import Taxonomy
from dprkmedia.model.timex import EXAMPLES, timex_value_is_valid


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


__all__ = ["check_spans"]
