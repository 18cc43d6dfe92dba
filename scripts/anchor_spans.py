#!/usr/bin/env python3
"""Turn a draft annotation whose spans are anchored by their exact text into offset lines.

usage: python scripts/anchor_spans.py DRAFT.jsonl DOC_ID OUT.jsonl [--root DIR]

The document text is the one the build uses (``dprkmedia show DOC_ID`` prints it). A draft
span line is like a span line of an annotation file without ``id``/``start``/``end``:
``{"layer": "entities", "text": "Putin", "occ": 2, "label": "PERSON", "norm": "Vladimir Putin"}``
where ``occ`` (default 1) says which occurrence of the exact text in the document is meant;
a ``start`` may be given instead and is checked. The header line is copied unchanged. Ids
are given per layer in draft order. Nothing is written unless every span is found.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from dprkmedia.corpus.fileio import atomic_write_bytes
from dprkmedia.corpus.jsonl import dump_line
from dprkmedia.corpus.loading import load_repo
from dprkmedia.corpus.repo import Repo, find_repo


def document_text(repo: Repo, doc_id: str) -> str:
    """The built text of one registered document."""
    ctx = load_repo(repo)[0]
    if doc_id not in ctx.sources:
        raise SystemExit(f"anchor_spans: no valid source {doc_id!r}")
    return ctx.sources[doc_id].page.text


def locate(text: str, span: dict[str, Any]) -> int | str:
    """The start offset of a draft span, or an error message."""
    wanted = span["text"]
    if "start" in span:
        start = int(span["start"])
        return start if text[start : start + len(wanted)] == wanted else f"text at {start} is not {wanted!r}"
    start = -1
    for _ in range(int(span.pop("occ", 1))):
        start = text.find(wanted, start + 1)
        if start < 0:
            return f"{wanted!r} occurs only {text.count(wanted)} times"
    return start


def anchor(draft: list[dict[str, Any]], text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Anchored records and error messages (one per draft line that failed)."""
    out: list[dict[str, Any]] = []
    errors: list[str] = []
    counters = {"entities": 0, "dates": 0, "rhetoric": 0}
    for number, span in enumerate(draft, start=1):
        if "doc" in span:
            out.append(span)
            continue
        start = locate(text, span)
        if isinstance(start, str):
            errors.append(f"draft line {number}: {start}")
            continue
        counters[span["layer"]] += 1
        fields = {k: v for k, v in span.items() if k not in ("layer", "text", "start", "end", "id", "occ")}
        out.append(
            {
                "layer": span["layer"],
                "id": f"{span['layer'][0]}{counters[span['layer']]}",
                "start": start,
                "end": start + len(span["text"]),
                "text": span["text"],
                **fields,
            }
        )
    return out, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("draft", type=Path)
    parser.add_argument("doc_id")
    parser.add_argument("out", type=Path)
    parser.add_argument("--root", type=Path)
    args = parser.parse_args()
    repo = Repo(args.root) if args.root else find_repo()
    draft = [json.loads(line) for line in args.draft.read_text(encoding="utf-8").splitlines() if line.strip()]
    records, errors = anchor(draft, document_text(repo, args.doc_id))
    for error in errors:
        print(f"{args.draft}: {error}", file=sys.stderr)
    if errors:
        return 1
    atomic_write_bytes(args.out, "".join(dump_line(r) + "\n" for r in records).encode("utf-8"))
    print(f"wrote {args.out}: {len(records) - 1} spans")
    return 0


if __name__ == "__main__":
    sys.exit(main())
