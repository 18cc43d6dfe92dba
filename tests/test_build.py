"""The build: determinism, the committed dataset, the real `datasets` loader, metadata."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from datasets import load_dataset

from dprkmedia.build.writer import build_dataset
from dprkmedia.cli.main import main
from dprkmedia.corpus.repo import Repo
from dprkmedia.model.issues import InvalidRepoError

BUILT = ["documents", "spans", "tokens", "sentences", "jsonl"]


def built_files(repo: Repo) -> dict[str, bytes]:
    return {
        p.relative_to(repo.dataset_dir).as_posix(): p.read_bytes()
        for name in BUILT
        for p in sorted((repo.dataset_dir / name).glob("*"))
    }


@pytest.fixture(scope="module")
def hf_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private, empty cache: the loader must work offline from the repository alone."""
    cache = tmp_path_factory.mktemp("hf")
    os.environ["HF_DATASETS_OFFLINE"] = "1"
    os.environ["HF_HUB_OFFLINE"] = "1"
    return cache


def load(repo: Repo, name: str | None, cache: Path) -> Any:
    return load_dataset(str(repo.root), name, cache_dir=str(cache))


@pytest.mark.slow
def test_build_committed_dataset_is_what_a_rebuild_gives(
    repo: Repo, repo_copy: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(repo_copy.root), "build"]) == 0
    assert built_files(repo_copy) == built_files(repo)
    assert (repo_copy.root / "README.md").read_text(encoding="utf-8") == (repo.root / "README.md").read_text(
        encoding="utf-8"
    )
    assert "entities:" in capsys.readouterr().out


@pytest.mark.slow
def test_build_twice_is_byte_identical(repo_copy: Repo) -> None:
    build_dataset(repo_copy)
    first = built_files(repo_copy)
    build_dataset(repo_copy)
    assert built_files(repo_copy) == first


def test_build_refuses_an_invalid_repo_and_writes_nothing(repo_copy: Repo) -> None:
    path = repo_copy.annotation_file("003_ffbef9be4e76c7d4")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    before = built_files(repo_copy)
    with pytest.raises(InvalidRepoError) as raised:
        build_dataset(repo_copy)
    assert raised.value.report.counts() == {"encoding-bom": 1}
    assert built_files(repo_copy) == before
    assert main(["--root", str(repo_copy.root), "build"]) == 1


@pytest.mark.integration
@pytest.mark.loading
def test_build_load_dataset_gives_five_documents(repo: Repo, hf_cache: Path) -> None:
    docs = load(repo, None, hf_cache)
    assert sum(len(split) for split in docs.values()) == 5
    assert sorted(docs) == ["test", "train"]
    ids = [row["id"] for split in docs.values() for row in split]
    assert len(set(ids)) == 5


@pytest.mark.integration
@pytest.mark.loading
def test_build_every_config_loads_and_offsets_agree(repo: Repo, hf_cache: Path) -> None:
    docs = load(repo, "documents", hf_cache)
    texts = {row["id"]: row["text"] for split in docs.values() for row in split}
    for split in docs.values():
        for row in split:
            assert row["frames"] and row["genre"], row["id"]
            for layer in ("entities", "dates", "rhetoric"):
                assert row[layer], (row["id"], layer)
                for span in row[layer]:
                    assert row["text"][span["start"] : span["end"]] == span["text"]
    for row in (r for split in load(repo, "spans", hf_cache).values() for r in split):
        assert texts[row["doc_id"]][row["start"] : row["end"]] == row["text"]
    for row in (r for split in load(repo, "sentences", hf_cache).values() for r in split):
        assert texts[row["doc_id"]][row["start"] : row["end"]] == row["text"]
    tokens = load(repo, "tokens", hf_cache)
    for row in (r for split in tokens.values() for r in split):
        text = texts[row["doc_id"]]
        assert [text[a:b] for a, b in zip(row["token_starts"], row["token_ends"], strict=True)] == row["tokens"]
        assert len(row["ner_tags"]) == len(row["tokens"]) == len(row["date_tags"])


@pytest.mark.integration
@pytest.mark.loading
def test_build_tokens_tag_names_begin_with_o(repo: Repo, hf_cache: Path) -> None:
    tokens = load(repo, "tokens", hf_cache)
    features = tokens["train"].features
    assert features["ner_tags"].feature.names[0] == "O"
    assert features["date_tags"].feature.names[0] == "O"
    assert "B-TITLE" in features["ner_tags"].feature.names
    assert any(tag != 0 for row in tokens["train"] for tag in row["ner_tags"])


@pytest.mark.integration
@pytest.mark.loading
def test_build_jsonl_mirror_equals_documents(repo: Repo, hf_cache: Path) -> None:
    parquet = load(repo, "documents", hf_cache)
    files = {split: str(repo.dataset_dir / "jsonl" / f"{split}.jsonl") for split in parquet}
    mirror = load_dataset("json", data_files=files, cache_dir=str(hf_cache))
    for split in parquet:
        assert mirror[split]["id"] == parquet[split]["id"]
        assert mirror[split]["text"] == parquet[split]["text"]
        assert mirror[split]["entities"] == parquet[split]["entities"]


EXPECTED_METADATA = {
    "000_b6101718c2532778": {
        "title": "Historic Declaration Demonstrating Strong DPRK-Russia Friendship",
        "outlet": "DPRK Ministry of Foreign Affairs",
        "published": "2022-08-04",
        "published_method": "date-line-dmy",
        "published_evidence": (
            "line 2: Date: 04/08/2022 | Source: Ministry of Foreign Affairs (EN) | Read original version at source"
        ),
        "aggregator_date": None,
    },
    "001_c1a7854418038c75": {
        "title": "Historic milestone in boosting DPRK-Russia friendship",
        "outlet": "The Pyongyang Times",
        "published": "2021-07-21",
        "published_method": "date-line-dmy",
        "published_evidence": "line 6: Date: 21/07/2021 | Source: Pyongyang Times | Read original version at source",
        "aggregator_date": "2025-12-18",
    },
    "002_420491b85ca59cb6": {
        "title": None,
        "outlet": "The Pyongyang Times",
        "published": None,
        "published_method": None,
        "published_evidence": None,
        "aggregator_date": None,
    },
    "003_ffbef9be4e76c7d4": {
        "title": "DPRK-Russia friendship, cooperation carried on in new century",
        "outlet": "The Pyongyang Times",
        "published": "2023-03-17",
        "published_method": "header-date",
        "published_evidence": "line 3: March 17, 2023",
        "aggregator_date": None,
    },
    "004_ae8d796d95327752": {
        "title": None,
        "outlet": "DPRK Ministry of Foreign Affairs",
        "published": "2024-04-25",
        "published_method": "closing-dateline",
        "published_evidence": "line 21: Pyongyang, April 25, Juche 113(2024)",
        "aggregator_date": None,
    },
}


@pytest.mark.integration
@pytest.mark.loading
def test_build_source_metadata_is_right_with_evidence(repo: Repo, hf_cache: Path) -> None:
    docs = load(repo, "documents", hf_cache)
    rows = {row["id"]: row for split in docs.values() for row in split}
    for doc_id, expected in EXPECTED_METADATA.items():
        got = {key: rows[doc_id][key] for key in expected}
        assert got == expected, doc_id
        assert (rows[doc_id]["title"] is None) == (rows[doc_id]["title_evidence"] is None)
        assert rows[doc_id]["outlet_evidence"].startswith("line ")
