"""The CLI is the only layer that knows about argparse or exits the process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import dprkmedia

PACKAGE = Path(dprkmedia.__file__).parent
WORDS = ("argparse", "SystemExit", "sys.exit", "add_parser", "Namespace")


def test_library_modules_neither_parse_arguments_nor_exit() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}: {word}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.relative_to(PACKAGE).parts[0] != "cli"
        for word in WORDS
        if word in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_adapters_import_without_argparse() -> None:
    code = (
        "import sys, dprkmedia.adapters.labelstudio.server, dprkmedia.adapters.labelstudio.tasks, "
        "dprkmedia.adapters.exports, dprkmedia.adapters.site.pages; print('argparse' in sys.modules)"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert shown.strip() == "False"
