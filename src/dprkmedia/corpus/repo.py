"""Where things live in a corpus repository (the layout is described in ``docs/ARCHITECTURE.md``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dprkmedia.model.issues import DprkMediaError

MARKER = Path("schema") / "taxonomy.json"


@dataclass(frozen=True)
class Repo:
    """Paths of one corpus repository, all derived from its root folder."""

    root: Path

    @property
    def sources_dir(self) -> Path:
        """Raw pages, byte-for-byte: ``dataset/sources/``."""
        return self.root / "dataset" / "sources"

    @property
    def dataset_dir(self) -> Path:
        """The built dataset: ``dataset/``."""
        return self.root / "dataset"

    @property
    def annotations_dir(self) -> Path:
        """Gold annotation files and the reviewed source metadata: ``annotations/``."""
        return self.root / "annotations"

    @property
    def metadata_file(self) -> Path:
        """The one reviewed metadata file: ``annotations/sources.jsonl``."""
        return self.annotations_dir / "sources.jsonl"

    @property
    def schema_dir(self) -> Path:
        """Taxonomy and generated JSON Schemas: ``schema/``."""
        return self.root / "schema"

    def annotation_file(self, doc_id: str) -> Path:
        """The gold annotation file of one document."""
        return self.annotations_dir / f"{doc_id}.jsonl"


class NotARepositoryError(DprkMediaError, FileNotFoundError):
    """No corpus repository where one was expected (exit 2: usage)."""


def open_repo(root: Path) -> Repo:
    """The repository at ``root`` (``--root``); refuses a folder without ``schema/taxonomy.json``."""
    root = root.resolve()
    if not root.is_dir():
        raise NotARepositoryError(
            f"--root {root}: {'not a folder' if root.exists() else 'no such folder'}. "
            "Pass the folder of a corpus repository (the one that holds schema/taxonomy.json), or leave --root out "
            "inside the repository."
        )
    if not (root / MARKER).is_file():
        raise NotARepositoryError(
            f"--root {root}: not a corpus repository: {MARKER} is missing there. Pass the repository's top "
            "folder (the one that holds schema/, annotations/ and dataset/), or leave --root out inside it."
        )
    return Repo(root)


def find_repo(start: Path | None = None) -> Repo:
    """Find the repository root at or above ``start`` (default: the working directory).

    Raises :class:`NotARepositoryError` (a FileNotFoundError) when no folder above holds ``schema/taxonomy.json``.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return Repo(folder)
    raise NotARepositoryError(
        f"no corpus repository at or above {here}: no {MARKER} found "
        "(run the command inside the repository, or pass --root)"
    )
