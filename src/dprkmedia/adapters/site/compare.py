"""The compare view: any two annotations of one article side by side, with their agreement.

The sources are the gold (``annotations/*.jsonl``) and every folder of annotation files under
``annotations/passes/`` (the independent passes A, B, C and Label Studio imports ``ls-*``),
read as ``dprkmedia score`` reads them. Every figure on the pages comes from
:func:`dprkmedia.evaluate.score.score` (exact and partial-credit P/R/F1, frames, genre), so
it equals ``dprkmedia score FIRST SECOND``; γ and α, which need the agreement extra, are taken
from ``docs/agreement.json`` (``dprkmedia agreement``), as the README and the datasheet take them.

- ``compare.html``: every pair of sources over the articles both have, and links per article;
- ``compare/<id>.html``: two selectable sources of one article side by side, every span marked
  ✓ (the other side has the same span and label), ≈ (it has the label on an overlapping span)
  or ✗ (it has nothing of that label there); ``assets/compare.js`` draws them.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations, permutations
from typing import Any

from dprkmedia.adapters.site.common import (
    LAYER_TITLES,
    Document,
    SiteError,
    describe_date,
    doc_title,
    paragraphs,
    render,
    taxonomy_data,
)
from dprkmedia.corpus.repo import Repo
from dprkmedia.evaluate.score import AnnotatedDoc, read_side, score
from dprkmedia.model.issues import Report
from dprkmedia.model.taxonomy import LAYERS, Taxonomy
from dprkmedia.publish.summary import fmt


@dataclass(frozen=True)
class Source:
    """One set of annotations: the gold, a pass or a Label Studio import."""

    key: str
    """``gold``, or the folder's name under ``annotations/passes/`` (``A``, ``ls-…``)."""
    name: str
    """How the pages name it."""
    folder: str
    """The folder under ``annotations/`` as ``docs/agreement.json`` names it (``.`` is the gold)."""
    docs: dict[str, AnnotatedDoc]


def source_name(key: str) -> str:
    if key == "gold":
        return "Gold (adjudicated)"
    if key.startswith("ls-"):
        return f"Label Studio import {key}"
    return f"Pass {key}"


def read_sources(repo: Repo) -> list[Source]:
    """The gold and every folder of annotation files under ``annotations/passes/``."""
    folders = [("gold", ".", repo.annotations_dir)]
    passes = repo.annotations_dir / "passes"
    if passes.is_dir():
        folders += [
            (path.name, f"passes/{path.name}", path)
            for path in sorted(passes.iterdir())
            if path.is_dir() and any(path.glob("*.jsonl"))
        ]
    sources = []
    for key, folder, path in folders:
        docs, issues = read_side(path)
        if issues:
            raise SiteError(
                Report(issues=issues).render() + f"\n{path}: the compare view reads every annotation folder; "
                "fix these lines ('dprkmedia validate' shows them) or move the folder out of annotations/."
            )
        sources.append(Source(key, source_name(key), folder, docs))
    return sources


# --- figures -----------------------------------------------------------------------------------


def figures(first: dict[str, AnnotatedDoc], second: dict[str, AnnotatedDoc]) -> dict[str, Any]:
    """``dprkmedia score FIRST SECOND`` over the documents both have, as the pages show it."""
    shared = sorted(set(first) & set(second))
    result = score({d: first[d] for d in shared}, {d: second[d] for d in shared})
    layers = {
        layer: {
            "first": data["exact"]["gold"],
            "second": data["exact"]["predicted"],
            **{kind: {key: data[kind][key] for key in ("precision", "recall", "f1")} for kind in ("exact", "partial")},
        }
        for layer, data in result["layers"].items()
    }
    document = result["document"]
    return {
        "documents": shared,
        "layers": layers,
        "frames_f1": document["frames"]["f1"],
        "genre_agree": document["genre"]["agree"],
    }


def recorded(agreement: dict[str, Any] | None, a: Source, b: Source) -> dict[str, Any] | None:
    """The comparison of ``docs/agreement.json`` between the two sources' folders, in either order."""
    for comparison in (agreement or {}).get("comparisons", []):
        if {comparison["first"], comparison["second"]} == {a.folder, b.folder}:
            return dict(comparison)
    return None


