"""Build ``dataset/`` from ``dataset/sources/`` + ``annotations/``: Parquet configs + JSONL.

The build validates first and refuses an invalid repository. Output is deterministic
(same inputs and pinned library versions give byte-identical files) and every file is
written to a temporary name and renamed into place.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Features

from dprkmedia.build.features import FEATURES, iob2_names
from dprkmedia.corpus.documents import make_document
from dprkmedia.corpus.fileio import atomic_write_bytes
from dprkmedia.corpus.jsonl import read_records
from dprkmedia.corpus.loading import LoadedRepo
from dprkmedia.corpus.repo import Repo
from dprkmedia.corpus.tokens import Sentence, flatten_spans, spans_to_iob2, text_to_sentences
from dprkmedia.model.records import Document, Span
from dprkmedia.model.schemas import SPLITS
from dprkmedia.model.taxonomy import LAYERS, Taxonomy
from dprkmedia.validation.repo import load_valid_repo

Rows = list[dict[str, Any]]


@dataclass
class BuildResult:
    """What a build wrote and counted."""

    files: list[Path] = field(default_factory=list)
    documents: dict[str, int] = field(default_factory=dict)
    label_counts: dict[str, Counter[str]] = field(default_factory=dict)
    rows: dict[str, dict[str, int]] = field(default_factory=dict)
    nbytes: dict[str, dict[str, int]] = field(default_factory=dict)
    """In-memory Arrow size of each config's split, as the card's ``num_bytes``."""

    def summary(self) -> str:
        """Human summary: documents per split, rows per config, spans per layer and label."""
        lines = ["Documents: " + ", ".join(f"{split} {n}" for split, n in self.documents.items())]
        for config, per_split in self.rows.items():
            lines.append(f"  {config}: " + ", ".join(f"{s} {n}" for s, n in per_split.items()) + " rows")
        for layer, counts in self.label_counts.items():
            lines.append(f"{layer}: {sum(counts.values())} spans")
            lines += [f"  {label}: {count}" for label, count in sorted(counts.items())]
        return "\n".join(lines)


def write_parquet(path: Path, rows: Rows, features: Features) -> int:
    """Write rows as Parquet with the ``datasets`` features in the schema metadata.

    Returns the table's in-memory Arrow size in bytes.
    """
    schema = features.arrow_schema
    table = pa.Table.from_pylist(rows, schema=schema)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd", write_statistics=False)
    atomic_write_bytes(path, sink.getvalue().to_pybytes())
    return int(table.nbytes)


def write_jsonl(path: Path, rows: Rows) -> None:
    """Write rows as JSON lines (UTF-8, keys in column order)."""
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    atomic_write_bytes(path, text.encode("utf-8"))


def span_rows(document: Document, tax: Taxonomy) -> Rows:
    """The ``spans`` config rows of one document."""
    return [
        {
            "doc_id": document.id,
            "layer": layer,
            "id": span.id,
            "start": span.start,
            "end": span.end,
            "text": span.text,
            "label": span.label,
            "value": span.value,
            "category": tax.category(span.label) if layer == "rhetoric" else None,
            "norm": span.norm,
            "confidence": span.confidence,
        }
        for layer in LAYERS
        for span in document.spans[layer]
    ]


def _flat(spans: Iterable[Span]) -> list[tuple[int, int, str]]:
    """A document's spans of one layer as non-overlapping ``(start, end, label)``."""
    return flatten_spans([span.triple() for span in spans])


def _tags(sentence: Sentence, flat: list[tuple[int, int, str]], ids: dict[str, int]) -> list[int]:
    inside = [s for s in flat if sentence.start <= s[0] and s[1] <= sentence.end]
    return [ids[tag] for tag in spans_to_iob2(sentence.tokens, inside)]


