"""``dprkmedia export FORMAT``: the released data in the formats researchers' tools read.

* ``semeval``: the SemEval-2023 Task 3 layout: ``articles/article<id>.txt`` (title, blank
  line, body, as in the task's data), ``labels-subtask-1.txt`` (genre),
  ``labels-subtask-2.txt`` (frames), ``labels-subtask-3.txt`` (techniques per line of the
  article file) and ``labels-subtask-3-spans.txt`` (technique, start, end in the article
  file). Genre extensions are mapped to their SemEval-2023 labels.
* ``conll``: CoNLL-2003-style IOB2, one token per line (``token date_tag ner_tag``: the
  NER tag last, as in CoNLL-2003, so that converters such as ``spacy convert`` read it),
  ``-DOCSTART-`` between documents, a blank line between sentences.
* ``docbin``: spaCy ``DocBin`` files per split: entities in ``doc.ents`` (flat, longest
  span first, as in the ``tokens`` config) and every entity in ``doc.spans["entities"]``,
  dates and rhetoric in ``doc.spans``, frames and genre in ``doc.cats``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dprkmedia.corpus.fileio import atomic_write_bytes
from dprkmedia.corpus.repo import Repo
from dprkmedia.corpus.tokens import flatten_spans
from dprkmedia.model.taxonomy import LAYERS, Taxonomy, load_taxonomy
from dprkmedia.publish.summary import released_documents

if TYPE_CHECKING:
    from spacy.tokens import Span

FORMATS = ("semeval", "conll", "docbin")
JSON = dict[str, Any]


def article_text(doc: JSON) -> tuple[str, int]:
    """The SemEval article file text (title line, blank line, body) and the body's offset."""
    head = f"{doc['title'] or ''}\n\n"
    return head + doc["text"], len(head)


def semeval_spans(doc: JSON, tax: Taxonomy) -> list[tuple[str, int, int]]:
    """``(technique, start, end)`` in article-file offsets, extensions mapped, deduplicated."""
    _, shift = article_text(doc)
    key = tax.label_field("rhetoric")
    spans = {(tax.semeval_label(s[key]), s["start"] + shift, s["end"] + shift) for s in doc["rhetoric"]}
    return sorted(spans, key=lambda s: (s[1], s[2], s[0]))


def line_techniques(text: str, spans: list[tuple[str, int, int]]) -> list[tuple[int, list[str]]]:
    """Subtask-3 paragraph labels: for each non-empty line (1-based), techniques overlapping it."""
    rows, start = [], 0
    for number, line in enumerate(text.split("\n"), start=1):
        end = start + len(line)
        if line.strip():
            labels = sorted({label for label, a, b in spans if a < end and start < b})
            rows.append((number, labels))
        start = end + 1
    return rows


def export_semeval(docs: list[JSON], tax: Taxonomy, out: Path) -> list[Path]:
    """Write the SemEval-2023 Task 3 layout under ``out``."""
    files = []
    genre, frames, lines, spans = [], [], [], []
    for doc in docs:
        text, _ = article_text(doc)
        path = out / "articles" / f"article{doc['id']}.txt"
        atomic_write_bytes(path, text.encode("utf-8"))
        files.append(path)
        genre.append(f"{doc['id']}\t{doc['genre']}")
        frames.append(f"{doc['id']}\t{','.join(doc['frames'])}")
        doc_spans = semeval_spans(doc, tax)
        spans += [f"{doc['id']}\t{label}\t{a}\t{b}" for label, a, b in doc_spans]
        lines += [f"{doc['id']}\t{n}\t{','.join(labels)}" for n, labels in line_techniques(text, doc_spans)]
    for name, rows in (
        ("labels-subtask-1.txt", genre),
        ("labels-subtask-2.txt", frames),
        ("labels-subtask-3.txt", lines),
        ("labels-subtask-3-spans.txt", spans),
    ):
        atomic_write_bytes(out / name, "".join(row + "\n" for row in rows).encode("utf-8"))
        files.append(out / name)
    return files


