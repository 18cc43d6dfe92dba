"""``dprkmedia export semeval``: the released data in the layout of the SemEval-2023 Task 3 data.

The task's data (and the loaders and baselines written for it) use, per language folder ``<lang>/`` and
split ``<split>``:

* ``<split>-articles-subtask-<n>/article<ID>.txt`` for n = 1, 2, 3: the title, a blank line, the body;
  ``ID`` is a number, because the official baselines read it as ``int(name[7:].split('.')[0])``;
* ``<split>-labels-subtask-1.txt``: ``ID<TAB>genre`` (opinion, reporting, satire);
* ``<split>-labels-subtask-2.txt``: ``ID<TAB>frame,frame,...``;
* ``<split>-labels-subtask-3.txt``: ``ID<TAB>line<TAB>technique,technique,...`` for every non-empty line of
  the article file (lines counted from 1 as ``str.splitlines`` counts them; no technique: empty);
* ``<split>-labels-subtask-3-spans/article<ID>-labels-subtask-3.txt``: ``ID<TAB>technique<TAB>start<TAB>end``,
  character offsets into the article file, end exclusive.

No file has a header. Our document ids are not numbers, so each document gets a stable nine-digit number
derived from its id (the same in every export), and ``article-ids.tsv`` maps them back. The technique
extensions ``Reverential_Honorific`` and ``Euphemism`` are written as the SemEval labels they refine.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from dprkmedia.corpus.fileio import atomic_write_bytes
from dprkmedia.model.issues import DprkMediaError
from dprkmedia.model.taxonomy import Taxonomy

JSON = dict[str, Any]
LANGUAGE = "en"
ID_MAP = "article-ids.tsv"
SUBTASKS = (1, 2, 3)


def article_number(doc_id: str) -> int:
    """A stable nine-digit number for a document id (the task's article ids are numbers)."""
    return 100_000_000 + int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest()[:15], 16) % 900_000_000


def article_numbers(docs: list[JSON]) -> dict[str, int]:
    """Numbers of every document; raises when two ids would share one (then change an id)."""
    numbers = {doc["id"]: article_number(doc["id"]) for doc in docs}
    if len(set(numbers.values())) != len(numbers):
        clash = sorted(doc for doc in numbers if list(numbers.values()).count(numbers[doc]) > 1)
        raise DprkMediaError(f"document ids {', '.join(clash)} map to the same SemEval article number")
    return numbers


def article_text(doc: JSON) -> tuple[str, int]:
    """The article file's text (title line, blank line, body) and the body's offset in it."""
    head = f"{doc['title'] or ''}\n\n"
    return head + doc["text"], len(head)


def semeval_spans(doc: JSON, tax: Taxonomy) -> list[tuple[str, int, int]]:
    """``(technique, start, end)`` in article-file offsets, extensions mapped, duplicates merged."""
    _, shift = article_text(doc)
    key = tax.label_field("rhetoric")
    spans = {(tax.semeval_label(s[key]), s["start"] + shift, s["end"] + shift) for s in doc["rhetoric"]}
    return sorted(spans, key=lambda s: (s[1], s[2], s[0]))


def line_techniques(text: str, spans: list[tuple[str, int, int]], order: list[str]) -> list[tuple[int, list[str]]]:
    """Subtask-3 labels: for each non-empty line (numbered as ``splitlines`` numbers them), the techniques
    of the spans that overlap it, in the taxonomy's order."""
    rows, start = [], 0
    rank = {name: i for i, name in enumerate(order)}
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        content = line.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        end = start + len(content)
        if content.strip():
            labels = {label for label, a, b in spans if a < end and start < b}
            rows.append((number, sorted(labels, key=rank.__getitem__)))
        start += len(line)
    return rows


def export_semeval(docs: list[JSON], tax: Taxonomy, out: Path) -> list[Path]:
    """Write the SemEval-2023 Task 3 layout under ``out/en/``; returns the files written."""
    folder = out / LANGUAGE
    numbers = article_numbers(docs)
    order = [label.name for label in tax.labels if label.layer == "rhetoric" and not label.extension]
    files: list[Path] = []

    def write(path: Path, rows: list[str]) -> None:
        atomic_write_bytes(path, "".join(row + "\n" for row in rows).encode("utf-8"))
        files.append(path)

    for split in sorted({doc["_split"] for doc in docs}):
        genre, frames, lines = [], [], []
        for doc in sorted((d for d in docs if d["_split"] == split), key=lambda d: numbers[d["id"]]):
            number = numbers[doc["id"]]
            text, _ = article_text(doc)
            for subtask in SUBTASKS:
                path = folder / f"{split}-articles-subtask-{subtask}" / f"article{number}.txt"
                atomic_write_bytes(path, text.encode("utf-8"))
                files.append(path)
            genre.append(f"{number}\t{doc['genre']}")
            frames.append(f"{number}\t{','.join(doc['frames'])}")
            spans = semeval_spans(doc, tax)
            lines += [f"{number}\t{n}\t{','.join(labels)}" for n, labels in line_techniques(text, spans, order)]
            spans_file = folder / f"{split}-labels-subtask-3-spans" / f"article{number}-labels-subtask-3.txt"
            write(spans_file, [f"{number}\t{label}\t{a}\t{b}" for label, a, b in spans])
        write(folder / f"{split}-labels-subtask-1.txt", genre)
        write(folder / f"{split}-labels-subtask-2.txt", frames)
        write(folder / f"{split}-labels-subtask-3.txt", lines)
    ids = sorted(docs, key=lambda d: d["id"])
    write(
        folder / ID_MAP, ["article_id\tdoc_id\tsplit", *(f"{numbers[d['id']]}\t{d['id']}\t{d['_split']}" for d in ids)]
    )
    return files
