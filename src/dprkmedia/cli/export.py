"""``dprkmedia export FORMAT``: the released data in the formats researchers' tools read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dprkmedia.adapters.exports import FORMATS, export
from dprkmedia.corpus.repo import Repo


def add_export_parser(sub: Any) -> None:
    """Register ``export``."""
    cmd = sub.add_parser(
        "export",
        help="export the built dataset: semeval, conll, docbin or brat",
        description="Export the built dataset for other tools: the layout of the SemEval-2023 Task 3 data "
        "(en/<split>-articles-subtask-N/, label files per subtask, numeric article ids mapped in "
        "en/article-ids.tsv; technique extensions written as the SemEval labels they refine), CoNLL-style "
        "IOB2, spaCy DocBin (norms and TIMEX3 values as kb_id_, sentence starts), or brat standoff "
        "(.txt/.ann per document, with annotation.conf) for brat and INCEpTION.",
    )
    cmd.add_argument("format", choices=FORMATS)
    cmd.add_argument("-o", "--output", type=Path, help="output folder (default: build/exports/FORMAT)")


def run_export(repo: Repo, fmt: str, output: Path | None) -> int:
    """CLI body of ``export``."""
    out = output or repo.root / "build" / "exports" / fmt
    files = export(repo, fmt, out)
    print(json.dumps({"format": fmt, "files": [str(f) for f in files]}, indent=2))
    return 0
