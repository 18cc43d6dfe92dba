"""``dprkmedia publish``: check the repository for the Hugging Face Hub (``--dry-run``), or upload it."""

from __future__ import annotations

import json
import sys
from typing import Any

from dprkmedia.corpus.repo import Repo


def add_publish_parser(sub: Any) -> None:
    """Register ``publish``."""
    cmd = sub.add_parser(
        "publish",
        help="check what would go to the Hugging Face Hub (--dry-run), or upload it (--repo-id)",
        description="List the files that would be uploaded to a Hugging Face dataset repository and check, "
        "offline, that the README's dataset card parses (huggingface_hub's DatasetCard), that the license "
        "fields are complete, that every config's data_files match uploaded files, and that the declared "
        "features and sizes agree with the Parquet files. Without --dry-run it uploads, after the same "
        "checks, to the repository --repo-id names (online; needs a token, e.g. 'hf auth login').",
    )
    cmd.add_argument("--dry-run", action="store_true", help="check and list only; nothing is sent (offline)")
    cmd.add_argument("--repo-id", metavar="OWNER/NAME", help="the dataset repository to upload to")
    cmd.add_argument("--create", action="store_true", help="create the dataset repository if it does not exist")
    cmd.add_argument("--message", default="Upload the DPRK-Russia State Media Corpus", help="the commit message")
    cmd.add_argument("--json", action="store_true", help="print the check as JSON")


def run_publish(repo: Repo, args: Any) -> int:
    """CLI body of ``publish``: 0 ready (or uploaded), 1 problems found, 2 misuse."""
    from dprkmedia.publish.hub import check, upload  # datasets, huggingface_hub

    if not args.dry_run and not args.repo_id:
        print("dprkmedia publish: pass --dry-run to check, or --repo-id OWNER/NAME to upload", file=sys.stderr)
        return 2
    report = check(repo.root)
    print(json.dumps(report.to_dict(), indent=2) if args.json else report.render())
    if not report.passed:
        return 1
    if args.dry_run:
        return 0
    print(f"Uploading {len(report.files)} files to the dataset repository {args.repo_id} ...", file=sys.stderr)
    print(upload(repo.root, args.repo_id, args.message, args.create))
    return 0
