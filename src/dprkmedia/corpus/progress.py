"""Progress of long work, reported by the library and shown by the command line.

Library functions never print: they take a :class:`Progress` and tell it what they start,
how far they are and what they did; the command line shows that as progress bars (tqdm) on a
terminal. :data:`QUIET` shows nothing.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Where long work reports how far it is."""

    def start(self, what: str, total: int | None = None) -> None:
        """A new stage of ``total`` steps (documents) begins."""

    def advance(self, steps: int = 1) -> None:
        """``steps`` more steps of the current stage are done."""

    def say(self, text: str) -> None:
        """A line worth telling (what was written, what was reused)."""


class Quiet:
    """A :class:`Progress` that shows nothing."""

    def start(self, what: str, total: int | None = None) -> None:
        del what, total

    def advance(self, steps: int = 1) -> None:
        del steps

    def say(self, text: str) -> None:
        del text


QUIET = Quiet()

__all__ = ["QUIET", "Progress", "Quiet"]
