"""``datasets.Features`` of every config, generated from the taxonomy."""

from __future__ import annotations

from datasets import ClassLabel, Features, List, Value

from dprkmedia.model.taxonomy import LAYERS, Taxonomy


def iob2_names(labels: list[str]) -> list[str]:
    """IOB2 tag names for ``labels``: ``O`` first, then ``B-x``, ``I-x`` per label."""
    return ["O", *(f"{prefix}-{label}" for label in labels for prefix in ("B", "I"))]


def _string() -> Value:
    return Value("string")


def _offsets() -> dict[str, Value]:
    return {"start": Value("int32"), "end": Value("int32")}


def documents_features(tax: Taxonomy) -> Features:
    """Features of the ``documents`` config (one row per article)."""
    # labels are strings here, constrained by the JSON Schema enums
    span = {"id": _string(), **_offsets(), "text": _string()}
    label = {layer: {tax.label_field(layer): _string()} for layer in LAYERS}
    return Features(
        {
            "id": _string(),
            "title": _string(),
            "title_evidence": _string(),
            "outlet": _string(),
            "outlet_evidence": _string(),
            "published": _string(),
            "published_evidence": _string(),
            "published_method": _string(),
            "aggregator_date": _string(),
            "aggregator_date_evidence": _string(),
            "source_file": _string(),
            "source_sha256": _string(),
            "text": _string(),
            "entities": List({**span, **label["entities"], "norm": _string()}),
            "dates": List({**span, **label["dates"], "value": _string()}),
            "rhetoric": List({**span, **label["rhetoric"], "category": _string(), "confidence": _string()}),
            "frames": List(_string()),
            "genre": _string(),
            "related": List(
                {
                    "title": _string(),
                    "excerpt": _string(),
                    "date": _string(),
                    "source_line": Value("int32"),
                }
            ),
        }
    )


def spans_features(tax: Taxonomy) -> Features:
    """Features of the ``spans`` config (one row per span of any layer)."""
    del tax
    return Features(
        {
            "doc_id": _string(),
            "layer": _string(),
            "id": _string(),
            **_offsets(),
            "text": _string(),
            "label": _string(),
            "value": _string(),
            "category": _string(),
            "norm": _string(),
            "confidence": _string(),
        }
    )


def tokens_features(tax: Taxonomy) -> Features:
    """Features of the ``tokens`` config: IOB2 ``ClassLabel`` sequences per sentence."""
    return Features(
        {
            "id": _string(),
            "doc_id": _string(),
            "tokens": List(_string()),
            "ner_tags": List(ClassLabel(names=iob2_names(tax.names("entities")))),
            "date_tags": List(ClassLabel(names=iob2_names(tax.names("dates")))),
            "token_starts": List(Value("int32")),
            "token_ends": List(Value("int32")),
        }
    )


def sentences_features(tax: Taxonomy) -> Features:
    """Features of the ``sentences`` config: one row per sentence, multi-label techniques."""
    del tax
    return Features(
        {
            "id": _string(),
            "doc_id": _string(),
            **_offsets(),
            "text": _string(),
            "techniques": List(_string()),
        }
    )


FEATURES = {
    "documents": documents_features,
    "spans": spans_features,
    "tokens": tokens_features,
    "sentences": sentences_features,
}
