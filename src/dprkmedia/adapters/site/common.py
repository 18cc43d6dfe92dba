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
from dprkmedia.publish.summary import comparison_name, fmt

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


PATTERNS = {
    "entities": "solid",
    "dates": "double",
    "Attack on Reputation": "dotted",
    "Justification": "dashed",
    "Simplification": "dashdot",
    "Distraction": "double",
    "Call": "hatched",
    "Manipulative Wording": "solid",
}
"""The second cue besides colour: the underline's pattern per label family (a rhetoric category,
or the layer for entities and dates). Rhetoric categories all differ; entities also get a tint."""


def pattern(layer: str, category: str | None) -> str:
    """The underline pattern of a label's family (see :data:`PATTERNS`)."""
    return PATTERNS.get(category or layer, PATTERNS.get(layer, "solid"))


def about(agreement: dict[str, Any] | None) -> dict[str, Any]:
    """What every page says of itself: the content note and where the gold comes from.

    The agreement figures are those the README's summary quotes (``publish.summary``): the first
    comparison of ``docs/agreement.json``, two independent passes before adjudication.
    """
    if agreement is None:
        return {"passes": None, "comparison": None}
    first = agreement["comparisons"][0]
    rhetoric = first["layers"]["rhetoric"]
    names = sorted({c[side] for c in agreement["comparisons"] for side in ("first", "second")} - {"."})
    return {
        "passes": ", ".join(name.removeprefix("passes/") for name in names),
        "comparison": {
            "name": comparison_name(first),
            "documents": len(first["documents"]),
            **{key: fmt(rhetoric[key]) for key in ("exact_f1", "partial_f1", "gamma", "alpha")},
        },
    }


def render(template: str, agreement: dict[str, Any] | None, **context: Any) -> str:
    """A page of the site: every page carries :func:`about` (the content note and the gold's origin)."""
    return templates().get_template(template).render(about=about(agreement), **context)


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
            "pattern": pattern(label.layer, label.category),
        }
        for label in tax.labels
    ]
