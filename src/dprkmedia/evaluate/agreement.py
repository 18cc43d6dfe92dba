"""Agreement between two annotation passes: span F1, γ and Krippendorff's α.

For each layer, and for each label within it:

- exact and partial-credit span F1 (:func:`dprkmedia.evaluate.score.score`; F1 is symmetric);
- γ (Mathet, Widlöcher and Métivier 2015, the measure the Propaganda Techniques Corpus reports),
  computed by ``pygamma-agreement`` over one continuum per layer in which the documents follow
  each other; per layer the dissimilarity combines position and category, per label only
  position counts. γ's expected disagreement is estimated from random continua: the sampling is
  seeded, so the same annotations give the same γ;
- Krippendorff's α (``nltk.metrics.agreement``) over tokens: per layer each token's label
  (entities and dates: the label of the outermost span, as in the IOB2 tags; rhetoric: the set
  of techniques on the token, with the MASI distance), per label a yes/no per token.

The heavy libraries are an optional extra (``pip install 'dprk-russia-media[agreement]'``);
the numbers are kept in ``docs/agreement.json`` (``dprkmedia agreement``), which the
README, the datasheet and the site read.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import io
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dprkmedia.corpus.tokens import flatten_spans, text_to_sentences
from dprkmedia.evaluate.score import AnnotatedDoc, score
from dprkmedia.model.issues import DprkMediaError
from dprkmedia.model.taxonomy import LAYERS

GAMMA_SEED = 0
"""Seed of the random continua behind γ's expected disagreement."""
GAMMA_SAMPLES = 30
"""Random continua sampled for γ (pygamma-agreement's default)."""
DOC_GAP = 1000
"""Characters of empty timeline between two documents of one continuum."""

Unit = tuple[int, int, str]
NONE = frozenset({"O"})
"""A rhetoric token with no technique (MASI is undefined on two empty sets)."""


class AgreementDependencyError(ImportError):
    """pygamma-agreement or nltk is missing."""


class UnreadablePassError(DprkMediaError, ValueError):
    """An annotation pass that does not read cleanly: agreement is not computed on part of it (exit 1)."""

    exit_code = 1


@dataclass(frozen=True)
class Sides:
    """Two passes over the same documents, with the documents' texts."""

    first: dict[str, AnnotatedDoc]
    second: dict[str, AnnotatedDoc]
    texts: dict[str, str]

    @property
    def documents(self) -> list[str]:
        """The documents both passes annotated, in id order."""
        return sorted(set(self.first) & set(self.second))


def _units(doc: AnnotatedDoc, layer: str, label: str | None) -> list[Unit]:
    return [s.triple() for s in doc.spans[layer] if label is None or s.label == label]


def _continuum_units(sides: Sides, side: dict[str, AnnotatedDoc], layer: str, label: str | None) -> Iterator[Unit]:
    base = 0
    for doc_id in sides.documents:
        for start, end, name in _units(side[doc_id], layer, label):
            yield base + start, base + end, name
        base += len(sides.texts[doc_id]) + DOC_GAP


def gamma(sides: Sides, layer: str, label: str | None = None) -> float | None:
    """γ of the two passes on ``layer`` (restricted to ``label``), or None where undefined
    (fewer than two units in all, or a pass without any)."""
    try:
        import numpy as np
        from pyannote.core import Segment
        from pygamma_agreement import CombinedCategoricalDissimilarity, Continuum
    except ImportError as error:  # optional extra
        raise AgreementDependencyError(str(error)) from error
    first = list(_continuum_units(sides, sides.first, layer, label))
    second = list(_continuum_units(sides, sides.second, layer, label))
    if not first or not second or len(first) + len(second) < 3:
        return None
    continuum = Continuum()
    for name, units in (("first", first), ("second", second)):
        for start, end, category in units:
            continuum.add(name, Segment(start, end), category)
    dissimilarity = CombinedCategoricalDissimilarity(alpha=1, beta=0 if label else 1)
    np.random.seed(GAMMA_SEED)
    with _quiet():
        result = continuum.compute_gamma(dissimilarity, n_samples=GAMMA_SAMPLES)
    return float(result.gamma)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """pygamma-agreement logs solver choices at WARNING level and prints progress."""
    logger = logging.getLogger()
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            yield
    finally:
        logger.setLevel(level)


