"""``dprkmedia score GOLD PRED``: compare two sets of annotations.

Per layer and per label: exact-match P/R/F1 (same start, end and label) and the PTC /
SemEval partial-credit P/R/F1: for a predicted span s and a gold span t with the same
label, precision credit |s∩t|/|s| and recall credit |s∩t|/|t| (character sets),
P = Σ precision credit / number predicted, R = Σ recall credit / number of gold
(Da San Martino et al. 2019; docs/taxonomy.md). Plus the accuracy of date ``value`` and
entity ``norm`` on exactly matched spans, and frame/genre agreement.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dprkmedia.corpus.jsonl import Record, read_records, read_records_leniently
from dprkmedia.corpus.repo import NotARepositoryError, find_repo
from dprkmedia.model.issues import Issue
from dprkmedia.model.messages import Message as M
from dprkmedia.model.messages import issue
from dprkmedia.model.records import Header, Span
from dprkmedia.model.taxonomy import LAYERS, Taxonomy, load_taxonomy, packaged_schema_dir

if TYPE_CHECKING:
    from dprkmedia.validation.records import AnnotationValidators

Unit = tuple[int, int, str]
"""``(start, end, label)``, ``end`` exclusive."""


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 with the counts behind them."""

    precision: float
    recall: float
    f1: float
    predicted: int
    gold: int


@dataclass
class AnnotatedDoc:
    """What the scorer reads of one annotation file.

    A span may also be given as the dict of an annotation-file line (``layer`` and ``id``
    optional), as the teaching notebooks build them: :func:`typed_docs` reads it.
    """

    doc: str
    frames: list[str] = field(default_factory=list)
    genre: str | None = None
    spans: dict[str, list[Span]] = field(default_factory=lambda: {layer: [] for layer in LAYERS})


def _ratio(credit: float, count: int, other: int) -> float:
    if count == 0:
        return 1.0 if other == 0 else 0.0
    return credit / count


def make_prf(p_credit: float, r_credit: float, predicted: int, gold: int) -> PRF:
    """Build a :class:`PRF` from summed credits and counts (0/0 counts as 1)."""
    precision = _ratio(p_credit, predicted, gold)
    recall = _ratio(r_credit, gold, predicted)
    f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return PRF(precision, recall, f1, predicted, gold)


