"""``dprkmedia agreement``: agreement between the annotation passes, kept in docs/agreement.json."""

from __future__ import annotations

import json
import sys
from typing import Any

from dprkmedia.corpus.fileio import atomic_write_bytes
from dprkmedia.corpus.loading import load_repo
from dprkmedia.corpus.repo import Repo
from dprkmedia.evaluate.agreement import AgreementDependencyError, repo_agreement
from dprkmedia.publish.summary import agreement_path


def add_agreement_parser(sub: Any) -> None:
    """Register the ``agreement`` subcommand."""
    cmd = sub.add_parser(
        "agreement",
        help="agreement between the annotation passes (F1, γ, α); writes docs/agreement.json",
        description="Compare the independent passes with each other (before adjudication) and with the "
        "gold (after): exact and partial-credit span F1, γ (pygamma-agreement) and Krippendorff's α "
        "(nltk), per layer and per label. Needs the agreement extra: pip install -e '.[agreement]'. "
        "Takes about a minute; then `dprkmedia build` puts the figures into README.md and DATASHEET.md.",
    )
    cmd.add_argument("--check", action="store_true", help="recompute and compare with the file; write nothing")


def agreement_text(repo: Repo) -> str:
    """The JSON text of docs/agreement.json for ``repo`` as it is."""
    ctx = load_repo(repo)[0]
    texts = {doc_id: loaded.page.text for doc_id, loaded in ctx.sources.items()}
    figures = repo_agreement(repo.annotations_dir, texts, progress=lambda step: print(f"  {step} ...", file=sys.stderr))
    return json.dumps(figures, indent=2, ensure_ascii=False) + "\n"


def run_agreement(repo: Repo, check: bool) -> int:
    """CLI body of ``dprkmedia agreement``."""
    path = agreement_path(repo)
    print("Computing agreement between the passes (γ takes a while) ...", file=sys.stderr)
    try:
        text = agreement_text(repo)
    except AgreementDependencyError as error:
        print(
            f"dprkmedia: {error}. Install the agreement extra: .venv/bin/pip install -e '.[agreement]'",
            file=sys.stderr,
        )
        return 2
    if check:
        current = path.read_text(encoding="utf-8") if path.is_file() else ""
        if current != text:
            print(f"{path}: stale; run 'dprkmedia agreement'", file=sys.stderr)
            return 1
        print(f"{path}: up to date", file=sys.stderr)
        return 0
    atomic_write_bytes(path, text.encode("utf-8"))
    print(f"wrote {path}", file=sys.stderr)
    return 0
