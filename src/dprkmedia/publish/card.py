"""The README's YAML front matter (Hugging Face dataset card metadata), generated.

The front matter declares the configs, their Parquet files per split and their
``datasets.Features`` (``dataset_info``), so that ``load_dataset(<repo root>, name)``
works offline and ``features["ner_tags"].feature.names`` gives the tag names.

``dataset_info`` is written by ``datasets`` itself: ``DatasetInfosDict.to_dataset_card_data``
(what ``Dataset.push_to_hub`` uses to fill a card) into a ``huggingface_hub.DatasetCardData``,
so the YAML form of the features is the one ``load_dataset`` reads back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from datasets import DatasetInfo
from datasets.info import DatasetInfosDict
from huggingface_hub import DatasetCardData

from dprkmedia.build.features import FEATURES
from dprkmedia.build.parquet import split_pattern
from dprkmedia.model.taxonomy import Taxonomy

FENCE = "---\n"

CARD_FIELDS: dict[str, Any] = {
    "pretty_name": "DPRK–Russia State Media Corpus",
    "language": ["en"],
    "license": "other",
    "license_name": "annotations-cc-by-4.0-source-texts-dprk-state-media",
    "license_link": "LICENSE",
    "license_details": (
        "Annotations, metadata and code: CC BY 4.0 (data) and MIT (code). The article texts "
        "are published by DPRK state media (KCNA, The Pyongyang Times, the DPRK Ministry of "
        "Foreign Affairs) and are redistributed for research and teaching; see DATASHEET.md."
    ),
    "annotations_creators": ["machine-generated"],
    "language_creators": ["found"],
    "multilinguality": ["monolingual"],
    "size_categories": ["n<1K"],
    "source_datasets": ["original"],
    "task_categories": ["token-classification", "text-classification"],
    "task_ids": ["named-entity-recognition", "multi-label-classification"],
    "tags": ["propaganda", "persuasion-techniques", "timex3", "media-literacy", "north-korea", "russia"],
}


def front_matter(
    tax: Taxonomy,
    rows: dict[str, dict[str, int]],
    nbytes: dict[str, dict[str, int]],
    shards: dict[str, dict[str, int]] | None = None,
) -> dict[str, Any]:
    """Card metadata: fixed fields, ``configs`` and ``dataset_info`` from the features
    (``shards``: Parquet files per config and split; a split of several is listed as a pattern)."""
    configs, infos = [], []
    for name, make_features in FEATURES.items():
        splits = rows.get(name, {})
        config: dict[str, Any] = {"config_name": name}
        if name == "documents":
            config["default"] = True
        config["data_files"] = [
            {
                "split": split,
                "path": f"dataset/{name}/{split_pattern(split, (shards or {}).get(name, {}).get(split, 1))}",
            }
            for split in splits
        ]
        configs.append(config)
        infos.append(
            {
                **dataset_info(name, make_features(tax)),
                "splits": [
                    {"name": split, "num_bytes": nbytes[name][split], "num_examples": n} for split, n in splits.items()
                ],
            }
        )
    return {**CARD_FIELDS, "configs": configs, "dataset_info": infos}


def dataset_info(name: str, features: Any) -> dict[str, Any]:
    """``{"config_name": name, "features": [...]}``: one config's ``dataset_info`` as ``datasets`` writes it."""
    card = DatasetCardData()
    DatasetInfosDict({name: DatasetInfo(features=features)}).to_dataset_card_data(card)
    info: dict[str, Any] = card["dataset_info"]  # one config: a mapping, config_name first
    return info


def render_front_matter(metadata: dict[str, Any]) -> str:
    """YAML text of the front matter, fences included."""
    body = yaml.safe_dump(metadata, sort_keys=False, allow_unicode=True, width=100)
    return FENCE + body + FENCE


def split_card(text: str) -> tuple[str, str]:
    """``(front matter with fences, body)`` of a README; no front matter gives ``("", text)``."""
    if not text.startswith(FENCE):
        return "", text
    end = text.find("\n" + FENCE, len(FENCE) - 1)
    if end < 0:
        return "", text
    cut = end + 1 + len(FENCE)
    return text[:cut], text[cut:]


def card_with_front_matter(readme: str, metadata: dict[str, Any]) -> str:
    """The README text with its front matter replaced (or added)."""
    _, body = split_card(readme)
    return render_front_matter(metadata) + body


def read_front_matter(path: Path) -> dict[str, Any]:
    """Parse the YAML front matter of a README."""
    head, _ = split_card(path.read_text(encoding="utf-8"))
    loaded = yaml.safe_load(head.strip().strip("-")) if head else {}
    return loaded if isinstance(loaded, dict) else {}
