"""build: the dataset itself — the datasets.Features of every config and the Parquet and JSONL files."""

# Here, not in build.parquet, so that the command line reads them without importing pyarrow.
ROW_GROUP_DOCS = 500
"""Documents per Parquet row group (see :mod:`dprkmedia.build.parquet`)."""
SHARD_DOCS = 20_000
"""Documents per Parquet file; a split of more is written in shards."""
