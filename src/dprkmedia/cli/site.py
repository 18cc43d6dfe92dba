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
        description="Make a static, self-contained site from the built dataset (dataset/jsonl/): an index "
        "and one page per article with the annotation layers highlighted, toggles, a card per span, "
        "provenance, statistics and an exercise mode. The pages make no network requests; open "
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
