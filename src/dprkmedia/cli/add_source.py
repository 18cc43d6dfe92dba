"""``dprkmedia add-source PAGE``: register a new raw page and start its annotation file.

Everything is checked before anything is written: the page's bytes, that the parser of the
build reads it, that its outlet is known, that the id and file name are new. Then the page is
copied byte-for-byte into ``dataset/sources/``, its record is appended to
``annotations/sources.jsonl`` and its annotation file is created (pre-annotated by default).
Each file is written atomically.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dprkmedia.corpus.documents import evidence, resolve_outlet
from dprkmedia.corpus.fileio import atomic_write_bytes
from dprkmedia.corpus.jsonl import dump_line
from dprkmedia.corpus.loading import load_repo, page_byte_issues
from dprkmedia.corpus.pages import PageFormatError, ParsedPage, parse_page
from dprkmedia.corpus.repo import Repo
from dprkmedia.evaluate.preannotate import build_gazetteer, iter_gold, preannotate
from dprkmedia.model.issues import Issue, Report
from dprkmedia.model.messages import Message as M
from dprkmedia.model.messages import issue
from dprkmedia.model.schemas import DOC_ID, SPLITS
from dprkmedia.model.taxonomy import load_taxonomy

PLACEHOLDER_NOTE = "not yet annotated: frames empty and genre a placeholder until an annotator sets them"


@dataclass
class NewSource:
    """A checked page, ready to be written."""

    doc_id: str
    name: str
    data: bytes
    page: ParsedPage
    record: dict[str, Any]


def add_source_parser(sub: Any) -> None:
    """Register the ``add-source`` subcommand."""
    cmd = sub.add_parser(
        "add-source",
        help="add a new raw page: copy it, register it, start its annotation file",
        description="Copy a scraped page (same format as dataset/sources/) byte-for-byte into "
        "dataset/sources/, register it in annotations/sources.jsonl, and create its annotation "
        "file (pre-annotated unless --empty). Reports what the page states and what it does not.",
    )
    cmd.add_argument("page", type=Path, metavar="PAGE")
    cmd.add_argument("--id", dest="doc_id", help="document id (default: the file name without extension)")
    cmd.add_argument("--split", choices=SPLITS, default="train", help="split of the new document (default: train)")
    cmd.add_argument("--empty", action="store_true", help="create a header-only annotation file (no pre-annotation)")


def check_new_source(
    repo: Repo, page_path: Path, doc_id: str | None, split: str
) -> tuple[NewSource | None, list[Issue]]:
    """Read and check a candidate page; nothing is written."""
    shown = str(page_path)
    try:
        data = page_path.read_bytes()
    except OSError as error:
        return None, [issue(M.PAGE_UNREADABLE, shown, found=shown, reason=error.strerror)]
    issues = list(page_byte_issues(data, shown))
    ctx = load_repo(repo)[0]
    name = page_path.name
    doc = doc_id or page_path.stem
    if not re.fullmatch(DOC_ID, doc):
        issues.append(issue(M.DOC_ID_UNUSABLE, shown, found=doc, pattern=DOC_ID))
    if (
        any(source.id == doc or source.file == name for source in ctx.meta.sources)
        or (repo.sources_dir / name).exists()
    ):
        issues.append(issue(M.SOURCE_EXISTS, shown, found=f"{doc} / {name}"))
    if issues:
        return None, issues
    try:
        page = parse_page(data.decode("utf-8"), date_line_order=ctx.meta.date_line_order)
    except (PageFormatError, ValueError) as error:
        message = M.PAGE_UNPARSEABLE if isinstance(error, PageFormatError) else M.PAGE_DATE_INVALID
        return None, [issue(message, shown, found=name, error=error)]
    if resolve_outlet(page, ctx.meta) is None:
        named = page.source_field or page.more_from_outlet or page.copyright_domain
        return None, [issue(M.NEW_PAGE_OUTLET_UNKNOWN, shown, found=named or "no outlet named on the page")]
    record = {"kind": "source", "id": doc, "file": name, "sha256": hashlib.sha256(data).hexdigest(), "split": split}
    return NewSource(doc, name, data, page, record), []


def describe(new: NewSource, repo: Repo) -> list[str]:
    """What the page states, with evidence, and what it does not."""
    ctx = load_repo(repo)[0]
    resolved = resolve_outlet(new.page, ctx.meta)
    assert resolved is not None
    stated = new.page.header_date or new.page.closing_date
    lines = [
        f"id: {new.doc_id}  split: {new.record['split']}  sha256: {new.record['sha256']}",
        f"title: {new.page.title.text!r} ({evidence(new.page.title)})"
        if new.page.title
        else "title: NOT STATED on the page (left null)",
        f"outlet: {resolved[0].name} ({evidence(resolved[1])})",
        f"published: {stated.value} ({stated.method}; {evidence(stated.evidence)})"
        if stated
        else "published: NOT STATED on the page (left null; an inferred value needs evidence and reasoning in "
        "annotations/sources.jsonl)",
        f"body: {len(new.page.paragraphs)} paragraphs, {len(new.page.text)} characters; "
        f"related headlines: {len(new.page.related)}",
    ]
    if new.page.aggregator_date:
        lines.append(f"aggregator date (not the publication date): {new.page.aggregator_date.value}")
    return lines


def annotation_lines(repo: Repo, new: NewSource, empty: bool) -> list[dict[str, Any]]:
    """The new document's first annotation file: pre-annotated, or a placeholder header."""
    if empty:
        return [{"doc": new.doc_id, "frames": [], "genre": "opinion", "annotators": [], "note": PLACEHOLDER_NOTE}]
    gazetteer = build_gazetteer(gold.lines for gold in iter_gold(repo))
    stated = new.page.header_date or new.page.closing_date
    published = stated.value if stated else None
    return preannotate(new.doc_id, new.page.text, published, gazetteer, load_taxonomy(repo.schema_dir))


def run_add_source(repo: Repo, args: argparse.Namespace) -> int:
    """CLI body: check everything, then write page, record and annotation file."""
    new, issues = check_new_source(repo, args.page, args.doc_id, args.split)
    if new is None:
        print(Report(issues=issues, files=[str(args.page)]).render(), file=sys.stderr)
        print("Nothing was added.", file=sys.stderr)
        return 1
    lines = annotation_lines(repo, new, args.empty)
    for line in describe(new, repo):
        print(line)
    atomic_write_bytes(repo.sources_dir / new.name, new.data)
    metadata = repo.metadata_file.read_bytes()
    separator = b"" if metadata.endswith(b"\n") or not metadata else b"\n"
    atomic_write_bytes(repo.metadata_file, metadata + separator + (dump_line(new.record) + "\n").encode("utf-8"))
    annotation = repo.annotation_file(new.doc_id)
    atomic_write_bytes(annotation, "".join(dump_line(line) + "\n" for line in lines).encode("utf-8"))
    print(
        f"wrote {repo.sources_dir / new.name}, appended to {repo.metadata_file}, "
        f"wrote {annotation} ({len(lines) - 1} spans{', pre-annotated' if not args.empty else ''})"
    )
    print("next: review the spans (dprkmedia labelstudio tasks / serve), then dprkmedia validate && dprkmedia build")
    return 0
