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
built from the other documents' gold only (:func:`evaluate`). Rebuilding them for every
document would cost O(N²); :class:`~dprkmedia.evaluate.gazetteer.LeaveOneOut` counts every
document once and subtracts a document's own counts, with the same results
(:func:`leave_one_out` is the rebuild, kept as the definition the tests compare against).
Documents are read and scored one at a time, in worker processes (``workers``), in two
passes over the repository: the gold counts, then the predictions.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from dprkmedia.corpus.documents import publication
from dprkmedia.corpus.jsonl import Record, read_records
from dprkmedia.corpus.loading import LoadedRepo, load_metadata, load_source
from dprkmedia.corpus.metadata import Source
from dprkmedia.corpus.pages import JUCHE_OFFSET, MONTHS
from dprkmedia.corpus.parallel import ordered_map
from dprkmedia.corpus.progress import QUIET, Progress
from dprkmedia.corpus.repo import Repo
from dprkmedia.corpus.tokens import pipeline, text_token_boundaries
from dprkmedia.evaluate.gazetteer import Gazetteer, LeaveOneOut, Lookup, build_gazetteer, lookup
from dprkmedia.evaluate.score import AnnotatedDoc, DocScore, Scorer, annotated_doc, doc_score
from dprkmedia.model.records import Span
from dprkmedia.model.taxonomy import LAYERS, Taxonomy, load_taxonomy

JSON = dict[str, Any]
MODEL_VERSION = "rules-0.1"
Bounds = tuple[set[int], set[int]]

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


def _aligned(start: int, end: int, bounds: Bounds) -> bool:
    return start in bounds[0] and end in bounds[1]


def _lookup(gazetteer: Gazetteer | Lookup) -> Lookup:
    return gazetteer if isinstance(gazetteer, Lookup) else lookup(gazetteer)


def match_entities(text: str, gazetteer: Gazetteer | Lookup, bounds: Bounds) -> list[Span]:
    """Longest-first gazetteer matches (without ids); names inside TITLE matches are kept too.

    Surfaces of the same length are tried in gazetteer order, each at every token-aligned
    occurrence from left to right."""
    look = _lookup(gazetteer)
    starts, ends = bounds
    candidates = []
    for surface, start in look.entities.occurrences(text, starts, ends):
        entry = look.entity.get(surface)
        if entry is not None:
            (label, norm), rank = entry
            candidates.append((-len(surface), rank, start, surface, label, norm))
    candidates.sort()
    found: list[Span] = []
    for _, _, start, surface, label, norm in candidates:
        end = start + len(surface)
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


def match_rhetoric(text: str, gazetteer: Gazetteer | Lookup, bounds: Bounds) -> list[Span]:
    """Gazetteer matches of short rhetoric phrases (without ids; overlaps allowed, as in the gold)."""
    look = _lookup(gazetteer)
    found = []
    for surface, start in look.rhetoric.occurrences(text, bounds[0], bounds[1]):
        label = look.rhetoric_label.get(surface)
        if label is not None:
            found.append((surface, start, label))
    found.sort()
    return [Span("rhetoric", "", start, start + len(surface), surface, label) for surface, start, label in found]


def preannotate(
    doc_id: str,
    text: str,
    published: str | None,
    gazetteer: Gazetteer | Lookup,
    tax: Taxonomy,
    bounds: Bounds | None = None,
) -> list[JSON]:
    """Annotation-file lines (header + spans with ids) predicted for one document
    (``bounds``: its token starts and ends, when the caller has them)."""
    look = _lookup(gazetteer)
    bounds = bounds or text_token_boundaries(text)
    spans = [
        *match_entities(text, look, bounds),
        *match_dates(text, published, bounds),
        *match_rhetoric(text, look, bounds),
    ]
    spans.sort(key=lambda s: (LAYERS.index(s.layer), s.start, -s.end, s.label))
    counters: Counter[str] = Counter()
    lines: list[JSON] = [{"doc": doc_id, "frames": look.frames, "genre": look.genre, "annotators": [MODEL_VERSION]}]
    for span in spans:
        counters[span.layer] += 1
        lines.append(replace(span, id=f"{tax.id_prefix(span.layer)}{counters[span.layer]}").to_json(tax))
    return lines


# --- the repository, document by document ---------------------------------------------------


@dataclass(frozen=True)
class GoldDoc:
    """A document the baseline reads: its text, publication date and gold lines."""

    id: str
    text: str
    published: str | None
    lines: list[JSON]


@dataclass
class Corpus:
    """What the workers share: the loaded metadata, the taxonomy, and (second pass) the counts."""

    ctx: LoadedRepo
    loo: LeaveOneOut


def gold_sources(repo: Repo) -> tuple[Corpus, list[list[Source]]]:
    """The metadata, and the source records of every document id, ids in order (the records
    of an id in file order: the last one that loads is the document, as in
    :func:`~dprkmedia.corpus.loading.load_repo`)."""
    ctx = LoadedRepo(repo, load_taxonomy(repo.schema_dir))
    ctx.meta, _ = load_metadata(repo.metadata_file, ctx.tax, ctx.display(repo.metadata_file))
    by_id: dict[str, list[Source]] = {}
    for source in ctx.meta.sources:
        by_id.setdefault(source.id, []).append(source)
    return Corpus(ctx, LeaveOneOut()), [by_id[doc_id] for doc_id in sorted(by_id)]