def sentence_rows(document: Document, sentences: list[Sentence], tax: Taxonomy) -> tuple[Rows, Rows]:
    """The ``tokens`` and ``sentences`` config rows of one document."""
    ner_ids = {name: i for i, name in enumerate(iob2_names(tax.names("entities")))}
    date_ids = {name: i for i, name in enumerate(iob2_names(tax.names("dates")))}
    entities, dates = _flat(document.spans["entities"]), _flat(document.spans["dates"])
    order = {name: i for i, name in enumerate(tax.names("rhetoric"))}
    text, doc_id = document.text, document.id
    tokens, plain = [], []
    for number, sentence in enumerate(sentences, start=1):
        sid = f"{doc_id}-s{number:03d}"
        tokens.append(
            {
                "id": sid,
                "doc_id": doc_id,
                "tokens": [text[a:b] for a, b in sentence.tokens],
                "ner_tags": _tags(sentence, entities, ner_ids),
                "date_tags": _tags(sentence, dates, date_ids),
                "token_starts": [a for a, _ in sentence.tokens],
                "token_ends": [b for _, b in sentence.tokens],
            }
        )
        techniques = {
            span.label for span in document.spans["rhetoric"] if span.start < sentence.end and sentence.start < span.end
        }
        plain.append(
            {
                "id": sid,
                "doc_id": doc_id,
                "start": sentence.start,
                "end": sentence.end,
                "text": text[sentence.start : sentence.end],
                "techniques": sorted(techniques, key=order.__getitem__),
            }
        )
    return tokens, plain


def build_documents(ctx: LoadedRepo, progress: Callable[[str], None]) -> dict[str, list[Document]]:
    """All ``documents`` records, grouped by split, in id order."""
    by_split: dict[str, list[Document]] = {split: [] for split in SPLITS}
    for source in sorted(ctx.meta.sources, key=lambda s: s.id):
        progress(f"  {source.id}: assembling")
        path = ctx.repo.annotation_file(source.id)
        records = ctx.records[path] if ctx.records and path in ctx.records else read_records(path, source.id)[0]
        document = make_document(ctx.sources[source.id], records, ctx.meta, ctx.tax)
        by_split[source.split].append(document)
    return {split: rows for split, rows in by_split.items() if rows}


def config_rows(
    documents: dict[str, list[Document]], tax: Taxonomy, sentences: dict[str, list[Sentence]] | None = None
) -> dict[str, dict[str, Rows]]:
    """Rows of every config, per split (``sentences``: documents already split, by id)."""
    configs: dict[str, dict[str, Rows]] = {name: {} for name in FEATURES}
    for split, docs in documents.items():
        configs["documents"][split] = [doc.to_json(tax) for doc in docs]
        configs["spans"][split] = [row for doc in docs for row in span_rows(doc, tax)]
        configs["tokens"][split], configs["sentences"][split] = [], []
        for doc in docs:
            split_doc = (sentences or {}).get(doc.id) or text_to_sentences(doc.text)
            token_rows, plain_rows = sentence_rows(doc, split_doc, tax)
            configs["tokens"][split] += token_rows
            configs["sentences"][split] += plain_rows
    return configs


def build_dataset(repo: Repo, progress: Callable[[str], None] = print) -> BuildResult:
    """Validate, then build every config of ``dataset/``; raises InvalidRepoError if invalid."""
    progress("Validating the repository ...")
    ctx = load_valid_repo(repo)
    progress(f"Building {len(ctx.meta.sources)} documents ...")
    documents = build_documents(ctx, progress)
    configs = config_rows(documents, ctx.tax, ctx.sentences)
    result = BuildResult(documents={split: len(docs) for split, docs in documents.items()})
    for config, per_split in configs.items():
        features = FEATURES[config](ctx.tax)
        result.rows[config] = {split: len(rows) for split, rows in per_split.items()}
        result.nbytes[config] = {}
        for split, rows in per_split.items():
            path = repo.dataset_dir / config / f"{split}.parquet"
            result.nbytes[config][split] = write_parquet(path, rows, features)
            result.files.append(path)
    for split, rows in configs["documents"].items():
        path = repo.dataset_dir / "jsonl" / f"{split}.jsonl"
        write_jsonl(path, rows)
        result.files.append(path)
    for layer in LAYERS:
        result.label_counts[layer] = Counter(
            span.label for docs in documents.values() for doc in docs for span in doc.spans[layer]
        )
    progress(f"Wrote {len(result.files)} files under {repo.dataset_dir}.")
    return result
