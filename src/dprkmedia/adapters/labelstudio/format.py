"""Label Studio adapter: labeling config from the taxonomy, tasks out, exports back in.

* :func:`labeling_config` writes the XML config: one ``<Text>``, a ``<Labels>`` control per
  span layer (the dates control's labels are the TIMEX3 types), per-region ``<TextArea>``
  fields for an entity's ``norm`` and a date's TIMEX3 ``value``, and ``<Choices>`` for frames
  (multiple) and genre (single).
* :func:`document_to_task` turns an annotation file into a task, its spans as an
  annotation (review) or as predictions with a ``model_version`` (pre-annotation).
* :func:`read_export` checks a Label Studio JSON export (every problem located by task,
  annotation and result index) and turns each annotation into annotation-file records.

Offsets are Python code points. Some Label Studio versions count UTF-16 code units in the
browser; on import every region is proved by its text, and UTF-16 offsets are converted
when (and only when) they are what makes the text match.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from dprkmedia.corpus.jsonl import Record
from dprkmedia.model.issues import Issue
from dprkmedia.model.messages import Message as M
from dprkmedia.model.messages import issue
from dprkmedia.model.records import Document, Span
from dprkmedia.model.schemas import CONFIDENCE
from dprkmedia.model.taxonomy import LAYERS, Taxonomy

TEXT = "text"
REGION_FIELDS = {"entities": ("norm", "norm"), "dates": ("timex_value", "value")}
"""Layer → (per-region control name, annotation field) for the per-region text fields."""
DOC_CHOICES = ("frames", "genre")

JSON = dict[str, Any]


def labeling_config(tax: Taxonomy) -> str:
    """The Label Studio labeling config (XML) generated from the taxonomy.

    Built with :mod:`xml.etree.ElementTree`, indented by two spaces; empty elements are
    written ``<Tag .../>`` (ElementTree writes ``<Tag ... />``: since it escapes ``>`` in
    attribute values and text, ``" />"`` occurs only at the end of an empty element).
    """
    view = ET.Element("View")
    ET.SubElement(view, "Style").text = ".htx-text { white-space: pre-wrap; line-height: 1.6; }"
    ET.SubElement(view, "Header", value="$title")
    ET.SubElement(view, "Text", name=TEXT, value="$text")
    for layer in LAYERS:
        labels = ET.SubElement(view, "Labels", name=layer, toName=TEXT, showInline="true")
        for label in tax.labels:
            if label.layer == layer:
                ET.SubElement(labels, "Label", value=label.name, background=label.colour, hint=label.definition)
    for layer, (control, _) in REGION_FIELDS.items():
        title = "canonical name (norm)" if layer == "entities" else "TIMEX3 value, e.g. 2001-08-04"
        region = ET.SubElement(view, "View", visibleWhen="region-selected", whenTagName=layer)
        ET.SubElement(region, "Header", value=title)
        ET.SubElement(
            region,
            "TextArea",
            name=control,
            toName=TEXT,
            perRegion="true",
            editable="true",
            maxSubmissions="1",
            rows="1",
        )
    for name, title, choice, items in (
        ("frames", "Frames (document)", "multiple", tax.frames),
        ("genre", "Genre (document)", "single", tax.genres),
    ):
        ET.SubElement(view, "Header", value=title)
        choices = ET.SubElement(view, "Choices", name=name, toName=TEXT, choice=choice, showInline="true")
        for item in items:
            ET.SubElement(choices, "Choice", value=item.name, hint=item.definition)
    ET.indent(view, space="  ")
    return ET.tostring(view, encoding="unicode").replace(" />", "/>") + "\n"


# --- tasks out ---------------------------------------------------------------------------


def span_results(span: Span) -> list[JSON]:
    """Label Studio result items of one span: the labelled region, plus its text field."""
    region = {"start": span.start, "end": span.end, "text": span.text}
    results: list[JSON] = [
        {
            "id": span.id,
            "from_name": span.layer,
            "to_name": TEXT,
            "type": "labels",
            "value": {**region, "labels": [span.label]},
        }
    ]
    meta: JSON = {"text": [span.note]} if span.note is not None else {}
    if span.confidence is not None:
        meta["confidence"] = span.confidence  # kept through Label Studio, like the note
    if meta:
        results[0]["meta"] = meta
    if span.layer in REGION_FIELDS:
        control, key = REGION_FIELDS[span.layer]
        results.append(
            {
                "id": span.id,
                "from_name": control,
                "to_name": TEXT,
                "type": "textarea",
                "value": {**region, "text": [getattr(span, key)]},
            }
        )
    return results


def records_to_results(records: list[Record], tax: Taxonomy) -> list[JSON]:
    """All result items of one annotation file (header and spans, schema-valid)."""
    header = records[0].data
    results: list[JSON] = [
        {
            "id": "frames",
            "from_name": "frames",
            "to_name": TEXT,
            "type": "choices",
            "value": {"choices": list(header["frames"])},
        },
        {
            "id": "genre",
            "from_name": "genre",
            "to_name": TEXT,
            "type": "choices",
            "value": {"choices": [header["genre"]]},
        },
    ]
    for record in records[1:]:
        results += span_results(Span.from_json(record.data, tax))
    return results


def document_to_task(
    document: Document, records: list[Record], tax: Taxonomy, *, mode: str, model_version: str
) -> JSON:
    """A task for one document: ``mode`` is ``annotations``, ``predictions`` or ``none``."""
    task: JSON = {
        "data": {
            "doc_id": document.id,
            "text": document.text,
            "title": document.title or "(untitled)",
            "outlet": document.outlet,
            "published": document.published,
        }
    }
    if mode == "annotations":
        task["annotations"] = [{"result": records_to_results(records, tax)}]
    elif mode == "predictions":
        task["predictions"] = [{"model_version": model_version, "result": records_to_results(records, tax)}]
    return task


# --- exports in --------------------------------------------------------------------------


@dataclass
class ImportedAnnotation:
    """One annotator's annotation of one task, as annotation-file records."""

    doc_id: str
    annotator: str
    lines: list[JSON]
    where: str


