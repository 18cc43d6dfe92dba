"""The dataset card (README front matter), checked offline against the Hub's conventions
and read by `datasets`' own card readers."""

from __future__ import annotations

from datasets import Features
from datasets.info import DatasetInfosDict
from datasets.utils.metadata import MetadataConfigs
from huggingface_hub import DatasetCardData

from dprkmedia.build.features import FEATURES
from dprkmedia.corpus.repo import Repo
from dprkmedia.model.taxonomy import Taxonomy
from dprkmedia.publish.card import read_front_matter

# Allowed values of the Hub's dataset card fields that this card uses (huggingface.co/docs/hub/datasets-cards).
ALLOWED = {
    "annotations_creators": {
        "crowdsourced",
        "expert-generated",
        "found",
        "machine-generated",
        "no-annotation",
        "other",
    },
    "language_creators": {"crowdsourced", "expert-generated", "found", "machine-generated", "other"},
    "multilinguality": {"monolingual", "multilingual", "translation", "other"},
    "size_categories": {"n<1K", "1K<n<10K", "10K<n<100K", "100K<n<1M"},
    "task_categories": {"token-classification", "text-classification"},
    "task_ids": {"named-entity-recognition", "multi-label-classification", "multi-class-classification"},
}
REQUIRED = (
    "pretty_name",
    "language",
    "license",
    "annotations_creators",
    "language_creators",
    "task_categories",
    "task_ids",
    "size_categories",
    "source_datasets",
    "tags",
    "configs",
    "dataset_info",
)


def test_card_has_the_hub_fields_with_allowed_values(repo: Repo) -> None:
    card = read_front_matter(repo.root / "README.md")
    assert [field for field in REQUIRED if field not in card] == []
    for field, allowed in ALLOWED.items():
        assert set(card[field]) <= allowed, field
    assert card["language"] == ["en"]
    assert card["source_datasets"] == ["original"]
    assert card["license"] == "other" and card["license_name"] and (repo.root / card["license_link"]).is_file()


def test_card_is_read_by_huggingface_hub(repo: Repo) -> None:
    card = read_front_matter(repo.root / "README.md")
    data = DatasetCardData(**card)
    assert data.to_dict()["pretty_name"] == "DPRK–Russia State Media Corpus"


def test_card_configs_and_dataset_info_match_the_features(repo: Repo, tax: Taxonomy) -> None:
    card = read_front_matter(repo.root / "README.md")
    parsed = MetadataConfigs.from_dataset_card_data(DatasetCardData(**card))
    assert list(parsed) == list(FEATURES)
    for config in parsed.values():
        for item in config["data_files"]:
            assert (repo.root / item["path"]).is_file()
    infos = DatasetInfosDict.from_dataset_card_data(DatasetCardData(**card))
    for name, make in FEATURES.items():
        features = infos[name].features
        assert isinstance(features, Features)
        assert features == make(tax), name
