"""Sentences and tokens with character offsets, from spaCy's blank English pipeline.

No model is downloaded: ``spacy.blank("en")`` ships with spaCy, and the rule-based
``sentencizer`` splits sentences. Paragraphs (separated by blank lines in ``text``) are
processed one by one, so a sentence never crosses a paragraph, and whitespace tokens
are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language

PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\n)[^\n]+)*")


@dataclass(frozen=True)
class Sentence:
    """A sentence of a document: ``[start, end)`` and its tokens' ``[start, end)``."""

    start: int
    end: int
    tokens: tuple[tuple[int, int], ...]


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """spaCy's blank English tokenizer with the rule-based sentencizer."""
    import spacy  # about a second: imported by the first command that tokenizes, not by every command

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def paragraph_offsets(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each paragraph (maximal run of non-blank lines)."""
    return [(match.start(), match.end()) for match in PARAGRAPH.finditer(text)]


def text_to_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences of non-space tokens, offsets into ``text``.

    The sentences are spaCy's (``doc.sents`` of the sentencizer); offsets and flags are read
    with ``Doc.to_array`` rather than token by token (a Python object per token would cost more
    than the tokenizer)."""
    from spacy.attrs import IDX, IS_SPACE, LENGTH, SENT_START

    paragraphs = paragraph_offsets(text)
    sentences: list[Sentence] = []
    docs = pipeline().pipe(text[start:end] for start, end in paragraphs)
    for (base, _), doc in zip(paragraphs, docs, strict=True):
        current: list[tuple[int, int]] = []
        array: Any = doc.to_array([IDX, LENGTH, IS_SPACE, SENT_START])
        rows: list[list[int]] = array.tolist()
        for idx, length, space, sent_start in rows:
            if sent_start == 1 and current:
                sentences.append(Sentence(current[0][0], current[-1][1], tuple(current)))
                current = []
            if not space:
                current.append((base + idx, base + idx + length))
        if current:
            sentences.append(Sentence(current[0][0], current[-1][1], tuple(current)))
    return sentences


def token_boundaries(sentences: list[Sentence]) -> tuple[set[int], set[int]]:
    """All token start offsets and all token end offsets."""
    starts = {start for sentence in sentences for start, _ in sentence.tokens}
    ends = {end for sentence in sentences for _, end in sentence.tokens}
    return starts, ends


def text_token_boundaries(text: str) -> tuple[set[int], set[int]]:
    """``token_boundaries(text_to_sentences(text))``, faster: the tokenizer alone (sentence
    splitting never moves a token boundary), without building sentences."""
    from spacy.attrs import IDX, IS_SPACE, LENGTH

    starts: set[int] = set()
    ends: set[int] = set()
    paragraphs = paragraph_offsets(text)
    tokenizer: Any = pipeline().tokenizer
    docs = tokenizer.pipe(text[start:end] for start, end in paragraphs)
    for (base, _), doc in zip(paragraphs, docs, strict=True):
        rows: list[list[int]] = doc.to_array([IDX, LENGTH, IS_SPACE]).tolist()
        for idx, length, space in rows:
            if not space:
                starts.add(base + idx)
                ends.add(base + idx + length)
    return starts, ends


def spans_to_iob2(tokens: tuple[tuple[int, int], ...], spans: list[tuple[int, int, str]]) -> list[str]:
    """IOB2 tags of ``tokens`` for flat ``(start, end, label)`` character spans.

    Spans must be token-aligned; overlapping spans are resolved by :func:`flatten_spans`
    before this is called. A token belongs to a span when it lies inside it.
    """
    tags = ["O"] * len(tokens)
    for start, end, label in spans:
        inside = [i for i, (t_start, t_end) in enumerate(tokens) if start <= t_start and t_end <= end]
        for position, index in enumerate(inside):
            tags[index] = f"{'B' if position == 0 else 'I'}-{label}"
    return tags


def flatten_spans(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Keep a non-overlapping subset: longest first, then leftmost (outermost wins)."""
    kept: list[tuple[int, int, str]] = []
    for span in sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0], s[2])):
        if all(span[1] <= other[0] or other[1] <= span[0] for other in kept):
            kept.append(span)
    return sorted(kept)


def iob2_to_spans(tokens: tuple[tuple[int, int], ...], tags: list[str]) -> list[tuple[int, int, str]]:
    """Character spans ``(start, end, label)`` from IOB2 tags (inverse of :func:`spans_to_iob2`).

    An ``I-x`` that does not continue an ``x`` span starts a new one, as conlleval reads it.
    """
    spans: list[tuple[int, int, str]] = []
    for (start, end), tag in zip(tokens, tags, strict=True):
        if tag == "O":
            continue
        prefix, label = tag.split("-", 1)
        if (
            prefix == "I"
            and spans
            and spans[-1][2] == label
            and spans[-1][1] <= start
            and _continues(spans, tokens, start)
        ):
            spans[-1] = (spans[-1][0], end, label)
        else:
            spans.append((start, end, label))
    return spans


def _continues(spans: list[tuple[int, int, str]], tokens: tuple[tuple[int, int], ...], start: int) -> bool:
    """Whether the token at ``start`` directly follows the token that ends the last span."""
    ends = [t_end for t_start, t_end in tokens if t_end <= start]
    return bool(ends) and ends[-1] == spans[-1][1]
