"""Label Studio adapter: labeling config from the taxonomy, and tasks out (exports come back in
through :mod:`dprkmedia.adapters.labelstudio.reading`).

* :func:`labeling_config` writes the XML config: one ``<Text>``, a ``<Labels>`` control per
  span layer (the dates control's labels are the TIMEX3 types), per-region ``<TextArea>``
  fields for an entity's ``norm`` and a date's TIMEX3 ``value``, and ``<Choices>`` for frames
  (multiple) and genre (single).
* :func:`document_to_task` turns an annotation file into a task, its spans as an
  annotation (review) or as predictions with a ``model_version`` (pre-annotation).

Offsets are Python code points, in tasks as in annotation files.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from dprkmedia.corpus.jsonl import Record
from dprkmedia.model.records import Document, Span
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
