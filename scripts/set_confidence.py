#!/usr/bin/env python3
"""Set ``confidence`` on every rhetoric span of the gold from the independent passes.

usage: python scripts/set_confidence.py [--root DIR] [--check]

A gold rhetoric span is ``core`` when at least two of the independent passes
(``annotations/passes/A``, ``B``, ``C``) have a span of the same technique that shares
characters with it, else ``borderline`` (GUIDELINES.md, "Confidence"). Files are rewritten
in place (temp file, then rename) and only the ``confidence`` field changes. ``--check``
writes nothing and exits 1 when a gold file is not up to date.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dprkmedia.corpus.fileio import atomic_write_bytes
from dprkmedia.corpus.jsonl import dump_line
from dprkmedia.corpus.repo import find_repo
from dprkmedia.evaluate.agreement import INDEPENDENT_PASSES, Unit, confidence


def pass_units(path: Path) -> list[Unit]:
    """The rhetoric spans of one pass file."""
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    return [(s["start"], s["end"], s["label"]) for s in lines if s["layer"] == "rhetoric"]


def updated(gold: Path, passes_dir: Path) -> str:
    """The gold file's text with every rhetoric span's confidence set."""
    passes = [pass_units(p) for name in INDEPENDENT_PASSES if (p := passes_dir / name / gold.name).is_file()]
    out = []
    for number, line in enumerate(gold.read_text(encoding="utf-8").splitlines()):
        data = json.loads(line)
        if number > 0 and data.get("layer") == "rhetoric":
            data["confidence"] = confidence((data["start"], data["end"], data["label"]), passes)
        out.append(dump_line(data))
    return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, help="repository root (default: found above the working directory)")
    parser.add_argument("--check", action="store_true", help="report stale files, write nothing")
    args = parser.parse_args()
    repo = find_repo(args.root)
    stale = []
    for gold in sorted(repo.annotations_dir.glob("*.jsonl")):
        if gold.name == "sources.jsonl":
            continue
        text = updated(gold, repo.annotations_dir / "passes")
        if text != gold.read_text(encoding="utf-8"):
            stale.append(gold)
            if not args.check:
                atomic_write_bytes(gold, text.encode("utf-8"))
                print(f"updated {gold}", file=sys.stderr)
    if args.check and stale:
        print("confidence is stale in: " + ", ".join(str(p) for p in stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
