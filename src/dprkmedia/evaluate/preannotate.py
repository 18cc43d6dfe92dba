"""A rule-based pre-annotator: gazetteers from the gold, date patterns, Juche years.

* **Entities**: every surface form of a gold entity becomes a gazetteer entry with its most
  frequent label and norm; matches are longest first, on token boundaries, flat, except
  that names inside a TITLE match are also kept (TITLE is transparent, as in the guidelines).
* **Dates**: patterns for full dates, month + year, month + day (year from the publication
  date), bare years, Juche datelines, centuries, "this/last/next year", present and
  future references, "N days" durations.
* **Rhetoric**: surface forms of short gold rhetoric spans (up to four words) with their label.
* **Document**: the majority frames and genre of the gold.

The baseline is measured leave-one-document-out: the gazetteers used on a document are
built from the other documents' gold only (:func:`evaluate`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from dprkmedia.corpus.documents import publication
from dprkmedia.corpus.jsonl import Record, read_records
from dprkmedia.corpus.loading import load_repo
from dprkmedia.corpus.pages import JUCHE_OFFSET, MONTHS
from dprkmedia.corpus.tokens import text_to_sentences, token_boundaries
from dprkmedia.evaluate.score import AnnotatedDoc, annotated_doc, score
from dprkmedia.model.records import Span
from dprkmedia.model.taxonomy import LAYERS, Taxonomy, load_taxonomy

JSON = dict[str, Any]
MODEL_VERSION = "rules-0.1"
MAX_RHETORIC_WORDS = 4

_M = "(?P<month>" + "|".join(MONTHS) + ")"
DATE_PATTERNS: list[tuple[str, str]] = [
    (rf"\b{_M} (?P<day>\d{{1,2}}), Juche (?P<juche>\d{{1,3}}) ?\((?P<year>\d{{4}})\)", "juche"),
    (rf"\b{_M} (?P<day>\d{{1,2}}),? (?P<year>\d{{4}})\b", "ymd"),
    (rf"\b{_M} (?:of )?(?P<year>\d{{4}})\b", "ym"),
    (rf"\b{_M} (?P<day>\d{{1,2}}) this year\b", "md-this"),
    (rf"\b{_M} (?P<day>\d{{1,2}})\b", "md"),
    (r"\b(?P<year>(?:19|20)\d\d)\b", "y"),
    (r"\b(?i:the) (?:21 ?st century|new century)\b", "century"),
    (r"\b(?P<rel>[Tt]his|[Ll]ast|[Nn]ext) year\b", "rel-year"),
    (rf"\b(?:[Ii]n|[Oo]n) {_M}\b", "m"),
    (r"\b(?:[Cc]urrently|[Nn]ow|present)\b", "present"),
    (r"\b(?:[Ii]n future|[Ii]n the future)\b", "future"),
    (r"\b(?P<n>\d+) days\b", "days"),
]


@dataclass
class Gazetteer:
    """Surface form → (label, norm) for entities, surface → label for rhetoric, doc defaults."""

    entities: dict[str, tuple[str, str]] = field(default_factory=dict)
    rhetoric: dict[str, str] = field(default_factory=dict)
    frames: list[str] = field(default_factory=list)
    genre: str = "opinion"


def build_gazetteer(gold: Iterable[list[JSON]]) -> Gazetteer:
    """A gazetteer from gold annotation files (header + span lines)."""
    entities: dict[str, Counter[tuple[str, str]]] = {}
    rhetoric: dict[str, Counter[str]] = {}
    frames: Counter[str] = Counter()
    genres: Counter[str] = Counter()
    documents = 0
    for lines in gold:
        documents += 1
        frames.update(lines[0]["frames"])
        genres[lines[0]["genre"]] += 1
        for span in lines[1:]:
            if span["layer"] == "entities":
                entities.setdefault(span["text"], Counter())[(span["label"], span["norm"])] += 1
            elif span["layer"] == "rhetoric" and len(span["text"].split()) <= MAX_RHETORIC_WORDS:
                rhetoric.setdefault(span["text"], Counter())[span["label"]] += 1
    return Gazetteer(
        entities={text: counts.most_common(1)[0][0] for text, counts in entities.items()},
        rhetoric={text: counts.most_common(1)[0][0] for text, counts in rhetoric.items()},
        frames=sorted(f for f, n in frames.items() if n * 2 > documents),
        genre=genres.most_common(1)[0][0] if genres else "opinion",
    )


def _find_all(text: str, surface: str) -> Iterable[int]:
    start = text.find(surface)
    while start >= 0:
        yield start
        start = text.find(surface, start + 1)


def _aligned(start: int, end: int, bounds: tuple[set[int], set[int]]) -> bool:
    return start in bounds[0] and end in bounds[1]


def match_entities(text: str, gazetteer: Gazetteer, bounds: tuple[set[int], set[int]]) -> list[Span]:
    """Longest-first gazetteer matches (without ids); names inside TITLE matches are kept too."""
    found: list[Span] = []
    for surface in sorted(gazetteer.entities, key=len, reverse=True):
        label, norm = gazetteer.entities[surface]
        for start in _find_all(text, surface):
            end = start + len(surface)
            if not _aligned(start, end, bounds):
                continue
            clash = [s for s in found if s.start < end and start < s.end]
            if all(s.label == "TITLE" and s.start <= start and end <= s.end for s in clash):
                found.append(Span("entities", "", start, end, surface, label, norm=norm))
    return found


def date_value(kind: str, match: re.Match[str], year: str) -> str | None:
    """The TIMEX3 value of a date pattern match (``year``: the DCT year or ``XXXX``)."""
    groups = match.groupdict()
    month = f"{MONTHS[groups['month']]:02d}" if groups.get("month") else None
    day = f"{int(groups['day']):02d}" if groups.get("day") else None
    if kind == "juche":
        return f"{groups['year']}-{month}-{day}" if int(groups["juche"]) + JUCHE_OFFSET == int(groups["year"]) else None
    if kind == "rel-year":
        if year == "XXXX":
            return "XXXX"
        return str(int(year) + {"this": 0, "last": -1, "next": 1}[groups["rel"].lower()])
    fixed = {"century": "20", "present": "PRESENT_REF", "future": "FUTURE_REF"}
    if kind in fixed:
        return fixed[kind]
    if kind == "days":
        return f"P{groups['n']}D"
    if kind == "y":
        return str(groups["year"])
    # ymd and ym carry their year; md, md-this and m take the DCT year
    parts = [groups.get("year") or year, month, day if kind in ("ymd", "md", "md-this") else None]
    return "-".join(part for part in parts if part)


def match_dates(text: str, published: str | None, bounds: tuple[set[int], set[int]]) -> list[Span]:
    """Date pattern matches (without ids), earlier patterns first, never overlapping."""
    year = published[:4] if published else "XXXX"
    found: list[Span] = []
    for pattern, kind in DATE_PATTERNS:
        for match in re.finditer(pattern, text):
            start, end = match.span()
            if kind == "m":  # "In March": the preposition is a signal, outside the span
                start = match.start("month")
            if not _aligned(start, end, bounds) or any(s.start < end and start < s.end for s in found):
                continue
            value = date_value(kind, match, year)
            if value is None:
                continue
            timex_type = "DURATION" if kind == "days" else "DATE"
            found.append(Span("dates", "", start, end, text[start:end], timex_type, value=value))
    return found


def match_rhetoric(text: str, gazetteer: Gazetteer, bounds: tuple[set[int], set[int]]) -> list[Span]:
    """Gazetteer matches of short rhetoric phrases (without ids; overlaps allowed, as in the gold)."""
    found = []
    for surface, label in sorted(gazetteer.rhetoric.items()):
        for start in _find_all(text, surface):
            end = start + len(surface)
            if _aligned(start, end, bounds):
                found.append(Span("rhetoric", "", start, end, surface, label))
    return found


def preannotate(doc_id: str, text: str, published: str | None, gazetteer: Gazetteer, tax: Taxonomy) -> list[JSON]:
    """Annotation-file lines (header + spans with ids) predicted for one document."""
    bounds = token_boundaries(text_to_sentences(text))
    spans = [
        *match_entities(text, gazetteer, bounds),
        *match_dates(text, published, bounds),
        *match_rhetoric(text, gazetteer, bounds),
    ]
    spans.sort(key=lambda s: (LAYERS.index(s.layer), s.start, -s.end, s.label))
    counters: Counter[str] = Counter()
    lines: list[JSON] = [
        {"doc": doc_id, "frames": gazetteer.frames, "genre": gazetteer.genre, "annotators": [MODEL_VERSION]}
    ]
    for span in spans:
        counters[span.layer] += 1
        lines.append(replace(span, id=f"{tax.id_prefix(span.layer)}{counters[span.layer]}").to_json(tax))
    return lines


def gold_documents(repo: Any) -> dict[str, tuple[str, str | None, list[JSON]]]:
    """doc id → (text, publication date, gold lines) for every registered document."""
    ctx = load_repo(repo)[0]
    docs = {}
    for doc_id, loaded in sorted(ctx.sources.items()):
        records, _ = read_records(repo.annotation_file(doc_id), doc_id)
        published, _, _ = publication(loaded.page, loaded.source)
        docs[doc_id] = (loaded.page.text, published, [record.data for record in records])
    return docs


def leave_one_out(docs: dict[str, tuple[str, str | None, list[JSON]]], doc_id: str, tax: Taxonomy) -> list[JSON]:
    """Pre-annotate ``doc_id`` with gazetteers built from the other documents' gold only."""
    gazetteer = build_gazetteer(lines for other, (_, _, lines) in docs.items() if other != doc_id)
    text, published, _ = docs[doc_id]
    return preannotate(doc_id, text, published, gazetteer, tax)


