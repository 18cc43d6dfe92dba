"""Write the dataset as it is built: Parquet row groups and shards, the JSONL mirror, then rename.

Every file is written into a staging folder inside ``dataset/`` while documents are processed,
and renamed into place only when the whole build has succeeded (a refused or interrupted build
leaves the previous dataset as it was). Files the build no longer writes (a shard of a larger
build, a split that is gone) are removed then, so the folder holds exactly one build.

Layout of one config's split:

* a **row group** holds the rows of :data:`ROW_GROUP_DOCS` documents: memory holds one row
  group per file being written, whatever the number of documents;
* a **shard** holds :data:`SHARD_DOCS` documents; a split of one shard is ``<split>.parquet``
  (as a small corpus has always been), a split of several is
  ``<split>-00000-of-00003.parquet`` … (the Hugging Face naming), read together through the
  pattern ``<split>-*.parquet``.

Row groups and shards fall at fixed document counts in id order, so the bytes depend on the
documents only, not on the number of worker processes. A corpus smaller than a row group gives
one row group per file, written exactly as ``pyarrow.parquet.write_table`` writes a table.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from dprkmedia.build import ROW_GROUP_DOCS, SHARD_DOCS

STAGING_PREFIX = ".build-"


def shard_names(split: str, count: int) -> list[str]:
    """File names of a split's ``count`` shards."""
    if count == 1:
        return [f"{split}.parquet"]
    return [f"{split}-{index:05d}-of-{count:05d}.parquet" for index in range(count)]


def split_pattern(split: str, count: int) -> str:
    """The file name (one shard) or pattern (several) of a split's shards, as the card lists it."""
    return f"{split}.parquet" if count == 1 else f"{split}-*.parquet"


@dataclass
class ShardWriter:
    """The Parquet shards of one config's split, written row group by row group."""

    folder: Path
    split: str
    schema: pa.Schema
    row_group_docs: int = ROW_GROUP_DOCS
    shard_docs: int = SHARD_DOCS
    rows: int = 0
    nbytes: int = 0
    """In-memory Arrow size of the rows written (the card's ``num_bytes``)."""
    shards: list[Path] = field(default_factory=list)
    _pending: list[pa.Table] = field(default_factory=list)
    _pending_docs: int = 0
    _writer: pq.ParquetWriter | None = None
    _shard_docs_written: int = 0

    def add(self, table: pa.Table, doc_rows: list[int]) -> None:
        """The rows of more documents (in id order; ``doc_rows``: how many rows each has). A row
        group closes after exactly ``row_group_docs`` documents, a shard after ``shard_docs``."""
        offset, start = 0, 0
        while start < len(doc_rows):
            room = min(
                self.row_group_docs - self._pending_docs,
                self.shard_docs - self._shard_docs_written - self._pending_docs,
            )
            take = doc_rows[start : start + room]
            rows = sum(take)
            self._pending.append(table.slice(offset, rows))
            self._pending_docs += len(take)
            offset, start = offset + rows, start + len(take)
            if len(take) == room:
                self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        # contiguous: the bytes depend on the row group's rows, not on the batches they came in
        table = pa.concat_tables(self._pending).combine_chunks()
        if self._writer is None:
            path = self.folder / f"{self.split}.{len(self.shards):05d}.parquet"
            self.shards.append(path)
            self._writer = pq.ParquetWriter(path, self.schema, compression="zstd", write_statistics=False)
        self._writer.write_table(table)
        self.rows += table.num_rows
        self.nbytes += int(table.nbytes)
        self._shard_docs_written += self._pending_docs
        self._pending, self._pending_docs = [], 0
        if self._shard_docs_written >= self.shard_docs:
            self._writer.close()
            self._writer, self._shard_docs_written = None, 0

    def close(self) -> None:
        """Write what is pending and close the last shard."""
        self._flush()
        if self._writer is not None:
            self._writer.close()
            self._writer = None


class Staging:
    """A staging folder inside ``dataset/``; :meth:`commit` renames its files into place."""

    def __init__(self, dataset_dir: Path) -> None:
        dataset_dir.mkdir(parents=True, exist_ok=True)
        for stale in dataset_dir.glob(f"{STAGING_PREFIX}*"):  # left by a build that was killed
            shutil.rmtree(stale, ignore_errors=True)
        self.dataset_dir = dataset_dir
        self.root = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=dataset_dir))

    def folder(self, name: str) -> Path:
        """A staging subfolder (one per config, and ``jsonl``)."""
        path = self.root / name
        path.mkdir(exist_ok=True)
        return path

    def commit(self, files: dict[Path, Path], owned: dict[str, str]) -> list[Path]:
        """Rename each staged file (key) to its place (value), then remove the files matching
        ``owned`` (folder → glob pattern, e.g. ``tokens`` → ``*.parquet``) that this build did
        not write. Returns the final paths."""
        for staged, final in files.items():
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, final)
        written = set(files.values())
        for folder, pattern in owned.items():
            for path in (self.dataset_dir / folder).glob(pattern):
                if path not in written:
                    path.unlink()
        return list(files.values())

    def discard(self) -> None:
        """Remove the staging folder and whatever is left in it."""
        shutil.rmtree(self.root, ignore_errors=True)


__all__ = ["ROW_GROUP_DOCS", "SHARD_DOCS", "ShardWriter", "Staging", "shard_names", "split_pattern"]
