"""``dprkmedia score GOLD PRED``: compare two sets of annotations.

Per layer and per label: exact-match P/R/F1 (same start, end and label) and the PTC /
SemEval partial-credit P/R/F1: for a predicted span s and a gold span t with the same
label, precision credit |s∩t|/|s| and recall credit |s∩t|/|t| (character sets),
P = Σ precision credit / number predicted, R = Σ recall credit / number of gold
(Da San Martino et al. 2019; docs/taxonomy.md). Plus the accuracy of date ``value`` and
entity ``norm`` on exactly matched spans, and frame/genre agreement.
"""

from __future__ import annotations

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


Sums = list[float]
"""``[exact matched, precision credit, recall credit, predicted, gold]`` of one layer or label."""


def _sums(matched: int, p_credit: float, r_credit: float, predicted: int, gold: int) -> Sums:
    """One document's share of the exact and partial sums of one layer (or label), computed as
    :func:`exact_prf` and :func:`partial_prf` give them."""
    exact, partial = make_prf(matched, matched, predicted, gold), make_prf(p_credit, r_credit, predicted, gold)
    return [
        exact.precision * predicted if predicted else 0,
        partial.precision * predicted if predicted else 0,
        partial.recall * gold if gold else 0,
        predicted,
        gold,
    ]


def layer_sums(gold: list[Unit], pred: list[Unit]) -> dict[str | None, Sums]:
    """One document's sums for one layer (None) and each of its labels, in one pass over the
    same-label pairs. The credits are added in the order :func:`partial_prf` adds them (each
    predicted span in order, then each gold span of its label in order), so the sums are the
    same floating-point numbers as computing the layer and every label on its own."""
    by_label: dict[str, list[Unit]] = {}
    for t in gold:
        by_label.setdefault(t[2], []).append(t)
    credits: dict[str | None, list[float]] = {None: [0.0, 0.0]}
    for label in {u[2] for u in gold} | {u[2] for u in pred}:
        credits[label] = [0.0, 0.0]
    for s0, s1, label in pred:
        mine, whole = credits[label], credits[None]
        for t0, t1, _ in by_label.get(label, ()):
            shared = max(0, min(s1, t1) - max(s0, t0))
            precision, recall = shared / (s1 - s0), shared / (t1 - t0)
            whole[0] += precision
            whole[1] += recall
            mine[0] += precision
            mine[1] += recall
    counts_g: dict[str | None, int] = {None: len(gold)}
    counts_p: dict[str | None, int] = {None: len(pred)}
    for t in gold:
        counts_g[t[2]] = counts_g.get(t[2], 0) + 1
    for u in pred:
        counts_p[u[2]] = counts_p.get(u[2], 0) + 1
    both = set(gold) & set(pred)
    matched: dict[str | None, int] = {None: len(both)}
    for u in both:
        matched[u[2]] = matched.get(u[2], 0) + 1
    order: list[str | None] = [None, *sorted(name for name in credits if name is not None)]
    sums: dict[str | None, Sums] = {}
    for key in order:
        p_credit, r_credit = credits[key]
        sums[key] = _sums(matched.get(key, 0), p_credit, r_credit, counts_p.get(key, 0), counts_g.get(key, 0))
    return sums


@dataclass
class DocScore:
    """What one document adds to a comparison (see :class:`Scorer`); small and picklable, so
    that documents can be scored in worker processes and summed in order."""

    doc: str
    layers: dict[str, dict[str | None, Sums]]
    """Layer → label (None: every label) → sums; only the labels the document has."""
    attributes: dict[str, tuple[int, int]]
    """``dates`` value and ``entities`` norm: (matched, correct) on exact matches."""
    frames: tuple[int, int, int]
    """(frames in both, predicted frames, gold frames), as sets."""
    genre: bool | None
    """Whether the genres agree (None: no prediction for the document)."""


ATTRIBUTES = {"dates": "value", "entities": "norm"}


