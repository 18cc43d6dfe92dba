"""``dprkmedia site [OUT]``: the classroom viewer, a static site made from the built dataset."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from dprkmedia.adapters.site.pages import SiteError, build_site
from dprkmedia.corpus.repo import Repo


def add_site_parser(sub: Any) -> None:
    """Register the ``site`` subcommand."""
    cmd = sub.add_parser(
        "site",
        help="make the classroom viewer: a static site of the annotated articles",
        description="Make a static, self-contained site from the built dataset (dataset/jsonl/ and the "
        "tokens config): an index; one page per article with the annotation layers highlighted, toggles, "
        "a card per span, provenance and statistics; an exercise page per article with the answers hidden "
        "(exercise/ID.html: selections snap to tokens, work autosaves in the browser, answers download as "
        "an annotation file for 'dprkmedia score'); a glossary (with the departures table of "
        "annotations/GUIDELINES.md), a page per label, search, and a compare view of the gold, the passes "
        "and Label Studio imports under annotations/passes/. The pages make no network requests; open "
        "OUT/index.html in a browser or serve the folder (python -m http.server -d OUT).",
    )
    cmd.add_argument(
        "out", nargs="?", type=Path, default=None, metavar="OUT", help="output folder (default: build/site)"
    )


def run_site(repo: Repo, out_arg: Path | None) -> int:
    """CLI body of ``dprkmedia site``."""
    out = (out_arg or repo.root / "build" / "site").resolve()
    try:
        files = build_site(repo, out, progress=lambda line: print(line, file=sys.stderr))
    except SiteError as error:
        print(f"dprkmedia site: {error}", file=sys.stderr)
        return 1
    print(f"Wrote {len(files)} files to {out}; open {out / 'index.html'}")
    return 0
