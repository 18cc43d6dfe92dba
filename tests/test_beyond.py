"""Beyond one machine, at small scale: other engines read the sharded Parquet as it is, and the
per-document steps run as ``datasets.map(num_proc=2)`` over a documents table with the same
results as the command line (docs/PERFORMANCE.md, "Beyond one machine"). Spark is not installed
here, so it is not tested."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest
from benchmarks.scale import scale_corpus
from datasets import Dataset
from datasets.utils.logging import disable_progress_bar

from dprkmedia.build.writer import build_dataset
from dprkmedia.corpus.repo import Repo
from dprkmedia.evaluate.preannotate import counted, predictions
from dprkmedia.evaluate.steps import check_row, documents_table, gold_counts, parse_row, preannotate_row
from dprkmedia.validation.repo import validate_repo


@pytest.fixture(scope="module")
def sharded(repo: Repo, tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """A scaled corpus of 24 documents built in shards of 5 documents and row groups of 2."""
    scaled = scale_corpus(repo, tmp_path_factory.mktemp("beyond") / "repo", 24, perturb=True, progress=lambda _: None)
    build_dataset(scaled, workers=2, row_group_docs=2, shard_docs=5)
    return scaled


def rows_of(repo: Repo, config: str) -> int:
    return sum(pq.ParquetFile(p).metadata.num_rows for p in (repo.dataset_dir / config).glob("*.parquet"))


def test_beyond_duckdb_reads_the_shards_as_they_are(sharded: Repo) -> None:
    folder = sharded.dataset_dir
    assert len(list((folder / "tokens").glob("train-*-of-*.parquet"))) > 1
    tokens = duckdb.sql(f"SELECT count(*), count(DISTINCT doc_id) FROM '{folder}/tokens/*.parquet'").fetchall()[0]
    assert tokens == (rows_of(sharded, "tokens"), 24)
    joined = duckdb.sql(
        f"SELECT count(*) FROM '{folder}/spans/*.parquet' s JOIN '{folder}/documents/*.parquet' d ON s.doc_id = d.id "
        'WHERE substr(d.text, s.start + 1, s."end" - s.start) = s.text'
    ).fetchall()[0]
    assert joined == (rows_of(sharded, "spans"),)


def test_beyond_polars_reads_the_shards_as_they_are(sharded: Repo) -> None:
    folder = sharded.dataset_dir
    train = pl.scan_parquet(f"{folder}/sentences/train-*.parquet").select(pl.len()).collect().item()
    test = pl.scan_parquet(f"{folder}/sentences/test-*.parquet").select(pl.len()).collect().item()
    assert train + test == rows_of(sharded, "sentences")
    documents = pl.read_parquet(f"{folder}/documents/*.parquet")
    assert (documents["id"].n_unique() == 24 and documents["id"].is_sorted() is False) or documents.height == 24


@pytest.fixture
def broken(sharded: Repo, tmp_path: Path) -> Repo:
    """The sharded corpus with problems in two documents."""
    shutil.copytree(sharded.root, tmp_path / "repo")
    copy = Repo(tmp_path / "repo")
    files = sorted(copy.annotations_dir.glob("c0000*.jsonl"))
    files[2].write_bytes(files[2].read_bytes().replace(b'"start": ', b'"start": 1', 1))
    (copy.sources_dir / files[5].name.replace(".jsonl", ".txt")).write_text("not a page\n", encoding="utf-8")
    return copy


def test_beyond_checks_as_datasets_map_equal_validate(broken: Repo) -> None:
    disable_progress_bar()
    root = str(broken.root)
    table = Dataset.from_dict(documents_table(root))
    checked = table.map(check_row, num_proc=2, fn_kwargs={"root": root})
    mapped = sorted(json.dumps(json.loads(i), sort_keys=True) for issues in checked["issues"] for i in issues)
    report = validate_repo(broken, cache=False)
    per_document = [i for i in report.issues if i.file.startswith(("annotations/c", "dataset/sources/"))]
    assert mapped == sorted(json.dumps(i.to_dict(), sort_keys=True) for i in per_document)
    assert len(mapped) >= 2


def test_beyond_parse_and_preannotate_as_datasets_map_equal_the_command_line(sharded: Repo) -> None:
    disable_progress_bar()
    os.environ["HF_DATASETS_OFFLINE"] = "1"
    root = str(sharded.root)
    table = Dataset.from_dict(documents_table(root))
    parsed = table.map(parse_row, num_proc=2, fn_kwargs={"root": root})
    assert all(text for text in parsed["text"])
    loo, numbers = gold_counts(root)
    predicted = table.map(preannotate_row, num_proc=2, fn_kwargs={"root": root, "loo": loo, "numbers": numbers})
    corpus, numbered = counted(sharded)
    expected = dict(predictions(corpus, numbered, workers=1))
    ids = [json.loads(source)["id"] for source in table["source"]]
    assert {doc: json.loads(p) for doc, p in zip(ids, predicted["predicted"], strict=True)} == expected