@dataclass
class ExportReading:
    """What an export holds: usable annotations, problems, and what was left out."""

    annotations: list[ImportedAnnotation] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)


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


class _Located:
    """Builds issues located in the export: file plus ``task t, annotation a, result r``."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.issues: list[Issue] = []

    def add(self, message: M, path: str, found: str | None = None, **values: Any) -> None:
        self.issues.append(issue(message, self.display, path=path, found=found, **values))


def region_offsets(value: JSON, text: str) -> tuple[int, int] | None:
    """Code-point offsets of a region proved by its text (None when they cannot be)."""
    start, end, span_text = value.get("start"), value.get("end"), value.get("text")
    if not (isinstance(start, int) and isinstance(end, int) and isinstance(span_text, str)):
        return None
    if text[start:end] == span_text and start < end:
        return start, end
    cp_start, cp_end = utf16_to_codepoints(text, start), utf16_to_codepoints(text, end)
    if cp_start is not None and cp_end is not None and text[cp_start:cp_end] == span_text and cp_start < cp_end:
        return cp_start, cp_end
    return None


def region_mismatch(value: JSON, text: str, loc: _Located, where: str) -> None:
    """Report why a region's offsets are not proved by its text (see :func:`region_offsets`)."""
    start, end, found = value.get("start"), value.get("end"), str(value.get("text"))
    if isinstance(start, int) and isinstance(end, int) and isinstance(value.get("text"), str):
        loc.add(M.LS_REGION_MISMATCH, where, found=found, start=start, end=end, excerpt=text[start:end][:50])
    else:
        loc.add(M.LS_REGION_UNTYPED, where, found=found)


def _choices(result: JSON) -> list[str]:
    value = result.get("value")
    choices = value.get("choices") if isinstance(value, dict) else None
    return [c for c in choices if isinstance(c, str)] if isinstance(choices, list) else []


def annotation_records(
    results: list[Any], text: str, doc_id: str, tax: Taxonomy, loc: _Located, base: str
) -> list[JSON]:
    """Annotation-file records from one annotation's results (problems go to ``loc``)."""
    header: JSON = {"doc": doc_id, "frames": [], "genre": None}
    regions: dict[str, JSON] = {}
    extra: dict[str, JSON] = {}
    for index, result in enumerate(results):
        where = f"{base}.result[{index}]"
        if not isinstance(result, dict) or not isinstance(result.get("value"), dict):
            loc.add(M.LS_RESULT_SHAPE, where)
            continue
        name = result.get("from_name")
        if name in DOC_CHOICES:
            header[str(name)] = _choices(result) if name == "frames" else next(iter(_choices(result)), None)
        elif name in LAYERS:
            _read_region(result, str(name), text, tax, loc, where, regions)
        elif name in {control for control, _ in REGION_FIELDS.values()}:
            texts = result["value"].get("text")
            extra[str(result.get("id"))] = {
                "control": name,
                "value": texts[0] if isinstance(texts, list) and texts else None,
            }
        else:
            controls = ", ".join([*LAYERS, *DOC_CHOICES, "norm", "timex_value"])
            loc.add(M.LS_CONTROL_UNKNOWN, where, found=str(name), controls=controls)
    if header["genre"] is None:
        loc.add(M.LS_GENRE_MISSING, base)
    return [header, *_finish_regions(regions, extra, loc, tax)]


def _read_region(
    result: JSON, layer: str, text: str, tax: Taxonomy, loc: _Located, where: str, regions: dict[str, JSON]
) -> None:
    labels = result["value"].get("labels")
    if not (isinstance(labels, list) and len(labels) == 1 and isinstance(labels[0], str)):
        loc.add(M.LS_REGION_LABELS, where, found=str(labels))
        return
    if labels[0] not in tax.names(layer):
        loc.add(M.LS_LABEL_UNKNOWN, where, found=labels[0], layer=layer, labels=", ".join(tax.names(layer)))
        return
    offsets = region_offsets(result["value"], text)
    if offsets is None:
        region_mismatch(result["value"], text, loc, where)
        return
    span = {
        "layer": layer,
        "id": str(result.get("id")),
        "start": offsets[0],
        "end": offsets[1],
        "text": text[offsets[0] : offsets[1]],
        tax.label_field(layer): labels[0],
    }
    meta = result.get("meta")
    notes = meta.get("text") if isinstance(meta, dict) else None
    if isinstance(notes, list) and notes and all(isinstance(note, str) for note in notes):
        span["_note"] = "\n".join(notes)
    confidence = meta.get("confidence") if isinstance(meta, dict) else None
    if layer == "rhetoric" and confidence in CONFIDENCE:
        span["_confidence"] = confidence
    regions[f"{span['id']}\x00{layer}"] = {**span, "_where": where}


