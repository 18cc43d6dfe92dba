"""build: the dataset itself — the datasets.Features of every config and the Parquet and JSONL files."""
