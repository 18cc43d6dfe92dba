"""A Label Studio export with many annotators, read as a class's answers.

Each annotator of the export is a student (named as ``labelstudio import`` names their folder:
``ls-<email or id>``), each of their annotations an answer. The export is read and checked as
``dprkmedia labelstudio import`` reads it (:func:`read_export`: every region proved by its
text), and each annotation's records go through the checks of the score reader (schema,
header position) before they count. An annotation that cannot be used, or a second
annotation of the same task by the same annotator, is reported with the annotator's name and
where it is in the export; the other annotations still count.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from dprkmedia.adapters.labelstudio.reading import annotator_name, read_export
from dprkmedia.corpus.jsonl import Record
from dprkmedia.evaluate.answers import ClassAnswers, Unused
from dprkmedia.evaluate.score import annotated_doc, validators_for
from dprkmedia.model.issues import Issue
from dprkmedia.model.messages import Message as M
from dprkmedia.model.messages import issue
from dprkmedia.model.taxonomy import Taxonomy
from dprkmedia.validation.records import check_header_position, check_record_shape

WHERE = re.compile(r"\$\[(\d+)\]\.annotations\[(\d+)\]")


def _annotators(export: Any) -> dict[str, str]:
    """``$[t].annotations[a]`` → the annotator of that annotation."""
    names = {}
    for t_index, task in enumerate(export if isinstance(export, list) else []):
        items = task.get("annotations") if isinstance(task, dict) else None
        for a_index, annotation in enumerate(items if isinstance(items, list) else []):
            if isinstance(annotation, dict):
                names[f"$[{t_index}].annotations[{a_index}]"] = annotator_name(annotation)
    return names


def export_answers(path: Path, texts: dict[str, str], tax: Taxonomy) -> ClassAnswers:
    """The students of one Label Studio JSON export; ``texts`` are the documents' texts by id."""
    answers = ClassAnswers()
    display = str(path)
    try:
        export = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        problem = issue(M.LS_EXPORT_UNREADABLE, display, found=str(path), error=error)
        answers.unused.append(Unused("(export)", display, (problem,)))
        return answers
    reading = read_export(export, display, texts, tax)
    names = _annotators(export)
    by_annotation: dict[str, list[Issue]] = {}
    for problem in reading.issues:
        match = WHERE.search(problem.path or "")
        by_annotation.setdefault(match.group(0) if match else "$", []).append(problem)
    for where, problems in sorted(by_annotation.items()):
        who = names.get(where, "(export)") if where != "$" else "(export)"
        answers.unused.append(Unused(who, f"{display} ({where})", tuple(problems)))
    validators = validators_for(tax)
    for item in reading.annotations:
        found = WHERE.search(item.where)
        if found and found.group(0) in by_annotation:
            continue  # reported above: the reader reads every annotation, also those with problems
        records = [Record(number, line) for number, line in enumerate(item.lines, start=1)]
        where = f"{display} ({item.where})"
        problems = list(check_header_position(records, where, item.doc_id))
        for record in records:
            problems += check_record_shape(record, validators, where)
        if problems:
            answers.unused.append(Unused(item.annotator, where, tuple(problems)))
            continue
        answers.add(item.annotator, annotated_doc(records, tax), where)
    return answers