def corpus_id_number(span_id: str, layer: str, tax: Taxonomy) -> int | None:
    """The number of a corpus span id of ``layer`` (``e12`` → 12), None for any other id."""
    match = re.fullmatch(rf"{re.escape(tax.id_prefix(layer))}([1-9][0-9]*)", span_id)
    return int(match.group(1)) if match else None


def _order(span: JSON, tax: Taxonomy) -> tuple[int, int, int, int]:
    """Layer, then spans with corpus ids by their number, then new regions by offset."""
    number = corpus_id_number(span["id"], span["layer"], tax)
    return (LAYERS.index(span["layer"]), 0 if number else 1, number or span["start"], -span["end"])


def _finish_regions(regions: dict[str, JSON], extra: dict[str, JSON], loc: _Located, tax: Taxonomy) -> Iterator[JSON]:
    """Attach per-region fields and notes, give ids to new regions, check completeness."""
    counters = {
        layer: max((corpus_id_number(span["id"], layer, tax) or 0 for span in regions.values()), default=0)
        for layer in LAYERS
    }
    for span in sorted(regions.values(), key=lambda span: _order(span, tax)):
        where = span.pop("_where")
        note = span.pop("_note", None)
        confidence = span.pop("_confidence", None)
        layer = span["layer"]
        if layer in REGION_FIELDS:
            control, key = REGION_FIELDS[layer]
            value = extra.get(span["id"], {})
            if value.get("control") != control or not isinstance(value.get("value"), str) or not value["value"].strip():
                loc.add(M.LS_REGION_INCOMPLETE, where, found=span["text"], layer=layer, key=key, control=control)
                continue
            span[key] = value["value"].strip()
        if corpus_id_number(span["id"], layer, tax) is None:
            counters[layer] += 1
            span["id"] = f"{tax.id_prefix(layer)}{counters[layer]}"
        if note is not None:
            span["note"] = note
        if confidence is not None:
            span["confidence"] = confidence
        yield span


def read_export(
    export: Any, display: str, texts: dict[str, str], tax: Taxonomy, *, include_predictions: bool = False
) -> ExportReading:
    """Check a parsed Label Studio JSON export and read its annotations."""
    reading = ExportReading()
    loc = _Located(display)
    if not isinstance(export, list):
        loc.add(M.LS_EXPORT_NOT_LIST, "$", found=type(export).__name__)
        reading.issues = loc.issues
        return reading
    for t_index, task in enumerate(export):
        _read_task(task, f"$[{t_index}]", texts, tax, loc, reading, include_predictions)
    reading.issues = loc.issues
    return reading


def _read_task(
    task: Any,
    where: str,
    texts: dict[str, str],
    tax: Taxonomy,
    loc: _Located,
    reading: ExportReading,
    include_predictions: bool,
) -> None:
    data = task.get("data") if isinstance(task, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("doc_id"), str) or not isinstance(data.get("text"), str):
        loc.add(M.LS_TASK_SHAPE, where)
        return
    doc_id, text = data["doc_id"], data["text"]
    if doc_id not in texts:
        loc.add(M.LS_DOC_UNKNOWN, f"{where}.data.doc_id", found=doc_id)
        return
    if texts[doc_id] != text:
        loc.add(M.LS_TEXT_CHANGED, f"{where}.data.text", found=text, doc=doc_id)
        return
    kinds = ["annotations", "predictions"] if include_predictions else ["annotations"]
    for kind in kinds:
        items = task.get(kind, [])
        if not isinstance(items, list):
            loc.add(M.LS_NOT_A_LIST, f"{where}.{kind}", kind=kind)
            continue
        for a_index, annotation in enumerate(items):
            base = f"{where}.{kind}[{a_index}]"
            if not isinstance(annotation, dict) or not isinstance(annotation.get("result"), list):
                loc.add(M.LS_ANNOTATION_SHAPE, base)
                continue
            if annotation.get("was_cancelled"):
                reading.left_out.append(f"{base}: cancelled or skipped by {annotator_name(annotation)} (left out)")
                continue
            before = len(loc.issues)
            lines = annotation_records(annotation["result"], text, doc_id, tax, loc, base)
            if len(loc.issues) == before:
                name = (
                    annotator_name(annotation) if kind == "annotations" else f"model-{annotation.get('model_version')}"
                )
                lines[0]["annotators"] = [name]
                reading.annotations.append(ImportedAnnotation(doc_id, name, lines, base))
