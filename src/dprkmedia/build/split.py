"""Train/test splits grouped by document, for configs with one row per sentence (``tokens``, ``sentences``).

``Dataset.train_test_split`` shuffles rows, so the sentences of one article end up on both sides and a
model is tested on the document it was trained on. :func:`by_document` splits the documents instead (as
scikit-learn's ``GroupShuffleSplit`` does with groups) and keeps every row of a document on one side.
"""

from __future__ import annotations

import math
import random
from typing import Any

from datasets import Dataset, DatasetDict


def group_column(dataset: Dataset, column: str | None) -> str:
    """The column that names a row's document: ``column``, else ``doc_id``, else ``id`` (``documents``)."""
    names = dataset.column_names
    chosen = column or ("doc_id" if "doc_id" in names else "id")
    if chosen not in names:
        raise ValueError(f"no column {chosen!r} to group by; columns: {', '.join(names)}")
    return chosen


def held_out_count(documents: int, test_size: float | int) -> int:
    """How many documents go to the test side: a fraction rounded up, or a count."""
    if isinstance(test_size, bool) or not isinstance(test_size, int | float):
        raise ValueError(f"test_size must be a fraction in (0, 1) or a number of documents; got {test_size!r}")
    count = math.ceil(test_size * documents) if isinstance(test_size, float) else test_size
    if isinstance(test_size, float) and not 0 < test_size < 1:
        raise ValueError(f"test_size as a fraction must be between 0 and 1 (exclusive); got {test_size}")
    if not 0 < count < documents:
        raise ValueError(
            f"test_size {test_size!r} puts {count} of {documents} documents in the test split; "
            "both sides need at least one document"
        )
    return count


def by_document(dataset: Dataset, test_size: float | int = 0.2, seed: int = 0, column: str | None = None) -> Any:
    """Split ``dataset`` into ``train`` and ``test`` by document: every row of a document on one side.

    ``test_size`` is a fraction of the documents (rounded up) or a number of documents; ``seed`` fixes which.
    Rows keep their order. Returns a ``DatasetDict``.
    """
    key = group_column(dataset, column)
    groups = list(dataset[key])
    documents = sorted(set(groups))
    chosen = set(random.Random(seed).sample(documents, held_out_count(len(documents), test_size)))
    test = [i for i, group in enumerate(groups) if group in chosen]
    train = [i for i, group in enumerate(groups) if group not in chosen]
    return DatasetDict({"train": dataset.select(train), "test": dataset.select(test)})
