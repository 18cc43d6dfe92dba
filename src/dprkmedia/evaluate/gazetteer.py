"""Gazetteers of the pre-annotator, and their leave-one-document-out views in linear time.

A :class:`Gazetteer` maps surface forms of the gold to a value (entities: label and norm,
rhetoric: label); :func:`build_gazetteer` makes one from annotation files. Matching needs two
facts of a surface besides its value: whether it is in the gazetteer and its *rank* (the
order in which :func:`build_gazetteer` first met it, which breaks ties between matches of the
same length).

The leave-one-out baseline pre-annotates each document with the gazetteer of the *other*
documents. Rebuilding that gazetteer for every document costs O(N) per document, O(N²) in
all. :class:`LeaveOneOut` counts every document once, remembering for each surface and value
the first two documents that give it, and answers for document *d* by subtracting *d*'s own
counts: only the surfaces of *d*'s own gold can differ from the whole-corpus gazetteer, so a
document costs the size of its own gold. The answers are exactly those of rebuilding
(``tests/test_preannotate.py`` compares them on random corpora): counts, the majority value
and its tie-break (first seen among the other documents, as ``Counter.most_common``), the
surface ranks, the majority frames and genre.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

JSON = dict[str, Any]
MAX_RHETORIC_WORDS = 4
PREFIX = 4
"""Surfaces are indexed by their first characters (see :class:`SurfaceIndex`)."""

V = TypeVar("V", bound=Hashable)
T = TypeVar("T")


@dataclass
class Gazetteer:
    """Surface form → (label, norm) for entities, surface → label for rhetoric, doc defaults."""

    entities: dict[str, tuple[str, str]] = field(default_factory=dict)
    rhetoric: dict[str, str] = field(default_factory=dict)
    frames: list[str] = field(default_factory=list)
    genre: str = "opinion"


def gold_items(lines: list[JSON]) -> Iterator[tuple[str, str, Hashable]]:
    """``(kind, surface, value)`` of every gazetteer entry of one gold file, in file order:
    ``entities`` with ``(label, norm)``, short ``rhetoric`` spans with their label."""
    for span in lines[1:]:
        if span["layer"] == "entities":
            yield "entities", span["text"], (span["label"], span["norm"])
        elif span["layer"] == "rhetoric" and len(span["text"].split()) <= MAX_RHETORIC_WORDS:
            yield "rhetoric", span["text"], span["label"]


def build_gazetteer(gold: Iterable[list[JSON]]) -> Gazetteer:
    """A gazetteer from gold annotation files (header + span lines)."""
    found: dict[str, dict[str, Counter[Any]]] = {"entities": {}, "rhetoric": {}}
    frames: Counter[str] = Counter()
    genres: Counter[str] = Counter()
    documents = 0
    for lines in gold:
        documents += 1
        frames.update(lines[0]["frames"])
        genres[lines[0]["genre"]] += 1
        for kind, surface, value in gold_items(lines):
            found[kind].setdefault(surface, Counter())[value] += 1
    return Gazetteer(
        entities={text: counts.most_common(1)[0][0] for text, counts in found["entities"].items()},
        rhetoric={text: counts.most_common(1)[0][0] for text, counts in found["rhetoric"].items()},
        frames=sorted(f for f, n in frames.items() if n * 2 > documents),
        genre=genres.most_common(1)[0][0] if genres else "opinion",
    )


class Overrides(Generic[T]):
    """A mapping's values with a few keys replaced or removed (None), without copying it."""

    __slots__ = ("base", "changed")

    def __init__(self, base: dict[str, T]) -> None:
        self.base = base
        self.changed: dict[str, T | None] = {}

    def get(self, key: str) -> T | None:
        """The value of ``key``; None when it has none."""
        if key in self.changed:
            return self.changed[key]
        return self.base.get(key)

    def over(self) -> Overrides[T]:
        """A new, empty layer of overrides over the same mapping."""
        return Overrides(self.base)


# --- matching ---------------------------------------------------------------------------------


