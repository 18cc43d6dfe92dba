"""croissant.json: current, validated and loaded by the real mlcroissant, offline.

Validation is what ``mlcroissant validate --jsonld FILE`` runs: building ``mlc.Dataset``
(a broken file raises ``mlc.ValidationError``). Loading is ``Dataset.records(record_set)``.
mlcroissant's loader checks a FileObject's SHA-256 when a record set reads that file; our
record sets read the per-config FileSets, so the checksum test runs mlcroissant's own
``Download`` check of every FileObject explicitly.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import mlcroissant as mlc
import pyarrow.parquet as pq
import pytest

from dprkmedia.build.features import FEATURES
from dprkmedia.corpus.repo import Repo
from dprkmedia.model.taxonomy import Taxonomy
from dprkmedia.publish.croissant import croissant_metadata, croissant_text, data_type, sha256

pytestmark = [
    # rdflib (inside mlcroissant's JSON-LD parsing) and pandas (inside its Parquet reader)
    # emit deprecation warnings that pyproject.toml turns into errors.
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.reset_index:Warning"),
]

JSON = dict[str, Any]


def _refuse(*args: object, **kwargs: object) -> None:
    raise OSError("network access attempted in a Croissant test")


def offline(patch: pytest.MonkeyPatch) -> None:
    """No socket can connect and no name resolves: any fetch fails loudly."""
    patch.setenv("HF_DATASETS_OFFLINE", "1")
    patch.setenv("HF_HUB_OFFLINE", "1")
    patch.setattr(socket.socket, "connect", _refuse)
    patch.setattr(socket, "getaddrinfo", _refuse)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    offline(monkeypatch)


@pytest.fixture(scope="module")
def committed(repo: Repo) -> JSON:
    loaded: JSON = json.loads((repo.root / "croissant.json").read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="module")
def records(repo: Repo) -> Iterator[dict[str, list[JSON]]]:
    """Every record of every record set, loaded by mlcroissant from the committed file in place."""
    with pytest.MonkeyPatch.context() as patch:
        offline(patch)
        dataset = mlc.Dataset(repo.root / "croissant.json")
        yield {config: [plain(record) for record in dataset.records(config)] for config in FEATURES}


def plain(value: Any) -> Any:
    """An mlcroissant record as Python values: text decoded, ``config/column`` ids cut to names."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key.rsplit("/", 1)[-1]: plain(item) for key, item in value.items()}
    return value


def parquet_rows(repo: Repo, config: str) -> list[JSON]:
    """The rows of the config's Parquet files with their split, in mlcroissant's file order."""
    rows = []
    for path in sorted((repo.dataset_dir / config).glob("*.parquet")):
        rows += [{"split": path.stem, **row} for row in pq.read_table(path).to_pylist()]
    return rows


def copy_with(repo: Repo, target: Path, metadata: JSON) -> Path:
    """``metadata`` as croissant.json in ``target``, next to a copy of the Parquet files."""
    for config in FEATURES:
        shutil.copytree(repo.dataset_dir / config, target / "dataset" / config)
    path = target / "croissant.json"
    path.write_text(json.dumps(metadata, ensure_ascii=False), encoding="utf-8")
    return path


def find(metadata: JSON, node_id: str) -> JSON:
    """The distribution node, record set or (sub)field with ``@id`` == ``node_id``."""
    stack = [*metadata["distribution"], *metadata["recordSet"]]
    while stack:
        node = stack.pop()
        if node.get("@id") == node_id:
            return node
        stack += node.get("field", []) + node.get("subField", [])
    raise KeyError(node_id)


def checksums(dataset: Any) -> list[Path]:
    """Run mlcroissant's Download operation (local file + SHA-256 check) of every FileObject."""
    downloads = [op for op in dataset.operations.operations.nodes if type(op).__name__ == "Download"]
    assert len(downloads) == len(dataset.metadata.file_objects)
    return [Path(op.call().filepath) for op in downloads]


def test_croissant_file_is_current(repo: Repo, committed: JSON) -> None:
    assert (repo.root / "croissant.json").read_text(encoding="utf-8") == croissant_text(repo)
    assert committed == json.loads(json.dumps(croissant_metadata(repo)))


def test_croissant_fields_come_from_the_features(committed: JSON, tax: Taxonomy) -> None:
    assert [rs["@id"] for rs in committed["recordSet"]] == list(FEATURES)
    for rs in committed["recordSet"]:
        features = FEATURES[rs["@id"]](tax)
        assert [f["name"] for f in rs["field"]] == ["split", *features]
    assert find(committed, "documents/id")["dataType"] == "sc:Text"
    assert find(committed, "spans/start")["dataType"] == "sc:Integer"
    assert find(committed, "tokens/ner_tags")["isArray"] is True
    assert "1 B-PERSON" in find(committed, "tokens/ner_tags")["description"]
    entities = find(committed, "documents/entities")
    assert entities["isArray"] is True and "dataType" not in entities
    assert [f["name"] for f in entities["subField"]] == ["id", "start", "end", "text", "label", "norm"]
    assert find(committed, "documents/entities/start")["source"]["transform"] == {"jsonPath": "start"}
    with pytest.raises(TypeError):
        data_type(FEATURES["tokens"](tax)["tokens"])  # a list is not a scalar


