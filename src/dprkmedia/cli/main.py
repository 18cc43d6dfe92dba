"""The ``dprkmedia`` command: thin wrappers over the library.

Exit codes: 0 success, 1 problems found (in the data, the annotations, the files given), 2 usage or
environment (a wrong argument, no repository, a file that cannot be read or written). A user's error never
ends in a traceback: :func:`main` turns the package's :class:`DprkMediaError` family and the operating
system's errors into one message; only a bug shows a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from dprkmedia import __version__
from dprkmedia.adapters.labelstudio.tasks import export_issues
from dprkmedia.build import ROW_GROUP_DOCS, SHARD_DOCS
from dprkmedia.cli.add_source import add_source_parser, run_add_source
from dprkmedia.cli.agreement import add_agreement_parser, run_agreement
from dprkmedia.cli.class_report import add_class_report_parser, run_class_report
from dprkmedia.cli.export import add_export_parser, run_export
from dprkmedia.cli.labelstudio import (
    add_labelstudio_parser,
    add_preannotate_parser,
    run_labelstudio,
    run_preannotate,
)
from dprkmedia.cli.options import add_workers_argument, positive
from dprkmedia.cli.progress import Bars
from dprkmedia.cli.publish import add_publish_parser, run_publish
from dprkmedia.cli.score import add_score_parser, run_score
from dprkmedia.cli.site import add_site_parser, run_site
from dprkmedia.corpus.fileio import atomic_write_bytes
from dprkmedia.corpus.loading import load_repo
from dprkmedia.corpus.parallel import resolve_workers
from dprkmedia.corpus.repo import Repo, find_repo, open_repo
from dprkmedia.corpus.tokens import paragraph_offsets
from dprkmedia.model.github import step_summary, workflow_commands
from dprkmedia.model.issues import DprkMediaError, InvalidRepoError
from dprkmedia.model.taxonomy import load_taxonomy
from dprkmedia.validation.repo import validate_repo

# build, card and generate import `datasets` (about a second): imported by the commands that use them.

EPILOG = """\
Typical use, from the repository root:
  dprkmedia validate            check every annotation file, the metadata and the sources
  dprkmedia build               validate, then rebuild dataset/ and the README front matter
  dprkmedia score GOLD PRED     compare two annotation files (or folders)
  dprkmedia agreement           agreement between the annotation passes (F1, γ, α)
  dprkmedia add-source PAGE     add a new scraped page (copied, registered, pre-annotated)
  dprkmedia labelstudio ...     config, tasks, import, serve, push, pull
  dprkmedia site [OUT]          the classroom viewer: a static site (default build/site)
  dprkmedia export FORMAT       semeval, conll, docbin or brat files for other tools
  dprkmedia class-report ANSWERS -o report.html   a class's exercise answers against the gold
  dprkmedia publish --dry-run   what would go to the Hugging Face Hub, and whether the card is ready
