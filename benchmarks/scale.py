"""Scale the real corpus to N documents: copies of the real documents under new ids.

Each copy has its own raw page, source record (same split, SHA-256 of its own bytes) and
gold annotation file (the header names the new id; every span line is kept byte for byte).
The outlet and date-line-format records and ``schema/`` are copied once, and so are the release
documents whose generated blocks ``dprkmedia build`` rewrites (README.md, DATASHEET.md,
docs/agreement.json, which the agreement blocks quote): the build is measured with every block
it regenerates. Annotation passes are not copied.

With ``perturb=True`` each copy's body text is changed so that no two copies share their
text and caches keyed by content cannot help: the lower-case words outside every span (and
outside every span's whitespace-delimited chunk) are replaced, deterministically per copy, by
words of the same length drawn from the real corpus. The vocabulary stays that of the corpus,
as in a real archive (random letters would grow the tokenizer's vocabulary without bound).
Offsets do not move, so the spans stay intact and the copy still validates.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dprkmedia.corpus.jsonl import dump_line
from dprkmedia.corpus.pages import parse_page
from dprkmedia.corpus.repo import Repo

RELEASE_DOCUMENTS = ("README.md", "DATASHEET.md", "docs/agreement.json")
"""Copied as they are: the build rewrites their generated blocks."""

WORD = re.compile(r"\b[a-z]{4,}\b")
"""Words whose letters a perturbation may replace (lower-case ASCII only: NFC-stable)."""


@dataclass(frozen=True)
class Original:
    """One real document: its source record, raw page and annotation lines."""

    record: dict[str, object]
    page: bytes
    header: dict[str, object]
    span_lines: list[bytes]


def read_originals(repo: Repo) -> tuple[list[bytes], list[Original]]:
    """The non-source metadata lines, and every real document, in id order."""
    other: list[bytes] = []
    originals: list[Original] = []
    for raw in repo.metadata_file.read_bytes().splitlines():
        record = json.loads(raw)
        if record.get("kind") != "source":
            other.append(raw)
            continue
        lines = repo.annotation_file(record["id"]).read_bytes().splitlines()
        page = (repo.sources_dir / record["file"]).read_bytes()
        originals.append(Original(record, page, json.loads(lines[0]), [line for line in lines[1:] if line.strip()]))
    return other, sorted(originals, key=lambda o: str(o.record["id"]))


def copy_id(number: int, original: Original) -> str:
    """The id of copy ``number``: unique, valid, and naming the document it copies."""
    return f"c{number:06d}_{original.record['id']}"


def protected(text: str, span_lines: list[bytes]) -> list[tuple[int, int]]:
    """``[start, end)`` of the text no perturbation may touch: each span widened to whole
    whitespace-delimited chunks (spaCy tokenizes such a chunk on its own)."""
    ranges = []
    for raw in span_lines:
        span = json.loads(raw)
        start, end = int(span["start"]), int(span["end"])
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        ranges.append((start, end))
    return ranges


def vocabulary(originals: list[Original]) -> dict[int, list[str]]:
    """The real corpus's lower-case words, by length."""
    words = {word for o in originals for word in WORD.findall(parse_page(o.page.decode("utf-8")).text)}
    by_length: dict[int, list[str]] = {}
    for word in sorted(words):
        by_length.setdefault(len(word), []).append(word)
    return by_length


def perturb_page(page: bytes, span_lines: list[bytes], seed: int, words: dict[int, list[str]]) -> bytes:
    """The page with the free words of its body (not its last paragraph, which may be a
    closing dateline) replaced by ``words`` of the same length; offsets, case and everything
    the parser reads stay."""
    raw = page.decode("utf-8")
    parsed = parse_page(raw)
    text = parsed.text
    keep = protected(text, span_lines)
    rng = random.Random(seed)
    lines = raw.split("\n")
    offset = 0
    for paragraph in parsed.paragraphs[:-1]:
        source = lines[paragraph.number - 1]
        lead = source.index(paragraph.text) if paragraph.text in source else -1
        if lead >= 0:
            chars = list(source)
            for match in WORD.finditer(paragraph.text):
                start, end = offset + match.start(), offset + match.end()
                if not any(start < b and a < end for a, b in keep):
                    chars[lead + match.start() : lead + match.end()] = rng.choice(words[end - start])
            lines[paragraph.number - 1] = "".join(chars)
        offset += len(paragraph.text) + 2
    return "\n".join(lines).encode("utf-8")


def copies(originals: list[Original], n: int, perturb: bool) -> Iterator[tuple[str, Original, bytes]]:
    """``(new id, original, page bytes)`` of every copy, round robin over the originals."""
    words = vocabulary(originals)
    for number in range(n):
        original = originals[number % len(originals)]
        page = perturb_page(original.page, original.span_lines, number, words) if perturb else original.page
        yield copy_id(number, original), original, page


def scale_corpus(
    source: Repo, target: Path, n: int, *, perturb: bool = False, progress: Callable[[str], None] = print
) -> Repo:
    """Write a corpus repository of ``n`` documents into ``target`` (which must not exist)."""
    other, originals = read_originals(source)
    out = Repo(target)
    shutil.copytree(source.schema_dir, out.schema_dir)
    for name in RELEASE_DOCUMENTS:
        if (source.root / name).is_file():
            (out.root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source.root / name, out.root / name)
    out.sources_dir.mkdir(parents=True)
    out.annotations_dir.mkdir(parents=True, exist_ok=True)
    with out.metadata_file.open("wb") as metadata:
        metadata.write(b"".join(line + b"\n" for line in other))
        for number, (doc_id, original, page) in enumerate(copies(originals, n, perturb), start=1):
            record = {**original.record, "id": doc_id, "file": f"{doc_id}.txt"}
            record["sha256"] = hashlib.sha256(page).hexdigest()
            metadata.write(dump_line(record).encode("utf-8") + b"\n")
            (out.sources_dir / f"{doc_id}.txt").write_bytes(page)
            header = dump_line({**original.header, "doc": doc_id}).encode("utf-8")
            out.annotation_file(doc_id).write_bytes(b"\n".join([header, *original.span_lines]) + b"\n")
            if number % 10_000 == 0:
                progress(f"  generated {number:,} of {n:,} documents")
    return out