class SurfaceIndex:
    """Surface forms indexed by their first :data:`PREFIX` characters.

    :meth:`occurrences` finds every occurrence of every surface that starts and ends on a token
    boundary, looking only at the surfaces that share the text's first characters at each token
    start: the cost of a document grows with its tokens, not with the size of the gazetteer
    (``str.find`` of every surface would cost the gazetteer's size per document).
    """

    def __init__(self, surfaces: Iterable[str]) -> None:
        self.long: dict[str, list[str]] = {}
        self.short: dict[int, set[str]] = {}
        for surface in surfaces:
            if len(surface) >= PREFIX:
                self.long.setdefault(surface[:PREFIX], []).append(surface)
            elif surface:
                self.short.setdefault(len(surface), set()).add(surface)

    def occurrences(self, text: str, starts: Iterable[int], ends: set[int]) -> Iterator[tuple[str, int]]:
        """``(surface, start)`` of every token-aligned occurrence (in no particular order)."""
        for start in starts:
            for surface in self.long.get(text[start : start + PREFIX], ()):
                if start + len(surface) in ends and text.startswith(surface, start):
                    yield surface, start
            for length, surfaces in self.short.items():
                if start + length in ends and text[start : start + length] in surfaces:
                    yield text[start : start + length], start


@dataclass
class Lookup:
    """What matching asks of a gazetteer: the indexes, and a surface's value and rank."""

    entities: SurfaceIndex
    rhetoric: SurfaceIndex
    entity: Overrides[tuple[tuple[str, str], int]]
    """Surface → ((label, norm), rank) of the entities in the gazetteer."""
    rhetoric_label: Overrides[str]
    frames: list[str]
    genre: str


def lookup(gazetteer: Gazetteer) -> Lookup:
    """The :class:`Lookup` of a whole gazetteer (ranks: its dictionary order)."""
    return Lookup(
        entities=SurfaceIndex(gazetteer.entities),
        rhetoric=SurfaceIndex(gazetteer.rhetoric),
        entity=Overrides({surface: (value, rank) for rank, (surface, value) in enumerate(gazetteer.entities.items())}),
        rhetoric_label=Overrides(dict(gazetteer.rhetoric)),
        frames=list(gazetteer.frames),
        genre=gazetteer.genre,
    )


# --- leave one out ----------------------------------------------------------------------------


class Seen:
    """Where something was first seen (global position ``seq`` in document ``doc``), and first
    seen in a later document (``other_*``): enough to know where it is first seen once any one
    document is left out."""

    __slots__ = ("doc", "other_doc", "other_seq", "seq")

    def __init__(self, doc: int, seq: int) -> None:
        self.doc, self.seq = doc, seq
        self.other_doc: int | None = None
        self.other_seq: int | None = None

    def see(self, doc: int, seq: int) -> None:
        if doc != self.doc and self.other_doc is None:
            self.other_doc, self.other_seq = doc, seq

    def without(self, doc: int) -> int | None:
        """The first position outside document ``doc`` (None: seen in ``doc`` only)."""
        return self.seq if doc != self.doc else self.other_seq


class Tally(Generic[V]):
    """The values given to one key (a surface, or the genre) over the documents: counts and
    where each value was first seen."""

    __slots__ = ("counts", "seen")

    def __init__(self) -> None:
        self.counts: dict[V, int] = {}
        self.seen: dict[V, Seen] = {}

    def add(self, value: V, doc: int, seq: int) -> None:
        self.counts[value] = self.counts.get(value, 0) + 1
        if value in self.seen:
            self.seen[value].see(doc, seq)
        else:
            self.seen[value] = Seen(doc, seq)

    def majority(self, doc: int | None = None, own: Counter[V] | None = None) -> V | None:
        """``Counter.most_common(1)`` of the counts without document ``doc`` (whose counts are
        ``own``): the most frequent value, the first seen on ties; None if nothing is left."""
        best: V | None = None
        best_count, best_seq = 0, 0
        for value, count in self.counts.items():
            left = count - (own[value] if own else 0)
            if left <= 0:
                continue
            seq = self.seen[value].seq if doc is None else self.seen[value].without(doc)
            assert seq is not None
            if left > best_count or (left == best_count and seq < best_seq):
                best, best_count, best_seq = value, left, seq
        return best


@dataclass
class Own:
    """One document's contribution to the gazetteer (what leaving it out subtracts)."""

    frames: Counter[str]
    genre: str
    items: dict[str, dict[str, Counter[Any]]]


