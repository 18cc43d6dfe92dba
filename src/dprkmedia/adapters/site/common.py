"""What every page of the classroom viewer shares: the templates, the escaping, small formatters.

The HTML is made from the Jinja2 templates in ``templates/`` (package data). Every text from
the data reaches the page escaped (autoescaping, with ``html.escape`` as the escaper) or through
the DOM's ``textContent``; the JSON blocks escape ``<``, ``>`` and ``&``.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from dprkmedia.model.issues import DprkMediaError
from dprkmedia.model.taxonomy import LAYERS, Taxonomy

Document = dict[str, Any]

LAYER_TITLES = {
    "entities": "Entities (OntoNotes 5.0)",
    "dates": "Dates (TimeML TIMEX3)",
    "rhetoric": "Rhetoric (SemEval-2023 Task 3)",
}

PRECISION = {4: "year", 7: "month", 10: "day"}


class SiteError(DprkMediaError, ValueError):
    """The site cannot be made: no built dataset, or OUT is a folder the site may not replace."""


# --- small formatters ------------------------------------------------------------------------


def esc(value: object) -> str:
    """HTML-escape any value (quotes included)."""
    return html.escape(str(value), quote=True)


def json_for_html(data: Any) -> str:
    """JSON safe to put inside ``<script type="application/json">``: no ``<``, ``>`` or ``&``."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def date_precision(value: str | None) -> str | None:
    """``year``, ``month`` or ``day`` for an ISO 8601 date string (None for no date)."""
    return None if value is None else PRECISION.get(len(value), "unknown")


def describe_date(doc: Document) -> str:
    """The publication date with its precision, or a plain statement that the page gives none."""
    value = doc.get("published")
    if value is None:
        return "no date (the page gives none)"
    return f"{value} ({date_precision(value)} precision)"


def doc_title(doc: Document) -> str:
    return str(doc["title"]) if doc.get("title") else "Untitled (the page gives no headline)"


def page_file(doc: Document) -> str:
    """The article page's file name (ids are ``[A-Za-z0-9_.-]``, checked by the schema)."""
    return f"{doc['id']}.html"


def layer_spans(doc: Document) -> dict[str, list[dict[str, Any]]]:
    return {layer: list(doc.get(layer) or []) for layer in LAYERS}


def label_counts(doc: Document, tax: Taxonomy) -> dict[str, Counter[str]]:
    """Spans per label, per layer (a span's label is in its layer's label field)."""
    return {layer: Counter(str(s[tax.label_field(layer)]) for s in spans) for layer, spans in layer_spans(doc).items()}


# --- page parts --------------------------------------------------------------------------------
# The HTML is in the Jinja2 templates of ``templates/``; these functions gather what they show.


def _escape(value: object) -> Markup:
    """The templates' ``finalize``: every value is escaped as :func:`esc` does (``html.escape``).

    Jinja2's own escaping writes ``'`` as ``&#39;``; ``html.escape`` writes ``&#x27;``, which
    the pages have always had. Values that are already :class:`Markup` pass unchanged.
    """
    return value if isinstance(value, Markup) else Markup(esc(value))


def _json_script(data: Any) -> Markup:
    """Template filter: :func:`json_for_html` of ``data``, safe inside ``<script type="application/json">``."""
    return Markup(json_for_html(data))


@cache
def templates() -> Environment:
    """The site's templates: autoescaped, block tags on their own lines leave no whitespace."""
    env = Environment(
        loader=PackageLoader("dprkmedia.adapters.site", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_escape,
        undefined=StrictUndefined,
    )
    env.filters["json_script"] = _json_script
    return env


def paragraphs(text: str) -> list[tuple[int, str]]:
    """The text's non-blank lines, each with the offset of its first character."""
    out, start = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((start, line))
        start += len(line) + 1
    return out


def taxonomy_data(tax: Taxonomy) -> list[dict[str, Any]]:
    """What the script needs to know of each label."""
    return [
        {
            "layer": label.layer,
            "name": label.name,
            "definition": label.definition,
            "scheme": label.scheme,
            "category": label.category,
            "colour": label.colour,
        }
        for label in tax.labels
    ]
