"""The reviewed metadata file ``annotations/sources.jsonl``: outlets, formats, sources.

Curated facts live here and nowhere in code: which outlet names and domains mean which
outlet, the field order of the aggregator's ``Date:`` line, each source's id, SHA-256
and split, and any inferred metadata with its evidence and reasoning.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

from dprkmedia.corpus.jsonl import Record


@dataclass(frozen=True)
class Outlet:
    """A publishing outlet: canonical name and the names/domains that pages use for it."""

    name: str
    aliases: tuple[str, ...]
    domains: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Inferred:
    """A metadata value the page does not state, with evidence and reasoning."""

    value: str
    evidence: str
    reasoning: str


@dataclass(frozen=True, slots=True)
class Source:
    """One registered raw page (slots: an archive's metadata holds 100,000 of them)."""

    id: str
    file: str
    sha256: str
    split: str
    line: int
    inferred: dict[str, Inferred] = field(default_factory=dict)
    note: str | None = None


@dataclass
class Metadata:
    """Everything the reviewed metadata file says."""

    outlets: list[Outlet] = field(default_factory=list)
    date_line_order: str = "DMY"
    sources: list[Source] = field(default_factory=list)

    def outlet_for(self, name: str | None = None, domain: str | None = None) -> Outlet | None:
        """The outlet a page's outlet name or copyright domain refers to, if known."""
        for outlet in self.outlets:
            if name is not None and (name == outlet.name or name in outlet.aliases):
                return outlet
            if domain is not None and domain in outlet.domains:
                return outlet
        return None


NOTHING_INFERRED: dict[str, Inferred] = {}
"""Shared by every source that infers nothing (never mutated: sources are frozen)."""


def _inferred(data: dict[str, Any]) -> dict[str, Inferred]:
    if not data:
        return NOTHING_INFERRED
    return {key: Inferred(v["value"], v["evidence"], v["reasoning"]) for key, v in data.items()}


def add_record(meta: Metadata, record: Record) -> None:
    """Add what one schema-valid record says to ``meta`` (other kinds are skipped)."""
    data, kind = record.data, record.data.get("kind")
    if kind == "outlet":
        meta.outlets.append(Outlet(data["name"], tuple(data["aliases"]), tuple(data["domains"]), record.line))
    elif kind == "date-line-format":
        meta.date_line_order = data["order"]
    elif kind == "source":
        meta.sources.append(
            Source(
                id=data["id"],
                file=data["file"],
                sha256=data["sha256"],
                split=sys.intern(data["split"]),
                line=record.line,
                inferred=_inferred(data.get("inferred", {})),
                note=data.get("note"),
            )
        )
