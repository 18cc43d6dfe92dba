"""The numbers of a class report (``dprkmedia class-report``): a class's answers against the gold.

- **Per student**: :func:`dprkmedia.evaluate.score.score` of the student's answers against the
  gold of the articles the student handed in (an article nobody asked a student to do does
  not count against them): exactly what ``dprkmedia score GOLD STUDENT`` prints for those
  articles, with ``--core`` as there.
- **Per label** (techniques first): the class's pooled precision and recall: the score of one
  corpus in which every (student, article) pair is a document, so each student's spans pair
  only with the gold of the article they annotated.
- **Missed and added**: each gold span with the share of the students who did that article and
  have no span of the same label overlapping it; each extra span (no same-label gold span
  overlaps it) with the number of students who marked exactly it; both quoted in context.
- **Confusion**: for each gold technique, what the students chose on its spans: the same label
  where any overlapping span has it, otherwise the label of the span that overlaps it most, or
  nothing.

With a passage (``DOC:START-END``), an article's gold and answers are cut to the spans that lie
inside it, as unit 1 of the teaching materials does for one paragraph. Agreement among the
students is in :mod:`dprkmedia.evaluate.class_agreement`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from dprkmedia.evaluate.answers import ClassAnswers, Student
from dprkmedia.evaluate.class_agreement import class_agreement
from dprkmedia.evaluate.score import AnnotatedDoc, core_only, overlap, score, typed_docs
from dprkmedia.model.records import Span
from dprkmedia.model.taxonomy import LAYERS, Taxonomy

CONTEXT = 70
"""Characters of context quoted on each side of a missed or added span."""
TOP = 12
"""Spans listed as most often missed, and as most often added, per layer."""
NOTHING = "(nothing)"
"""The confusion table's column for a gold span no student span overlaps."""
SEPARATOR = "\x00"
"""Joins a student's name and an article id into one document key of the pooled score."""


@dataclass(frozen=True)
class Passage:
    """Characters ``[start, end)`` of one article: the part of it the class annotated."""

    doc: str
    start: int
    end: int

    def holds(self, span: Span) -> bool:
        """Whether ``span`` lies inside the passage."""
        return self.start <= span.start and span.end <= self.end


def cut(doc: AnnotatedDoc, passage: Passage | None) -> AnnotatedDoc:
    """``doc`` with only the spans inside ``passage`` (all of it without one)."""
    if passage is None:
        return doc
    return replace(doc, spans={layer: [s for s in spans if passage.holds(s)] for layer, spans in doc.spans.items()})


def _pairs(
    gold: dict[str, AnnotatedDoc], student: Student, passages: dict[str, Passage], core: bool
) -> tuple[dict[str, AnnotatedDoc], dict[str, AnnotatedDoc]]:
    """The gold and the answers one student is scored on."""
    mine = typed_docs(student.docs)
    docs = [d for d in sorted(mine) if d in gold]
    own_gold = {d: cut(gold[d], passages.get(d)) for d in docs}
    own = {d: cut(mine[d], passages.get(d)) for d in docs}
    return core_only(own_gold, own) if core else (own_gold, own)


def _student_row(student: Student, result: dict[str, Any], answers: dict[str, AnnotatedDoc]) -> dict[str, Any]:
    attempted = {layer: any(doc.spans[layer] for doc in answers.values()) for layer in LAYERS}
    return {
        "name": student.name,
        "documents": sorted(answers),
        "sources": [student.sources[d] for d in sorted(answers)],
        "attempted": attempted,
        "frames_answered": any(doc.frames for doc in answers.values()),
        "score": result,
    }


def _quote(text: str, start: int, end: int) -> dict[str, str]:
    before = text[max(0, start - CONTEXT) : start]
    after = text[end : end + CONTEXT]
    return {
        "before": ("…" if start > CONTEXT else "") + before.replace("\n", " "),
        "span": text[start:end],
        "after": after.replace("\n", " ") + ("…" if end + CONTEXT < len(text) else ""),
    }


def _same_label_overlap(span: Span, others: list[Span]) -> bool:
    return any(o.label == span.label and overlap(span.triple(), o.triple()) for o in others)


def _chosen(gold_span: Span, answers: list[Span]) -> str:
    """What a student chose on a gold span: its label if any overlapping span has it, otherwise
    the label that overlaps it most (ties: the alphabetically first), otherwise nothing."""
    shared: Counter[str] = Counter()
    for s in answers:
        chars = overlap(gold_span.triple(), s.triple())
        if chars:
            shared[s.label] += chars
    if gold_span.label in shared:
        return gold_span.label
    if not shared:
        return NOTHING
    return min(shared, key=lambda label: (-shared[label], label))


