"""Options several commands share: ``--workers``, and whole numbers of at least 1."""

from __future__ import annotations

import argparse


def positive(text: str) -> int:
    """An argument that must be a whole number of at least 1."""
    return _whole(text, 1)


def workers_count(text: str) -> int:
    """``--workers``: 0 (all cores) or a number of processes."""
    return _whole(text, 0)


def _whole(text: str, least: int) -> int:
    try:
        value = int(text)
    except ValueError:
        value = least - 1
    if value < least:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least {least}, got {text!r}")
    return value


def add_workers_argument(parser: argparse.ArgumentParser) -> None:
    """``--workers N``: documents are processed in N processes (the output is the same for any N)."""
    parser.add_argument(
        "--workers",
        type=workers_count,
        default=0,
        metavar="N",
        help="worker processes (default 0: all cores); the output does not depend on N",
    )