def own_counts(lines: list[JSON]) -> Own:
    """The counts one gold file adds."""
    items: dict[str, dict[str, Counter[Any]]] = {"entities": {}, "rhetoric": {}}
    for kind, surface, value in gold_items(lines):
        items[kind].setdefault(surface, Counter())[value] += 1
    return Own(Counter(lines[0]["frames"]), lines[0]["genre"], items)


class LeaveOneOut:
    """Every document's gold counted once; :meth:`without` gives the gazetteer of the others.

    Add the documents with :meth:`add` in the order :func:`build_gazetteer` would read them
    (document order, then line order): ties are broken by that order.
    """

    def __init__(self) -> None:
        self.documents = 0
        self.seq = 0
        self.surfaces: dict[str, dict[str, Tally[Any]]] = {"entities": {}, "rhetoric": {}}
        self.surface_seen: dict[str, dict[str, Seen]] = {"entities": {}, "rhetoric": {}}
        self.frames: Counter[str] = Counter()
        self.genres: Tally[str] = Tally()
        self._whole: Lookup | None = None

    def add(self, lines: list[JSON]) -> int:
        """Count one gold file; returns its document number (to pass to :meth:`without`)."""
        doc = self.documents
        self.documents += 1
        self.frames.update(lines[0]["frames"])
        self.genres.add(lines[0]["genre"], doc, doc)  # documents in order: the document is the position
        for kind, surface, value in gold_items(lines):
            self.seq += 1
            tally = self.surfaces[kind].get(surface)
            if tally is None:
                tally = self.surfaces[kind][surface] = Tally()
                self.surface_seen[kind][surface] = Seen(doc, self.seq)
            else:
                self.surface_seen[kind][surface].see(doc, self.seq)
            tally.add(value, doc, self.seq)
        self._whole = None
        return doc

    def whole(self) -> Lookup:
        """The lookup of the whole corpus's gazetteer (computed once)."""
        if self._whole is None:
            entity: dict[str, tuple[tuple[str, str], int]] = {}
            for surface, tally in self.surfaces["entities"].items():
                value = tally.majority()
                assert value is not None
                entity[surface] = (value, self.surface_seen["entities"][surface].seq)
            rhetoric: dict[str, str] = {}
            for surface, tally in self.surfaces["rhetoric"].items():
                label = tally.majority()
                assert label is not None
                rhetoric[surface] = label
            self._whole = Lookup(
                entities=SurfaceIndex(self.surfaces["entities"]),
                rhetoric=SurfaceIndex(self.surfaces["rhetoric"]),
                entity=Overrides(entity),
                rhetoric_label=Overrides(rhetoric),
                frames=[],
                genre="opinion",
            )
        return self._whole

    def without(self, doc: int, lines: list[JSON]) -> Lookup:
        """The lookup of the gazetteer of every document but ``doc`` (whose gold is ``lines``).

        The whole-corpus lookup with the surfaces of ``doc``'s own gold recomputed: its cost is
        that of ``doc``'s gold, not of the corpus."""
        whole, own = self.whole(), own_counts(lines)
        entity = whole.entity.over()
        for surface, counts in own.items["entities"].items():
            value = self.surfaces["entities"][surface].majority(doc, counts)
            rank = self.surface_seen["entities"][surface].without(doc)
            entity.changed[surface] = None if value is None or rank is None else (value, rank)
        rhetoric = whole.rhetoric_label.over()
        for surface, counts in own.items["rhetoric"].items():
            rhetoric.changed[surface] = self.surfaces["rhetoric"][surface].majority(doc, counts)
        others = self.documents - 1
        frames = sorted(f for f, n in self.frames.items() if (n - own.frames[f]) * 2 > others)
        genre = self.genres.majority(doc, Counter([own.genre]))
        return Lookup(
            entities=whole.entities,
            rhetoric=whole.rhetoric,
            entity=entity,
            rhetoric_label=rhetoric,
            frames=frames,
            genre=genre if genre is not None else "opinion",
        )


__all__ = ["Gazetteer", "LeaveOneOut", "Lookup", "SurfaceIndex", "build_gazetteer", "lookup"]
