"""``dprkmedia labelstudio ...``: config, tasks, import (offline); serve, push, pull (server)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from dprkmedia.adapters.labelstudio.format import (
    ExportReading,
    ImportedAnnotation,
    document_to_task,
    labeling_config,
    read_export,
)
from dprkmedia.corpus.documents import make_document
from dprkmedia.corpus.fileio import atomic_write_bytes
from dprkmedia.corpus.jsonl import Record, dump_line, read_records
from dprkmedia.corpus.loading import LoadedRepo, load_repo
from dprkmedia.corpus.repo import Repo
from dprkmedia.corpus.tokens import text_to_sentences, token_boundaries
from dprkmedia.model.catalogue import Issue, Report, issue
from dprkmedia.model.catalogue import Message as M
from dprkmedia.model.taxonomy import load_taxonomy
from dprkmedia.validation.records import AnnotationValidators, check_record_shape
from dprkmedia.validation.spans import check_spans

CONFIG_FILE = Path("schema") / "labelstudio.xml"


def add_labelstudio_parser(sub: Any) -> None:
    """Register ``labelstudio`` and its subcommands."""
    ls = sub.add_parser(
        "labelstudio",
        help="Label Studio: config, tasks, import, serve, push, pull",
        description="Hand annotators a ready Label Studio project and take their work back.",
    )
    cmds = ls.add_subparsers(dest="ls_command", required=True, metavar="SUBCOMMAND")
    cmds.add_parser("config", help="print the labeling config generated from the taxonomy")
    tasks = cmds.add_parser(
        "tasks",
        help="write Label Studio tasks for documents",
        description="Write a JSON list of tasks (one per document) with document metadata.",
    )
    tasks.add_argument("docs", nargs="*", metavar="DOC", help="document ids (default: all)")
    tasks.add_argument(
        "--spans",
        choices=["annotations", "predictions", "none"],
        default="predictions",
        help="existing spans as annotations (for review), predictions (pre-annotation; default) or none",
    )
    tasks.add_argument("--model-version", default="gold", help="model_version of predictions (default: gold)")
    tasks.add_argument(
        "--from",
        dest="source",
        type=Path,
        metavar="DIR",
        help="take spans from this folder of annotation files (default: annotations/)",
    )
    tasks.add_argument("-o", "--output", type=Path, default=Path("-"), help="output file (default: standard output)")
    imp = cmds.add_parser(
        "import",
        help="turn a Label Studio JSON export into annotation files",
        description="Check a Label Studio JSON export (every problem located by task, annotation "
        "and result), then write one annotation file per annotator and document under "
        "OUT/<annotator>/<doc>.jsonl. Cancelled and skipped annotations are reported and left out. "
        "Nothing is overwritten without --force; writes are atomic.",
    )
    imp.add_argument("export", type=Path, metavar="EXPORT.json")
    imp.add_argument("--out", type=Path, default=None, help="output folder (default: annotations/passes)")
    imp.add_argument(
        "--gold",
        action="store_true",
        help="write to annotations/<doc>.jsonl instead, only where a task has exactly one annotator",
    )
    imp.add_argument("--force", action="store_true", help="overwrite existing files")
    imp.add_argument("--json", action="store_true", help="print the problem report as JSON")
    from dprkmedia.adapters.labelstudio.server import add_server_parsers

    add_server_parsers(cmds)
    pre = sub.add_parser(
        "preannotate",
        help="rule-based pre-annotation as Label Studio predictions; --evaluate",
        description="Pre-annotate documents with gazetteers built from the gold of the OTHER "
        "documents plus date patterns (Juche years, dates relative to the publication date). "
        "Writes Label Studio tasks with predictions, or annotation files with --write.",
    )
    pre.add_argument("docs", nargs="*", metavar="DOC", help="document ids (default: all)")
    pre.add_argument("-o", "--output", type=Path, default=Path("-"), help="tasks file (default: standard output)")
    pre.add_argument("--write", type=Path, metavar="DIR", help="write annotation files into DIR instead of tasks")
    pre.add_argument(
        "--evaluate",
        action="store_true",
        help="score leave-one-document-out pre-annotation against the gold and print the table",
    )


def make_tasks(
    repo: Repo, docs: list[str], spans: str, model_version: str, source: Path | None
) -> list[dict[str, Any]]:
    """Tasks for ``docs`` (all registered documents if empty)."""
    ctx = load_repo(repo)[0]
    folder = source or repo.annotations_dir
    chosen = docs or sorted(ctx.sources)
    unknown = [doc for doc in chosen if doc not in ctx.sources]
    if unknown:
        raise SystemExit(
            f"dprkmedia: unknown document(s): {', '.join(unknown)}; known: {', '.join(sorted(ctx.sources))}"
        )
    tasks = []
    for doc_id in chosen:
        path = folder / f"{doc_id}.jsonl"
        records, problems = read_records(path, str(path)) if path.exists() else ([], [])
        if problems:
            raise SystemExit(f"dprkmedia: {path} is invalid; run 'dprkmedia validate {path}'")
        if not records:
            records = [Record(1, {"doc": doc_id, "frames": [], "genre": "opinion"})]
        document = make_document(ctx.sources[doc_id], records, ctx.meta, ctx.tax)
        tasks.append(document_to_task(document, records, mode=spans, model_version=model_version))
    return tasks


def write_output(path: Path, text: str) -> None:
    if str(path) == "-":
        sys.stdout.write(text)
    else:
        atomic_write_bytes(path, text.encode("utf-8"))
        print(f"wrote {path}", file=sys.stderr)


def read_export_file(repo: Repo, path: Path, display: str | None = None) -> ExportReading:
    """Read and check an export file against the repository's documents."""
    shown = display or str(path)
    try:
        export = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        reading = ExportReading()
        reading.issues.append(issue(M.LS_EXPORT_UNREADABLE, shown, found=str(path), error=error))
        return reading
    ctx = load_repo(repo)[0]
    texts = {doc_id: loaded.page.text for doc_id, loaded in ctx.sources.items()}
    reading = read_export(export, shown, texts, ctx.tax)
    reading.issues += check_imported(reading.annotations, texts, ctx, shown)
    return reading


