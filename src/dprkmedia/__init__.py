"""DPRK–Russia State Media Corpus: build, validate and score an annotated teaching dataset.

``dprkmedia.load(config)`` loads a config of the built dataset from any working directory
(``dprkmedia.build.load``); ``dprkmedia.split_by_document(dataset, test_size, seed)`` splits the
sentence configs by document (``dprkmedia.build.split``). Both import ``datasets`` when first used, so
that ``import dprkmedia`` (and the validator) stays fast.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.2.0"
__all__ = ["__version__", "load", "split_by_document"]


def __getattr__(name: str) -> Any:
    if name == "load":
        from dprkmedia.build.load import load

        return load
    if name == "split_by_document":
        from dprkmedia.build.split import by_document

        return by_document
    raise AttributeError(f"module 'dprkmedia' has no attribute {name!r}")
