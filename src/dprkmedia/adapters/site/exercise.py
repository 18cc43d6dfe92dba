"""The exercise page of one article (``exercise/<id>.html``): the answers hidden by construction.

The page carries the text, the labels, the dataset's tokens (selections snap to them, as
``dprkmedia validate`` demands) and the frames and genres to choose from, but no gold: no
highlights, no counts, no statistics. The gold is in a separate JSON block, ``#answer-key``,
that only the "Check" button reads (the page is offline, so the key has to be in it; a student
who reads the page source can see it: the exercise is for practice, not for grading).
``assets/exercise.js`` does the rest: autosave, the warning before leaving, check, download.
"""

from __future__ import annotations

from typing import Any

from dprkmedia.adapters.site.common import (
    Document,
    describe_date,
    doc_title,
    layer_spans,
    paragraphs,
    render,
    taxonomy_data,
)
from dprkmedia.corpus.repo import Repo
from dprkmedia.model.schemas import SPLITS
from dprkmedia.model.taxonomy import LAYERS, Taxonomy

Tokens = dict[str, list[tuple[int, int]]]
"""Document id → its tokens' ``[start, end)`` offsets, in text order."""

EXERCISE_LAYERS = ("rhetoric", "entities")
"""The layers a student can answer (dates would need a TIMEX3 value too)."""


def read_built_tokens(repo: Repo) -> Tokens:
    """The tokens of the built dataset's ``tokens`` config (``dataset/tokens/<split>.parquet``).

    Documents of a split whose file is missing get none here; :func:`document_tokens` then
    tokenizes their text with the tokenizer that built the config.
    """
    import pyarrow.parquet as pq  # heavy: only when a site is made

    tokens: Tokens = {}
    for split in SPLITS:
        path = repo.dataset_dir / "tokens" / f"{split}.parquet"
        if not path.is_file():
            continue
        table = pq.read_table(path, columns=["doc_id", "token_starts", "token_ends"])
        for row in table.to_pylist():
            tokens.setdefault(row["doc_id"], []).extend(zip(row["token_starts"], row["token_ends"], strict=True))
    return {doc: sorted(pairs) for doc, pairs in tokens.items()}


def document_tokens(doc: Document, tokens: Tokens | None) -> list[tuple[int, int]]:
    """The document's tokens: from the built ``tokens`` config, else from the same tokenizer."""
    if tokens is not None and doc["id"] in tokens:
        return tokens[doc["id"]]
    from dprkmedia.corpus.tokens import text_to_sentences  # spaCy: only when the config lacks the document

    return [token for sentence in text_to_sentences(str(doc["text"])) for token in sentence.tokens]


def exercise_data(doc: Document, tax: Taxonomy, tokens: Tokens | None) -> dict[str, Any]:
    """The page's own JSON (``#page-data``): what site.js draws with, and no gold at all."""
    return {
        "doc": {"id": doc["id"], "text": doc["text"]},
        "spans": [],
        "labels": taxonomy_data(tax),
        "layers": list(LAYERS),
        "prefixes": tax.id_prefixes,
        "exercise": {
            "tokens": [list(token) for token in document_tokens(doc, tokens)],
            "frames": [frame.name for frame in tax.frames],
            "genres": [genre.name for genre in tax.genres],
        },
    }


def answer_key(doc: Document, tax: Taxonomy) -> dict[str, Any]:
    """The gold of the layers a student can answer, its frames and genre (``#answer-key``)."""
    spans = [
        {key: s[key] for key in ("id", "start", "end", "text")} | {"layer": layer, "label": s[tax.label_field(layer)]}
        for layer, items in layer_spans(doc).items()
        if layer in EXERCISE_LAYERS
        for s in items
    ]
    return {"spans": spans, "frames": list(doc.get("frames") or []), "genre": doc.get("genre")}


def exercise_page(doc: Document, tax: Taxonomy, tokens: Tokens | None, agreement: dict[str, Any] | None = None) -> str:
    """The exercise page of one article."""
    return render(
        "exercise.html",
        agreement,
        root="../",
        title=f"Exercise: {doc_title(doc)}",
        heading=doc_title(doc),
        body_class="exercise",
        untitled=not doc.get("title"),
        outlet=doc.get("outlet"),
        date=describe_date(doc),
        split=doc.get("split"),
        article=f"../{doc['id']}.html",
        paragraphs=paragraphs(doc["text"]),
        frames=tax.frames,
        genres=tax.genres,
        page_data=exercise_data(doc, tax, tokens),
        key=answer_key(doc, tax),
    )


def exercise_file(doc: Document) -> str:
    """The exercise page's path in the site."""
    return f"exercise/{doc['id']}.html"
