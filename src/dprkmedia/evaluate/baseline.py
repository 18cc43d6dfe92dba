"""The pre-annotation baseline of the README, computed in the build's own pass.

:func:`~dprkmedia.evaluate.preannotate.evaluate` reads every page and gold file and tokenizes
every text; the build has just done all three. :class:`BaselineStep` is a
:class:`~dprkmedia.build.writer.DocumentStep`: before the build's pass it counts the gold
(:class:`~dprkmedia.evaluate.gazetteer.LeaveOneOut`), and in the pass it pre-annotates each
document with the page, gold and sentences the build holds, and scores it. The result is the
same as :func:`~dprkmedia.evaluate.preannotate.evaluate` on a valid repository (the build
refuses any other): the same documents in the same order, the same token boundaries.
"""

from __future__ import annotations

from typing import Any

from dprkmedia.build.writer import BuiltDocument
from dprkmedia.corpus.jsonl import Record, read_records
from dprkmedia.corpus.loading import LoadedRepo
from dprkmedia.corpus.metadata import Source
from dprkmedia.corpus.parallel import ordered_map
from dprkmedia.corpus.progress import Progress
from dprkmedia.corpus.repo import Repo
from dprkmedia.corpus.tokens import token_boundaries
from dprkmedia.evaluate.gazetteer import LeaveOneOut, gold_items
from dprkmedia.evaluate.preannotate import preannotate
from dprkmedia.evaluate.score import AnnotatedDoc, DocScore, Scorer, annotated_doc, doc_score
from dprkmedia.model.taxonomy import Taxonomy

JSON = dict[str, Any]


def gold_lines(repo: Repo, source: Source) -> list[JSON] | None:
    """A document's gold lines, when they read and have what the gazetteer counts (else the
    build finds the problem and refuses)."""
    records, issues = read_records(repo.annotation_file(source.id), source.id)
    lines = [record.data for record in records]
    if issues or not lines:
        return None
    try:
        lines[0]["frames"], lines[0]["genre"]
        list(gold_items(lines))
    except (KeyError, TypeError, AttributeError):
        return None
    return lines


class BaselineStep:
    """The leave-one-out baseline as a step of the build (see the module docstring)."""

    def __init__(self) -> None:
        self.loo = LeaveOneOut()
        self.scorer = Scorer()
        self.tax: Taxonomy | None = None
        self.complete = True

    def prepare(self, ctx: LoadedRepo, sources: list[Source], workers: int, progress: Progress) -> None:
        """Count every document's gold, in id order (documents number 0, 1, … as the build's)."""
        self.tax = ctx.tax
        progress.start("Counting the gold for the baseline", len(sources))
        for lines in ordered_map(gold_lines, ctx.repo, sources, workers):
            if lines is None:  # the build will refuse this repository
                self.complete = False
                lines = [{"frames": [], "genre": "opinion"}]
            self.loo.add(lines)
            progress.advance()
        self.loo.whole()  # once, before the workers fork

    def run(self, built: BuiltDocument) -> DocScore:
        """Pre-annotate and score one document (in a worker)."""
        assert self.tax is not None
        gold = [record.data for record in built.records]
        look = self.loo.without(built.number, gold)
        document = built.document
        bounds = token_boundaries(built.sentences)
        predicted = preannotate(document.id, document.text, document.published, look, self.tax, bounds)
        return doc_score(document.id, annotated_doc(built.records, self.tax), _annotated(predicted, self.tax))

    def collect(self, result: DocScore) -> None:
        self.scorer.add(result)

    def result(self) -> dict[str, Any]:
        """The scorer result, as :func:`~dprkmedia.evaluate.preannotate.evaluate` gives it."""
        if not self.complete:
            raise RuntimeError("the gold of some document did not read; the build should have refused")
        return self.scorer.result()


def _annotated(lines: list[JSON], tax: Taxonomy) -> AnnotatedDoc:
    return annotated_doc([Record(number, line) for number, line in enumerate(lines, start=1)], tax)


__all__ = ["BaselineStep", "gold_lines"]