def export_issues(repo: Repo, path: Path, display: str) -> list[Issue]:
    """The issues of an export file (what ``dprkmedia validate EXPORT.json`` reports): the
    checker :func:`dprkmedia.validation.repo.validate_repo` is given as ``check_export``."""
    return read_export_file(repo, path, display).issues


def check_imported(
    annotations: list[ImportedAnnotation], texts: dict[str, str], ctx: LoadedRepo, display: str
) -> list[Issue]:
    """The annotation-file checks, run on what an export would write."""
    validators = AnnotationValidators.for_taxonomy(ctx.tax)
    issues: list[Issue] = []
    for item in annotations:
        records = [Record(number, line) for number, line in enumerate(item.lines, start=1)]
        where = f"{display} ({item.where})"
        for record in records:
            issues += check_record_shape(record, validators, where)
        text = texts[item.doc_id]
        issues += check_spans(records, text, ctx.tax, where, token_boundaries(text_to_sentences(text)))
    return issues


def targets(
    repo: Repo, reading: ExportReading, out: Path | None, gold: bool
) -> tuple[dict[Path, ImportedAnnotation], list[str]]:
    """Where each imported annotation goes, and the tasks refused (several annotators with --gold)."""
    planned: dict[Path, ImportedAnnotation] = {}
    refused: list[str] = []
    if gold:
        by_doc: dict[str, list[ImportedAnnotation]] = {}
        for item in reading.annotations:
            by_doc.setdefault(item.doc_id, []).append(item)
        for doc_id, items in by_doc.items():
            if len(items) > 1:
                names = ", ".join(item.annotator for item in items)
                refused.append(f"{doc_id}: {len(items)} annotators ({names}); import without --gold to keep them apart")
            else:
                planned[repo.annotation_file(doc_id)] = items[0]
        return planned, refused
    folder = out or repo.annotations_dir / "passes"
    for item in reading.annotations:
        path = folder / item.annotator / f"{item.doc_id}.jsonl"
        if path in planned:
            refused.append(f"{item.doc_id}: {item.annotator} has two annotations ({planned[path].where}, {item.where})")
            continue
        planned[path] = item
    return planned, refused


