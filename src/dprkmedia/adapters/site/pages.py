"""``dprkmedia site [OUT]``: the classroom viewer, a static site made from the built dataset.

The index and one page per article are made here; the other pages in their own modules:
``exercise/<id>.html`` (exercise.py), ``glossary.html``, ``labels/*.html`` and ``search.html``
(glossary.py), ``compare.html`` and ``compare/<id>.html`` (compare.py). Everything the pages
need is in the folder: HTML, the scripts and styles of ``assets/`` and each page's data as an
inline JSON block. A Content-Security-Policy (in ``templates/page.html``) forbids every request
to anywhere else. ``assets/site.js`` highlights the spans of an article (per layer and label
toggles, a card on hover and keyboard focus); ``assets/exercise.js`` runs the exercise, whose
scores use the formulas of ``dprkmedia score``.

The HTML is made from the Jinja2 templates in ``templates/`` (package data). Every text from
the data reaches the page escaped (autoescaping, with ``html.escape`` as the escaper) or through
the DOM's ``textContent``; the JSON blocks escape ``<``, ``>`` and ``&``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from markupsafe import Markup

from dprkmedia.adapters.site.common import LAYER_TITLES, Document, label_counts, layer_spans, pattern, render

# Names of the page helpers that moved to common.py, still importable from here
from dprkmedia.adapters.site.common import SiteError as SiteError
from dprkmedia.adapters.site.common import date_precision as date_precision
from dprkmedia.adapters.site.common import describe_date as describe_date
from dprkmedia.adapters.site.common import doc_title as doc_title
from dprkmedia.adapters.site.common import json_for_html as json_for_html
from dprkmedia.adapters.site.common import page_file as page_file
from dprkmedia.adapters.site.common import paragraphs as paragraphs
from dprkmedia.adapters.site.common import taxonomy_data as taxonomy_data
from dprkmedia.adapters.site.compare import Source, compare_file, compare_index, compare_page, read_sources
from dprkmedia.adapters.site.exercise import Tokens, exercise_file, exercise_page, read_built_tokens
from dprkmedia.adapters.site.glossary import (
    departures_markdown,
    glossary_page,
    label_pages,
    render_markdown,
    search_page,
)
from dprkmedia.corpus.fileio import atomic_write_bytes, make_staging_dir
from dprkmedia.corpus.jsonl import read_records
from dprkmedia.corpus.repo import Repo
from dprkmedia.model.issues import Report
from dprkmedia.model.schemas import SPLITS
from dprkmedia.model.taxonomy import LAYERS, Taxonomy, load_taxonomy
from dprkmedia.publish.summary import comparison_name, fmt, read_agreement

MARKER = ".dprkmedia-site"
"""File that marks a folder as a generated site, so that ``site`` may replace it."""

ASSETS = ("site.css", "look.js", "site.js", "exercise.js", "views.css", "views.js", "search.js", "compare.js")

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


# --- page parts --------------------------------------------------------------------------------
# The HTML is in the Jinja2 templates of ``templates/``; these functions gather what they show.


def toggles(doc: Document, tax: Taxonomy) -> list[dict[str, Any]]:
    """Per layer: its title, its span count and the labels it uses, each with colour and count."""
    counts = label_counts(doc, tax)
    return [
        {
            "layer": layer,
            "title": LAYER_TITLES[layer],
            "total": sum(counts[layer].values()),
            "labels": [
                {
                    "name": label.name,
                    "colour": label.colour,
                    "pattern": pattern(layer, label.category),
                    "count": counts[layer][label.name],
                }
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


def article_page(
    doc: Document, tax: Taxonomy, compare: str | None = None, agreement: dict[str, Any] | None = None
) -> str:
    """The page of one article; ``compare`` is the path of its compare page, if it has one."""
    return render(
        "article.html",
        agreement,
        title=doc_title(doc),
        body_class="article",
        untitled=not doc.get("title"),
        outlet=doc.get("outlet"),
        date=describe_date(doc),
        split=doc.get("split"),
        toggles=toggles(doc, tax),
        exercise=exercise_file(doc),
        compare=compare,
        paragraphs=paragraphs(doc["text"]),
        provenance=provenance(doc),
        related=related(doc),
        stats=statistics(doc, tax),
        page_data=page_data(doc, tax),
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
                "exercise": exercise_file(doc),
                "title": doc_title(doc),
                "untitled": not doc.get("title"),
                "id": doc["id"],
                "outlet": doc.get("outlet"),
                "date": describe_date(doc),
                "split": doc.get("split"),
                "totals": [sum(counts[layer].values()) for layer in LAYERS],
            }
        )
    return render(
        "index.html",
        agreement,
        title="Documents",
        body_class="index",
        layers=LAYERS,
        rows=rows,
        key=answer_key(agreement),
    )


# --- writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Extras:
    """What the site reads besides the built documents (each optional: a page says what it lacks)."""

    agreement: dict[str, Any] | None = None
    """``docs/agreement.json``: γ and α of the compared passes."""
    tokens: Tokens | None = None
    """The dataset's ``tokens`` config, per document: exercise selections snap to it."""
    departures: Markup | None = None
    """The departures from SemEval-2023 Task 3, rendered from ``annotations/GUIDELINES.md``."""
    sources: list[Source] = field(default_factory=list)
    """The gold and the passes, for the compare view."""


def read_extras(repo: Repo) -> Extras:
    """Everything :class:`Extras` holds, from the repository."""
    guidelines = repo.annotations_dir / "GUIDELINES.md"
    departures = None
    if guidelines.is_file():
        where = str(guidelines.relative_to(repo.root))
        departures = render_markdown(departures_markdown(guidelines.read_text(encoding="utf-8"), where))
    return Extras(read_agreement(repo), read_built_tokens(repo), departures, read_sources(repo))


def site_files(documents: list[Document], tax: Taxonomy, extras: Extras | None = None) -> dict[str, str]:
    """Every file of the site, by its path relative to the site folder."""
    extras = extras or Extras()
    compares = {doc["id"]: compare_page(doc, tax, extras.sources, extras.agreement) for doc in documents}
    files = {"index.html": index_page(documents, tax, extras.agreement)}
    for doc in documents:
        compare = compare_file(doc["id"]) if compares[doc["id"]] else None
        files[page_file(doc)] = article_page(doc, tax, compare, extras.agreement)
        files[exercise_file(doc)] = exercise_page(doc, tax, extras.tokens, extras.agreement)
    files["glossary.html"] = glossary_page(documents, tax, extras.departures, extras.agreement)
    files.update(label_pages(documents, tax, extras.agreement))
    files["search.html"] = search_page(documents, tax, extras.agreement)
    files["compare.html"] = compare_index(documents, extras.sources, extras.agreement)
    files.update({compare_file(doc_id): page for doc_id, page in compares.items() if page})
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
    extras: Extras | None = None,
) -> list[Path]:
    """Write the site into ``out``: built in a temporary folder beside it, then moved into place."""
    check_out(out)
    temp = make_staging_dir(out)  # readable as the umask allows: a site is for reading
    try:
        for i, (name, text) in enumerate(site_files(documents, tax, extras).items(), 1):
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
    return write_site(out, documents, tax, progress, read_extras(repo))
