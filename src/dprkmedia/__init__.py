"""DPRK–Russia State Media Corpus: build, validate and score an annotated teaching dataset."""

__version__ = "0.1.0"