def doc_score(doc_id: str, gold: AnnotatedDoc, pred: AnnotatedDoc | None) -> DocScore:
    """The comparison of one document (``pred`` None: not predicted, every span missed)."""
    layers: dict[str, dict[str | None, Sums]] = {}
    for layer in LAYERS:
        g = [s.triple() for s in gold.spans[layer]]
        p = [s.triple() for s in pred.spans[layer]] if pred is not None else []
        layers[layer] = layer_sums(g, p)
    attributes = {}
    for layer, attribute in ATTRIBUTES.items():
        correct = total = 0
        if pred is not None:
            wanted = {s.triple(): getattr(s, attribute) for s in gold.spans[layer]}
            for s in pred.spans[layer]:
                if s.triple() in wanted:
                    total += 1
                    correct += wanted[s.triple()] == getattr(s, attribute)
        attributes[layer] = (total, correct)
    g_frames = set(gold.frames)
    p_frames = set(pred.frames) if pred is not None else set()
    genre = None if pred is None else gold.genre == pred.genre
    return DocScore(doc_id, layers, attributes, (len(g_frames & p_frames), len(p_frames), len(g_frames)), genre)


class Scorer:
    """A comparison summed document by document: :meth:`add` each document's
    :func:`doc_score` in order, then :meth:`result`. Memory does not grow with the spans."""

    def __init__(self) -> None:
        self.documents: list[str] = []
        self.missing: list[str] = []
        self.extra: list[str] = []
        self.layers: dict[str, dict[str | None, Sums]] = {layer: {None: [0.0, 0.0, 0.0, 0, 0]} for layer in LAYERS}
        self.attributes = {layer: [0, 0] for layer in ATTRIBUTES}
        self.frames = [0, 0, 0]
        self.genre = [0, 0]

    def add(self, score: DocScore) -> None:
        """Add one gold document's comparison."""
        self.documents.append(score.doc)
        if score.genre is None:
            self.missing.append(score.doc)
        for layer, per in score.layers.items():
            for label, sums in per.items():
                total = self.layers[layer].setdefault(label, [0.0, 0.0, 0.0, 0, 0])
                for i, value in enumerate(sums):
                    total[i] += value
        for layer, (matched, correct) in score.attributes.items():
            self.attributes[layer][0] += matched
            self.attributes[layer][1] += correct
        for i, value in enumerate(score.frames):
            self.frames[i] += value
        if score.genre is not None:
            self.genre[0] += 1
            self.genre[1] += score.genre

    def add_extra(self, doc_id: str) -> None:
        """A predicted document without gold (listed, otherwise ignored)."""
        self.extra.append(doc_id)

    def result(self) -> dict[str, Any]:
        """The whole comparison as JSON-ready data (what ``--json`` prints)."""
        result: dict[str, Any] = {
            "documents": sorted(self.documents),
            "missing_in_pred": sorted(self.missing),
            "extra_in_pred": sorted(self.extra),
            "layers": {},
        }
        for layer in LAYERS:
            exact, partial = _prfs(self.layers[layer][None])
            per_label = {}
            for label in sorted(label for label in self.layers[layer] if label is not None):
                e, p = _prfs(self.layers[layer][label])
                per_label[label] = {"exact": asdict(e), "partial": asdict(p)}
            result["layers"][layer] = {"exact": asdict(exact), "partial": asdict(partial), "labels": per_label}
        for layer, attribute in ATTRIBUTES.items():
            total, correct = self.attributes[layer]
            accuracy = {"matched": total, "correct": correct, "accuracy": correct / total if total else None}
            result["layers"][layer][f"{attribute}_accuracy"] = accuracy
        both, predicted, gold = self.frames
        compared, same = self.genre
        result["document"] = {
            "frames": asdict(make_prf(both, both, predicted, gold)),
            "genre": {"documents": compared, "agree": same, "accuracy": same / compared if compared else None},
        }
        return result


def _prfs(sums: Sums) -> tuple[PRF, PRF]:
    matched, p_credit, r_credit, predicted, gold = sums
    return (
        make_prf(matched, matched, int(predicted), int(gold)),
        make_prf(p_credit, r_credit, int(predicted), int(gold)),
    )


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
    scorer = Scorer()
    for doc_id, gold_doc in gold.items():
        scorer.add(doc_score(doc_id, gold_doc, pred.get(doc_id)))
    for doc_id in pred:
        if doc_id not in gold:
            scorer.add_extra(doc_id)
    return scorer.result()


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
