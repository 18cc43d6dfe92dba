"""The annotation-file checks (schemas, offsets, whitespace, tokens, TIMEX3 values, duplicates)
run on every annotation read from a Label Studio export, each issue moved from the line it would
have in a file that does not exist yet to the region and result it came from, with a fix that
says what to do in Label Studio."""

from __future__ import annotations

import re
from dataclasses import replace

from dprkmedia.adapters.labelstudio.reading import ExportReading, ImportedAnnotation, Origin, Problem
from dprkmedia.corpus.jsonl import Record
from dprkmedia.corpus.tokens import text_to_sentences, token_boundaries
from dprkmedia.model.catalogue import Code
from dprkmedia.model.issues import Issue
from dprkmedia.model.messages import REGION_FIXES, issue
from dprkmedia.model.messages import Message as M
from dprkmedia.model.taxonomy import Taxonomy
from dprkmedia.validation.records import AnnotationValidators, check_record_shape
from dprkmedia.validation.spans import check_spans

DUPLICATE_MESSAGES = {Code.SPAN_DUPLICATE: M.LS_SPAN_DUPLICATE, Code.ID_DUPLICATE: M.LS_ID_DUPLICATE}
"""Checks that name the earlier line of a duplicate → the message that names its region instead."""
SPAN_FIELD_PATHS = {"$.text": ".value.text", "$.start": ".value.start", "$.end": ".value.end", "$.id": ".id"}
"""An annotation-file field of a span line → where it is in the region's result."""


def check_annotations(reading: ExportReading, texts: dict[str, str], tax: Taxonomy) -> None:
    """Run the annotation-file checks (schemas, offsets, whitespace, tokens, TIMEX3 values,
    duplicates) on every annotation, also those with other problems, so that every problem
    shows at once; each issue is moved from the line it would have to its region."""
    validators = AnnotationValidators.for_taxonomy(tax)
    boundaries: dict[str, tuple[set[int], set[int]]] = {}
    for item in reading.annotations:
        text = texts[item.doc_id]
        if item.doc_id not in boundaries:
            boundaries[item.doc_id] = token_boundaries(text_to_sentences(text))
        records = [Record(number, line) for number, line in enumerate(item.lines, start=1)]
        found: list[Issue] = []
        for index, record in enumerate(records):
            if index not in item.unshaped:
                found += check_record_shape(record, validators, reading.display)
        found += check_spans(records, text, tax, reading.display, boundaries[item.doc_id])
        for problem in found:
            reading.problems.append(Problem(_relocate(problem, item, reading.display), item.task, item.annotator))
    reading.problems.sort(key=lambda problem: [int(n) for n in re.findall(r"\[(\d+)\]", problem.issue.path or "")])


def _relocate(found: Issue, item: ImportedAnnotation, display: str) -> Issue:
    """An issue of an annotation-file line, pointed at the result and region it came from."""
    origin = item.origins[found.line - 1] if found.line and found.line <= len(item.origins) else Origin(item.where)
    if found.path in ("$.norm", "$.value") and origin.field_path:
        path = f"{origin.field_path}.value.text"
    elif origin.region is not None:
        path = origin.path + SPAN_FIELD_PATHS.get(found.path or "", "")
    else:
        path = origin.path
    context = item.context if origin.region is None else f"{item.context}, region {origin.region!r}"
    earlier = re.search(r"on line (\d+)|as line (\d+)", found.message)
    if earlier and found.code in DUPLICATE_MESSAGES:  # "as line 5" of a file that does not exist
        first = item.origins[int(earlier.group(1) or earlier.group(2)) - 1]
        other = f"region {first.region!r} ({first.path})"
        return issue(
            DUPLICATE_MESSAGES[found.code], display, path=path, found=found.found, context=context, other=other
        )
    hint = REGION_FIXES.get(found.code, found.hint) if origin.region is not None else found.hint
    return replace(found, file=display, line=None, path=path, context=context, hint=hint)