def pair_row(a: Source, b: Source, data: dict[str, Any], gamma_alpha: dict[str, Any] | None) -> dict[str, Any]:
    """One row of a pairs table: F1 per layer (symmetric), with γ and α where they were computed."""
    cells = []
    for layer in LAYERS:
        cell = data["layers"][layer]
        stored = gamma_alpha["layers"][layer] if gamma_alpha else {}
        cells.append(
            {
                "layer": layer,
                "exact": fmt(cell["exact"]["f1"]),
                "partial": fmt(cell["partial"]["f1"]),
                "gamma": fmt(stored.get("gamma")) if gamma_alpha else "",
                "alpha": fmt(stored.get("alpha")) if gamma_alpha else "",
            }
        )
    return {
        "pair": f"{a.key}|{b.key}",
        "first": a.name,
        "second": b.name,
        "documents": len(data["documents"]),
        "cells": cells,
        "frames": fmt(data["frames_f1"]),
        "genre": f"{data['genre_agree']}/{len(data['documents'])}",
    }


# --- pages ---------------------------------------------------------------------------------------


def compare_file(doc_id: str) -> str:
    return f"compare/{doc_id}.html"


def compare_index(documents: list[Document], sources: list[Source], agreement: dict[str, Any] | None) -> str:
    """Every pair of sources over the articles both have, and a link per article."""
    rows = []
    for a, b in combinations(sources, 2):
        data = figures(a.docs, b.docs)
        if data["documents"]:
            rows.append(pair_row(a, b, data, recorded(agreement, a, b)))
    articles = [
        {
            "file": compare_file(doc["id"]),
            "title": doc_title(doc),
            "id": doc["id"],
            "sources": [s.name for s in sources if doc["id"] in s.docs],
        }
        for doc in documents
    ]
    return render(
        "compare_index.html",
        agreement,
        root="",
        title="Compare annotations",
        body_class="compare-index",
        layers=[(layer, LAYER_TITLES[layer]) for layer in LAYERS],
        rows=rows,
        sources=sources,
        articles=articles,
        method=(agreement or {}).get("method"),
    )


def compare_page(
    doc: Document, tax: Taxonomy, sources: list[Source], agreement: dict[str, Any] | None = None
) -> str | None:
    """Two sources of one article side by side; None when fewer than two sources have it."""
    have = [s for s in sources if doc["id"] in s.docs]
    if len(have) < 2:
        return None
    one = {s.key: {doc["id"]: s.docs[doc["id"]]} for s in have}
    pairs = {f"{a.key}|{b.key}": figures(one[a.key], one[b.key]) for a, b in permutations(have, 2)}
    rows = [pair_row(a, b, pairs[f"{a.key}|{b.key}"], None) for a, b in combinations(have, 2)]
    data = {
        "doc": {"id": doc["id"], "text": doc["text"]},
        "labels": taxonomy_data(tax),
        "layers": list(LAYERS),
        "sources": [
            {
                "key": s.key,
                "name": s.name,
                "frames": list(s.docs[doc["id"]].frames),
                "genre": s.docs[doc["id"]].genre,
                "spans": [
                    {"layer": span.layer, "id": span.id, "start": span.start, "end": span.end, "label": span.label}
                    for layer in LAYERS
                    for span in s.docs[doc["id"]].spans[layer]
                ],
            }
            for s in have
        ],
        "pairs": pairs,
    }
    return render(
        "compare.html",
        agreement,
        root="../",
        title=f"Compare: {doc_title(doc)}",
        body_class="compare",
        heading=doc_title(doc),
        untitled=not doc.get("title"),
        meta=f"{doc.get('outlet')} · {describe_date(doc)}",
        article=f"../{doc['id']}.html",
        sources=have,
        layers=[(layer, LAYER_TITLES[layer]) for layer in LAYERS],
        rows=rows,
        paragraphs=paragraphs(doc["text"]),
        page_data=data,
    )