def read_gold(corpus: Corpus, records: list[Source]) -> GoldDoc | None:
    """One document: its page (the last record that loads) and gold lines; None if no page loads."""
    for source in reversed(records):
        loaded, _ = load_source(corpus.ctx, source)
        if loaded is not None:
            gold, _ = read_records(corpus.ctx.repo.annotation_file(source.id), source.id)
            published, _, _ = publication(loaded.page, loaded.source)
            return GoldDoc(source.id, loaded.page.text, published, [record.data for record in gold])
    return None


def _gold_lines(corpus: Corpus, records: list[Source]) -> list[JSON] | None:
    gold = read_gold(corpus, records)
    return None if gold is None else gold.lines


def iter_gold(repo: Repo, workers: int = 1) -> Iterator[GoldDoc]:
    """Every document whose page loads, in id order, read one at a time."""
    corpus, sources = gold_sources(repo)
    for gold in ordered_map(read_gold, corpus, sources, workers):
        if gold is not None:
            yield gold


def gold_documents(repo: Any) -> dict[str, tuple[str, str | None, list[JSON]]]:
    """doc id → (text, publication date, gold lines) for every registered document (in memory:
    for a few documents; :func:`iter_gold` reads them one at a time)."""
    return {gold.id: (gold.text, gold.published, gold.lines) for gold in iter_gold(repo)}


def leave_one_out(docs: dict[str, tuple[str, str | None, list[JSON]]], doc_id: str, tax: Taxonomy) -> list[JSON]:
    """Pre-annotate ``doc_id`` with gazetteers built from the other documents' gold only, by
    rebuilding them: the definition :class:`LeaveOneOut` computes in linear time."""
    gazetteer = build_gazetteer(lines for other, (_, _, lines) in docs.items() if other != doc_id)
    text, published, _ = docs[doc_id]
    return preannotate(doc_id, text, published, gazetteer, tax)


def counted(repo: Repo, workers: int = 1, progress: Progress = QUIET) -> tuple[Corpus, list[tuple[list[Source], int]]]:
    """First pass: every document's gold counted once. Returns the corpus and, for every
    document whose page loads, its source records and its number in the counts."""
    corpus, sources = gold_sources(repo)
    progress.start("Baseline: counting the gold", len(sources))
    numbered = []
    for records, lines in zip(sources, ordered_map(_gold_lines, corpus, sources, workers), strict=True):
        if lines is not None:
            numbered.append((records, corpus.loo.add(lines)))
        progress.advance()
    corpus.loo.whole()  # computed once, before the workers fork
    return corpus, numbered


def predict(corpus: Corpus, item: tuple[list[Source], int]) -> tuple[GoldDoc, list[JSON]]:
    """Second pass: a document and its leave-one-out pre-annotation."""
    records, number = item
    gold = read_gold(corpus, records)
    assert gold is not None
    look = corpus.loo.without(number, gold.lines)
    return gold, preannotate(gold.id, gold.text, gold.published, look, corpus.ctx.tax)


def predictions(
    corpus: Corpus, numbered: list[tuple[list[Source], int]], docs: list[str] | None = None, workers: int = 1
) -> Iterator[tuple[str, list[JSON]]]:
    """``(doc id, predicted lines)`` of every counted document (or of ``docs``), leave-one-out,
    in id order (``corpus`` and ``numbered``: from :func:`counted`)."""
    wanted = set(docs) if docs is not None else None
    chosen = [item for item in numbered if wanted is None or item[0][0].id in wanted]
    pipeline()  # loaded once here: the workers inherit it
    for gold, lines in ordered_map(predict, corpus, chosen, workers):
        yield gold.id, lines


def _annotated(lines: list[JSON], tax: Taxonomy) -> AnnotatedDoc:
    return annotated_doc([Record(number, line) for number, line in enumerate(lines, start=1)], tax)


def _score(corpus: Corpus, item: tuple[list[Source], int]) -> DocScore:
    gold, lines = predict(corpus, item)
    tax = corpus.ctx.tax
    return doc_score(gold.id, _annotated(gold.lines, tax), _annotated(lines, tax))


def evaluate(repo: Any, workers: int = 1, progress: Progress = QUIET) -> dict[str, Any]:
    """Scorer result of the leave-one-document-out pre-annotation against the gold."""
    corpus, numbered = counted(repo, workers, progress)
    progress.start("Baseline: pre-annotating", len(numbered))
    pipeline()  # loaded once here: the workers inherit it
    scorer = Scorer()
    for score in ordered_map(_score, corpus, numbered, workers):
        scorer.add(score)
        progress.advance()
    return scorer.result()


def baseline_markdown(repo: Any, workers: int = 1, progress: Progress = QUIET) -> str:
    """The README table of the baseline (generated block ``baseline``)."""
    return baseline_table(evaluate(repo, workers, progress))


def baseline_table(result: dict[str, Any]) -> str:
    """The README table of a baseline's scorer result."""
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


__all__ = [
    "Gazetteer",
    "baseline_table",
    "build_gazetteer",
    "counted",
    "evaluate",
    "gold_documents",
    "iter_gold",
    "leave_one_out",
    "preannotate",
    "predictions",
]
