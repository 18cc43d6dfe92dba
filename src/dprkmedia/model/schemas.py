"""JSON Schemas (draft 2020-12) generated from the taxonomy.

Three schemas, committed under ``schema/`` and checked to be in sync by the tests:

* ``annotation.schema.json``: one line of an annotation file (header or span);
* ``sources.schema.json``: one line of ``annotations/sources.jsonl``;
* ``document.schema.json``: one released record of the ``documents`` config.
"""

from __future__ import annotations

from typing import Any

from dprkmedia.model.taxonomy import LAYERS, Taxonomy

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE = "https://github.com/dprk-russia-media/schema/"
DOC_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$"
SPLITS = ("train", "test")

JSON = dict[str, Any]


def _string(description: str, **extra: Any) -> JSON:
    return {"type": "string", "description": description, **extra}


def _offset(description: str, minimum: int) -> JSON:
    return {"type": "integer", "minimum": minimum, "description": description}


def _span_fields(tax: Taxonomy, layer: str) -> JSON:
    """Properties common to the spans of one layer."""
    return {
        "layer": {"const": layer, "description": "The span layer."},
        "id": _string(
            "Span id, unique in the document: layer prefix + number.",
            pattern=rf"^{tax.id_prefix(layer)}[1-9][0-9]*$",
        ),
        "start": _offset("Start offset, inclusive, in code points of the NFC text.", 0),
        "end": _offset("End offset, exclusive: text[start:end] == span text.", 1),
        "text": _string("The exact covered text.", minLength=1),
        "note": _string("Annotator's note on a judgement call."),
    }


def _span_schema(tax: Taxonomy, layer: str, fields: JSON, description: str, optional: JSON | None = None) -> JSON:
    properties = {**_span_fields(tax, layer), **fields, **(optional or {})}
    required = ["layer", "id", "start", "end", "text", *fields]
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


CONFIDENCE = ("core", "borderline")
"""Values of a gold rhetoric span's ``confidence`` (GUIDELINES.md, "Confidence")."""


def span_schemas(tax: Taxonomy) -> dict[str, JSON]:
    """One schema per span layer, keyed by layer name."""
    return {
        "entities": _span_schema(
            tax,
            "entities",
            {
                tax.label_field("entities"): {
                    "enum": tax.names("entities"),
                    "description": "OntoNotes 5.0 type or TITLE.",
                },
                "norm": _string("Canonical name shared by all mentions of the referent.", minLength=1),
            },
            "A named-entity mention.",
        ),
        "dates": _span_schema(
            tax,
            "dates",
            {
                tax.label_field("dates"): {"enum": tax.names("dates"), "description": "TIMEX3 type."},
                "value": _string("TIMEX3 value (ISO 8601-based).", minLength=1, pattern=r"^[0-9A-Z_:.\-]+$"),
            },
            "A temporal expression (TIMEX3).",
        ),
        "rhetoric": _span_schema(
            tax,
            "rhetoric",
            {
                tax.label_field("rhetoric"): {
                    "enum": tax.names("rhetoric"),
                    "description": "SemEval-2023 technique or extension.",
                }
            },
            "A persuasion technique.",
            {
                "confidence": {
                    "enum": list(CONFIDENCE),
                    "description": "Gold only: core = both independent passes had the technique here; "
                    "borderline = only one pass had it.",
                }
            },
        ),
    }


def header_schema(tax: Taxonomy) -> JSON:
    """Line 1 of an annotation file: the document id and document-level labels."""
    return {
        "type": "object",
        "description": "Annotation file header: document id, frames, genre.",
        "properties": {
            "doc": _string("Document id = the file's name without .jsonl.", pattern=DOC_ID),
            "frames": {
                "type": "array",
                "items": {"enum": [frame.name for frame in tax.frames]},
                "uniqueItems": True,
                "description": "Media Frames Corpus dimensions (multi-label).",
            },
            "genre": {"enum": [genre.name for genre in tax.genres], "description": "SemEval-2023 genre."},
            "annotators": {
                "type": "array",
                "items": {"type": "string", "minLength": 1},
                "description": "Who made the annotations (pass names).",
            },
            "note": _string("Note on the document's annotation."),
        },
        "required": ["doc", "frames", "genre"],
        "additionalProperties": False,
    }


def annotation_schema(tax: Taxonomy) -> JSON:
    """Schema of one line of ``annotations/<doc>.jsonl``."""
    spans = span_schemas(tax)
    return {
        "$schema": DRAFT,
        "$id": BASE + "annotation.schema.json",
        "title": "Annotation file line",
        "description": "One JSON object per line: line 1 the header, then one span per line.",
        "$defs": {"header": header_schema(tax), **spans},
        "oneOf": [{"$ref": "#/$defs/header"}, *({"$ref": f"#/$defs/{layer}"} for layer in LAYERS)],
    }


def _evidence_schema() -> JSON:
    return {
        "type": "object",
        "properties": {
            "value": _string("The inferred value."),
            "evidence": _string("The source line(s) it was inferred from.", minLength=1),
            "reasoning": _string("How the value follows from the evidence.", minLength=1),
        },
        "required": ["value", "evidence", "reasoning"],
        "additionalProperties": False,
    }


