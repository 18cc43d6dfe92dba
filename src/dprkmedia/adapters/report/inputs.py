"""What a teacher hands ``dprkmedia class-report``: answer files, folders of them, Label Studio exports.

A ``.json`` file is a Label Studio export (one student per annotator); any other file is an
answer file; a folder is searched for both (``*.jsonl`` answer files, ``*.json`` exports) at
any depth, so that a folder per student works as well as one folder of renamed downloads.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from dprkmedia.adapters.labelstudio.classroom import export_answers
from dprkmedia.evaluate.answers import ClassAnswers, read_answer_files
from dprkmedia.model.taxonomy import Taxonomy

EXPORT_SUFFIX = ".json"


def read_class(paths: Iterable[Path], texts: dict[str, str], tax: Taxonomy) -> ClassAnswers:
    """Every student of ``paths``, and everything that could not be used."""
    answers = ClassAnswers()
    for path in paths:
        exports = [path] if path.suffix == EXPORT_SUFFIX and path.is_file() else []
        if path.is_dir():
            exports = sorted(p for p in path.rglob(f"*{EXPORT_SUFFIX}") if p.is_file())
        for export in exports:
            answers.merge(export_answers(export, texts, tax))
        if not exports or (path.is_dir() and any(path.rglob("*.jsonl"))):
            answers.merge(read_answer_files([path], texts))
    return answers
