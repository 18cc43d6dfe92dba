"""Load the built dataset from any working directory: ``dprkmedia.load(config)``.

The package does not carry the data (a wheel holds the code only); the data is a folder with
``dataset/<config>/<split>.parquet``, ``dataset/jsonl/`` and the README card: a checkout of the repository
or a snapshot of the Hub repository (``huggingface_hub.snapshot_download``). :func:`data_root` finds it, in
this order: the ``root`` argument, the ``DPRKMEDIA_ROOT`` environment variable, the folder at or above the
working directory that holds the data, and the checkout the package itself was installed from (an editable
install). The first that names a folder wins; a named folder without the data is an error, never skipped.

Parquet is read with ``datasets``' Parquet loader, which takes the features (IOB2 ``ClassLabel`` names,
int32 offsets) from the files' own schema, exactly as ``load_dataset(<root>, config)`` does through the card.
The JSONL mirror is read with the card's features (:func:`card_features`): ``load_dataset("json", ...)``
cannot give the Parquet's types, because pyarrow's JSON reader, which it calls without a schema, turns
ISO dates into timestamps and integers into int64, and casting back renders ``2022-08-04`` as
``2022-08-04 00:00:00``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from datasets import Dataset, DatasetDict, Features, load_dataset

from dprkmedia.model.issues import DatasetNotFoundError

ENV = "DPRKMEDIA_ROOT"
CONFIGS = ("documents", "spans", "tokens", "sentences")
SOURCES = ("parquet", "jsonl")
MIRRORED = "documents"
"""The config the JSONL mirror (``dataset/jsonl/<split>.jsonl``) holds."""


def has_data(folder: Path) -> bool:
    """True when ``folder`` holds the built Parquet of the default config."""
    return any((folder / "dataset" / MIRRORED).glob("*.parquet"))


def data_root(root: str | os.PathLike[str] | None = None) -> Path:
    """The folder that holds ``dataset/``; raises :class:`DatasetNotFoundError` saying what was tried."""
    named = [(str(root), "the root argument")] if root is not None else []
    if not named and os.environ.get(ENV):
        named = [(os.environ[ENV], f"${ENV}")]
    for value, origin in named:
        folder = Path(value).expanduser().resolve()
        if not has_data(folder):
            raise DatasetNotFoundError(
                f"{origin} names {folder}, which holds no built dataset (no dataset/{MIRRORED}/*.parquet); "
                "name a checkout of the repository (after 'dprkmedia build') or a snapshot of the Hub repository"
            )
        return folder
    here = Path.cwd().resolve()
    package_checkout = Path(__file__).resolve().parents[3]  # src/dprkmedia/build/load.py -> the checkout
    for folder in (here, *here.parents, package_checkout):
        if has_data(folder):
            return folder
    raise DatasetNotFoundError(
        f"no built dataset found: none at or above {here}, and the installed package ({Path(__file__).parent.parent})"
        f" is not in a checkout. Pass root=<folder with dataset/> or set {ENV}; to get the data, clone the "
        "repository or download the Hub repository (huggingface_hub.snapshot_download(..., repo_type='dataset'))"
    )


def parquet_files(root: Path, config: str) -> dict[str, str]:
    """``{split: path}`` of one config's Parquet files, train first."""
    files = sorted((root / "dataset" / config).glob("*.parquet"), key=lambda p: (p.stem != "train", p.stem))
    if not files:
        raise DatasetNotFoundError(f"{root / 'dataset' / config} holds no Parquet files; run 'dprkmedia build'")
    return {path.stem: str(path) for path in files}


def card_features(root: Path, config: str) -> Features:
    """The features the README's dataset card declares for ``config`` (what the Hub shows and loads)."""
    from datasets.info import DatasetInfosDict
    from huggingface_hub import DatasetCard

    readme = root / "README.md"
    if not readme.is_file():
        raise DatasetNotFoundError(f"{readme} is missing: the card declares the features of the JSONL mirror")
    infos = DatasetInfosDict.from_dataset_card_data(DatasetCard.load(readme).data)
    if config not in infos or infos[config].features is None:
        raise DatasetNotFoundError(f"{readme}: the card declares no features for the config {config!r}")
    features: Features = infos[config].features
    return features


def load_jsonl(root: Path) -> DatasetDict:
    """The JSONL mirror with the card's features: the same features and values as the Parquet."""
    features = card_features(root, MIRRORED)
    files = sorted((root / "dataset" / "jsonl").glob("*.jsonl"), key=lambda p: (p.stem != "train", p.stem))
    if not files:
        raise DatasetNotFoundError(f"{root / 'dataset' / 'jsonl'} holds no JSON Lines files; run 'dprkmedia build'")
    splits = {}
    for path in files:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
        splits[path.stem] = Dataset.from_list(rows, features=features)
    return DatasetDict(splits)


def load(
    config: str = "documents",
    *,
    root: str | os.PathLike[str] | None = None,
    source: str = "parquet",
    cache_dir: str | None = None,
) -> Any:
    """Load one config as a ``DatasetDict`` (``train``, ``test``) from wherever the data is (:func:`data_root`).

    ``source="jsonl"`` reads the JSONL mirror of the ``documents`` config instead of the Parquet, with the
    same features and values. ``cache_dir`` is passed to ``load_dataset`` (default: the Hugging Face cache).
    """
    if config not in CONFIGS:
        raise ValueError(f"unknown config {config!r}; one of {', '.join(CONFIGS)}")
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; one of {', '.join(SOURCES)}")
    folder = data_root(root)
    if source == "jsonl":
        if config != MIRRORED:
            raise ValueError(f"the JSONL mirror holds the {MIRRORED!r} config only, not {config!r}")
        return load_jsonl(folder)
    return load_dataset("parquet", data_files=parquet_files(folder, config), cache_dir=cache_dir)
