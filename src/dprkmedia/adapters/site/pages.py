"""``dprkmedia site [OUT]``: the classroom viewer, a static site made from the built dataset.

One page per article and an index. Everything the pages need is in the folder: HTML,
``assets/site.css``, ``assets/site.js`` and each article's data as an inline JSON block.
A Content-Security-Policy forbids every request to anywhere else. The script highlights
the spans (per layer and label toggles, a card on hover and keyboard focus) and runs the
exercise mode, whose scores use the same partial-credit formula as ``dprkmedia score``.

Every text from the data reaches the page escaped (``html.escape``) or through the DOM's
``textContent``; the JSON block escapes ``<``, ``>`` and ``&``.
"""

from __future__ import annotations

import html
import json
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from dprkmedia.corpus.jsonl import read_records
from dprkmedia.corpus.repo import Repo
from dprkmedia.evaluate.score import layer_label
from dprkmedia.model.catalogue import DprkMediaError, Report
from dprkmedia.model.schemas import SPLITS
from dprkmedia.model.taxonomy import LAYERS, Taxonomy, load_taxonomy

Document = dict[str, Any]

MARKER = ".dprkmedia-site"
"""File that marks a folder as a generated site, so that ``site`` may replace it."""

ASSETS = ("site.css", "site.js")

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'"
)

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


def label_of(layer: str, span: dict[str, Any]) -> str:
    return str(span[layer_label(layer)])


def label_counts(doc: Document) -> dict[str, Counter[str]]:
    """Spans per label, per layer."""
    return {layer: Counter(label_of(layer, s) for s in spans) for layer, spans in layer_spans(doc).items()}


# --- page parts --------------------------------------------------------------------------------


def page(title: str, body_class: str, body: str) -> str:
    """A whole HTML page around ``body``."""
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n<link rel="icon" href="data:,">\n'
        f"<title>{esc(title)} — DPRK–Russia State Media Corpus</title>\n"
        '<link rel="stylesheet" href="assets/site.css">\n'
        '<script src="assets/site.js" defer></script>\n'
        f'</head>\n<body class="{body_class}">\n'
        '<a class="skip" href="#main">Skip to the content</a>\n'
        f"{body}\n</body>\n</html>\n"
    )


def paragraphs(text: str) -> str:
    """The text as escaped paragraphs, each with the offset of its first character."""
    out, start = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append(f'<p data-start="{start}">{esc(line)}</p>')
        start += len(line) + 1
    return "\n".join(out)


def controls(doc: Document, tax: Taxonomy) -> str:
    """Layer and label toggles (checkboxes), with counts; colours are applied by the script."""
    counts = label_counts(doc)
    sets = []
    for layer in LAYERS:
        items = []
        for label in tax.labels:
            if label.layer != layer or not counts[layer][label.name]:
                continue
            items.append(
                f'<li><label><input type="checkbox" checked data-layer="{esc(layer)}" '
                f'data-label="{esc(label.name)}"> <span class="swatch" data-colour="{esc(label.colour)}"></span>'
                f"{esc(label.name)} <span class=count>({counts[layer][label.name]})</span></label></li>"
            )
        total = sum(counts[layer].values())
        sets.append(
            f'<fieldset class="layer" data-layer="{esc(layer)}"><legend><label>'
            f'<input type="checkbox" checked data-layer="{esc(layer)}" data-layer-toggle> '
            f"{esc(LAYER_TITLES[layer])} <span class=count>({total})</span></label></legend>"
            f"<ul>{''.join(items) or '<li>no spans</li>'}</ul></fieldset>"
        )
    return (
        '<section id="controls" aria-label="Layers and labels">'
        '<div class="modes" role="group" aria-label="Mode">'
        '<button type="button" id="mode-gold" aria-pressed="true">Annotations</button>'
        '<button type="button" id="mode-exercise" aria-pressed="false">Exercise</button></div>'
        f'<div id="toggles">{"".join(sets)}</div>'
        "<p class=hint>Hover over or tab to a highlighted passage to see its label. "
        "Press Escape to close the card.</p></section>"
    )


