"""Typed records: an annotation file's header, a span, a released document.

Validation checks the raw JSON of every record (it must: a record may be anything); a record
that is valid becomes one of these types (``from_json``), and turns back into JSON only at
the edges (``to_json``, ``released``), in the field order of the files. A span's label is
always :attr:`Span.label`; which field holds it in the files (``label``, or ``type`` for
dates) is the taxonomy's :meth:`~dprkmedia.model.taxonomy.Taxonomy.label_field`. Sources are
:class:`dprkmedia.corpus.metadata.Source`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from dprkmedia.model.taxonomy import LAYERS, Taxonomy

JSON = dict[str, Any]

RELEASED_ATTRIBUTES = {"entities": ("norm",), "dates": ("value",), "rhetoric": ("category", "confidence")}
"""The fields a released span has after its label, per layer (``document.schema.json``)."""


@dataclass(frozen=True, slots=True)
class Header:
    """Line 1 of an annotation file: the document and its document-level labels."""

    doc: str
    frames: tuple[str, ...]
    genre: str
    annotators: tuple[str, ...] | None = None
    note: str | None = None

    @classmethod
    def from_json(cls, data: JSON) -> Header:
        """The header of a schema-valid header line."""
        annotators = data.get("annotators")
        return cls(
            doc=data["doc"],
            frames=tuple(data["frames"]),
            genre=data["genre"],
            annotators=None if annotators is None else tuple(annotators),
            note=data.get("note"),
        )


@dataclass(frozen=True, slots=True)
class Span:
    """One annotated span of one layer; ``end`` is exclusive, ``text == doc_text[start:end]``."""

    layer: str
    id: str
    start: int
    end: int
    text: str
    label: str
    """The value of the layer's label field (an entity label, a TIMEX3 type, a technique)."""
    norm: str | None = None
    """Entities: the canonical name of the referent."""
    value: str | None = None
    """Dates: the TIMEX3 value."""
    note: str | None = None
    confidence: str | None = None
    """Gold rhetoric: ``core`` or ``borderline``."""

    @classmethod
    def from_json(cls, data: JSON, tax: Taxonomy) -> Span:
        """The span of a schema-valid span line of an annotation file."""
        layer = data["layer"]
        return cls(
            layer=layer,
            id=data["id"],
            start=data["start"],
            end=data["end"],
            text=data["text"],
            label=data[tax.label_field(layer)],
            norm=data.get("norm"),
            value=data.get("value"),
            note=data.get("note"),
            confidence=data.get("confidence"),
        )

    def to_json(self, tax: Taxonomy) -> JSON:
        """The span as an annotation-file line (fields without a value left out)."""
        line: JSON = {"layer": self.layer, "id": self.id, "start": self.start, "end": self.end, "text": self.text}
        line[tax.label_field(self.layer)] = self.label
        optional = {"norm": self.norm, "value": self.value, "confidence": self.confidence, "note": self.note}
        line.update({key: value for key, value in optional.items() if value is not None})
        return line

    def released(self, tax: Taxonomy) -> JSON:
        """The span as released in a document's layer list."""
        row: JSON = {"id": self.id, "start": self.start, "end": self.end, "text": self.text}
        row[tax.label_field(self.layer)] = self.label
        for name in RELEASED_ATTRIBUTES[self.layer]:
            row[name] = tax.category(self.label) if name == "category" else getattr(self, name)
        return row

    def triple(self) -> tuple[int, int, str]:
        """``(start, end, label)``."""
        return self.start, self.end, self.label

    def __getitem__(self, name: str) -> Any:
        """A field by name, as on a JSON record (``span["start"]``; the label is ``span["label"]``
        in every layer): the teaching notebooks read spans so."""
        if name not in SPAN_FIELDS:
            raise KeyError(name)
        return getattr(self, name)


SPAN_FIELDS = frozenset(field.name for field in fields(Span))


@dataclass(frozen=True, slots=True)
class Related:
    """One item of a page's "More From" list."""

    title: str | None
    excerpt: str
    date: str
    source_line: int

    def to_json(self) -> JSON:
        return {"title": self.title, "excerpt": self.excerpt, "date": self.date, "source_line": self.source_line}


@dataclass(frozen=True, slots=True)
class Document:
    """One released record of the ``documents`` config."""

    id: str
    title: str | None
    title_evidence: str | None
    outlet: str
    outlet_evidence: str | None
    published: str | None
    published_evidence: str | None
    published_method: str | None
    aggregator_date: str | None
    aggregator_date_evidence: str | None
    source_file: str
    source_sha256: str
    text: str
    spans: dict[str, tuple[Span, ...]]
    """Layer → its spans, in release order."""
    frames: tuple[str, ...]
    genre: str
    related: tuple[Related, ...] = ()

    def to_json(self, tax: Taxonomy) -> JSON:
        """The record as released (``document.schema.json``, field order included)."""
        data: JSON = {
            "id": self.id,
            "title": self.title,
            "title_evidence": self.title_evidence,
            "outlet": self.outlet,
            "outlet_evidence": self.outlet_evidence,
            "published": self.published,
            "published_evidence": self.published_evidence,
            "published_method": self.published_method,
            "aggregator_date": self.aggregator_date,
            "aggregator_date_evidence": self.aggregator_date_evidence,
            "source_file": self.source_file,
            "source_sha256": self.source_sha256,
            "text": self.text,
        }
        for layer in LAYERS:
            data[layer] = [span.released(tax) for span in self.spans[layer]]
        data["frames"] = list(self.frames)
        data["genre"] = self.genre
        data["related"] = [item.to_json() for item in self.related]
        return data


__all__ = ["RELEASED_ATTRIBUTES", "SPAN_FIELDS", "Document", "Header", "Related", "Span"]
