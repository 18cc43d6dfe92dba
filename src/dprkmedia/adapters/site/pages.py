"""``dprkmedia site [OUT]``: the classroom viewer, a static site made from the built dataset.

One page per article and an index. Everything the pages need is in the folder: HTML,
``assets/site.css``, ``assets/site.js`` and each article's data as an inline JSON block.
A Content-Security-Policy (in ``templates/page.html``) forbids every request to anywhere else. The script highlights
the spans (per layer and label toggles, a card on hover and keyboard focus) and runs the
exercise mode, whose scores use the same partial-credit formula as ``dprkmedia score``.

The HTML is made from the Jinja2 templates in ``templates/`` (package data). Every text from
the data reaches the page escaped (autoescaping, with ``html.escape`` as the escaper) or through
the DOM's ``textContent``; the JSON block escapes ``<``, ``>`` and ``&``.
"""

from __future__ import annotations

import html
import json
import shutil
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from dprkmedia.corpus.fileio import atomic_write_bytes, make_staging_dir
from dprkmedia.corpus.jsonl import read_records
from dprkmedia.corpus.repo import Repo
from dprkmedia.model.issues import DprkMediaError, Report
from dprkmedia.model.schemas import SPLITS
from dprkmedia.model.taxonomy import LAYERS, Taxonomy, load_taxonomy
from dprkmedia.publish.summary import comparison_name, fmt, read_agreement

Document = dict[str, Any]

MARKER = ".dprkmedia-site"
"""File that marks a folder as a generated site, so that ``site`` may replace it."""

ASSETS = ("site.css", "site.js")

LAYER_TITLES = {
    "entities": "Entities (OntoNotes 5.0)",
    "dates": "Dates (TimeML TIMEX3)",
    "rhetoric": "Rhetoric (SemEval-2023 Task 3)",
}

PRECISION = {4: "year", 7: "month", 10: "day"}


class SiteError(DprkMediaError, ValueError):
    """The site cannot be made: no built dataset, or OUT is a folder the site may not replace."""


# --- reading -------------------------------------------------------------------------------


def read_built_documents(repo: Repo) -> list[Document]:
    """The documents of the built dataset (``dataset/jsonl/``), split by split, with ``split`` added."""
    documents: list[Document] = []
    issues = []
    for split in SPLITS:
        path = repo.dataset_dir / "jsonl" / f"{split}.jsonl"
        if not path.is_file():
            raise SiteError(
                f"{path}: not found; the site is made from the built dataset. "
                "Run 'make dataset' (or 'dprkmedia build') first."
            )
        records, problems = read_records(path, str(path.relative_to(repo.root)))
        issues += problems
        documents += [{**record.data, "split": split} for record in records]
    if issues:
        raise SiteError(Report(issues=issues).render() + "\nRebuild the dataset with 'dprkmedia build'.")
    return documents


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


def toggles(doc: Document, tax: Taxonomy) -> list[dict[str, Any]]:
    """Per layer: its title, its span count and the labels it uses, each with colour and count."""
    counts = label_counts(doc, tax)
    return [
        {
            "layer": layer,
            "title": LAYER_TITLES[layer],
            "total": sum(counts[layer].values()),
            "labels": [
                {"name": label.name, "colour": label.colour, "count": counts[layer][label.name]}
                for label in tax.labels
                if label.layer == layer and counts[layer][label.name]
            ],
        }
        for layer in LAYERS
    ]


def provenance(doc: Document) -> list[tuple[str, object, object]]:
    """Outlet, date, source file and hash...: (name, value, evidence), rows without a value left out."""
    rows = [
        ("Outlet", doc.get("outlet"), doc.get("outlet_evidence")),
        ("Published", describe_date(doc), doc.get("published_evidence")),
        ("Date method", doc.get("published_method"), None),
        ("Aggregator date", doc.get("aggregator_date"), doc.get("aggregator_date_evidence")),
        ("Title", doc.get("title") or "none given", doc.get("title_evidence")),
        ("Source file", doc.get("source_file"), None),
        ("SHA-256", doc.get("source_sha256"), None),
        ("Split", doc.get("split"), None),
    ]
    return [row for row in rows if row[1] is not None]


def related(doc: Document) -> list[tuple[str, object, object]]:
    """The related headlines of the scraped page: (title or excerpt, date, page line)."""
    return [
        (r.get("title") or r.get("excerpt") or "", r.get("date") or "no date", r.get("source_line"))
        for r in doc.get("related") or []
    ]


def statistics(doc: Document, tax: Taxonomy) -> dict[str, Any]:
    """Per-article statistics: size, spans per layer and label (with their rate), frames and genre."""
    text = str(doc["text"])
    counts = label_counts(doc, tax)

    def per_k(n: int) -> str:
        return f"{1000 * n / len(text):.1f}" if text else "n/a"

    rows = []
    for layer in LAYERS:
        total = sum(counts[layer].values())
        labels = [
            (label, n, per_k(n)) for label, n in sorted(counts[layer].items(), key=lambda item: (-item[1], item[0]))
        ]
        rows.append((layer, total, per_k(total), labels))
    return {
        "characters": f"{len(text):,}",
        "paragraphs": sum(1 for line in text.split("\n") if line.strip()),
        "genre": doc.get("genre"),
        "frames": ", ".join(doc.get("frames") or []) or "none",
        "rows": rows,
    }


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


