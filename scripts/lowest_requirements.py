#!/usr/bin/env python3
"""Print the lowest versions pyproject.toml allows, as pip requirements (``name==floor``).

usage: python scripts/lowest_requirements.py [--extra NAME PACKAGE ...]

Every runtime dependency at its floor, plus the named packages of an optional extra (``make
test-lowest`` takes pytest, pandas and DuckDB from ``test``: what the loading tests use). Pinning the
direct dependencies at their floors and letting pip pick their own dependencies is what uv calls
``--resolution lowest-direct``; it shows whether the lower bounds are true. A dependency without a
``>=`` floor is an error: every one must declare the lowest version it works with. Standard library
only, so that it runs in a fresh environment before anything is installed.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([^;]*)")


def floor(requirement: str) -> tuple[str, str | None]:
    """``(name, lowest version)`` of a PEP 508 requirement (None when it has no ``>=``)."""
    match = REQUIREMENT.match(requirement)
    if not match:
        raise ValueError(f"cannot read the requirement {requirement!r}")
    name, _, specifiers = match.groups()
    lows = [spec.strip()[2:].strip() for spec in specifiers.split(",") if spec.strip().startswith(">=")]
    return name, lows[0] if lows else None


def lowest(pyproject: dict[str, object], extra: str | None, packages: list[str]) -> list[str]:
    """The requirement lines: the runtime dependencies, then ``packages`` from ``extra``."""
    project = pyproject["project"]
    assert isinstance(project, dict)
    chosen = list(project["dependencies"])
    if extra:
        offered = {floor(item)[0].lower(): item for item in project["optional-dependencies"][extra]}
        unknown = [name for name in packages if name.lower() not in offered]
        if unknown:
            raise ValueError(f"not in the {extra!r} extra: {', '.join(unknown)}")
        chosen += [offered[name.lower()] for name in packages]
    lines = []
    for requirement in chosen:
        name, version = floor(requirement)
        if version is None:
            raise ValueError(f"{requirement!r} has no lower bound (>=): pyproject.toml must declare one")
        lines.append(f"{name}=={version}")
    return lines


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    args.add_argument("--extra", nargs="+", metavar=("NAME", "PACKAGE"), help="an extra and packages of it")
    parsed = args.parse_args()
    extra, packages = (parsed.extra[0], parsed.extra[1:]) if parsed.extra else (None, [])
    try:
        lines = lowest(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8")), extra, packages)
    except ValueError as error:
        print(f"lowest_requirements: {error}", file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