def overlap(a: Unit, b: Unit) -> int:
    """Number of characters two ``[start, end)`` spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def exact_prf(gold: list[Unit], pred: list[Unit]) -> PRF:
    """Exact-match P/R/F1: a predicted span counts when the same span and label is gold."""
    matched = len(set(gold) & set(pred))
    return make_prf(matched, matched, len(pred), len(gold))


def partial_prf(gold: list[Unit], pred: list[Unit]) -> PRF:
    """PTC / SemEval partial-credit P/R/F1 over same-label pairs."""
    p_credit = r_credit = 0.0
    for s in pred:
        for t in gold:
            if s[2] == t[2]:
                shared = overlap(s, t)
                p_credit += shared / (s[1] - s[0])
                r_credit += shared / (t[1] - t[0])
    return make_prf(p_credit, r_credit, len(pred), len(gold))


def spans_of(docs: Iterable[tuple[str, AnnotatedDoc]], layer: str, label: str | None = None) -> list[tuple[str, Unit]]:
    return [(doc_id, s.triple()) for doc_id, doc in docs for s in doc.spans[layer] if label is None or s.label == label]


def _per_doc(
    gold: dict[str, AnnotatedDoc], pred: dict[str, AnnotatedDoc], layer: str, label: str | None
) -> tuple[PRF, PRF]:
    """Exact and partial PRF summed over documents (spans never pair across documents)."""
    e_matched = p_credit = r_credit = 0.0
    n_pred = n_gold = 0
    for doc_id, gold_doc in gold.items():
        g = [s for _, s in spans_of([(doc_id, gold_doc)], layer, label)]
        p = [s for _, s in spans_of([(doc_id, pred[doc_id])], layer, label)] if doc_id in pred else []
        exact, partial = exact_prf(g, p), partial_prf(g, p)
        e_matched += exact.precision * len(p) if p else 0
        p_credit += partial.precision * len(p) if p else 0
        r_credit += partial.recall * len(g) if g else 0
        n_pred, n_gold = n_pred + len(p), n_gold + len(g)
    return make_prf(e_matched, e_matched, n_pred, n_gold), make_prf(p_credit, r_credit, n_pred, n_gold)


def attribute_accuracy(
    gold: dict[str, AnnotatedDoc], pred: dict[str, AnnotatedDoc], layer: str, attribute: str
) -> dict[str, Any]:
    """Accuracy of ``attribute`` (date value, entity norm) on exactly matched spans."""
    correct = total = 0
    for doc_id, gold_doc in gold.items():
        if doc_id not in pred:
            continue
        wanted = {s.triple(): getattr(s, attribute) for s in gold_doc.spans[layer]}
        for s in pred[doc_id].spans[layer]:
            if s.triple() in wanted:
                total += 1
                correct += wanted[s.triple()] == getattr(s, attribute)
    return {"matched": total, "correct": correct, "accuracy": correct / total if total else None}


def document_agreement(gold: dict[str, AnnotatedDoc], pred: dict[str, AnnotatedDoc]) -> dict[str, Any]:
    """Frames: micro P/R/F1 over (document, frame) pairs; genre: accuracy."""
    g = {(d, f) for d, doc in gold.items() for f in doc.frames}
    p = {(d, f) for d, doc in pred.items() if d in gold for f in doc.frames}
    both = len(g & p)
    frames = make_prf(both, both, len(p), len(g))
    compared = [d for d in gold if d in pred]
    same = sum(gold[d].genre == pred[d].genre for d in compared)
    return {
        "frames": asdict(frames),
        "genre": {"documents": len(compared), "agree": same, "accuracy": same / len(compared) if compared else None},
    }


def typed_docs(docs: dict[str, AnnotatedDoc], tax: Taxonomy | None = None) -> dict[str, AnnotatedDoc]:
    """``docs`` with every span a :class:`Span`: a span given as a dict is read with ``tax``, by
    default the taxonomy of the repository of the current folder."""
    spans = [s for doc in docs.values() for items in doc.spans.values() for s in items]
    if all(isinstance(s, Span) for s in spans):
        return docs
    tax = tax or taxonomy_for(Path.cwd())
    return {doc_id: replace(doc, spans=_typed_spans(doc, tax)) for doc_id, doc in docs.items()}


def _typed_spans(doc: AnnotatedDoc, tax: Taxonomy) -> dict[str, list[Span]]:
    def typed(layer: str, span: Span | dict[str, Any]) -> Span:
        return span if isinstance(span, Span) else Span.from_json({"id": "", **span, "layer": layer}, tax)

    return {layer: [typed(layer, s) for s in items] for layer, items in doc.spans.items()}


def score(gold: dict[str, AnnotatedDoc], pred: dict[str, AnnotatedDoc]) -> dict[str, Any]:
    """The whole comparison as JSON-ready data (what ``--json`` prints)."""
    gold, pred = typed_docs(gold), typed_docs(pred)
    result: dict[str, Any] = {
        "documents": sorted(gold),
        "missing_in_pred": sorted(set(gold) - set(pred)),
        "extra_in_pred": sorted(set(pred) - set(gold)),
        "layers": {},
    }
    for layer in LAYERS:
        exact, partial = _per_doc(gold, pred, layer, None)
        labels = sorted(
            {s[2] for _, s in spans_of(gold.items(), layer)}
            | {s[2] for d, s in spans_of(pred.items(), layer) if d in gold}
        )
        per_label = {}
        for label in labels:
            e, p = _per_doc(gold, pred, layer, label)
            per_label[label] = {"exact": asdict(e), "partial": asdict(p)}
        result["layers"][layer] = {"exact": asdict(exact), "partial": asdict(partial), "labels": per_label}
    result["layers"]["dates"]["value_accuracy"] = attribute_accuracy(gold, pred, "dates", "value")
    result["layers"]["entities"]["norm_accuracy"] = attribute_accuracy(gold, pred, "entities", "norm")
    result["document"] = document_agreement(gold, pred)
    return result


def core_only(
    gold: dict[str, AnnotatedDoc], pred: dict[str, AnnotatedDoc]
) -> tuple[dict[str, AnnotatedDoc], dict[str, AnnotatedDoc]]:
    """Gold and predictions for grading against the core rhetoric spans only.

    Borderline gold spans (``confidence: borderline``) are left out of the gold, and a
    predicted span of the same technique that shares characters with a borderline gold span
    but with no core one is left out of the predictions: a disputed passage neither earns nor
    costs anything. Entities, dates, frames and genre are unchanged."""
    gold, pred = typed_docs(gold), typed_docs(pred)
    core_gold: dict[str, AnnotatedDoc] = {}
    core_pred = dict(pred)
    for doc_id, doc in gold.items():
        kept = [s for s in doc.spans["rhetoric"] if (s.confidence or "core") == "core"]
        disputed = [s for s in doc.spans["rhetoric"] if (s.confidence or "core") != "core"]
        core_gold[doc_id] = AnnotatedDoc(doc.doc, doc.frames, doc.genre, {**doc.spans, "rhetoric": kept})
        if doc_id in pred:
            mine = pred[doc_id]
            spans = [s for s in mine.spans["rhetoric"] if not (_touches(s, disputed) and not _touches(s, kept))]
            core_pred[doc_id] = AnnotatedDoc(mine.doc, mine.frames, mine.genre, {**mine.spans, "rhetoric": spans})
    return core_gold, core_pred


def _touches(span: Span, others: list[Span]) -> bool:
    """Whether ``span`` shares characters with a span of the same label in ``others``."""
    return any(o.label == span.label and overlap(span.triple(), o.triple()) for o in others)


# --- reading -----------------------------------------------------------------------------


def taxonomy_for(path: Path) -> Taxonomy:
    """The taxonomy of the repository ``path`` lies in (else this package's own)."""
    try:
        return load_taxonomy(find_repo(path).schema_dir)
    except NotARepositoryError:  # a student's file outside any clone: the labels this package ships
        return load_taxonomy(packaged_schema_dir())


def validators_for(tax: Taxonomy) -> AnnotationValidators:
    """Schema validators of the annotation files of ``tax``."""
    # validation.records is light, but the validation package is deferred so that score()
    # and the site import no checks
    from dprkmedia.validation.records import AnnotationValidators

    return AnnotationValidators.for_taxonomy(tax)


def read_annotated(
    path: Path, validators: AnnotationValidators, tax: Taxonomy, warnings: list[Issue] | None = None
) -> tuple[AnnotatedDoc | None, list[Issue]]:
    """Read one annotation file for scoring; schema problems come back as issues.

    With ``warnings``, the file is read leniently (a byte order mark, CR LF line ends,
    whitespace at line ends, UTF-16 with a BOM: what a student's editor adds) and what was
    forgiven is added there; a contribution is still read strictly by ``dprkmedia validate``."""
    from dprkmedia.validation.records import check_header_position, check_record_shape

    if warnings is None:
        records, issues = read_records(path, str(path))
    else:
        records, issues, forgiven = read_records_leniently(path, str(path))
        warnings += forgiven
    doc_id = records[0].data.get("doc") if records else None
    issues += check_header_position(records, str(path), str(doc_id))
    for record in records:
        issues += check_record_shape(record, validators, str(path))
    if issues:
        return None, issues
    return annotated_doc(records, tax), []


def annotated_doc(records: list[Record], tax: Taxonomy) -> AnnotatedDoc:
    """What the scorer reads of schema-valid annotation records (header first)."""
    header = Header.from_json(records[0].data)
    doc = AnnotatedDoc(header.doc, list(header.frames), header.genre)
    for record in records[1:]:
        span = Span.from_json(record.data, tax)
        doc.spans[span.layer].append(span)
    return doc


def read_side(path: Path, warnings: list[Issue] | None = None) -> tuple[dict[str, AnnotatedDoc], list[Issue]]:
    """Read a file or every ``*.jsonl`` of a folder (``sources.jsonl`` excepted); with
    ``warnings``, leniently (see :func:`read_annotated`)."""
    files = [path] if path.is_file() else sorted(p for p in path.glob("*.jsonl") if p.name != "sources.jsonl")
    docs: dict[str, AnnotatedDoc] = {}
    issues: list[Issue] = []
    tax = taxonomy_for(path if path.is_dir() else path.parent)
    validators = validators_for(tax)
    if not path.exists():
        issues.append(issue(M.SCORE_PATH_MISSING, str(path), found=str(path)))
    elif not files:
        issues.append(issue(M.NO_ANNOTATION_FILES, str(path), found=str(path)))
    for file in files:
        doc, problems = read_annotated(file, validators, tax, warnings)
        issues += problems
        if doc is not None:
            docs[doc.doc] = doc
    return docs, issues


# --- output ------------------------------------------------------------------------------


def _row(name: str, exact: dict[str, Any], partial: dict[str, Any]) -> str:
    return (
        f"{name:<34} {exact['gold']:>5} {exact['predicted']:>5}  "
        f"{exact['precision']:.3f} {exact['recall']:.3f} {exact['f1']:.3f}  "
        f"{partial['precision']:.3f} {partial['recall']:.3f} {partial['f1']:.3f}"
    )


def render_score(result: dict[str, Any]) -> str:
    """The text table of a score result."""
    lines = [f"Documents compared: {len(result['documents'])}"]
    if result["missing_in_pred"]:
        lines.append("Not in PRED (counted as all missed): " + ", ".join(result["missing_in_pred"]))
    if result["extra_in_pred"]:
        lines.append("In PRED only (ignored): " + ", ".join(result["extra_in_pred"]))
    head = f"{'':<34} {'gold':>5} {'pred':>5}  {'exact P  R     F1':<17}  partial P R  F1"
    for layer, data in result["layers"].items():
        lines += ["", f"== {layer}", head, _row("ALL", data["exact"], data["partial"])]
        lines += [_row("  " + label, d["exact"], d["partial"]) for label, d in data["labels"].items()]
    for layer, key in (("dates", "value_accuracy"), ("entities", "norm_accuracy")):
        acc = result["layers"][layer][key]
        shown = "n/a" if acc["accuracy"] is None else f"{acc['accuracy']:.3f}"
        lines.append(f"{layer} {key.replace('_', ' ')} on exact matches: {shown} ({acc['correct']}/{acc['matched']})")
    frames, genre = result["document"]["frames"], result["document"]["genre"]
    lines.append(f"frames P {frames['precision']:.3f} R {frames['recall']:.3f} F1 {frames['f1']:.3f}")
    g = "n/a" if genre["accuracy"] is None else f"{genre['accuracy']:.3f}"
    lines.append(f"genre accuracy {g} ({genre['agree']}/{genre['documents']})")
    return "\n".join(lines)
