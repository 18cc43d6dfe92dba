"""The rows of every config for one document: ``documents``, ``spans``, ``tokens``, ``sentences``.

Rows are made document by document (in worker processes, see :mod:`dprkmedia.build.writer`),
so nothing here looks beyond one document.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dprkmedia.build.features import iob2_names
from dprkmedia.corpus.tokens import Sentence, flatten_spans, spans_to_iob2, text_to_sentences
from dprkmedia.model.records import Document, Span
from dprkmedia.model.taxonomy import LAYERS, Taxonomy

Rows = list[dict[str, Any]]


def span_rows(document: Document, tax: Taxonomy) -> Rows:
    """The ``spans`` config rows of one document."""
    return [
        {
            "doc_id": document.id,
            "layer": layer,
            "id": span.id,
            "start": span.start,
            "end": span.end,
            "text": span.text,
            "label": span.label,
            "value": span.value,
            "category": tax.category(span.label) if layer == "rhetoric" else None,
            "norm": span.norm,
            "confidence": span.confidence,
        }
        for layer in LAYERS
        for span in document.spans[layer]
    ]


def _flat(spans: Iterable[Span]) -> list[tuple[int, int, str]]:
    """A document's spans of one layer as non-overlapping ``(start, end, label)``."""
    return flatten_spans([span.triple() for span in spans])


def _tags(sentence: Sentence, flat: list[tuple[int, int, str]], ids: dict[str, int]) -> list[int]:
    inside = [s for s in flat if sentence.start <= s[0] and s[1] <= sentence.end]
    return [ids[tag] for tag in spans_to_iob2(sentence.tokens, inside)]


def sentence_rows(document: Document, sentences: list[Sentence], tax: Taxonomy) -> tuple[Rows, Rows]:
    """The ``tokens`` and ``sentences`` config rows of one document."""
    ner_ids = {name: i for i, name in enumerate(iob2_names(tax.names("entities")))}
    date_ids = {name: i for i, name in enumerate(iob2_names(tax.names("dates")))}
    entities, dates = _flat(document.spans["entities"]), _flat(document.spans["dates"])
    order = {name: i for i, name in enumerate(tax.names("rhetoric"))}
    text, doc_id = document.text, document.id
    tokens, plain = [], []
    for number, sentence in enumerate(sentences, start=1):
        sid = f"{doc_id}-s{number:03d}"
        tokens.append(
            {
                "id": sid,
                "doc_id": doc_id,
                "tokens": [text[a:b] for a, b in sentence.tokens],
                "ner_tags": _tags(sentence, entities, ner_ids),
                "date_tags": _tags(sentence, dates, date_ids),
                "token_starts": [a for a, _ in sentence.tokens],
                "token_ends": [b for _, b in sentence.tokens],
            }
        )
        techniques = {
            span.label for span in document.spans["rhetoric"] if span.start < sentence.end and sentence.start < span.end
        }
        plain.append(
            {
                "id": sid,
                "doc_id": doc_id,
                "start": sentence.start,
                "end": sentence.end,
                "text": text[sentence.start : sentence.end],
                "techniques": sorted(techniques, key=order.__getitem__),
            }
        )
    return tokens, plain


def document_rows(document: Document, tax: Taxonomy, sentences: list[Sentence] | None = None) -> dict[str, Rows]:
    """The rows of every config of one document (``sentences``: the document already split)."""
    token_rows, plain_rows = sentence_rows(document, sentences or text_to_sentences(document.text), tax)
    return {
        "documents": [document.to_json(tax)],
        "spans": span_rows(document, tax),
        "tokens": token_rows,
        "sentences": plain_rows,
    }


__all__ = ["Rows", "document_rows", "sentence_rows", "span_rows"]
