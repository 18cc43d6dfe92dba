"""The build and validation at scale, checked for correctness on a small scaled corpus: the same
bytes for any number of workers, streamed row groups and shards that read back as one table, the
baseline computed in the build's pass equal to the one computed on its own. (Timings are
measured by `make bench`, never here.)"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from benchmarks.scale import scale_corpus
from datasets import load_dataset

from dprkmedia.build.writer import build_dataset
from dprkmedia.cli.main import main
from dprkmedia.corpus.repo import Repo
from dprkmedia.evaluate.baseline import BaselineStep
from dprkmedia.evaluate.preannotate import baseline_table, evaluate
from dprkmedia.model.issues import InvalidRepoError
from dprkmedia.publish.card import read_front_matter
from dprkmedia.validation.repo import validate_repo

N = 30
CONFIGS = ("documents", "spans", "tokens", "sentences")


@pytest.fixture(scope="module")
def scaled(repo: Repo, tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """A corpus of N perturbed copies of the real documents (read only: copy it to change it)."""
    return scale_corpus(repo, tmp_path_factory.mktemp("scaled") / "repo", N, perturb=True, progress=lambda _: None)


@pytest.fixture
def scaled_copy(scaled: Repo, tmp_path: Path) -> Repo:
    shutil.copytree(scaled.root, tmp_path / "repo")
    return Repo(tmp_path / "repo")


def tree(folder: Path) -> dict[str, str]:
    """Relative path → SHA-256 of every file under ``folder``."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def built(repo: Repo) -> dict[str, str]:
    return {k: v for k, v in tree(repo.dataset_dir).items() if not k.startswith("sources/")}


def read_config(repo: Repo, config: str, split: str) -> pa.Table:
    files = sorted((repo.dataset_dir / config).glob(f"{split}*.parquet"))
    return pa.concat_tables([pq.read_table(path) for path in files])


def test_scale_build_is_the_same_bytes_for_any_number_of_workers(scaled_copy: Repo) -> None:
    trees = []
    for workers in (1, 2, 3):
        build_dataset(scaled_copy, workers=workers, row_group_docs=4, shard_docs=8)
        trees.append(built(scaled_copy))
    assert trees[0] == trees[1] == trees[2]
    assert any("-of-" in name for name in trees[0])  # shards were written


def test_scale_streamed_row_groups_and_shards_read_back_as_the_one_table(scaled_copy: Repo) -> None:
    whole = build_dataset(scaled_copy)
    tables = {(c, s): read_config(scaled_copy, c, s) for c in CONFIGS for s in whole.documents}
    mirror = tree(scaled_copy.dataset_dir / "jsonl")
    assert all(pq.ParquetFile(p).num_row_groups == 1 for p in scaled_copy.dataset_dir.glob("*/*.parquet"))

    streamed = build_dataset(scaled_copy, row_group_docs=3, shard_docs=7)
    assert streamed.rows == whole.rows
    for (config, split), table in tables.items():
        files = sorted((scaled_copy.dataset_dir / config).glob(f"{split}*.parquet"))
        assert len(files) == streamed.shards[config][split] > 1
        assert files[0].name == f"{split}-00000-of-{len(files):05d}.parquet"
        assert sum(pq.ParquetFile(f).num_row_groups for f in files) > len(files)
        assert read_config(scaled_copy, config, split).equals(table), (config, split)
    assert tree(scaled_copy.dataset_dir / "jsonl") == mirror


def test_scale_a_smaller_build_removes_the_shards_it_no_longer_writes(scaled_copy: Repo) -> None:
    build_dataset(scaled_copy, shard_docs=5)
    assert len(list((scaled_copy.dataset_dir / "tokens").glob("*.parquet"))) > 2
    build_dataset(scaled_copy)
    assert sorted(p.name for p in (scaled_copy.dataset_dir / "tokens").iterdir()) == ["test.parquet", "train.parquet"]
    assert not list(scaled_copy.dataset_dir.glob(".build-*"))


def test_scale_sharded_configs_load_with_datasets(scaled_copy: Repo, tmp_path: Path) -> None:
    os.environ["HF_DATASETS_OFFLINE"] = os.environ["HF_HUB_OFFLINE"] = "1"
    assert main(["--root", str(scaled_copy.root), "build", "--workers", "2", "--shard-docs", "6"]) == 0
    card = read_front_matter(scaled_copy.root / "README.md")
    tokens = next(c for c in card["configs"] if c["config_name"] == "tokens")
    assert {f["path"] for f in tokens["data_files"]} == {
        "dataset/tokens/train-*.parquet",
        "dataset/tokens/test-*.parquet",
    }
    for config in CONFIGS:
        loaded = load_dataset(str(scaled_copy.root), config, cache_dir=str(tmp_path / "hf"))
        for split, data in loaded.items():
            assert data.num_rows == read_config(scaled_copy, config, split).num_rows > 0


def test_scale_baseline_in_the_build_pass_equals_the_baseline_on_its_own(scaled_copy: Repo) -> None:
    step = BaselineStep()
    build_dataset(scaled_copy, workers=2, steps=[step])
    assert step.result() == evaluate(scaled_copy, workers=1)
    assert baseline_table(step.result()) == baseline_table(evaluate(scaled_copy, workers=2))


def test_scale_validate_reports_the_same_for_any_number_of_workers(scaled_copy: Repo) -> None:
    files = sorted(scaled_copy.annotations_dir.glob("c0000*.jsonl"))
    files[3].write_bytes(b"\xef\xbb\xbf" + files[3].read_bytes())
    lines = files[7].read_text(encoding="utf-8").splitlines()
    files[7].write_text("\n".join([lines[0], lines[1].replace('"start": ', '"start": 1'), *lines[2:]]) + "\n")
    (scaled_copy.annotations_dir / "orphan.jsonl").write_text('{"doc": "orphan"}\n', encoding="utf-8")
    (scaled_copy.sources_dir / files[11].name.replace(".jsonl", ".txt")).unlink()
    reports = [validate_repo(scaled_copy, workers=workers).to_dict() for workers in (1, 2)]
    assert reports[0] == reports[1]
    assert reports[0]["errors"] >= 4
    assert {"encoding-bom", "doc-unknown", "source-missing"} <= set(reports[0]["counts"])


def test_scale_a_refused_build_leaves_the_previous_dataset(scaled_copy: Repo) -> None:
    build_dataset(scaled_copy, shard_docs=8)
    before = built(scaled_copy)
    last = sorted(scaled_copy.annotations_dir.glob("c0000*.jsonl"))[-1]
    last.write_bytes(last.read_bytes().replace(b'"start": ', b'"start": 1', 1))
    with pytest.raises(InvalidRepoError) as refused:
        build_dataset(scaled_copy, workers=2)
    assert not refused.value.report.passed
    assert built(scaled_copy) == before
    assert not list(scaled_copy.dataset_dir.glob(".build-*"))