def missed_and_added(
    scored: dict[str, tuple[dict[str, AnnotatedDoc], dict[str, AnnotatedDoc]]],
    texts: dict[str, str],
    layers: list[str],
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Per layer: the gold spans most often missed and the extra spans most often added."""
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for layer in layers:
        missed: dict[tuple[str, int, int, str], list[int]] = {}  # gold span -> [missed, students]
        added: Counter[tuple[str, int, int, str]] = Counter()
        for gold, answers in scored.values():
            for doc_id, gold_doc in gold.items():
                mine = answers[doc_id].spans[layer]
                for g in gold_doc.spans[layer]:
                    counts = missed.setdefault((doc_id, *g.triple()), [0, 0])
                    counts[0] += not _same_label_overlap(g, mine)
                    counts[1] += 1
                for s in mine:
                    if not _same_label_overlap(s, gold_doc.spans[layer]):
                        added[(doc_id, *s.triple())] += 1
        most_missed = sorted(missed.items(), key=lambda item: (-item[1][0] / item[1][1], item[0]))
        out[layer] = {
            "missed": [
                {"doc": d, "start": s, "end": e, "label": label, "missed": m, "students": n, **_quote(texts[d], s, e)}
                for (d, s, e, label), (m, n) in most_missed[:TOP]
                if m
            ],
            "added": [
                {"doc": d, "start": s, "end": e, "label": label, "students": n, **_quote(texts[d], s, e)}
                for (d, s, e, label), n in sorted(added.items(), key=lambda item: (-item[1], item[0]))[:TOP]
            ],
        }
    return out


def confusion(scored: dict[str, tuple[dict[str, AnnotatedDoc], dict[str, AnnotatedDoc]]]) -> dict[str, Any]:
    """Gold technique → what the students chose on its spans → how often."""
    table: dict[str, Counter[str]] = {}
    for gold, answers in scored.values():
        for doc_id, gold_doc in gold.items():
            for g in gold_doc.spans["rhetoric"]:
                table.setdefault(g.label, Counter())[_chosen(g, answers[doc_id].spans["rhetoric"])] += 1
    chosen = sorted({label for row in table.values() for label in row} - {NOTHING})
    return {
        "gold": sorted(table),
        "chosen": [*chosen, NOTHING],
        "counts": {label: dict(sorted(row.items())) for label, row in sorted(table.items())},
    }


def pooled(scored: dict[str, tuple[dict[str, AnnotatedDoc], dict[str, AnnotatedDoc]]]) -> dict[str, Any]:
    """The class's pooled score: every (student, article) pair one document of one corpus."""
    gold = {f"{name}{SEPARATOR}{d}": doc for name, (g, _) in scored.items() for d, doc in g.items()}
    pred = {f"{name}{SEPARATOR}{d}": doc for name, (_, p) in scored.items() for d, doc in p.items()}
    result = score(gold, pred)
    return {layer: result["layers"][layer] for layer in LAYERS}


def class_report(
    gold: dict[str, AnnotatedDoc],
    answers: ClassAnswers,
    texts: dict[str, str],
    tax: Taxonomy,
    *,
    passages: dict[str, Passage] | None = None,
    core: bool = False,
    gamma_pairs: int = 1,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Every number of the class report, as JSON-ready data (what ``--json`` writes)."""
    passages = passages or {}
    gold = typed_docs(gold, tax)
    students = sorted(answers.students.values(), key=lambda s: s.name)
    scored = {s.name: _pairs(gold, s, passages, core) for s in students if any(d in gold for d in s.docs)}
    rows = [_student_row(s, score(*scored[s.name]), scored[s.name][1]) for s in students if s.name in scored]
    layers = [layer for layer in LAYERS if any(row["attempted"][layer] for row in rows)]
    if progress:
        progress(f"scored {len(rows)} students; agreement among them ...")
    documents = sorted({d for g, _ in scored.values() for d in g})
    return {
        "documents": documents,
        "passages": {d: {"start": p.start, "end": p.end} for d, p in sorted(passages.items())},
        "core": core,
        "layers": layers,
        "students": rows,
        "class": pooled(scored) if scored else {},
        "categories": {label.name: label.category for label in tax.labels if label.layer == "rhetoric"},
        "spans": missed_and_added(scored, texts, layers),
        "confusion": confusion(scored),
        "agreement": class_agreement(
            {name: p for name, (_, p) in scored.items()}, texts, layers, gamma_pairs, seed, progress
        ),
        "unused": [
            {"student": u.student, "source": u.source, "problems": [i.render() for i in u.issues]}
            for u in answers.unused
        ],
        "not_in_gold": [
            {"student": s.name, "doc": d, "source": s.sources[d]}
            for s in students
            for d in sorted(s.docs)
            if d not in gold
        ],
    }