def exercise_panel(tax: Taxonomy) -> str:
    """The exercise: instructions, the student's spans, check, download, results.

    The picker (layer, label, the selected passage, "Add span") is a bar fixed at the bottom
    of the window, so that it is at hand wherever in the text the passage is.
    """
    genres = "".join(f'<option value="{esc(g.name)}">{esc(g.name)}</option>' for g in tax.genres)
    return (
        '<section id="exercise" aria-labelledby="exercise-title" hidden>'
        '<h2 id="exercise-title">Exercise</h2>'
        "<p>The gold annotations are hidden. Select a passage in the text, choose a label in the bar at "
        "the bottom of the window and press <em>Add span</em>. When you are done, press <em>Check</em> to "
        "compare your spans with the gold (the same partial-credit score as <code>dprkmedia score</code>), "
        "or download your answers as an annotation file. With the keyboard: press F7 (caret browsing), "
        "move to the passage and select it with Shift and the arrow keys.</p>"
        '<h3>Your spans</h3><ol id="ex-spans"></ol>'
        '<div class="row"><label for="ex-genre">Genre of the article</label> <select id="ex-genre">'
        f'<option value="">choose…</option>{genres}</select></div>'
        '<div class="row"><button type="button" id="ex-check">Check</button> '
        '<button type="button" id="ex-download">Download my answers</button> '
        '<button type="button" id="ex-reset">Start again</button></div>'
        '<p id="ex-message" role="status"></p>'
        '<div id="ex-result" aria-live="polite"></div></section>'
        '<div id="ex-bar" role="group" aria-label="Add a span" hidden>'
        '<p id="ex-selection" aria-live="polite">No passage selected.</p>'
        '<label for="ex-layer">Layer</label> <select id="ex-layer">'
        '<option value="rhetoric">Rhetoric</option><option value="entities">Entities</option></select> '
        '<label for="ex-label">Label</label> <select id="ex-label"></select> '
        '<span id="ex-norm-row" hidden><label for="ex-norm">Canonical name</label> '
        '<input id="ex-norm" type="text" size="18" placeholder="the selected text"></span> '
        '<button type="button" id="ex-add" disabled>Add span</button></div>'
    )


def provenance(doc: Document) -> str:
    """Outlet, date and evidence, source file and hash, related headlines."""
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
    items = []
    for name, value, evidence in rows:
        if value is None:
            continue
        ev = f'<div class="evidence">evidence: {esc(evidence)}</div>' if evidence else ""
        cls = ' class="hash"' if name == "SHA-256" else ""
        items.append(f"<dt>{esc(name)}</dt><dd{cls}>{esc(value)}{ev}</dd>")
    related = "".join(
        f"<li>{esc(r.get('title') or r.get('excerpt') or '')}"
        f" <span class=muted>({esc(r.get('date') or 'no date')}; page line {esc(r.get('source_line'))})</span></li>"
        for r in doc.get("related") or []
    )
    related_block = (
        "<h3>Related headlines on the scraped page</h3>"
        "<p class=muted>The page's “More From” list, kept as metadata; its dates are those of the listed "
        "items, not evidence for this article.</p>"
        f"<ul class=related>{related}</ul>"
        if related
        else "<p class=muted>The page lists no related headlines.</p>"
    )
    return (
        '<section id="provenance" aria-labelledby="prov-title"><h2 id="prov-title">Provenance</h2>'
        f"<dl>{''.join(items)}</dl>{related_block}</section>"
    )


