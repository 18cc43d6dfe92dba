"""The one label definition, read from ``schema/taxonomy.json``.

Everything that names a label (JSON Schemas, ``datasets.Features``, the docs) is
generated from the :class:`Taxonomy` loaded here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dprkmedia.model.issues import DprkMediaError

LAYERS = ("entities", "dates", "rhetoric")
"""The span layers, in the order they are written and built."""


@dataclass(frozen=True)
class Label:
    """One label of one layer."""

    layer: str
    """``entities``, ``dates`` or ``rhetoric``."""
    name: str
    """The label as spelled by its anchor scheme (or the extension's own name)."""
    definition: str
    """One-sentence definition, shown to annotators and students."""
    scheme: str
    """The anchor scheme (``OntoNotes 5.0``, ...) or ``extension``."""
    anchor: str | None
    """The anchor scheme's label this maps to (itself for scheme labels)."""
    extension: bool
    """True for a genre-specific extension."""
    colour: str
    """Stable display colour, ``#rrggbb``."""
    category: str | None = None
    """SemEval-2023 category (rhetoric only)."""
    departs: str | None = None
    """For extensions: how it departs from the anchor scheme's treatment."""


@dataclass(frozen=True)
class Named:
    """A document-level label (a frame or a genre)."""

    name: str
    definition: str
    scheme: str


@dataclass(frozen=True)
class Taxonomy:
    """All label sets of the corpus."""

    version: str
    labels: tuple[Label, ...]
    frames: tuple[Named, ...]
    genres: tuple[Named, ...]
    categories: tuple[str, ...]
    id_prefixes: dict[str, str]
    """Layer → the prefix of its span ids (``e``, ``d``, ``r``)."""
    label_fields: dict[str, str]
    """Layer → the field that holds a span's label in the files (``label``; ``type`` for dates)."""
    ptc_crosswalk: dict[str, str]
    schemes: dict[str, str]

    def names(self, layer: str) -> list[str]:
        """Label names of one layer, in taxonomy order."""
        return [label.name for label in self.labels if label.layer == layer]

    def label_field(self, layer: str) -> str:
        """The field that holds a span's label in ``layer``'s records (``label``, or ``type``)."""
        return self.label_fields[layer]

    def id_prefix(self, layer: str) -> str:
        """The prefix of ``layer``'s span ids: an id is the prefix and a number from 1."""
        return self.id_prefixes[layer]

    def label(self, layer: str, name: str) -> Label | None:
        """The label ``name`` of ``layer``, or None if there is none."""
        for label in self.labels:
            if label.layer == layer and label.name == name:
                return label
        return None

    def category(self, name: str) -> str | None:
        """The SemEval-2023 category of a rhetoric label, or None."""
        label = self.label("rhetoric", name)
        return label.category if label else None

    def semeval_label(self, name: str) -> str:
        """The SemEval-2023 label a rhetoric label exports as (extensions map)."""
        label = self.label("rhetoric", name)
        if label is None or label.anchor is None:
            raise KeyError(name)
        return label.anchor


def taxonomy_from_dict(data: dict[str, Any]) -> Taxonomy:
    """Build a :class:`Taxonomy` from the parsed JSON of ``schema/taxonomy.json``."""
    labels = tuple(
        Label(
            layer=item["layer"],
            name=item["name"],
            definition=item["definition"],
            scheme=item["scheme"],
            anchor=item.get("anchor"),
            extension=bool(item.get("extension", False)),
            colour=item["colour"],
            category=item.get("category"),
            departs=item.get("departs"),
        )
        for item in data["labels"]
    )
    return Taxonomy(
        version=data["version"],
        labels=labels,
        frames=tuple(Named(f["name"], f["definition"], f["scheme"]) for f in data["frames"]),
        genres=tuple(Named(g["name"], g["definition"], g["scheme"]) for g in data["genres"]),
        categories=tuple(data["categories"]),
        id_prefixes={layer: spec["id_prefix"] for layer, spec in data["layers"].items()},
        label_fields={layer: spec["label_field"] for layer, spec in data["layers"].items()},
        ptc_crosswalk=dict(data["ptc_crosswalk"]),
        schemes=dict(data["schemes"]),
    )


class TaxonomyError(DprkMediaError, ValueError):
    """``taxonomy.json`` that does not read or lacks a field: a problem in the repository's data (exit 1)."""

    exit_code = 1


RESTORE = "Fix it (docs/ARCHITECTURE.md, 'How to add a label') or restore it: git checkout schema/taxonomy.json"


def load_taxonomy(schema_dir: Path) -> Taxonomy:
    """Read ``taxonomy.json`` from a ``schema/`` folder; a broken file raises :class:`TaxonomyError`."""
    path = schema_dir / "taxonomy.json"
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError as error:
        raise TaxonomyError(f"{path}: missing; every command needs the label definitions. {RESTORE}.") from error
    except UnicodeDecodeError as error:
        raise TaxonomyError(f"{path}: not UTF-8 ({error.reason} at byte {error.start}). {RESTORE}.") from error
    except json.JSONDecodeError as error:
        raise TaxonomyError(
            f"{path}:{error.lineno}: not valid JSON: {error.msg} (column {error.colno}). {RESTORE}."
        ) from error
    try:
        return taxonomy_from_dict(data)
    except KeyError as error:
        raise TaxonomyError(f"{path}: the field {error.args[0]!r} is missing. {RESTORE}.") from error
    except (TypeError, AttributeError, ValueError) as error:
        raise TaxonomyError(f"{path}: a field has the wrong kind of value ({error}). {RESTORE}.") from error


def packaged_schema_dir() -> Path:
    """The ``schema/`` folder this installation ships: package data in a wheel, the checkout's in a clone.

    ``score`` outside any repository reads its labels from here; commands inside a repository read the
    repository's own ``schema/`` (a contributor may be adding a label there).
    """
    package = Path(__file__).resolve().parents[1]
    packaged = package / "schema"  # the wheel puts schema/ here (pyproject: tool.hatch force-include)
    return packaged if (packaged / "taxonomy.json").is_file() else package.parents[1] / "schema"
