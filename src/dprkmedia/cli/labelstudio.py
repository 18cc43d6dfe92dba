"""``dprkmedia labelstudio ...`` (config, tasks, import offline; serve, push, pull with a server)
and ``dprkmedia preannotate``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from dprkmedia.adapters.labelstudio.format import labeling_config
from dprkmedia.adapters.labelstudio.importing import plan_import, read_export_file, write_plan
from dprkmedia.adapters.labelstudio.server import (
    DEFAULT_TITLE,
    LabelStudioError,
    LabelStudioSetupError,
    pull,
    push,
    serve,
)
from dprkmedia.adapters.labelstudio.tasks import make_tasks, prediction_tasks
from dprkmedia.cli.options import add_workers_argument
from dprkmedia.corpus.fileio import atomic_write_bytes
from dprkmedia.corpus.jsonl import dump_line
from dprkmedia.corpus.parallel import resolve_workers
from dprkmedia.corpus.repo import Repo
from dprkmedia.evaluate.preannotate import (
    MODEL_VERSION,
    baseline_markdown,
    counted,
    predictions,
)
from dprkmedia.model.catalogue import Code
from dprkmedia.model.issues import InvalidAnnotationFileError, Issue, Report, UnknownDocumentError
from dprkmedia.model.taxonomy import load_taxonomy


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
        description="Check a Label Studio JSON export in one pass (every problem named by task, "
        "annotation, annotator, region and result index, with its code), then write one annotation "
        "file per annotator and document under OUT/<annotator>/<doc>.jsonl, all files as one "
        "transaction: on any problem nothing is written. Cancelled annotations and unsubmitted "
        "drafts are reported and left out. Nothing is overwritten without --force. Exit 0: all "
        "imported; 1: problems (nothing written, or with --skip-invalid the rest written); 2: the "
        "export cannot be read or the files cannot be written.",
    )
    imp.add_argument("export", type=Path, metavar="EXPORT.json")
    imp.add_argument("--out", type=Path, default=None, help="output folder (default: annotations/passes)")
    imp.add_argument(
        "--gold",
        action="store_true",
        help="write to annotations/<doc>.jsonl instead, only where a task has exactly one annotator",
    )
    imp.add_argument("--force", action="store_true", help="overwrite existing files")
    imp.add_argument(
        "--skip-invalid",
        action="store_true",
        help="import the annotators (and tasks) without problems and report the rest "
        "(default: import nothing while any problem remains)",
    )
    imp.add_argument("--json", action="store_true", help="print the problem report as JSON")
    add_server_parsers(cmds)


def add_server_parsers(cmds: Any) -> None:
    """Register ``serve``, ``push`` and ``pull``."""
    serve_cmd = cmds.add_parser(
        "serve",
        help="start a local Label Studio with the project and tasks loaded",
        description="Start Label Studio on 127.0.0.1 with its SQLite store under .labelstudio/ "
        "(git-ignored), create the project with the corpus config, import the tasks and print "
        "the URL and login; Ctrl-C (or SIGTERM, SIGHUP) stops it. The next run reuses that "
        "project (its id is kept in .labelstudio/project.json), adding tasks only for new "
        "documents. Label Studio's error reports, version check and analytics are switched off. "
        "Needs the 'label-studio' command (pip install label-studio, best in a virtual "
        "environment of its own; or pass --label-studio PATH) and label-studio-sdk; both, and "
        "the port, are checked before anything starts (exit 2 when one is missing or taken).",
    )
    serve_cmd.add_argument("--port", type=int, default=8080, help="port on 127.0.0.1 (default: 8080)")
    serve_cmd.add_argument("--label-studio", default="label-studio", metavar="PATH", help="the label-studio command")
    serve_cmd.add_argument("--spans", choices=["annotations", "predictions", "none"], default="predictions")
    for name in ("push", "pull"):
        cmd = cmds.add_parser(
            name,
            help=f"{name} tasks {'to' if name == 'push' else 'from'} a Label Studio server",
            description="Server and key come from --url/--api-key or LABEL_STUDIO_URL / "
            "LABEL_STUDIO_API_KEY (a personal access token or a legacy token).",
        )
        cmd.add_argument("--url", default=os.environ.get("LABEL_STUDIO_URL"))
        cmd.add_argument("--api-key", default=os.environ.get("LABEL_STUDIO_API_KEY"))
        if name == "push":
            cmd.add_argument("docs", nargs="*", metavar="DOC")
            cmd.add_argument("--spans", choices=["annotations", "predictions", "none"], default="predictions")
            cmd.add_argument("--project", type=int, help="import into this project id (default: create a project)")
            cmd.add_argument("--title", default=DEFAULT_TITLE)
        else:
            cmd.add_argument("--project", type=int, required=True, help="project id")
            cmd.add_argument("-o", "--output", type=Path, required=True, help="where to write the JSON export")


def add_preannotate_parser(sub: Any) -> None:
    """Register ``preannotate``."""
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
    add_workers_argument(pre)


def write_output(path: Path, text: str) -> None:
    """Write ``text`` to ``path``, or to standard output if it is ``-``."""
    if str(path) == "-":
        sys.stdout.write(text)
    else:
        atomic_write_bytes(path, text.encode("utf-8"))
        print(f"wrote {path}", file=sys.stderr)


def run_import(repo: Repo, args: argparse.Namespace) -> int:
    """``labelstudio import``: check everything, then write all files as one transaction, or
    nothing. Exit 0 when all was written, 1 on any problem (also with --skip-invalid, after
    writing the rest), 2 when the export cannot be read or the files cannot be written."""
    reading = read_export_file(repo, args.export)
    for note in reading.notes:
        print(f"note: {note}", file=sys.stderr)
    if not reading.tasks and reading.problems:  # the file itself: missing, empty, UTF-16, not JSON
        print_report(reading.issues, args)
        print("Nothing was imported.", file=sys.stderr)
        return 2 if reading.problems[0].issue.code == Code.FILE_UNREADABLE else 1
    plan = plan_import(repo, reading, args.out, args.gold, args.force)
    if plan.problems:
        print_report(plan.issues, args)
    files = plan.writable() if args.skip_invalid or not plan.problems else {}
    if plan.problems and not files:
        hint = "" if args.skip_invalid else " (or pass --skip-invalid to import the annotators without problems)"
        print(f"Nothing was imported: fix the problems above and export again{hint}.", file=sys.stderr)
        return 1
    try:
        write_plan(files)
    except OSError as error:
        print(
            f"dprkmedia: cannot write {error.filename or 'the files'}: {error.strerror or error}. "
            "Nothing was imported: every file is as it was.",
            file=sys.stderr,
        )
        return 2
    for path in files:
        item = plan.files[path]
        print(f"wrote {path} ({len(item.lines) - 1} spans, {item.annotator}, {item.context})")
    if plan.problems:
        skipped = sorted(set(plan.files) - set(files))
        print(f"Imported {len(files)} files; skipped {len(skipped)} with problems:", file=sys.stderr)
        for path in skipped:
            print(f"  {path} ({plan.files[path].context})", file=sys.stderr)
        return 1
    return 0


def print_report(issues: list[Issue], args: argparse.Namespace) -> None:
    """The problems of an import, as the validator prints them (or as JSON with --json)."""
    report = Report(issues=issues, files=[str(args.export)])
    print(json.dumps(report.to_dict(), indent=2) if args.json else report.render())


def run_preannotate(repo: Repo, args: argparse.Namespace) -> int:
    """``dprkmedia preannotate``: tasks with predictions, annotation files, or the evaluation."""
    workers = resolve_workers(args.workers)
    if args.evaluate:
        print(baseline_markdown(repo, workers))
        return 0
    corpus, numbered = counted(repo, workers)
    known = {records[0].id for records, _ in numbered}
    chosen = args.docs or sorted(known)
    unknown = [doc for doc in chosen if doc not in known]
    if unknown:
        print(f"dprkmedia: {UnknownDocumentError(unknown)}", file=sys.stderr)
        return 2
    found = dict(predictions(corpus, numbered, chosen, workers))
    predicted = {doc: found[doc] for doc in chosen}
    if args.write:
        for doc, lines in predicted.items():
            path = args.write / f"{doc}.jsonl"
            atomic_write_bytes(path, "".join(dump_line(line) + "\n" for line in lines).encode("utf-8"))
            print(f"wrote {path} ({len(lines) - 1} spans)", file=sys.stderr)
        return 0
    tasks = prediction_tasks(repo, predicted, MODEL_VERSION)
    write_output(args.output, json.dumps(tasks, ensure_ascii=False, indent=2) + "\n")
    return 0


def run_server_command(repo: Repo, args: argparse.Namespace) -> int:
    """``serve``, ``push`` or ``pull``."""
    if args.ls_command == "serve":
        return serve(repo, args.port, args.label_studio, args.spans)
    if args.ls_command == "push":
        tasks = make_tasks(repo, args.docs, args.spans, "gold", None)
        project = push(repo, args.url, args.api_key, tasks, args.project, args.title)
        print(f"pushed {len(tasks)} tasks to {args.url}/projects/{project}")
        return 0
    data = pull(args.url, args.api_key, args.project)
    atomic_write_bytes(args.output, json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"))
    print(f"wrote {args.output} ({len(data)} tasks); next: dprkmedia labelstudio import {args.output}")
    return 0


def run_labelstudio(repo: Repo, args: argparse.Namespace) -> int:
    """Dispatch ``dprkmedia labelstudio SUBCOMMAND``; an unknown document, an unreadable annotation
    file or a server problem becomes one line and exit 1 (2 when what ``serve`` needs is missing
    or taken: the SDK, the program, the port)."""
    try:
        if args.ls_command == "config":
            sys.stdout.write(labeling_config(load_taxonomy(repo.schema_dir)))
            return 0
        if args.ls_command == "tasks":
            tasks = make_tasks(repo, args.docs, args.spans, args.model_version, args.source)
            write_output(args.output, json.dumps(tasks, ensure_ascii=False, indent=2) + "\n")
            return 0
        if args.ls_command == "import":
            return run_import(repo, args)
        return run_server_command(repo, args)
    except (UnknownDocumentError, InvalidAnnotationFileError, LabelStudioError) as error:
        print(f"dprkmedia: {error}", file=sys.stderr)
        return 2 if isinstance(error, LabelStudioSetupError) else 1
