"""Label Studio JSON exports read back: each annotation becomes annotation-file records, and
every problem is found in one pass and named where a person finds it (task, annotation,
annotator, region) as well as by its JSON path and result index.

Offsets are Python code points. Some Label Studio versions count UTF-16 code units in the
browser; every region is proved by its text, and UTF-16 offsets are converted when (and only
when) they are what makes the text match.

A real Label Studio server stores what it is sent, including two regions with one id in one
annotation. Such regions are kept, each as its own span (the first keeps a corpus id, the
others get new ids, and a note says so), their per-region fields matched by id and offsets;
regions that share id, layer *and* offsets cannot be told apart and are refused
(``ls-region-duplicate``). No span is dropped without a word.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dprkmedia.adapters.labelstudio.format import REGION_FIELDS
from dprkmedia.model.issues import Issue
from dprkmedia.model.messages import Message as M
from dprkmedia.model.messages import issue
from dprkmedia.model.schemas import CONFIDENCE
from dprkmedia.model.taxonomy import LAYERS, Taxonomy

JSON = dict[str, Any]
DOC_CHOICES = ("frames", "genre")
FIELD_CONTROLS = {control: layer for layer, (control, _) in REGION_FIELDS.items()}
"""Per-region field control → the layer of its regions."""


@dataclass(frozen=True)
class Problem:
    """An issue and what it keeps from being imported: the whole export (no task, annotator or
    target), one task (every annotator's work on it), one annotator's work, or output files."""

    issue: Issue
    task: int | None = None
    annotator: str | None = None
    targets: frozenset[Path] = frozenset()


@dataclass(frozen=True)
class Origin:
    """Where an annotation-file line came from: its result, region id and per-region field."""

    path: str
    region: str | None = None
    field_path: str | None = None


@dataclass
class ImportedAnnotation:
    """One annotator's annotation of one task, as annotation-file records."""

    doc_id: str
    annotator: str
    lines: list[JSON]
    where: str
    task: int = 0
    context: str = ""
    origins: list[Origin] = field(default_factory=list)
    unshaped: set[int] = field(default_factory=set)
    """Lines not to check against the schema: regions whose field is missing (already reported)."""


@dataclass
class ExportReading:
    """What an export holds: annotations, problems, notes, and counts of what was left out."""

    display: str = "export"
    annotations: list[ImportedAnnotation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tasks: int = 0
    submitted: int = 0
    cancelled: int = 0
    drafts: int = 0

    @property
    def issues(self) -> list[Issue]:
        """Every problem's issue, in the order found."""
        return [problem.issue for problem in self.problems]

    def add(
        self,
        message: M,
        path: str,
        *,
        task: int | None = None,
        annotator: str | None = None,
        context: str | None = None,
        found: str | None = None,
        **values: Any,
    ) -> None:
        """Record a problem found at ``path`` of the export."""
        made = issue(message, self.display, path=path, found=found, context=context, **values)
        self.problems.append(Problem(made, task, annotator))


@dataclass
class _Scope:
    """Adds problems of one annotation: blamed on its annotator, located by its context."""

    reading: ExportReading
    task: int
    annotator: str
    context: str

    def add(self, message: M, path: str, region: Any = None, found: str | None = None, **values: Any) -> None:
        context = self.context if region is None else f"{self.context}, region {str(region)!r}"
        self.reading.add(
            message, path, task=self.task, annotator=self.annotator, context=context, found=found, **values
        )


@dataclass
class _Region:
    index: int
    layer: str
    id: str
    raw: tuple[Any, Any]
    span: JSON
    path: str
    keeps_id: bool = False


@dataclass
class _Field:
    control: str
    id: str
    raw: tuple[Any, Any]
    value: Any
    path: str


def utf16_to_codepoints(text: str, offset: int) -> int | None:
    """The code-point index of a UTF-16 code-unit ``offset`` in ``text`` (None if inside a pair)."""
    units = 0
    for index, char in enumerate(text):
        if units == offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text) if units == offset else None


def annotator_name(annotation: JSON) -> str:
    """A file-system-safe annotator name: ``ls-<email or id>``."""
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("id")
    return "ls-" + re.sub(r"[^A-Za-z0-9_.@-]+", "_", str(who if who is not None else "unknown"))


def region_offsets(value: JSON, text: str) -> tuple[int, int] | None:
    """Code-point offsets of a region proved by its text (None when they cannot be)."""
    start, end, span_text = value.get("start"), value.get("end"), value.get("text")
    if not (isinstance(start, int) and isinstance(end, int) and isinstance(span_text, str)):
        return None
    if start < end and text[start:end] == span_text:
        return start, end
    cp_start, cp_end = utf16_to_codepoints(text, start), utf16_to_codepoints(text, end)
    if cp_start is not None and cp_end is not None and cp_start < cp_end and text[cp_start:cp_end] == span_text:
        return cp_start, cp_end
    return None


def corpus_id_number(span_id: str, layer: str, tax: Taxonomy) -> int | None:
    """The number of a corpus span id of ``layer`` (``e12`` → 12), None for any other id."""
    match = re.fullmatch(rf"{re.escape(tax.id_prefix(layer))}([1-9][0-9]*)", span_id)
    return int(match.group(1)) if match else None


def _choices(result: JSON) -> list[str]:
    choices = result["value"].get("choices")
    return [c for c in choices if isinstance(c, str)] if isinstance(choices, list) else []


def _raw(value: JSON) -> tuple[Any, Any]:
    start, end = value.get("start"), value.get("end")
    return (start if isinstance(start, int) else None, end if isinstance(end, int) else None)


def _read_region(
    result: JSON, index: int, layer: str, text: str, tax: Taxonomy, scope: _Scope, path: str
) -> _Region | None:
    region_id = str(result.get("id"))
    labels = result["value"].get("labels")
    if not (isinstance(labels, list) and len(labels) == 1 and isinstance(labels[0], str)):
        scope.add(M.LS_REGION_LABELS, path, region_id, found=str(labels))
        return None
    if labels[0] not in tax.names(layer):
        scope.add(M.LS_LABEL_UNKNOWN, path, region_id, found=labels[0], layer=layer, labels=", ".join(tax.names(layer)))
        return None
    value = result["value"]
    offsets = region_offsets(value, text)
    if offsets is None:
        start, end = value.get("start"), value.get("end")
        if isinstance(start, int) and isinstance(end, int) and isinstance(value.get("text"), str):
            excerpt = text[start:end][:50]
            scope.add(M.LS_REGION_MISMATCH, path, region_id, str(value["text"]), start=start, end=end, excerpt=excerpt)
        else:
            scope.add(M.LS_REGION_UNTYPED, path, region_id, found=str(value.get("text")))
        return None
    span: JSON = {"layer": layer, "id": region_id, "start": offsets[0], "end": offsets[1]}
    span |= {"text": text[offsets[0] : offsets[1]], tax.label_field(layer): labels[0]}
    meta = result.get("meta")
    notes = meta.get("text") if isinstance(meta, dict) else None
    if isinstance(notes, list) and notes and all(isinstance(note, str) for note in notes):
        span["note"] = "\n".join(notes)
    confidence = meta.get("confidence") if isinstance(meta, dict) else None
    if layer == "rhetoric" and isinstance(confidence, str) and confidence in CONFIDENCE:
        span["confidence"] = confidence
    return _Region(index, layer, region_id, _raw(value), span, path)


def annotation_records(
    results: list[Any], text: str, doc_id: str, tax: Taxonomy, scope: _Scope, base: str
) -> ImportedAnnotation:
    """Annotation-file records from one annotation's results; every problem goes to ``scope``."""
    header: JSON = {"doc": doc_id, "frames": [], "genre": None}
    regions: list[_Region] = []
    fields: list[_Field] = []
    for index, result in enumerate(results):
        path = f"{base}.result[{index}]"
        if not isinstance(result, dict) or not isinstance(result.get("value"), dict):
            scope.add(M.LS_RESULT_SHAPE, path)
            continue
        name = result.get("from_name")
        if name == "frames":
            header["frames"] = _choices(result)
        elif name == "genre":
            header["genre"] = next(iter(_choices(result)), None)
        elif isinstance(name, str) and name in LAYERS:
            region = _read_region(result, index, name, text, tax, scope, path)
            regions += [region] if region else []
        elif isinstance(name, str) and name in FIELD_CONTROLS:
            texts = result["value"].get("text")
            value = texts[0] if isinstance(texts, list) and texts else None
            fields.append(_Field(name, str(result.get("id")), _raw(result["value"]), value, path))
        else:
            controls = ", ".join([*LAYERS, *DOC_CHOICES, *FIELD_CONTROLS])
            scope.add(M.LS_CONTROL_UNKNOWN, path, found=str(name), controls=controls)
    item = ImportedAnnotation(doc_id, scope.annotator, [header], base, scope.task, scope.context, [Origin(base)])
    if header["genre"] is None:
        scope.add(M.LS_GENRE_MISSING, base)
        item.unshaped.add(0)
    _finish_regions(_distinct(regions, scope), fields, tax, scope, item)
    return item


def _distinct(regions: list[_Region], scope: _Scope) -> list[_Region]:
    """The regions, less those that repeat an earlier one's id, layer and offsets (refused);
    a note names ids shared by regions with different offsets (all of them kept)."""
    first: dict[tuple[Any, ...], _Region] = {}
    kept: list[_Region] = []
    for region in regions:
        key = (region.layer, region.id, region.raw)
        if key in first:
            scope.add(
                M.LS_REGION_ID_CLASH,
                region.path,
                region.id,
                region.span["text"],
                id=region.id,
                layer=region.layer,
                first=first[key].index,
            )
            continue
        first[key] = region
        kept.append(region)
    shared = Counter((region.layer, region.id) for region in kept)
    for (layer, region_id), count in sorted(shared.items()):
        if count > 1:
            scope.reading.notes.append(
                f"{scope.context}: region id {region_id!r} is used by {count} {layer} regions with different "
                "offsets; each is kept as its own span (the first keeps the id if it is a corpus id)"
            )
    return kept


def _field_value(
    region: _Region, fields: list[_Field], control: str, shared: bool, scope: _Scope
) -> tuple[str | None, str | None]:
    """The per-region field of ``region`` and its result's path: matched by id, and by offsets
    too when the id is shared by several regions (then only by both). ``""`` when two
    different values are found (reported)."""
    candidates = [f for f in fields if f.control == control and f.id == region.id]
    same_place = [f for f in candidates if f.raw == region.raw]
    if shared or (len(candidates) > 1 and same_place):
        candidates = same_place
    values = {f.value.strip() for f in candidates if isinstance(f.value, str) and f.value.strip()}
    path = candidates[0].path if candidates else None
    if len(values) > 1:
        scope.add(
            M.LS_REGION_FIELD_CLASH,
            candidates[-1].path,
            region.id,
            " | ".join(sorted(values)),
            layer=region.layer,
            count=len(values),
            control=control,
        )
        return "", path
    return (values.pop() if values else None), path


def _finish_regions(
    regions: list[_Region], fields: list[_Field], tax: Taxonomy, scope: _Scope, item: ImportedAnnotation
) -> None:
    """Attach per-region fields, give ids to new regions (the first region with a corpus id
    keeps it), and append the spans in order: layer, corpus ids by number, new regions by offset."""
    ids = Counter((region.layer, region.id) for region in regions)
    taken: set[tuple[str, str]] = set()
    for region in regions:
        if corpus_id_number(region.id, region.layer, tax) and (region.layer, region.id) not in taken:
            region.keeps_id = True
            taken.add((region.layer, region.id))
    counters = {
        layer: max((corpus_id_number(i, lay, tax) or 0 for lay, i in taken if lay == layer), default=0)
        for layer in LAYERS
    }
    fresh = sorted(
        (r for r in regions if not r.keeps_id), key=lambda r: (LAYERS.index(r.layer), r.span["start"], -r.span["end"])
    )
    for region in fresh:
        counters[region.layer] += 1
        region.span["id"] = f"{tax.id_prefix(region.layer)}{counters[region.layer]}"

    def order(region: _Region) -> tuple[int, int, int, int]:
        number = corpus_id_number(region.span["id"], region.layer, tax) if region.keeps_id else None
        return (LAYERS.index(region.layer), 0 if number else 1, number or region.span["start"], -region.span["end"])

    for region in sorted(regions, key=order):
        span, field_path = region.span, None
        if region.layer in REGION_FIELDS:
            control, key = REGION_FIELDS[region.layer]
            value, field_path = _field_value(region, fields, control, ids[(region.layer, region.id)] > 1, scope)
            if value is None:
                scope.add(
                    M.LS_REGION_INCOMPLETE,
                    region.path,
                    region.id,
                    span["text"],
                    layer=region.layer,
                    key=key,
                    control=control,
                )
            if not value:
                item.unshaped.add(len(item.lines))
            else:
                span = {**span, key: value}
        note, confidence = span.pop("note", None), span.pop("confidence", None)
        span |= {"note": note} if note is not None else {}
        span |= {"confidence": confidence} if confidence is not None else {}
        item.lines.append(span)
        item.origins.append(Origin(region.path, region.id, field_path))


def read_export(export: Any, display: str, texts: dict[str, str], tax: Taxonomy) -> ExportReading:
    """Check a parsed Label Studio JSON export and read its annotations (no span checks: see
    :func:`check_annotations`)."""
    reading = ExportReading(display)
    if not isinstance(export, list):
        reading.add(M.LS_EXPORT_NOT_LIST, "$", found=type(export).__name__)
        return reading
    for t_index, task in enumerate(export):
        _read_task(task, t_index, texts, tax, reading)
    _check_one_per_annotator(reading)
    if reading.submitted == 0:
        reading.add(M.LS_EXPORT_EMPTY, "$", tasks=reading.tasks, cancelled=reading.cancelled, drafts=reading.drafts)
    return reading


def _task_label(task: JSON, doc_id: Any) -> str:
    task_id = task.get("id")
    label = (
        f"task {task_id}" if isinstance(task_id, (int, str)) and not isinstance(task_id, bool) else "task without id"
    )
    return f"{label}, doc {doc_id}" if isinstance(doc_id, str) else label


def _note_drafts(task: JSON, label: str, reading: ExportReading) -> None:
    """Count the task's unsubmitted drafts and say whose they are (drafts are never imported)."""
    drafts = task.get("drafts")
    if not isinstance(drafts, list) or not drafts:
        return
    reading.drafts += len(drafts)
    users = sorted({str(d.get("user", "?")) if isinstance(d, dict) else "?" for d in drafts})
    edits = sum(1 for d in drafts if isinstance(d, dict) and d.get("annotation") is not None)
    what = f"{len(drafts)} unsubmitted draft{'s' if len(drafts) > 1 else ''}"
    detail = f", {edits} of them unsubmitted edits of a submitted annotation" if edits else ""
    reading.notes.append(f"{label}: {what} left out{detail} (by {', '.join(users)}; Submit or Update keeps them)")


def _read_task(task: Any, t_index: int, texts: dict[str, str], tax: Taxonomy, reading: ExportReading) -> None:
    where = f"$[{t_index}]"
    reading.tasks += 1
    if not isinstance(task, dict):
        reading.add(M.LS_TASK_SHAPE, where, task=t_index)
        return
    data = task.get("data")
    doc_id = data.get("doc_id") if isinstance(data, dict) else None
    label = _task_label(task, doc_id)
    _note_drafts(task, label, reading)
    items = task.get("annotations", [])
    if isinstance(items, list):
        reading.submitted += sum(1 for a in items if not (isinstance(a, dict) and a.get("was_cancelled")))
    if not isinstance(data, dict) or not isinstance(doc_id, str) or not isinstance(data.get("text"), str):
        reading.add(M.LS_TASK_SHAPE, where, task=t_index, context=label)
        return
    text = data["text"]
    if doc_id not in texts:
        reading.add(M.LS_DOC_UNKNOWN, f"{where}.data.doc_id", task=t_index, context=label, found=doc_id)
        return
    if texts[doc_id] != text:
        reading.add(M.LS_TEXT_CHANGED, f"{where}.data.text", task=t_index, context=label, found=text, doc=doc_id)
        return
    if not isinstance(items, list):
        reading.add(M.LS_NOT_A_LIST, f"{where}.annotations", task=t_index, context=label, kind="annotations")
        return
    for a_index, annotation in enumerate(items):
        base = f"{where}.annotations[{a_index}]"
        if not isinstance(annotation, dict):
            reading.add(M.LS_ANNOTATION_SHAPE, base, task=t_index, context=label)
            continue
        name = annotator_name(annotation)
        a_id = annotation.get("id")
        context = f"{label}, annotation {f'{a_id} ' if isinstance(a_id, (int, str)) else ''}by {name}"
        if annotation.get("was_cancelled"):
            reading.cancelled += 1
            reading.notes.append(f"{context} ({base}): cancelled or skipped, left out")
            continue
        scope = _Scope(reading, t_index, name, context)
        if not isinstance(annotation.get("result"), list):
            scope.add(M.LS_ANNOTATION_SHAPE, base)
            continue
        item = annotation_records(annotation["result"], text, doc_id, tax, scope, base)
        item.lines[0]["annotators"] = [name]
        reading.annotations.append(item)


def _check_one_per_annotator(reading: ExportReading) -> None:
    """An annotation file holds one annotation: one annotator's second annotation of a
    document (in one task or in two tasks of the same document) is a problem."""
    first: dict[tuple[str, str], ImportedAnnotation] = {}
    for item in reading.annotations:
        key = (item.doc_id, item.annotator)
        if key not in first:
            first[key] = item
            continue
        other = f"{first[key].context} ({first[key].where})"
        scope = _Scope(reading, item.task, item.annotator, item.context)
        scope.add(M.LS_ANNOTATION_DUPLICATE, item.where, who=item.annotator, other=other)
