"""The per-document steps as functions of a table row: for ``datasets.map(num_proc=...)``, a
Spark UDF or any other map over a documents table, beyond one machine.

Each document's parse, checks and leave-one-out pre-annotation depend only on the document and
on what every document shares; :func:`documents_table` gives one row per registered document
(its position in the metadata file and its record), and the ``*_row`` functions compute a
document's step from its row and the repository root (a folder every worker can read: a shared
file system, or a copy per machine). The pre-annotation needs the gold counts of the whole
corpus first (:func:`gold_counts`: a reduce before the map). The results are those of
``dprkmedia validate`` and ``dprkmedia preannotate`` (``tests/test_beyond.py`` compares them).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from dprkmedia.corpus.documents import publication
from dprkmedia.corpus.loading import LoadedRepo, load_metadata, load_source
from dprkmedia.corpus.repo import Repo
from dprkmedia.evaluate.gazetteer import LeaveOneOut
from dprkmedia.evaluate.preannotate import Corpus, counted, preannotate, read_gold
from dprkmedia.model.taxonomy import load_taxonomy
from dprkmedia.validation.cache import source_from_json, source_json
from dprkmedia.validation.document import Checker, check_document


@lru_cache(maxsize=4)
def checker_for(root: str) -> Checker:
    """The checker of the repository at ``root`` (loaded once per worker process)."""
    repo = Repo(Path(root))
    ctx = LoadedRepo(repo, load_taxonomy(repo.schema_dir))
    ctx.meta, _ = load_metadata(repo.metadata_file, ctx.tax, ctx.display(repo.metadata_file))
    return Checker.for_repo(ctx)


def documents_table(root: str) -> dict[str, list[Any]]:
    """Columns of the documents table: ``seq`` (position in the metadata file) and ``source``
    (the metadata record, JSON), one row per registered document
    (``datasets.Dataset.from_dict(documents_table(root))``)."""
    sources = checker_for(root).ctx.meta.sources
    return {"seq": list(range(len(sources))), "source": [source_json(source) for source in sources]}


def parse_row(row: dict[str, Any], root: str) -> dict[str, Any]:
    """Parse: the page's text and publication date (None when the page does not load)."""
    checker = checker_for(root)
    loaded, _ = load_source(checker.ctx, source_from_json(row["source"]))
    if loaded is None:
        return {"text": None, "published": None}
    return {"text": loaded.page.text, "published": publication(loaded.page, loaded.source)[0]}


def check_row(row: dict[str, Any], root: str) -> dict[str, Any]:
    """Check: every issue of the document's page and annotation files, as JSON lines."""
    check = check_document(checker_for(root), source_from_json(row["source"]))
    return {"issues": [json.dumps(issue.to_dict(), ensure_ascii=False) for issue in check.issues]}


def gold_counts(root: str) -> tuple[LeaveOneOut, dict[str, int]]:
    """The reduce before the pre-annotation map: every document's gold counted once, and each
    document's number in the counts."""
    corpus, numbered = counted(Repo(Path(root)))
    return corpus.loo, {records[0].id: number for records, number in numbered}


def preannotate_row(row: dict[str, Any], root: str, loo: LeaveOneOut, numbers: dict[str, int]) -> dict[str, Any]:
    """Pre-annotate: the document's leave-one-out prediction (annotation-file lines, JSON);
    None for a document whose page does not load."""
    checker = checker_for(root)
    source = source_from_json(row["source"])
    if source.id not in numbers:
        return {"predicted": None}
    gold = read_gold(Corpus(checker.ctx, loo), [source])
    assert gold is not None
    look = loo.without(numbers[source.id], gold.lines)
    lines = preannotate(gold.id, gold.text, gold.published, look, checker.ctx.tax)
    return {"predicted": json.dumps(lines, ensure_ascii=False)}


__all__ = ["check_row", "documents_table", "gold_counts", "parse_row", "preannotate_row"]
