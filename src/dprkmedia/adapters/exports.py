"""``dprkmedia export FORMAT``: the released data in the formats researchers' tools read.

* ``semeval``: the layout of the SemEval-2023 Task 3 data (``adapters/semeval.py``).
* ``conll``: CoNLL-2003-style IOB2, one token per line (``token date_tag ner_tag``: the
  NER tag last, as in CoNLL-2003, so that converters such as ``spacy convert`` read it),
  ``-DOCSTART-`` between documents, a blank line between sentences.
* ``docbin``: spaCy ``DocBin`` files per split: entities in ``doc.ents`` (flat, longest
  span first, as in the ``tokens`` config) and every entity in ``doc.spans["entities"]``,
  dates and rhetoric in ``doc.spans``, frames and genre in ``doc.cats``. Each span keeps its
  annotation id as ``span.id_`` and its normalization as ``span.kb_id_`` (an entity's canonical
  name, a date's TIMEX3 value); sentence starts are those of the ``sentences`` config
  (``doc.sents``); the document id is ``doc.user_data["id"]``. All of it survives the DocBin.
* ``brat``: brat standoff ``.txt``/``.ann`` files (``adapters/brat.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dprkmedia.adapters.brat import export_brat
from dprkmedia.adapters.semeval import export_semeval
from dprkmedia.corpus.fileio import atomic_write_bytes
from dprkmedia.corpus.repo import Repo
from dprkmedia.corpus.tokens import flatten_spans
from dprkmedia.model.issues import UsageError
from dprkmedia.model.schemas import SPLITS
from dprkmedia.model.taxonomy import LAYERS, Taxonomy, load_taxonomy
from dprkmedia.publish.summary import released_documents

if TYPE_CHECKING:
    from spacy.tokens import Span

FORMATS = ("semeval", "conll", "docbin", "brat")
JSON = dict[str, Any]


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


def sentence_starts(repo: Repo) -> dict[str, list[int]]:
    """Start offsets of every document's sentences, from the ``sentences`` config."""
    import pyarrow.parquet as pq  # pyarrow (heavy): only when exporting

    starts: dict[str, list[int]] = {}
    for parquet in sorted((repo.dataset_dir / "sentences").glob("*.parquet")):
        for row in pq.read_table(parquet, columns=["doc_id", "start"]).to_pylist():
            starts.setdefault(row["doc_id"], []).append(row["start"])
    return starts


def doc_to_spacy(nlp: Any, record: JSON, tax: Taxonomy, sentences: list[int]) -> Any:
    """A spaCy Doc with the record's layers (strict alignment: a misaligned span is a bug)."""
    doc = nlp.make_doc(record["text"])
    norm = {"entities": "norm", "dates": "value"}

    def span(item: JSON, layer: str) -> Span:
        made: Span | None = doc.char_span(
            item["start"],
            item["end"],
            label=item[tax.label_field(layer)],
            kb_id=item.get(norm.get(layer, "")) or "",
            span_id=item["id"],
            alignment_mode="strict",
        )
        if made is None:
            raise ValueError(f"{record['id']}: span {item['id']} does not align with spaCy's tokens")
        return made

    key = tax.label_field("entities")
    by_offsets = {(s["start"], s["end"], s[key]): s for s in record["entities"]}
    flat = flatten_spans(list(by_offsets))
    doc.ents = [span(by_offsets[triple], "entities") for triple in flat]
    for layer in LAYERS:
        doc.spans[layer] = [span(item, layer) for item in record[layer]]
    starts = set(sentences)
    if not starts <= {token.idx for token in doc}:
        raise ValueError(f"{record['id']}: a sentence start does not align with spaCy's tokens")
    for token in doc:
        token.is_sent_start = token.i == 0 or token.idx in starts
    doc.cats = {frame.name: float(frame.name in record["frames"]) for frame in tax.frames}
    doc.cats |= {f"genre:{genre.name}": float(genre.name == record["genre"]) for genre in tax.genres}
    doc.user_data["id"] = record["id"]
    return doc


def export_docbin(docs: list[JSON], tax: Taxonomy, out: Path, sentences: dict[str, list[int]]) -> list[Path]:
    """Write ``<split>.spacy`` DocBin files."""
    import spacy  # about a second: only for this format
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    files = []
    for split in sorted({doc["_split"] for doc in docs}):
        chosen = [doc_to_spacy(nlp, d, tax, sentences.get(d["id"], [])) for d in docs if d["_split"] == split]
        binary = DocBin(store_user_data=True, docs=chosen)
        path = out / f"{split}.spacy"
        atomic_write_bytes(path, binary.to_bytes())
        files.append(path)
    return files


def check_built(repo: Repo, fmt: str) -> None:
    """Refuse to export from a dataset that was not built: an export of nothing would look like success."""
    config = "tokens" if fmt == "conll" else "jsonl"
    suffix = "parquet" if fmt == "conll" else "jsonl"
    missing = [path for split in SPLITS if not (path := repo.dataset_dir / config / f"{split}.{suffix}").is_file()]
    if missing:
        raise UsageError(
            f"{', '.join(map(str, missing))}: not found; the {fmt} export is made from the built dataset. "
            "Run 'make dataset' (or 'dprkmedia build') first. Nothing was written."
        )


def export(repo: Repo, fmt: str, out: Path) -> list[Path]:
    """Export the built dataset of ``repo`` as ``fmt`` into ``out``; returns the files written."""
    check_built(repo, fmt)
    tax = load_taxonomy(repo.schema_dir)
    docs = released_documents(repo)
    if fmt == "semeval":
        return export_semeval(docs, tax, out)
    if fmt == "conll":
        return export_conll(repo, tax, out)
    if fmt == "docbin":
        return export_docbin(docs, tax, out, sentence_starts(repo))
    if fmt == "brat":
        return export_brat(docs, tax, out)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
