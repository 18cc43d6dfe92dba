"""Agreement among the students of a class: Krippendorff's α and γ, with the gold's code.

Both come from :mod:`dprkmedia.evaluate.agreement`, the functions behind
``docs/agreement.json``, with the same settings:

- **α** (nltk) over the tokens of every article, all students at once as coders
  (:func:`~dprkmedia.evaluate.agreement.alpha_of_coders`; MASI distance for the rhetoric
  layer). It takes well under a second for 30 students and five articles.
- **γ** (pygamma-agreement) is computed for *pairs* of students on *one article*
  (:func:`~dprkmedia.evaluate.agreement.gamma`, 30 random continua, seed 0). γ of many
  annotators at once is out of reach: pygamma-agreement's alignment grows exponentially with
  their number (five students on one article took over three minutes, three students half a
  second), and one pair over all five articles in one continuum takes about 30 seconds on the
  rhetoric layer. So for each article ``pairs`` pairs of the students who did it are drawn
  (seeded), and the report gives the mean, the range and the number of pairs; each pair-article
  γ takes about half a second, and importing pygamma-agreement (numba, cvxpy) about ten seconds of
  CPU. ``pairs=0`` leaves γ out (benchmarks/class_report.py measures both).

Both libraries are the optional ``agreement`` extra; without it the result says so and the
rest of the report is unaffected.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from statistics import mean
from typing import Any

from dprkmedia.evaluate.agreement import (
    GAMMA_SAMPLES,
    GAMMA_SEED,
    AgreementDependencyError,
    Sides,
    alpha_of_coders,
    gamma,
)
from dprkmedia.evaluate.score import AnnotatedDoc

EXTRA = "pip install 'dprk-russia-media[agreement]'"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def sampled_pairs(students: dict[str, dict[str, AnnotatedDoc]], pairs: int, seed: int) -> list[tuple[str, str, str]]:
    """``(article, student, student)``: up to ``pairs`` pairs per article, drawn with ``seed``."""
    rng = random.Random(seed)
    chosen = []
    for doc_id in sorted({d for docs in students.values() for d in docs}):
        who = sorted(name for name, docs in students.items() if doc_id in docs)
        every = list(itertools.combinations(who, 2))
        chosen += [(doc_id, a, b) for a, b in sorted(rng.sample(every, min(pairs, len(every))))]
    return chosen


def class_agreement(
    students: dict[str, dict[str, AnnotatedDoc]],
    texts: dict[str, str],
    layers: list[str],
    pairs: int,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """α and sampled pairwise γ per layer of ``layers`` among ``students`` (name → answers)."""
    method = {
        "alpha": "Krippendorff's α (nltk) over the tokens of every article, all students as coders "
        "(MASI distance for the rhetoric layer), as in docs/agreement.json",
        "gamma": f"γ (pygamma-agreement, {GAMMA_SAMPLES} random continua, seed {GAMMA_SEED}, as in "
        f"docs/agreement.json) of {pairs} pair(s) of students per article, drawn with seed {seed}; "
        "mean and range over the pairs (γ of all students at once is out of reach: its cost grows "
        "exponentially with the number of annotators)",
    }
    result: dict[str, Any] = {"available": True, "missing": None, "method": method, "alpha": {}, "gamma": {}}
    if len(students) < 2:
        result["available"], result["missing"] = False, "fewer than two students: nothing to compare"
        return result
    try:
        for layer in layers:
            result["alpha"][layer] = _round(alpha_of_coders(students, texts, layer))
        chosen = sampled_pairs(students, pairs, seed) if pairs > 0 else []
        for layer in layers if chosen else []:
            values = []
            for number, (doc_id, a, b) in enumerate(chosen, 1):
                if progress and number % 5 == 1:
                    progress(f"γ {layer}: pair {number} of {len(chosen)}")
                sides = Sides({doc_id: students[a][doc_id]}, {doc_id: students[b][doc_id]}, texts)
                values.append(gamma(sides, layer))
            defined = [v for v in values if v is not None]
            result["gamma"][layer] = {
                "mean": _round(mean(defined)) if defined else None,
                "min": _round(min(defined)) if defined else None,
                "max": _round(max(defined)) if defined else None,
                "pairs": len(defined),
                "undefined": len(values) - len(defined),
            }
    except AgreementDependencyError as error:
        result.update(available=False, alpha={}, gamma={})
        result["missing"] = f"pygamma-agreement and nltk are not installed ({error}); install them with: {EXTRA}"
    return result
