"""``dprkmedia class-report ANSWERS... -o report.html``: a class's answers against the gold."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from dprkmedia.adapters.report.html import render_report
from dprkmedia.adapters.report.inputs import read_class
from dprkmedia.corpus.fileio import atomic_write_bytes
from dprkmedia.corpus.loading import load_repo
from dprkmedia.corpus.repo import Repo
from dprkmedia.evaluate.classroom import Passage, class_report
from dprkmedia.evaluate.score import read_side
from dprkmedia.model.issues import Report

HTML_MARK = '<meta name="generator" content="dprkmedia class-report">'
JSON_MARK = "dprkmedia class-report"


def add_class_report_parser(sub: Any) -> None:
    """Register the ``class-report`` subcommand."""
    cmd = sub.add_parser(
        "class-report",
        help="a class's exercise answers (or a Label Studio export) against the gold: one HTML report",
        description="Compare every student's answers with the gold and write one self-contained HTML page: "
        "exact and partial-credit P/R/F1 per student and layer, frames and genre; the class's recall and "
        "precision per technique; the gold spans most often missed and the spans most often added, in "
        "context; agreement among the students (α, and γ on sampled pairs); which technique students "
        "chose for each gold technique. ANSWERS are the viewer's downloads (<doc>.answers.jsonl, named "
        "after the student, e.g. alice_<doc>.answers.jsonl, or in a folder per student), folders of them, "
        "and/or Label Studio JSON exports (one student per annotator). An answer that cannot be read is "
        "listed by name in the report and on stderr (exit 1); the rest of the report is complete.",
    )
    cmd.add_argument("answers", nargs="+", type=Path, metavar="ANSWERS", help="answer files, folders, exports")
    cmd.add_argument("-o", "--output", type=Path, required=True, metavar="HTML", help="the report to write")
    cmd.add_argument("--json", type=Path, metavar="JSON", help="also write every number as JSON")
    cmd.add_argument("--gold", type=Path, metavar="GOLD", help="gold file or folder (default: annotations/)")
    cmd.add_argument(
        "--passage",
        action="append",
        default=[],
        metavar="DOC:START-END",
        help="count only the spans inside characters START-END of DOC (a unique id prefix will do), in the "
        "gold and in the answers: for a class that annotated one paragraph ('dprkmedia show DOC --offsets' "
        "gives the offsets); repeatable, one per article",
    )
    cmd.add_argument("--core", action="store_true", help="grade rhetoric against the core gold spans only")
    cmd.add_argument(
        "--gamma-pairs",
        type=int,
        default=1,
        metavar="N",
        help="pairs of students per article for γ (default 1; each pair and layer takes about half a second, "
        "and loading pygamma-agreement about ten; 0: no γ, a report in a few seconds)",
    )
    cmd.add_argument("--seed", type=int, default=0, help="seed of the γ pair sample (default 0)")
    cmd.add_argument("--title", default="Class report", help="the report's title (e.g. the class and date)")
    cmd.add_argument("--force", action="store_true", help="overwrite output files that are not class reports")


def parse_passage(value: str, texts: dict[str, str]) -> Passage:
    """``DOC:START-END`` as a :class:`Passage`; ValueError says what is wrong."""
    doc, _, span = value.rpartition(":")
    start, _, end = span.partition("-")
    if not doc or not start.isdigit() or not end.isdigit():
        raise ValueError(f"--passage {value!r}: expected DOC:START-END, e.g. 003_ffbef9be4e76c7d4:1016-1466")
    matches = [d for d in sorted(texts) if d.startswith(doc)]
    if len(matches) != 1:
        raise ValueError(
            f"--passage {value!r}: {doc!r} names {len(matches)} documents; ids: {', '.join(sorted(texts))}"
        )
    length = len(texts[matches[0]])
    if not 0 <= int(start) < int(end) <= length:
        raise ValueError(f"--passage {value!r}: need 0 <= START < END <= {length} (the length of {matches[0]})")
    return Passage(matches[0], int(start), int(end))


def refuse_overwrite(path: Path, mark: str, force: bool) -> str | None:
    """Why ``path`` may not be written, or None (absent, a previous report, or ``force``)."""
    if path.is_dir():
        return f"{path} is a folder; give a file name"
    if force or not path.exists():
        return None
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:4000]
    except OSError as error:
        return f"{path}: {error.strerror}"
    return None if mark in head else f"{path} exists and is not a class report; choose another name or pass --force"


def run_class_report(repo: Repo, args: argparse.Namespace) -> int:
    """CLI body of ``dprkmedia class-report``."""
    missing = [str(p) for p in args.answers if not p.exists()]
    if missing:
        print(f"dprkmedia class-report: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    outputs = [(args.output, HTML_MARK)] + ([(args.json, JSON_MARK)] if args.json else [])
    for path, mark in outputs:
        refusal = refuse_overwrite(path, mark, args.force)
        if refusal:
            print(f"dprkmedia class-report: {refusal}", file=sys.stderr)
            return 2
    began = time.perf_counter()
    ctx = load_repo(repo)[0]
    texts = {doc_id: loaded.page.text for doc_id, loaded in ctx.sources.items()}
    try:
        passages = {p.doc: p for p in (parse_passage(value, texts) for value in args.passage)}
    except ValueError as error:
        print(f"dprkmedia class-report: {error}", file=sys.stderr)
        return 2
    gold_path = args.gold or repo.annotations_dir
    gold, gold_issues = read_side(gold_path)
    if gold_issues:
        print(Report(issues=gold_issues).render(), file=sys.stderr)
        print(f"The gold ({gold_path}) does not read: fix it first.", file=sys.stderr)
        return 1
    answers = read_class(args.answers, texts, ctx.tax)
    print(f"Read {len(answers.students)} students; comparing with the gold ...", file=sys.stderr)
    report = class_report(
        gold,
        answers,
        texts,
        ctx.tax,
        passages=passages,
        core=args.core,
        gamma_pairs=max(0, args.gamma_pairs),
        seed=args.seed,
        progress=lambda line: print(line, file=sys.stderr),
    )
    shown_gold = str(gold_path.relative_to(repo.root)) if gold_path.is_relative_to(repo.root) else str(gold_path)
    html = render_report(report, gold=shown_gold or ".", title=args.title)
    atomic_write_bytes(args.output, html.encode("utf-8"))
    if args.json:
        data = {"generator": JSON_MARK, "gold": shown_gold, **report}
        atomic_write_bytes(args.json, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    for item in report["unused"]:
        print(f"not used: {item['student']}: {item['source']}", file=sys.stderr)
        for problem in item["problems"]:
            print(f"  {problem}", file=sys.stderr)
    used = sum(len(s["documents"]) for s in report["students"])
    print(
        f"Wrote {args.output}: {len(report['students'])} students, {used} answers, "
        f"{len(report['unused'])} not used ({time.perf_counter() - began:.1f} s)."
    )
    return 1 if report["unused"] else 0