def run_import(repo: Repo, args: argparse.Namespace) -> int:
    """``labelstudio import``: check, then write; exit 1 on any problem, 2 on misuse."""
    reading = read_export_file(repo, args.export)
    for note in reading.left_out:
        print(note, file=sys.stderr)
    if reading.issues:
        report = Report(issues=reading.issues, files=[str(args.export)])
        print(json.dumps(report.to_dict(), indent=2) if args.json else report.render())
        print("Nothing was imported: fix the export (or the project) and export again.", file=sys.stderr)
        return 1
    planned, refused = targets(repo, reading, args.out, args.gold)
    existing = [path for path in planned if path.exists()]
    for line in refused:
        print(f"refused: {line}", file=sys.stderr)
    if existing and not args.force:
        for path in existing:
            print(f"exists: {path} (use --force to overwrite)", file=sys.stderr)
        print("Nothing was imported.", file=sys.stderr)
        return 1
    for path, item in sorted(planned.items()):
        text = "".join(dump_line(line) + "\n" for line in item.lines)
        atomic_write_bytes(path, text.encode("utf-8"))
        print(f"wrote {path} ({len(item.lines) - 1} spans, {item.annotator}, {item.where})")
    return 1 if refused else 0


def run_preannotate(repo: Repo, args: argparse.Namespace) -> int:
    """``dprkmedia preannotate``: tasks with predictions, annotation files, or the evaluation."""
    from dprkmedia.evaluate.preannotate import MODEL_VERSION, baseline_markdown, gold_documents, leave_one_out

    if args.evaluate:
        print(baseline_markdown(repo))
        return 0
    docs = gold_documents(repo)
    chosen = args.docs or sorted(docs)
    unknown = [doc for doc in chosen if doc not in docs]
    if unknown:
        print(f"dprkmedia: unknown document(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    predicted = {doc: leave_one_out(docs, doc) for doc in chosen}
    if args.write:
        for doc, lines in predicted.items():
            path = args.write / f"{doc}.jsonl"
            atomic_write_bytes(path, "".join(dump_line(line) + "\n" for line in lines).encode("utf-8"))
            print(f"wrote {path} ({len(lines) - 1} spans)", file=sys.stderr)
        return 0
    ctx = load_repo(repo)[0]
    tasks = []
    for doc, lines in predicted.items():
        records = [Record(i, line) for i, line in enumerate(lines, start=1)]
        document = make_document(ctx.sources[doc], records, ctx.meta, ctx.tax)
        tasks.append(document_to_task(document, records, mode="predictions", model_version=MODEL_VERSION))
    write_output(args.output, json.dumps(tasks, ensure_ascii=False, indent=2) + "\n")
    return 0


def run_labelstudio(repo: Repo, args: argparse.Namespace) -> int:
    """Dispatch ``dprkmedia labelstudio SUBCOMMAND``."""
    if args.ls_command == "config":
        sys.stdout.write(labeling_config(load_taxonomy(repo.schema_dir)))
        return 0
    if args.ls_command == "tasks":
        tasks = make_tasks(repo, args.docs, args.spans, args.model_version, args.source)
        write_output(args.output, json.dumps(tasks, ensure_ascii=False, indent=2) + "\n")
        return 0
    if args.ls_command == "import":
        return run_import(repo, args)
    from dprkmedia.adapters.labelstudio.server import run_server_command

    return run_server_command(repo, args)