def sources_schema(tax: Taxonomy) -> JSON:
    """Schema of one line of ``annotations/sources.jsonl`` (the reviewed metadata file)."""
    del tax  # the metadata file names no labels
    outlet = {
        "type": "object",
        "properties": {
            "kind": {"const": "outlet"},
            "name": _string("Canonical outlet name used in the dataset.", minLength=1),
            "aliases": {"type": "array", "items": {"type": "string", "minLength": 1}},
            "domains": {"type": "array", "items": {"type": "string", "minLength": 1}},
            "note": _string("Reviewer's note."),
        },
        "required": ["kind", "name", "aliases", "domains"],
        "additionalProperties": False,
    }
    date_format = {
        "type": "object",
        "properties": {
            "kind": {"const": "date-line-format"},
            "order": {"enum": ["DMY", "MDY"], "description": "Field order of 'Date: a/b/YYYY'."},
            "evidence": _string("Why this order is right.", minLength=1),
        },
        "required": ["kind", "order", "evidence"],
        "additionalProperties": False,
    }
    source = {
        "type": "object",
        "properties": {
            "kind": {"const": "source"},
            "id": _string("Stable document id.", pattern=DOC_ID),
            "file": _string("File name in dataset/sources/.", pattern=r"^[^/\\]+$"),
            "sha256": _string("SHA-256 of the raw page.", pattern=r"^[0-9a-f]{64}$"),
            "split": {"enum": list(SPLITS)},
            "inferred": {
                "type": "object",
                "properties": {"title": _evidence_schema(), "published": _evidence_schema()},
                "additionalProperties": False,
            },
            "note": _string("Reviewer's note on the source."),
        },
        "required": ["kind", "id", "file", "sha256", "split"],
        "additionalProperties": False,
    }
    return {
        "$schema": DRAFT,
        "$id": BASE + "sources.schema.json",
        "title": "Source metadata line",
        "$defs": {"outlet": outlet, "date-line-format": date_format, "source": source},
        "oneOf": [{"$ref": "#/$defs/outlet"}, {"$ref": "#/$defs/date-line-format"}, {"$ref": "#/$defs/source"}],
    }


def _nullable(description: str) -> JSON:
    return {"type": ["string", "null"], "description": description}


def _list_of(item: JSON) -> JSON:
    return {"type": "array", "items": item}


def document_schema(tax: Taxonomy) -> JSON:
    """Schema of one released record of the ``documents`` config (and the JSONL mirror)."""
    spans = span_schemas(tax)
    layers: JSON = {}
    for layer in LAYERS:
        spec = spans[layer]
        props = {k: v for k, v in spec["properties"].items() if k not in ("layer", "note")}
        if layer == "rhetoric":
            props["confidence"] = {**props["confidence"], "enum": [*CONFIDENCE, None]}
            props["category"] = {"enum": list(tax.categories)}
        layers[layer] = _list_of(
            {"type": "object", "properties": props, "required": list(props), "additionalProperties": False}
        )
    related = {
        "type": "object",
        "properties": {
            "title": _nullable("Headline of the related article, where the page shows one."),
            "excerpt": _string("The page's excerpt of it."),
            "date": _string("Its date as the page shows it, ISO 8601."),
            "source_line": {"type": "integer", "minimum": 1},
        },
        "required": ["title", "excerpt", "date", "source_line"],
        "additionalProperties": False,
    }
    properties: JSON = {
        "id": _string("Stable document id.", pattern=DOC_ID),
        "title": _nullable("Headline as published; null where the page gives none."),
        "title_evidence": _nullable("The source line the title was read from."),
        "outlet": _string("Publishing outlet (canonical name)."),
        "outlet_evidence": _string("The source line naming the outlet."),
        "published": {
            "type": ["string", "null"],
            "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
            "description": "Publication date, ISO 8601 (YYYY-MM-DD or coarser).",
        },
        "published_evidence": _nullable("The source line the date was read or inferred from."),
        "published_method": {
            "enum": [None, "date-line-dmy", "date-line-mdy", "header-date", "closing-dateline", "inferred"],
            "description": "How the date was obtained.",
        },
        "aggregator_date": _nullable("Date shown by the aggregator's page header (not the publication date)."),
        "aggregator_date_evidence": _nullable("The source line of the aggregator date."),
        "source_file": _string("File name of the raw page in dataset/sources/."),
        "source_sha256": _string("SHA-256 of the raw page.", pattern=r"^[0-9a-f]{64}$"),
        "text": _string("Cleaned article body, NFC."),
        **layers,
        "frames": _list_of({"enum": [frame.name for frame in tax.frames]}),
        "genre": {"enum": [genre.name for genre in tax.genres]},
        "related": _list_of(related),
    }
    return {
        "$schema": DRAFT,
        "$id": BASE + "document.schema.json",
        "title": "Released document record",
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


SCHEMA_FILES = {
    "annotation.schema.json": annotation_schema,
    "sources.schema.json": sources_schema,
    "document.schema.json": document_schema,
}
