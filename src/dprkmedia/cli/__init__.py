"""The ``dprkmedia`` command line: argument parsing and the commands' top-level flow."""

from dprkmedia.cli.main import main

__all__ = ["main"]