def evaluate(repo: Any) -> dict[str, Any]:
    """Scorer result of the leave-one-document-out pre-annotation against the gold."""
    docs = gold_documents(repo)
    tax = load_taxonomy(repo.schema_dir)

    def annotated(lines: list[JSON]) -> AnnotatedDoc:
        return annotated_doc([Record(number, line) for number, line in enumerate(lines, start=1)], tax)

    gold = {doc_id: annotated(lines) for doc_id, (_, _, lines) in docs.items()}
    pred = {doc_id: annotated(leave_one_out(docs, doc_id, tax)) for doc_id in docs}
    return score(gold, pred)


def baseline_markdown(repo: Any) -> str:
    """The README table of the baseline (generated block ``baseline``)."""
    result = evaluate(repo)
    lines = [
        "| layer | gold | predicted | exact P | exact R | exact F1 | partial-credit F1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for layer, data in result["layers"].items():
        e, p = data["exact"], data["partial"]
        lines.append(
            f"| {layer} | {e['gold']} | {e['predicted']} | {e['precision']:.3f} | {e['recall']:.3f} "
            f"| {e['f1']:.3f} | {p['f1']:.3f} |"
        )
    values = result["layers"]["dates"]["value_accuracy"]
    frames = result["document"]["frames"]
    lines += [
        "",
        f"Date values right on exact matches: {values['correct']}/{values['matched']}; "
        f"frames F1 {frames['f1']:.3f}; genre {result['document']['genre']['agree']}/{len(result['documents'])}.",
    ]
    return "\n".join(lines)