def read_semeval_spans(folder: Path) -> dict[str, list[tuple[str, int, int]]]:
    """Read ``labels-subtask-3-spans.txt`` back: doc id → (technique, start, end) in body offsets."""
    shifts = {}
    for article in (folder / "articles").glob("article*.txt"):
        text = article.read_text(encoding="utf-8")
        shifts[article.stem.removeprefix("article")] = text.index("\n\n") + 2
    spans: dict[str, list[tuple[str, int, int]]] = {doc: [] for doc in shifts}
    for row in (folder / "labels-subtask-3-spans.txt").read_text(encoding="utf-8").splitlines():
        doc, label, start, end = row.split("\t")
        spans[doc].append((label, int(start) - shifts[doc], int(end) - shifts[doc]))
    return spans


def conll_lines(token_rows: Iterable[JSON], ner: list[str], dates: list[str]) -> list[str]:
    """CoNLL IOB2 lines of ``tokens`` config rows."""
    lines: list[str] = []
    current = None
    for row in token_rows:
        if row["doc_id"] != current:
            lines += ["-DOCSTART- -X- O O", ""]  # the CoNLL-2003 document line, as converters expect it
            current = row["doc_id"]
        for token, n, d in zip(row["tokens"], row["ner_tags"], row["date_tags"], strict=True):
            lines.append(f"{token} {dates[d]} {ner[n]}")
        lines.append("")
    return lines


def export_conll(repo: Repo, tax: Taxonomy, out: Path) -> list[Path]:
    """Write ``<split>.conll`` from the ``tokens`` config."""
    import pyarrow.parquet as pq  # pyarrow (heavy): only for the conll export

    from dprkmedia.build.features import iob2_names  # imports datasets: only when exporting

    files = []
    ner, dates = iob2_names(tax.names("entities")), iob2_names(tax.names("dates"))
    for parquet in sorted((repo.dataset_dir / "tokens").glob("*.parquet")):
        rows = pq.read_table(parquet).to_pylist()
        path = out / f"{parquet.stem}.conll"
        atomic_write_bytes(path, "\n".join(conll_lines(rows, ner, dates)).encode("utf-8"))
        files.append(path)
    return files


def doc_to_spacy(nlp: Any, record: JSON, tax: Taxonomy) -> Any:
    """A spaCy Doc with the record's layers (strict alignment: a misaligned span is a bug)."""
    doc = nlp.make_doc(record["text"])

    def spans(items: list[JSON], key: str) -> list[Span]:
        made = [doc.char_span(s["start"], s["end"], label=s[key], alignment_mode="strict") for s in items]
        if any(span is None for span in made):
            raise ValueError(f"{record['id']}: a span does not align with spaCy's tokens")
        return made

    key = tax.label_field("entities")
    flat = flatten_spans([(s["start"], s["end"], s[key]) for s in record["entities"]])
    doc.ents = [doc.char_span(a, b, label=label, alignment_mode="strict") for a, b, label in flat]
    for layer in LAYERS:
        doc.spans[layer] = spans(record[layer], tax.label_field(layer))
    doc.cats = {frame.name: float(frame.name in record["frames"]) for frame in tax.frames}
    doc.cats |= {f"genre:{genre.name}": float(genre.name == record["genre"]) for genre in tax.genres}
    doc.user_data["id"] = record["id"]
    return doc


def export_docbin(docs: list[JSON], tax: Taxonomy, out: Path) -> list[Path]:
    """Write ``<split>.spacy`` DocBin files."""
    import spacy  # about a second: only for this format
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    files = []
    for split in sorted({doc["_split"] for doc in docs}):
        binary = DocBin(store_user_data=True, docs=[doc_to_spacy(nlp, d, tax) for d in docs if d["_split"] == split])
        path = out / f"{split}.spacy"
        atomic_write_bytes(path, binary.to_bytes())
        files.append(path)
    return files


def export(repo: Repo, fmt: str, out: Path) -> list[Path]:
    """Export the built dataset of ``repo`` as ``fmt`` into ``out``; returns the files written."""
    tax = load_taxonomy(repo.schema_dir)
    docs = released_documents(repo)
    if fmt == "semeval":
        return export_semeval(docs, tax, out)
    if fmt == "conll":
        return export_conll(repo, tax, out)
    if fmt == "docbin":
        return export_docbin(docs, tax, out)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