@functools.lru_cache(maxsize=64)
def _tokens(text: str) -> tuple[list[int], list[int]]:
    """Token starts and ends of ``text``, tokenized once per text (α reads each text once per
    annotator and label)."""
    tokens = [token for sentence in text_to_sentences(text) for token in sentence.tokens]
    return [start for start, _ in tokens], [end for _, end in tokens]


def _token_labels(text: str, units: list[Unit], layer: str, label: str | None) -> list[str | frozenset[str]]:
    """One value per token of ``text``: what the pass says of it.

    Tokens are sorted and never overlap, so the tokens a unit touches (or contains) are one run,
    found by bisection: the same values as testing every token against every unit, in time
    proportional to the tokens and units rather than their product."""
    starts, ends = _tokens(text)

    def touched(s: int, e: int) -> range:  # tokens sharing a character with [s, e)
        return range(bisect.bisect_right(ends, s), bisect.bisect_left(starts, e))

    if label is not None:
        marks = ["no"] * len(starts)
        for s, e, _ in units:
            for index in touched(s, e):
                marks[index] = "yes"
        return list(marks)
    if layer == "rhetoric":
        sets: list[set[str]] = [set() for _ in starts]
        for s, e, name in units:
            for index in touched(s, e):
                sets[index].add(name)
        return [frozenset(names) if names else NONE for names in sets]
    values: list[str | frozenset[str]] = ["O"] * len(starts)
    for s, e, name in flatten_spans(units):  # the last span containing a token names it
        for index in range(bisect.bisect_left(starts, s), bisect.bisect_right(ends, e)):
            values[index] = name
    return values


def alpha(sides: Sides, layer: str, label: str | None = None) -> float | None:
    """Krippendorff's α over tokens, or None where undefined (no variation at all)."""
    coders = {
        "first": {d: sides.first[d] for d in sides.documents},
        "second": {d: sides.second[d] for d in sides.documents},
    }
    return alpha_of_coders(coders, sides.texts, layer, label)


def alpha_of_coders(
    coders: dict[str, dict[str, AnnotatedDoc]], texts: dict[str, str], layer: str, label: str | None = None
) -> float | None:
    """Krippendorff's α over the tokens of every document, for any number of coders (each
    coder's documents may differ: a token counts where at least two coders annotated its
    document, as α allows missing values), or None where undefined (no variation at all)."""
    try:
        from nltk.metrics.agreement import AnnotationTask
        from nltk.metrics.distance import binary_distance, masi_distance
    except ImportError as error:  # optional extra
        raise AgreementDependencyError(str(error)) from error
    data: list[tuple[str, str, Any]] = []
    for doc_id in sorted({d for docs in coders.values() for d in docs}):
        annotated = [(coder, docs[doc_id]) for coder, docs in coders.items() if doc_id in docs]
        if len(annotated) < 2:
            continue
        for coder, doc in annotated:
            values = _token_labels(texts[doc_id], _units(doc, layer, label), layer, label)
            data += [(coder, f"{doc_id}:{index}", value) for index, value in enumerate(values)]
    if len({value for _, _, value in data}) < 2:
        return None
    distance: Callable[[Any, Any], float] = masi_distance if layer == "rhetoric" and label is None else binary_distance
    return float(AnnotationTask(data=data, distance=distance).alpha())


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _cell(sides: Sides, layer: str, label: str | None, f1: dict[str, Any], with_gamma: bool) -> dict[str, Any]:
    return {
        "first": f1["exact"]["gold"],
        "second": f1["exact"]["predicted"],
        "exact_f1": _round(f1["exact"]["f1"]),
        "partial_f1": _round(f1["partial"]["f1"]),
        "gamma": _round(gamma(sides, layer, label)) if with_gamma else None,
        "alpha": _round(alpha(sides, layer, label)),
    }