def test_croissant_lists_every_parquet_file_with_its_sha256(repo: Repo, committed: JSON) -> None:
    objects = [node for node in committed["distribution"] if node["@type"] == "cr:FileObject"]
    parquet = sorted(p.relative_to(repo.root).as_posix() for p in repo.dataset_dir.glob("*/*.parquet"))
    assert sorted(node["contentUrl"] for node in objects) == parquet
    for node in objects:
        assert node["sha256"] == sha256(repo.root / node["contentUrl"])
        assert node["encodingFormat"] == "application/x-parquet"


def test_croissant_cli_validate_passes_and_fails_on_a_broken_copy(repo: Repo, committed: JSON, tmp_path: Path) -> None:
    cli = Path(sys.executable).with_name("mlcroissant")
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}

    def validate(path: Path) -> subprocess.CompletedProcess[str]:
        command = [str(cli), "validate", "--jsonld", str(path)]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)

    good = validate(repo.root / "croissant.json")
    assert good.returncode == 0, good.stderr
    broken = copy.deepcopy(committed)
    del find(broken, "documents/id")["dataType"]
    bad = validate(copy_with(repo, tmp_path, broken))
    assert bad.returncode == 1
    assert "Field(id)] The field does not specify a valid" in bad.stderr


def test_croissant_validates_without_warnings_and_keeps_the_rai_fields(repo: Repo, committed: JSON) -> None:
    dataset = mlc.Dataset(repo.root / "croissant.json")
    issues = dataset.metadata.ctx.issues
    assert (issues.errors, issues.warnings) == (set(), set())
    assert dataset.metadata.ctx.is_v1_1()
    rai = {key for key in committed if key.startswith("rai:")}
    assert len(rai) >= 12
    assert rai <= set(dataset.metadata.to_json())
    assert "no human" in " ".join(committed["rai:annotatorDemographics"].split()).lower()


def _no_data_type(m: JSON) -> None:
    del find(m, "documents/id")["dataType"]


def _no_checksum(m: JSON) -> None:
    del find(m, "dataset/documents/train.parquet")["sha256"]


def _unknown_file_set(m: JSON) -> None:
    find(m, "spans/label")["source"]["fileSet"]["@id"] = "spans-csv"


def _no_includes(m: JSON) -> None:
    del find(m, "tokens-parquet")["includes"]


def _bad_array_shape(m: JSON) -> None:
    find(m, "tokens/ner_tags")["arrayShape"] = "any"


@pytest.mark.parametrize("breaking", [_no_data_type, _no_checksum, _unknown_file_set, _no_includes, _bad_array_shape])
def test_croissant_broken_copy_fails_validation(
    repo: Repo, committed: JSON, tmp_path: Path, breaking: Callable[[JSON], None]
) -> None:
    mlc.Dataset(copy_with(repo, tmp_path, committed))  # the unbroken copy validates
    broken = copy.deepcopy(committed)
    breaking(broken)
    with pytest.raises(mlc.ValidationError):
        mlc.Dataset(copy_with(repo, tmp_path / "broken", broken))


def test_croissant_wrong_sha256_fails_the_checksum(repo: Repo, committed: JSON, tmp_path: Path) -> None:
    files = checksums(mlc.Dataset(repo.root / "croissant.json"))
    assert sorted(files) == sorted(repo.dataset_dir.glob("*/*.parquet"))
    broken = copy.deepcopy(committed)
    find(broken, "dataset/spans/test.parquet")["sha256"] = "0" * 64
    with pytest.raises(ValueError, match=r"Hash of downloaded file .*spans/test\.parquet"):
        checksums(mlc.Dataset(copy_with(repo, tmp_path, broken)))


@pytest.mark.parametrize("config", list(FEATURES))
def test_croissant_records_equal_the_parquet_files(repo: Repo, records: dict[str, list[JSON]], config: str) -> None:
    assert records[config], f"no record in {config}"
    assert records[config] == parquet_rows(repo, config)


def test_croissant_documents_yield_the_five_ids(repo: Repo, records: dict[str, list[JSON]]) -> None:
    ids = [row["id"] for row in parquet_rows(repo, "documents")]
    assert len(ids) == 5
    assert sorted(record["id"] for record in records["documents"]) == sorted(ids)


def test_croissant_split_filter_reads_one_split(repo: Repo, committed: JSON, tmp_path: Path) -> None:
    dataset = mlc.Dataset(copy_with(repo, tmp_path, committed))
    train = [plain(r)["id"] for r in dataset.records("documents", filters={"documents/split": "train"})]
    assert train == [row["id"] for row in pq.read_table(repo.dataset_dir / "documents" / "train.parquet").to_pylist()]


def test_croissant_field_without_its_column_fails_loading(repo: Repo, committed: JSON, tmp_path: Path) -> None:
    broken = copy.deepcopy(committed)
    find(broken, "spans/label")["source"]["extract"]["column"] = "labels"
    dataset = mlc.Dataset(copy_with(repo, tmp_path, broken))
    with pytest.raises(mlc.GenerationError):
        list(dataset.records("spans"))
