"""Progress bars for long commands (tqdm), on standard error, only on a terminal.

A bar per stage (checking documents, building, the baseline); when standard error is not a
terminal (CI, a pipe, a log file) there are no bars, only the few lines that say what was done.
"""

from __future__ import annotations

import sys
from typing import Any

from tqdm import tqdm


class Bars:
    """A :class:`~dprkmedia.corpus.progress.Progress` shown with tqdm."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.bar: Any = None

    def start(self, what: str, total: int | None = None) -> None:
        self.close()
        if self.enabled:
            self.bar = tqdm(total=total, desc=what, unit="doc", file=sys.stderr, dynamic_ncols=True, leave=False)

    def advance(self, steps: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(steps)

    def say(self, text: str) -> None:
        if self.bar is not None:
            self.bar.write(text, file=sys.stderr)
        else:
            print(text, file=sys.stderr)

    def close(self) -> None:
        """End the current bar."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self) -> Bars:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