def statistics(doc: Document) -> str:
    """Per-article statistics: size, spans per layer and label, frames and genre."""
    text = str(doc["text"])
    counts = label_counts(doc)
    rows = []

    def per_k(n: int) -> str:
        return f"{1000 * n / len(text):.1f}" if text else "n/a"

    for layer in LAYERS:
        total = sum(counts[layer].values())
        rows.append(f'<tr class="total"><th scope="row">{esc(layer)}</th><td>{total}</td><td>{per_k(total)}</td></tr>')
        rows += [
            f'<tr><th scope="row" class="sub">{esc(label)}</th><td>{n}</td><td>{per_k(n)}</td></tr>'
            for label, n in sorted(counts[layer].items(), key=lambda item: (-item[1], item[0]))
        ]
    frames = ", ".join(doc.get("frames") or []) or "none"
    n_paragraphs = sum(1 for line in text.split("\n") if line.strip())
    return (
        '<section id="stats" aria-labelledby="stats-title"><h2 id="stats-title">Statistics</h2>'
        f"<p>{len(text):,} characters, {n_paragraphs} paragraphs. Genre: {esc(doc.get('genre'))}. "
        f"Frames: {esc(frames)}.</p>"
        '<table><thead><tr><th scope="col">Layer / label</th><th scope="col">Spans</th>'
        '<th scope="col">per 1,000 characters</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


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
    meta = f"{esc(doc.get('outlet'))} · {esc(describe_date(doc))} · {esc(doc.get('split'))} split"
    untitled = "" if doc.get("title") else ' class="untitled"'
    body = (
        '<header><nav><a href="index.html">← All documents</a></nav>'
        f"<h1{untitled}>{esc(doc_title(doc))}</h1><p class=meta>{meta}</p></header>"
        f'<main id="main">{controls(doc, tax)}{exercise_panel(tax)}'
        f'<article id="text" class="text" lang="en" aria-label="Article text">{paragraphs(doc["text"])}</article>'
        f"{provenance(doc)}{statistics(doc)}</main>"
        '<div id="card" role="tooltip" hidden></div>'
        f'<script type="application/json" id="page-data">{json_for_html(page_data(doc, tax))}</script>'
    )
    return page(doc_title(doc), "article", body)


def index_page(documents: Iterable[Document]) -> str:
    """The index: one row per document."""
    rows = []
    for doc in documents:
        counts = label_counts(doc)
        untitled = "" if doc.get("title") else ' class="untitled"'
        rows.append(
            f'<tr><th scope="row"><a{untitled} href="{esc(page_file(doc))}">{esc(doc_title(doc))}</a>'
            f'<div class="muted id">{esc(doc["id"])}</div></th>'
            f"<td>{esc(doc.get('outlet'))}</td><td>{esc(describe_date(doc))}</td><td>{esc(doc.get('split'))}</td>"
            + "".join(f'<td class="num">{sum(counts[layer].values())}</td>' for layer in LAYERS)
            + "</tr>"
        )
    head = "".join(f'<th scope="col" class="num">{esc(layer)}</th>' for layer in LAYERS)
    body = (
        "<header><h1>DPRK–Russia State Media Corpus</h1>"
        "<p class=meta>English-language North Korean state-media articles on DPRK–Russia relations, "
        "annotated for entities, dates and persuasion techniques. Open an article to switch the layers on "
        "and off, or to try the exercise before you see the answers.</p></header>"
        '<main id="main"><table class="index"><caption>Documents</caption><thead><tr>'
        '<th scope="col">Title</th><th scope="col">Outlet</th><th scope="col">Published</th>'
        f'<th scope="col">Split</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
        "<p class=muted>Dates are given with their precision; a page that states no date or headline "
        "is shown as such, never filled in.</p></main>"
    )
    return page("Documents", "index", body)


# --- writing ---------------------------------------------------------------------------------


def site_files(documents: list[Document], tax: Taxonomy) -> dict[str, str]:
    """Every file of the site, by its path relative to the site folder."""
    files = {"index.html": index_page(documents)}
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
    out: Path, documents: list[Document], tax: Taxonomy, progress: Callable[[str], None] = lambda _: None
) -> list[Path]:
    """Write the site into ``out``: built in a temporary folder beside it, then moved into place."""
    check_out(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp"))
    try:
        temp.chmod(0o755)  # mkdtemp makes it private; a site is for reading
        for i, (name, text) in enumerate(site_files(documents, tax).items(), 1):
            path = temp / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
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
    return write_site(out, read_built_documents(repo), load_taxonomy(repo.schema_dir), progress)
