"""A synthetic class for the class-report tests: students made from perturbed gold (seeded),
their answers as the viewer's downloads and as one Label Studio export with many annotators."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from benchmarks.students import gold_lines, make_class, write_answer_files

from dprkmedia.adapters.labelstudio.tasks import make_tasks
from dprkmedia.corpus.jsonl import dump_line
from dprkmedia.corpus.loading import load_repo
from dprkmedia.corpus.repo import Repo

JSON = dict[str, Any]


def texts_of(repo: Repo) -> dict[str, str]:
    return {doc_id: loaded.page.text for doc_id, loaded in load_repo(repo)[0].sources.items()}


def synthetic_class(repo: Repo, students: int, seed: int = 0) -> dict[str, dict[str, list[JSON]]]:
    """Student name → doc id → answer lines: perturbed gold (dropped, shifted, relabelled, added spans)."""
    taxonomy = json.loads((repo.schema_dir / "taxonomy.json").read_text(encoding="utf-8"))
    return make_class(gold_lines(repo.annotations_dir), texts_of(repo), taxonomy, students, seed)


def answer_folder(folder: Path, answers: dict[str, dict[str, list[JSON]]]) -> list[Path]:
    """The class's downloads, renamed after each student (``NAME_<doc>.answers.jsonl``)."""
    return write_answer_files(folder, answers)


def student_folder(folder: Path, lines_by_doc: dict[str, list[JSON]]) -> Path:
    """One student's answers as a folder of ``<doc>.jsonl`` annotation files."""
    folder.mkdir(parents=True, exist_ok=True)
    for doc_id, lines in lines_by_doc.items():
        (folder / f"{doc_id}.jsonl").write_text("".join(dump_line(line) + "\n" for line in lines), encoding="utf-8")
    return folder


def label_studio_export(repo: Repo, answers: dict[str, dict[str, list[JSON]]], work: Path) -> list[JSON]:
    """One Label Studio JSON export in which every student is an annotator of every task, made
    with the repository's own task code (``make_tasks``, annotations mode) from their answers."""
    tasks: dict[str, JSON] = {}
    for number, (name, lines_by_doc) in enumerate(sorted(answers.items()), start=1):
        folder = student_folder(work / name, lines_by_doc)
        for task in make_tasks(repo, sorted(lines_by_doc), "annotations", "class", folder):
            doc_id = task["data"]["doc_id"]
            merged = tasks.setdefault(doc_id, {**task, "id": len(tasks) + 1, "annotations": []})
            for annotation in task["annotations"]:
                merged["annotations"].append(
                    {
                        **annotation,
                        "id": len(merged["annotations"]) + 1,
                        "completed_by": {"id": number, "email": f"{name}@example.org"},
                        "was_cancelled": False,
                    }
                )
        shutil.rmtree(folder)
    return [tasks[doc_id] for doc_id in sorted(tasks)]
