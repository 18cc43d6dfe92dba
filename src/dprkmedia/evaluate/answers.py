"""A class's answers: the students, what each handed in, and what could not be used.

Students hand in the files the classroom viewer's exercise mode downloads
(``<doc id>.answers.jsonl``: an annotation file, header first) as a teacher collects them: a
folder of files named after the student (``alice_<doc id>.answers.jsonl``, as most learning
platforms rename hand-ins), or a folder per student. Each file is read with the reader of
``dprkmedia score`` (:func:`dprkmedia.evaluate.score.read_annotated`), so whatever that reads
(frames, genre, every layer) counts here too, and its spans are checked against the document
text (offsets in range, ``text == text[start:end]``), since a score is only as good as its
offsets.

A file that cannot be used is reported with the student's name, the file and every problem
(the same located issues as ``dprkmedia validate``), and the rest of the class is read as if
it were not there. The Label Studio side (one export, many annotators) is in
``dprkmedia.adapters.labelstudio.classroom``; both produce :class:`ClassAnswers`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dprkmedia.corpus.jsonl import Record, read_records
from dprkmedia.evaluate.score import AnnotatedDoc, read_annotated, taxonomy_for, validators_for
from dprkmedia.model.catalogue import Code
from dprkmedia.model.issues import Issue
from dprkmedia.model.messages import Message as M
from dprkmedia.model.messages import issue
from dprkmedia.validation.spans import check_span_text

ANSWER_SUFFIX = ".answers"
"""What the viewer puts between the document id and ``.jsonl`` in a download's name."""
FATAL_TEXT_CODES = {Code.OFFSET_ORDER, Code.OFFSET_OUT_OF_RANGE, Code.SPAN_TEXT_MISMATCH}
"""Span-text problems that make a span unscorable (edge whitespace or NFC do not)."""


@dataclass
class Student:
    """One student's answers: document id → what the scorer reads, and where each came from."""

    name: str
    docs: dict[str, AnnotatedDoc] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Unused:
    """Something a student handed in that the report could not use, and why."""

    student: str
    source: str
    issues: tuple[Issue, ...]


@dataclass
class ClassAnswers:
    """Every student's usable answers, and what was left out."""

    students: dict[str, Student] = field(default_factory=dict)
    unused: list[Unused] = field(default_factory=list)

    def add(self, name: str, doc: AnnotatedDoc, source: str) -> None:
        """Record ``doc`` as ``name``'s answer; a second answer for the same document is reported,
        and the later download is kept (see :func:`download_order`)."""
        student = self.students.setdefault(name, Student(name))
        before = student.sources.get(doc.doc)
        if before is None:
            student.docs[doc.doc], student.sources[doc.doc] = doc, source
            return
        kept, dropped = (source, before) if download_order(source) > download_order(before) else (before, source)
        if kept == source:
            student.docs[doc.doc], student.sources[doc.doc] = doc, source
        problem = issue(M.ANSWER_DUPLICATE, dropped, found=dropped, student=name, doc=doc.doc, kept=kept)
        self.unused.append(Unused(name, dropped, (problem,)))

    def merge(self, other: ClassAnswers) -> None:
        """Add every answer and problem of ``other`` (students of the same name are one student)."""
        for student in other.students.values():
            for doc_id, doc in student.docs.items():
                self.add(student.name, doc, student.sources[doc_id])
        self.unused += other.unused


DOWNLOAD_NUMBER = re.compile(r" \((\d+)\)(?=\.jsonl$|\.answers|$)")
"""A browser's number for a repeated download: ``x.answers (2).jsonl``."""
DOC_ID_SHAPE = re.compile(r"\d{3}_[0-9a-f]{16}")
"""The shape of a corpus document id, for file names that name a document the gold lacks."""


def download_order(source: str) -> tuple[int, str]:
    """Which of two answers is later: the higher download number a browser gave the file
    (``(1)``, ``(2)``, none counts as 0), then the later name."""
    numbers = DOWNLOAD_NUMBER.findall(Path(source).name)
    return (int(numbers[-1]) if numbers else 0, source)


def answer_files(path: Path) -> list[Path]:
    """The annotation files under ``path`` (itself if a file), in path order."""
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*.jsonl") if p.is_file() and p.name != "sources.jsonl")


def student_name(path: Path, doc_ids: Iterable[str]) -> str:
    """The student a file belongs to: its name without the document id, ``.answers``, ``.jsonl``
    and a browser's `` (1)``; where nothing is left (the viewer's own file name), the folder's."""
    stem = re.sub(r"\s*\(\d+\)$", "", path.name.removesuffix(".jsonl"))
    stem = re.sub(r"\s*\(\d+\)$", "", stem.removesuffix(ANSWER_SUFFIX))
    for doc_id in sorted(doc_ids, key=len, reverse=True):
        stem = stem.replace(doc_id, " ")
    stem = DOC_ID_SHAPE.sub(" ", stem)
    name = re.sub(r"\s+", " ", stem).strip(" ._-")
    return name or path.parent.name or "unnamed"


def span_problems(records: list[Record], text: str, display: str) -> list[Issue]:
    """Spans whose offsets do not point at their text in the document."""
    problems = []
    for record in records[1:]:
        problems += [i for i in check_span_text(record.data, text, display, record.line) if i.code in FATAL_TEXT_CODES]
    return problems


def read_answer_files(paths: Iterable[Path], texts: dict[str, str]) -> ClassAnswers:
    """The students of ``paths`` (files, or folders searched for ``*.jsonl``); ``texts`` are the
    gold documents' texts by id: answers for another document are reported, not used."""
    answers = ClassAnswers()
    for root in paths:
        files = answer_files(root)
        if not files:
            missing = issue(M.NO_ANNOTATION_FILES, str(root), found=str(root))
            answers.unused.append(Unused(root.name, str(root), (missing,)))
            continue
        tax = taxonomy_for(root if root.is_dir() else root.parent)
        validators = validators_for(tax)
        for file in files:
            name = student_name(file, texts)
            doc, problems = read_annotated(file, validators, tax)
            if doc is not None and doc.doc not in texts:
                problems = [
                    issue(M.ANSWER_DOC_UNKNOWN, str(file), line=1, found=doc.doc, docs=", ".join(sorted(texts)))
                ]
            elif doc is not None:  # schema-valid: read again for the line numbers of the span checks
                problems = span_problems(read_records(file, str(file))[0], texts[doc.doc], str(file))
            if problems or doc is None:
                answers.unused.append(Unused(name, str(file), tuple(problems)))
                continue
            answers.add(name, doc, str(file))
    return answers
