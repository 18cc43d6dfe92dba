"""The corpus views of the classroom viewer: the glossary, one page per label, and search.

- ``glossary.html``: every label of every layer with its definition from the taxonomy, the
  frames and genres, the departures from SemEval-2023 Task 3 (rendered from
  ``annotations/GUIDELINES.md`` §4.0, the one place they are written) and every corpus
  example of each label, linked to its position in its article.
- ``labels/<layer>-<label>.html``: every span of one label across all articles, in context.
- ``search.html``: the texts and spans as inline JSON; ``assets/search.js`` searches them by
  text and by label in the browser (no network, no server).

A link to a position is ``<doc>.html#span=<id>`` (a span) or ``<doc>.html#at=<start>-<end>``
(code-point offsets); ``assets/views.js`` on the article page scrolls to it and marks it.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup

from dprkmedia.adapters.site.common import LAYER_TITLES, Document, SiteError, doc_title, layer_spans, render
from dprkmedia.model.taxonomy import LAYERS, Label, Taxonomy

DEPARTURES = "Departures from SemEval-2023 Task 3"
"""The heading of the departures section in ``annotations/GUIDELINES.md``."""

CONTEXT = 70
"""Characters of context shown on each side of an example."""

HEADING = re.compile(r"^(#{1,6})\s+(.*)$")


# --- the departures table, from GUIDELINES.md ---------------------------------------------------


def departures_markdown(guidelines: str, where: str = "annotations/GUIDELINES.md") -> str:
    """The body of the section headed :data:`DEPARTURES` (up to the next heading of its level or above)."""
    lines = guidelines.splitlines()
    for index, line in enumerate(lines):
        match = HEADING.match(line)
        if match and DEPARTURES in match.group(2):
            level = len(match.group(1))
            body = []
            for following in lines[index + 1 :]:
                heading = HEADING.match(following)
                if heading and len(heading.group(1)) <= level:
                    break
                body.append(following)
            return "\n".join(body).strip() + "\n"
    raise SiteError(
        f"{where}: no heading with '{DEPARTURES}' found; the site's glossary shows that section. "
        "Restore the heading (§4.0 of the guidelines) or rename DEPARTURES in adapters/site/glossary.py."
    )


def render_markdown(text: str) -> Markup:
    """Markdown as HTML: raw HTML in it is escaped, links keep their text only, no images."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table").disable("image")
    md.add_render_rule("link_open", lambda *_: "")
    md.add_render_rule("link_close", lambda *_: "")
    return Markup(md.render(text))  # markdown-it escapes every text and attribute it writes


# --- examples ------------------------------------------------------------------------------------


def label_file(layer: str, name: str) -> str:
    """The label page's path: ``labels/<layer>-<name>.html``, the name made safe for a file name."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", name)
    if safe != name:
        safe += "-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return f"labels/{layer}-{safe}.html"


def context(text: str, start: int, end: int) -> tuple[str, str]:
    """Up to :data:`CONTEXT` characters before and after ``[start, end)``, within its line."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    left = text[max(line_start, start - CONTEXT) : start]
    right = text[end : min(line_end, end + CONTEXT)]
    if start - CONTEXT > line_start:
        left = "…" + left
    if end + CONTEXT < line_end:
        right = right + "…"
    return left, right


def examples(documents: list[Document], tax: Taxonomy, root: str = "") -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Every span of the corpus by (layer, label), in document and text order, with its context and link."""
    found: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for doc in documents:
        text = str(doc["text"])
        for layer, spans in layer_spans(doc).items():
            for span in sorted(spans, key=lambda s: (s["start"], s["end"])):
                left, right = context(text, span["start"], span["end"])
                found.setdefault((layer, str(span[tax.label_field(layer)])), []).append(
                    {
                        "doc": doc["id"],
                        "title": doc_title(doc),
                        "id": span["id"],
                        "text": span["text"],
                        "left": left,
                        "right": right,
                        "href": f"{root}{doc['id']}.html#span={span['id']}",
                        "confidence": span.get("confidence"),
                        "value": span.get("value") or span.get("norm"),
                    }
                )
    return found


def label_entry(label: Label, found: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "layer": label.layer,
        "name": label.name,
        "definition": label.definition,
        "scheme": label.scheme,
        "anchor": label.anchor if label.anchor != label.name else None,
        "category": label.category,
        "extension": label.extension,
        "departs": label.departs,
        "colour": label.colour,
        "count": len(found),
        "documents": len({e["doc"] for e in found}),
        "file": label_file(label.layer, label.name),
        "examples": found,
    }


# --- pages ---------------------------------------------------------------------------------------


def glossary_page(
    documents: list[Document], tax: Taxonomy, departures: Markup | None, agreement: dict[str, Any] | None = None
) -> str:
    """The glossary: every label with its definition and its examples, frames, genres, departures."""
    found = examples(documents, tax)
    layers = [
        {
            "layer": layer,
            "title": LAYER_TITLES[layer],
            "labels": [label_entry(lab, found.get((layer, lab.name), [])) for lab in tax.labels if lab.layer == layer],
        }
        for layer in LAYERS
    ]
    frames = Counter(frame for doc in documents for frame in doc.get("frames") or [])
    genres = Counter(str(doc.get("genre")) for doc in documents)
    return render(
        "glossary.html",
        agreement,
        root="",
        title="Glossary",
        body_class="glossary",
        layers=layers,
        frames=[(f.name, f.definition, frames[f.name]) for f in tax.frames],
        genres=[(g.name, g.definition, genres[g.name]) for g in tax.genres],
        articles=len(documents),
        departures=departures,
    )


def label_pages(documents: list[Document], tax: Taxonomy, agreement: dict[str, Any] | None = None) -> dict[str, str]:
    """One page per label that has spans: every span of it across the corpus, in context."""
    found = examples(documents, tax, root="../")
    pages = {}
    for label in tax.labels:
        spans = found.get((label.layer, label.name))
        if not spans:
            continue
        entry = label_entry(label, spans)
        per_doc = Counter(e["doc"] for e in spans)
        pages[entry["file"]] = render(
            "label.html",
            agreement,
            root="../",
            title=f"{label.name} ({label.layer})",
            body_class="label-view",
            label=entry,
            layer_title=LAYER_TITLES[label.layer],
            per_doc=[(doc["id"], doc_title(doc), per_doc[doc["id"]]) for doc in documents if per_doc[doc["id"]]],
        )
    return pages


def search_data(documents: list[Document], tax: Taxonomy) -> dict[str, Any]:
    """What search.js searches: each article's text, and every span with its label."""
    return {
        "docs": [{"id": doc["id"], "title": doc_title(doc), "text": doc["text"]} for doc in documents],
        "spans": [
            {
                "doc": doc["id"],
                "id": s["id"],
                "layer": layer,
                "label": s[tax.label_field(layer)],
                "start": s["start"],
                "end": s["end"],
            }
            for doc in documents
            for layer, spans in layer_spans(doc).items()
            for s in spans
        ],
    }


def search_page(documents: list[Document], tax: Taxonomy, agreement: dict[str, Any] | None = None) -> str:
    """Search over the corpus by text and by label, in the browser."""
    counts = {key: len(spans) for key, spans in examples(documents, tax).items()}
    options = [
        (LAYER_TITLES[layer], [(name, counts.get((layer, name), 0)) for name in tax.names(layer)]) for layer in LAYERS
    ]
    return render(
        "search.html",
        agreement,
        root="",
        title="Search",
        body_class="search",
        layers=list(zip(LAYERS, options, strict=True)),
        page_data=search_data(documents, tax),
    )
