"""Loading the dataset from anywhere: other working directories, the JSONL mirror, an installed wheel.

Every load here is the real ``datasets`` loader, offline, with a private cache.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from datasets import Dataset, load_dataset

import dprkmedia
from dprkmedia.build.load import ENV, data_root
from dprkmedia.corpus.repo import Repo
from dprkmedia.model.issues import DatasetNotFoundError

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ("documents", "spans", "tokens", "sentences")


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    os.environ["HF_DATASETS_OFFLINE"] = "1"
    os.environ["HF_HUB_OFFLINE"] = "1"
    return str(tmp_path_factory.mktemp("hf"))


@pytest.fixture(scope="module")
def reference(cache: str) -> dict[str, Any]:
    """Every config as ``load_dataset(<absolute root>, config)`` gives it: through the README card."""
    return {config: load_dataset(str(ROOT), config, cache_dir=cache) for config in CONFIGS}


def same(a: Any, b: Any) -> None:
    assert list(a) == list(b)
    for split in a:
        assert a[split].features == b[split].features, split
        assert a[split].to_list() == b[split].to_list(), split


@pytest.mark.integration
@pytest.mark.parametrize("config", CONFIGS)
def test_loading_dprkmedia_load_from_another_directory(
    config: str, cache: str, reference: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(ENV, raising=False)
    same(dprkmedia.load(config, root=ROOT, cache_dir=cache), reference[config])


@pytest.mark.integration
def test_loading_finds_the_data_by_env_cwd_and_checkout(
    cache: str, reference: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(ENV, str(ROOT))
    same(dprkmedia.load("tokens", cache_dir=cache), reference["tokens"])
    monkeypatch.delenv(ENV)
    # outside any checkout: the checkout this package is imported from (src/dprkmedia -> the checkout)
    assert data_root() == Path(dprkmedia.__file__).resolve().parents[2]
    monkeypatch.chdir(ROOT / "docs" / "teaching")
    assert data_root() == ROOT


def test_loading_a_named_folder_without_data_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(DatasetNotFoundError, match="holds no built dataset"):
        data_root(tmp_path)
    monkeypatch.setenv(ENV, str(tmp_path))
    with pytest.raises(DatasetNotFoundError, match=r"\$DPRKMEDIA_ROOT names"):
        dprkmedia.load("tokens")
    with pytest.raises(ValueError, match="unknown config"):
        dprkmedia.load("token", root=ROOT)
    with pytest.raises(ValueError, match="holds the 'documents' config only"):
        dprkmedia.load("tokens", root=ROOT, source="jsonl")


@pytest.mark.integration
def test_loading_documented_datasets_forms_work_from_another_directory(
    cache: str, reference: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    same(load_dataset("parquet", data_dir=str(ROOT / "dataset" / "tokens"), cache_dir=cache), reference["tokens"])
    # a relative data_dir resolves against the working directory
    monkeypatch.chdir(ROOT)
    same(load_dataset("parquet", data_dir="dataset/spans", cache_dir=cache), reference["spans"])
    # "." has no folder name, and datasets names the dataset after the folder: the documented failure
    with pytest.raises(ValueError, match="dataset_name"):
        load_dataset(".", "tokens", cache_dir=cache)


@pytest.mark.integration
def test_loading_jsonl_mirror_has_the_parquet_features_and_values(cache: str, reference: dict[str, Any]) -> None:
    mirror = dprkmedia.load("documents", root=ROOT, source="jsonl")
    same(mirror, reference["documents"])
    features = mirror["train"].features
    assert features["published"].dtype == "string"
    assert features["entities"].feature["start"].dtype == "int32"


@pytest.mark.integration
def test_loading_json_loader_alone_cannot_keep_dates_as_written(cache: str, reference: dict[str, Any]) -> None:
    """Why the mirror is read with the card's features and ``Dataset.from_list``, not ``load_dataset("json")``.

    If a ``datasets`` release passes the features to pyarrow's JSON reader, this fails: then the README's
    note on the JSON loader can go, and ``load_dataset("json", ..., features=...)`` becomes the documented form.
    """
    files = {split: str(ROOT / "dataset" / "jsonl" / f"{split}.jsonl") for split in ("train", "test")}
    inferred = load_dataset("json", data_files=files, cache_dir=cache)["train"].features
    assert inferred["published"].dtype.startswith("timestamp")
    assert inferred["entities"].feature["start"].dtype == "int64"
    features = reference["documents"]["train"].features
    cast = load_dataset("json", data_files=files, features=features, cache_dir=cache)["train"]
    assert cast.features == features
    assert cast[0]["published"] == reference["documents"]["train"][0]["published"] + " 00:00:00"


def test_loading_split_by_document_keeps_documents_whole(reference: dict[str, Any]) -> None:
    tokens: Dataset = reference["tokens"]["train"]
    parts = dprkmedia.split_by_document(tokens, test_size=1, seed=0)
    train_docs, test_docs = set(parts["train"]["doc_id"]), set(parts["test"]["doc_id"])
    assert len(test_docs) == 1 and train_docs and not train_docs & test_docs
    assert len(parts["train"]) + len(parts["test"]) == len(tokens)
    assert parts["test"]["id"] == [row["id"] for row in tokens if row["doc_id"] in test_docs]  # order kept
    again = dprkmedia.split_by_document(tokens, test_size=1, seed=0)
    assert again["test"]["id"] == parts["test"]["id"]
    chosen = {frozenset(dprkmedia.split_by_document(tokens, 1, seed)["test"]["doc_id"]) for seed in range(20)}
    assert len(chosen) == len(set(tokens["doc_id"]))  # every document can be the held-out one
    whole = reference["sentences"]["train"]
    assert set(dprkmedia.split_by_document(whole, 0.5, 3)["test"]["doc_id"]).isdisjoint(
        dprkmedia.split_by_document(whole, 0.5, 3)["train"]["doc_id"]
    )
    documents = reference["documents"]["train"]
    assert len(dprkmedia.split_by_document(documents, test_size=1)["test"]) == 1  # grouped by `id`
    for bad in (0, 3, 1.0, 0.0, True, "1"):
        with pytest.raises(ValueError, match="test_size"):
            dprkmedia.split_by_document(tokens, test_size=bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no column 'doc'"):
        dprkmedia.split_by_document(tokens, column="doc")


@pytest.mark.slow
@pytest.mark.integration
def test_loading_from_an_installed_wheel(repo: Repo, tmp_path: Path, cache: str, venv: Path) -> None:
    """Load from the wheel installed in a fresh venv (``venv``, a fixture of tests/wheel_fixture.py: its bin/ folder),
    so ``dprkmedia`` comes from the wheel alone. The data comes from ``root=`` and ``$DPRKMEDIA_ROOT``,
    as for any installed package."""
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", ENV)}
    clean |= {"HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    python = venv / "python"
    code = (
        "import json, sys, dprkmedia\n"
        "ds = dprkmedia.load('tokens', root=sys.argv[1]) if len(sys.argv) > 1 else dprkmedia.load('tokens')\n"
        "print(json.dumps({'file': dprkmedia.__file__, 'features': ds['train'].features.to_dict(),"
        " 'rows': {s: list(d['id']) for s, d in ds.items()}}))\n"
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    tokens = load_dataset(str(repo.root), "tokens", cache_dir=cache)
    expected_rows = {split: list(tokens[split]["id"]) for split in tokens}
    for args, env in (([str(repo.root)], clean), ([], {**clean, ENV: str(repo.root)})):
        run = subprocess.run(
            [str(python), "-c", code, *args],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert run.returncode == 0, run.stderr[-2000:]
        shown = json.loads(run.stdout.strip().splitlines()[-1])
        assert Path(shown["file"]).is_relative_to(venv.parent), shown["file"]
        assert shown["features"] == tokens["train"].features.to_dict()
        assert shown["rows"] == expected_rows
    # installed, outside a checkout, nothing named: a clear error, not a traceback deep in datasets
    run = subprocess.run([str(python), "-c", code], cwd=work, env=clean, capture_output=True, text=True, check=False)
    assert run.returncode != 0
    assert "DatasetNotFoundError" in run.stderr and f"set {ENV}" in run.stderr
    version = subprocess.run([str(venv / "dprkmedia"), "--version"], env=clean, capture_output=True, text=True)
    assert version.stdout.strip() == f"dprkmedia {dprkmedia.__version__}"