def page_data(doc: Document, tax: Taxonomy) -> dict[str, Any]:
    """The article's inline JSON: its text, its spans (all layers) and the taxonomy."""
    spans = [{**span, "layer": layer} for layer, items in layer_spans(doc).items() for span in items]
    return {
        "doc": {"id": doc["id"], "text": doc["text"], "genre": doc.get("genre"), "frames": doc.get("frames")},
        "spans": spans,
        "labels": taxonomy_data(tax),
        "layers": list(LAYERS),
        "prefixes": tax.id_prefixes,
    }


def article_page(doc: Document, tax: Taxonomy) -> str:
    """The page of one article."""
    return (
        templates()
        .get_template("article.html")
        .render(
            title=doc_title(doc),
            body_class="article",
            untitled=not doc.get("title"),
            outlet=doc.get("outlet"),
            date=describe_date(doc),
            split=doc.get("split"),
            toggles=toggles(doc, tax),
            genres=[genre.name for genre in tax.genres],
            paragraphs=paragraphs(doc["text"]),
            provenance=provenance(doc),
            related=related(doc),
            stats=statistics(doc, tax),
            page_data=page_data(doc, tax),
        )
    )


def answer_key(agreement: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Rows of the index's "answer key" table: rhetoric agreement per comparison."""
    if agreement is None:
        return []
    return [
        {
            "comparison": comparison_name(c),
            "stage": c["stage"],
            "documents": len(c["documents"]),
            **{key: fmt(c["layers"]["rhetoric"][key]) for key in ("exact_f1", "partial_f1", "gamma", "alpha")},
        }
        for c in agreement["comparisons"]
    ]


def index_page(documents: Iterable[Document], tax: Taxonomy, agreement: dict[str, Any] | None = None) -> str:
    """The index: one row per document, and where the answer key comes from."""
    rows = []
    for doc in documents:
        counts = label_counts(doc, tax)
        rows.append(
            {
                "file": page_file(doc),
                "title": doc_title(doc),
                "untitled": not doc.get("title"),
                "id": doc["id"],
                "outlet": doc.get("outlet"),
                "date": describe_date(doc),
                "split": doc.get("split"),
                "totals": [sum(counts[layer].values()) for layer in LAYERS],
            }
        )
    return (
        templates()
        .get_template("index.html")
        .render(title="Documents", body_class="index", layers=LAYERS, rows=rows, key=answer_key(agreement))
    )


# --- writing ---------------------------------------------------------------------------------


def site_files(documents: list[Document], tax: Taxonomy, agreement: dict[str, Any] | None = None) -> dict[str, str]:
    """Every file of the site, by its path relative to the site folder."""
    files = {"index.html": index_page(documents, tax, agreement)}
    files.update({page_file(doc): article_page(doc, tax) for doc in documents})
    assets = resources.files("dprkmedia.adapters.site") / "assets"
    files.update({f"assets/{name}": (assets / name).read_text(encoding="utf-8") for name in ASSETS})
    files[MARKER] = "This folder was made by 'dprkmedia site'; running it again replaces the folder.\n"
    return files


def check_out(out: Path) -> None:
    """Refuse to replace a folder that is not a site this command made."""
    if out.exists() and not out.is_dir():
        raise SiteError(f"{out}: is a file; OUT must be a folder (new, empty or made by 'dprkmedia site').")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise SiteError(
            f"{out}: folder exists and was not made by 'dprkmedia site' (no {MARKER} in it); "
            "nothing was written. Choose a new or empty folder."
        )


def write_site(
    out: Path,
    documents: list[Document],
    tax: Taxonomy,
    progress: Callable[[str], None] = lambda _: None,
    agreement: dict[str, Any] | None = None,
) -> list[Path]:
    """Write the site into ``out``: built in a temporary folder beside it, then moved into place."""
    check_out(out)
    temp = make_staging_dir(out)  # readable as the umask allows: a site is for reading
    try:
        for i, (name, text) in enumerate(site_files(documents, tax, agreement).items(), 1):
            atomic_write_bytes(temp / name, text.encode("utf-8"))
            progress(f"[{i}] {name}")
        if out.exists():
            shutil.rmtree(out)
        temp.rename(out)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return sorted(p for p in out.rglob("*") if p.is_file())


def build_site(repo: Repo, out: Path, progress: Callable[[str], None] = lambda _: None) -> list[Path]:
    """Make the site of the repository's built dataset in ``out``."""
    documents, tax = read_built_documents(repo), load_taxonomy(repo.schema_dir)
    return write_site(out, documents, tax, progress, read_agreement(repo))