def agreement(sides: Sides, *, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Every figure for two passes, per layer and per label, as JSON-ready data."""
    shared = sides.documents
    first = {d: sides.first[d] for d in shared}
    second = {d: sides.second[d] for d in shared}
    result = score(first, second)
    layers: dict[str, Any] = {}
    for layer in LAYERS:
        data = result["layers"][layer]
        if progress:
            progress(layer)
        cell = _cell(sides, layer, None, data, True)
        cell["labels"] = {label: _cell(sides, layer, label, f1, True) for label, f1 in data["labels"].items()}
        layers[layer] = cell
    document = result["document"]
    return {
        "documents": shared,
        "layers": layers,
        "frames_f1": _round(document["frames"]["f1"]),
        "genre_agree": document["genre"]["agree"],
        "date_value_accuracy": _round(result["layers"]["dates"]["value_accuracy"]["accuracy"]),
        "entity_norm_accuracy": _round(result["layers"]["entities"]["norm_accuracy"]["accuracy"]),
    }


COMPARISONS: tuple[tuple[str, str, str, str], ...] = (
    ("before", "passes/A", "passes/C", "two independent passes: A (under the first rules) and the blind pass C"),
    ("before", "passes/A", "passes/B", "the first agreement study: pass B, blind to A, on two documents"),
    ("after", ".", "passes/A", "adjudicated gold and pass A"),
    ("after", ".", "passes/C", "adjudicated gold and pass C"),
)
"""(stage, first, second, what it shows): folders under ``annotations/``; ``.`` is the gold."""


def repo_agreement(
    annotations: Path, texts: dict[str, str], *, progress: Callable[[str], None] | None = None
) -> dict[str, Any]:
    """Every comparison of :data:`COMPARISONS` whose folders exist under ``annotations``."""
    from dprkmedia.evaluate.score import read_side

    comparisons = []
    for stage, first, second, what in COMPARISONS:
        if not (annotations / first).is_dir() or not (annotations / second).is_dir():
            continue
        a, a_issues = read_side(annotations / first)
        b, b_issues = read_side(annotations / second)
        if a_issues or b_issues:
            issues = a_issues + b_issues
            raise UnreadablePassError(
                f"{len(issues)} problem(s) in {annotations / first} or {annotations / second}, the first: "
                f"{issues[0].render()}\nRun 'dprkmedia validate {annotations / first} {annotations / second}' "
                "for all of them, fix them, then run the command again."
            )
        if progress:
            progress(f"{first} vs {second}")
        figures = agreement(Sides(a, b, texts), progress=progress)
        comparisons.append({"stage": stage, "first": first, "second": second, "what": what, **figures})
    return {
        "method": {
            "gamma": "pygamma-agreement, CombinedCategoricalDissimilarity, "
            f"{GAMMA_SAMPLES} random continua, seed {GAMMA_SEED}",
            "alpha": "nltk.metrics.agreement.AnnotationTask over tokens (MASI distance for the rhetoric layer)",
            "f1": "dprkmedia score: exact and partial-credit span F1",
        },
        "comparisons": comparisons,
    }


INDEPENDENT_PASSES = ("A", "B", "C")
"""The passes under ``annotations/passes/`` that were made blind to each other."""
CORE_MIN_PASSES = 2
"""A gold rhetoric span is ``core`` when at least this many independent passes had it."""


def passes_with(span: Unit, passes: list[list[Unit]]) -> int:
    """How many passes have a span of the same label that shares characters with ``span``."""
    start, end, label = span
    return sum(any(name == label and s < end and start < e for s, e, name in units) for units in passes)


def confidence(span: Unit, passes: list[list[Unit]]) -> str:
    """``core`` or ``borderline`` for a gold rhetoric span, from the independent passes."""
    return "core" if passes_with(span, passes) >= CORE_MIN_PASSES else "borderline"