Exit codes:
  0  success
  1  problems found (invalid annotations or metadata, differing files, a broken taxonomy.json)
  2  usage or environment (a wrong argument, no repository, a file that cannot be read or written)"""


def parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    main = argparse.ArgumentParser(
        prog="dprkmedia",
        description="Build, validate and score the DPRK–Russia State Media Corpus.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    main.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    main.add_argument("--root", type=Path, help="repository root (default: found above the working directory)")
    sub = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = sub.add_parser(
        "validate",
        help="check annotations, metadata and sources; report every problem",
        description="Validate the repository (or only the files under PATHs) and report "
        "every problem with its code, file and line. Codes: docs/validation.md. Exit codes: 0 passed, "
        "1 problems found, 2 a PATH that does not exist or selects no file to check (or misuse).",
    )
    validate.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders to report on")
    validate.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text (default); json for machines; github: GitHub Actions workflow commands, so that each "
        "problem shows on its line of the pull request's diff, and a table of counts per code appended to "
        "$GITHUB_STEP_SUMMARY when that is set",
    )
    validate.add_argument("--json", action="store_true", help="the same as --format json")
    validate.add_argument(
        "--max-errors", type=int, default=None, metavar="N", help="print at most N problems (all are still counted)"
    )
    add_workers_argument(validate)
    validate.add_argument(
        "--no-cache",
        dest="cache",
        action="store_false",
        help="check every document again, without reading or writing build/.cache/ (by default only what "
        "changed since the last validate or build is checked again)",
    )

    build = sub.add_parser(
        "build",
        help="validate, then build dataset/ (Parquet + JSONL) and the card front matter",
        description="Build every config of dataset/ from dataset/sources/ and annotations/, then the generated "
        "files (README front matter and blocks, DATASHEET blocks, croissant.json). Refuses an invalid repository "
        "and leaves dataset/ as it was.",
    )
    add_workers_argument(build)
    build.add_argument(
        "--no-cache",
        dest="cache",
        action="store_false",
        help="do not record the checks in build/.cache/ (by default the next validate checks only what changed)",
    )
    build.add_argument(
        "--row-group-docs",
        type=positive,
        default=ROW_GROUP_DOCS,
        metavar="N",
        help=f"documents per Parquet row group (default {ROW_GROUP_DOCS})",
    )
    build.add_argument(
        "--shard-docs",
        type=positive,
        default=SHARD_DOCS,
        metavar="N",
        help=f"documents per Parquet file (default {SHARD_DOCS:,}); a split of more is written in shards "
        "<split>-00000-of-000NN.parquet",
    )

    generate = sub.add_parser(
        "generate",
        help="write the files generated from the taxonomy and the code",
        description="Write schema/*.schema.json, docs/taxonomy.md, docs/validation.md and the generated "
        "blocks of DATASHEET.md (figures from the built dataset).",
    )
    generate.add_argument("--check", action="store_true", help="only check that they are current (exit 1 if not)")

    show = sub.add_parser("show", help="print a document's text (what span offsets point into)")
    show.add_argument("doc", help="document id")
    show.add_argument("--offsets", action="store_true", help="prefix each paragraph with its start offset")

    add_score_parser(sub)
    add_agreement_parser(sub)
    add_labelstudio_parser(sub)
    add_preannotate_parser(sub)
    add_source_parser(sub)
    add_export_parser(sub)
    add_site_parser(sub)
    add_publish_parser(sub)
    add_class_report_parser(sub)
    return main


def run_validate(repo: Repo, args: argparse.Namespace) -> int:
    with Bars() as bars:
        report = validate_repo(
            repo,
            args.paths,
            check_export=export_issues,
            workers=resolve_workers(args.workers),
            progress=bars,
            cache=args.cache,
        )
    fmt = "json" if args.json else args.format
    if fmt == "json":
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    elif fmt == "github":
        print(workflow_commands(report))
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:  # GitHub's file for the job summary: every step appends to it
            with open(summary, "a", encoding="utf-8") as handle:
                handle.write(step_summary(report))
    else:
        print(report.render(args.max_errors))
    if report.usage_error:
        return 2
    return 0 if report.passed else 1


def run_build(repo: Repo, args: argparse.Namespace) -> int:
    from dprkmedia.build.writer import build_dataset  # datasets, pyarrow
    from dprkmedia.cli.generate import generated_files  # datasets (through publish.croissant)
    from dprkmedia.evaluate.baseline import BaselineStep  # spaCy
    from dprkmedia.evaluate.preannotate import baseline_table
    from dprkmedia.publish.card import card_with_front_matter, front_matter  # datasets
    from dprkmedia.publish.summary import check_blocks

    readme = repo.root / "README.md"
    if not readme.is_file():
        print(
            f"dprkmedia: {readme}: missing. It is the dataset card that build updates (front matter and "
            "generated blocks); restore it (git checkout README.md), then run 'dprkmedia build' again. "
            "Nothing was written.",
            file=sys.stderr,
        )
        return 1
    check_blocks(repo)  # before anything is written: a missing marker must not stop the build halfway
    workers = resolve_workers(args.workers)
    baseline = BaselineStep()
    with Bars() as bars:
        try:
            result = build_dataset(
                repo,
                bars,
                workers=workers,
                row_group_docs=args.row_group_docs,
                shard_docs=args.shard_docs,
                steps=[baseline],
                cache=args.cache,
            )
        except InvalidRepoError as error:
            bars.close()
            print(error.report.render(), file=sys.stderr)
            print("Build refused: fix the problems above, then run 'dprkmedia build' again.", file=sys.stderr)
            return 1
        old = readme.read_text(encoding="utf-8")
        tax = load_taxonomy(repo.schema_dir)
        card = card_with_front_matter(old, front_matter(tax, result.rows, result.nbytes, result.shards))
        atomic_write_bytes(readme, card.encode("utf-8"))
        for path, text in generated_files(repo, workers, bars, baseline_table(baseline.result())).items():
            atomic_write_bytes(path, text.encode("utf-8"))
    print(result.summary())
    return 0


def run_generate(repo: Repo, check: bool) -> int:
    from dprkmedia.cli.generate import generated_files, stale_files  # datasets (through publish.croissant)

    if check:
        stale = stale_files(repo)
        for path in stale:
            print(f"{path.relative_to(repo.root)}: stale; run 'dprkmedia generate'", file=sys.stderr)
        return 1 if stale else 0
    for path, text in generated_files(repo).items():
        atomic_write_bytes(path, text.encode("utf-8"))
        print(f"wrote {path.relative_to(repo.root)}")
    return 0


def run_show(repo: Repo, doc: str, offsets: bool) -> int:
    ctx = load_repo(repo)[0]
    loaded = ctx.sources.get(doc)
    if loaded is None:
        print(f"dprkmedia: no valid source with id {doc!r}; ids: {', '.join(sorted(ctx.sources))}", file=sys.stderr)
        return 1
    text = loaded.page.text
    if not offsets:
        print(text)
        return 0
    for start, end in paragraph_offsets(text):
        print(f"[{start}] {text[start:end]}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``dprkmedia`` console command: a user's error is one message and an exit code."""
    try:
        return dispatch(parser().parse_args(argv))
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except DprkMediaError as error:
        if isinstance(error, InvalidRepoError):
            print(error.report.render(), file=sys.stderr)
        print(f"dprkmedia: {error}", file=sys.stderr)
        return error.exit_code
    except OSError as error:  # a file that cannot be read or written: the environment, not a bug
        print(f"dprkmedia: {describe_os_error(error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("dprkmedia: interrupted; files are written whole or not at all", file=sys.stderr)
        return 130


def describe_os_error(error: OSError) -> str:
    """``cannot use PATH: reason`` with the path the system names, and what to check."""
    where = " -> ".join(str(name) for name in (error.filename, error.filename2) if name is not None)
    reason = error.strerror or str(error)
    return (
        f"cannot use {where}: {reason}. Check the path, that it is a file or folder as the command expects, "
        "and that you may read or write it."
        if where
        else f"{reason}."
    )


def dispatch(args: argparse.Namespace) -> int:
    """Run the subcommand ``args`` names."""
    if args.command == "score":
        return run_score(args.gold, args.pred, args.json, args.core)
    repo = open_repo(args.root) if args.root else find_repo()
    if args.command == "validate":
        return run_validate(repo, args)
    if args.command == "build":
        return run_build(repo, args)
    if args.command == "generate":
        return run_generate(repo, args.check)
    if args.command == "labelstudio":
        return run_labelstudio(repo, args)
    if args.command == "export":
        return run_export(repo, args.format, args.output)
    if args.command == "add-source":
        return run_add_source(repo, args)
    if args.command == "site":
        return run_site(repo, args.out)
    if args.command == "preannotate":
        return run_preannotate(repo, args)
    if args.command == "agreement":
        return run_agreement(repo, args.check)
    if args.command == "publish":
        return run_publish(repo, args)
    if args.command == "class-report":
        return run_class_report(repo, args)
    return run_show(repo, args.doc, args.offsets)


if __name__ == "__main__":
    sys.exit(main())
