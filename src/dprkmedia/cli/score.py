"""``dprkmedia score GOLD PRED``: compare two sets of annotations."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from dprkmedia.evaluate.score import core_only, read_side, render_score, score
from dprkmedia.model.issues import Issue, Report


def add_score_parser(sub: Any) -> None:
    """Register the ``score`` subcommand."""
    cmd = sub.add_parser(
        "score",
        help="compare annotations (PRED) with gold (GOLD): P/R/F1 per layer and label",
        description="Score PRED against GOLD. Each is an annotation file or a folder of them; "
        "documents are matched by their header's doc id. Exact and partial-credit "
        "(PTC/SemEval) precision, recall and F1 per layer and label, date value and entity "
        "norm accuracy on exact matches, frame and genre agreement. Files are read leniently: a "
        "byte order mark, CR LF line ends, whitespace at line ends and UTF-16 with a byte order mark "
        "are forgiven with a warning (a contribution must pass 'dprkmedia validate', which is strict). "
        "Exit codes: 0 scored, 1 a file cannot be read as annotations, 2 a path that does not exist "
        "or a folder without annotation files (or misuse).",
    )
    cmd.add_argument("gold", type=Path, metavar="GOLD")
    cmd.add_argument("pred", type=Path, metavar="PRED")
    cmd.add_argument("--json", action="store_true", help="print the result as JSON")
    cmd.add_argument(
        "--core",
        action="store_true",
        help="grade rhetoric against the core gold spans only (both independent passes had them); "
        "borderline gold spans, and predictions that touch only them, are left out",
    )


def run_score(gold_path: Path, pred_path: Path, as_json: bool, core: bool = False) -> int:
    """CLI body of ``dprkmedia score``."""
    warnings: list[Issue] = []
    gold, g_issues = read_side(gold_path, warnings)
    pred, p_issues = read_side(pred_path, warnings)
    for warning in warnings:
        print(f"warning: {warning.render()}", file=sys.stderr)
    if g_issues or p_issues:
        report = Report(issues=g_issues + p_issues)
        print(report.render(), file=sys.stderr)
        return 2 if report.usage_error else 1
    if core:
        gold, pred = core_only(gold, pred)
    result = score(gold, pred)
    print(json.dumps(result, indent=2) if as_json else render_score(result))
    return 0
