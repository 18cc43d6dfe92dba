"""Issues and reports: where a problem is, what was found and expected, and a run's verdict.

Checks *yield* :class:`Issue` objects; exceptions are for bugs and misuse only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from dprkmedia.model.catalogue import CATALOGUE, USAGE_CODES, Code

CUT = 50
"""Received values are quoted up to this many characters."""


@dataclass(frozen=True)
class Issue:
    """One problem: where it is, what was found and what was expected."""

    code: Code
    file: str
    message: str
    line: int | None = None
    path: str | None = None
    found: str | None = None
    expected: str | None = None
    hint: str | None = None
    context: str | None = None
    """Where a person finds the problem when the file has no lines to point at, e.g. a Label
    Studio export's ``task 12 (doc ...), annotation 34 by ls-2, region 'e5'``."""

    def __post_init__(self) -> None:
        if self.code not in CATALOGUE:
            raise KeyError(f"issue code {self.code!r} is not in the catalogue")

    @property
    def location(self) -> str:
        """``file:line`` plus the JSON path when there is one."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        where = f"{where} at '{self.path}'" if self.path else where
        return f"{where} ({self.context})" if self.context else where

    def render(self) -> str:
        """One line in the Universal Dependencies validator's manner."""
        parts = [f"{self.location}: [{self.code}] {self.message}"]
        if self.found is not None:
            parts.append(f"Got {quote(self.found)}.")
        if self.expected is not None:
            parts.append(f"Expected {self.expected}.")
        parts.append(f"Fix: {self.hint or CATALOGUE[self.code].fix}")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """The issue as JSON-ready data (what ``--json`` prints)."""
        data = asdict(self)
        data["hint"] = self.hint or CATALOGUE[self.code].fix
        if self.context is None:  # only issues of a Label Studio export have one
            del data["context"]
        return data


def quote(value: str) -> str:
    """Quote a received value for a message, cut at :data:`CUT` characters."""
    shown = value if len(value) <= CUT else value[:CUT] + "…"
    return repr(shown)


@dataclass
class Report:
    """All issues of one validation run, and what was checked."""

    issues: list[Issue] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    checked: int | None = None
    """How many files were checked, when their names are not kept in ``files`` (a validation
    of a whole archive counts them rather than listing them)."""

    @property
    def file_count(self) -> int:
        """How many files were checked."""
        return len(self.files) if self.checked is None else self.checked

    @property
    def passed(self) -> bool:
        """True when no issue was found."""
        return not self.issues

    @property
    def usage_error(self) -> bool:
        """True when the run was given something unusable (a path that names nothing to
        check): the command exits 2, not 1."""
        return any(issue.code in USAGE_CODES for issue in self.issues)

    def counts(self) -> dict[str, int]:
        """Number of issues per code, codes sorted."""
        return dict(sorted(Counter(issue.code for issue in self.issues).items()))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready report: what ``dprkmedia validate --json`` prints."""
        return {
            "passed": self.passed,
            "files": self.file_count,
            "errors": len(self.issues),
            "counts": self.counts(),
            "issues": [issue.to_dict() for issue in self.issues],
        }

    def render(self, max_errors: int | None = None) -> str:
        """Human report: the issues (up to ``max_errors``), a summary and the verdict."""
        shown = self.issues if max_errors is None else self.issues[:max_errors]
        lines = [issue.render() for issue in shown]
        if len(shown) < len(self.issues):
            lines.append(f"... {len(self.issues) - len(shown)} more not shown (--max-errors)")
        if self.issues:
            lines.append("Summary:")
            lines += [f"  {code}: {count}" for code, count in self.counts().items()]
        lines.append(f"Checked {self.file_count} files.")
        if self.passed:
            lines.append("*** PASSED ***")
        else:
            lines.append(f"*** FAILED *** with {len(self.issues)} errors")
        return "\n".join(lines)


class DprkMediaError(Exception):
    """Base class of the package's exceptions: a user's or the environment's problem, not a bug.

    Its text is a complete message for the user (what, where, how to fix); the command line prints it
    without a traceback and exits with :attr:`exit_code`.
    """

    exit_code = 2
    """2: usage or environment (a wrong argument, a missing or unwritable file); 1: problems found in the data."""


class UsageError(DprkMediaError, ValueError):
    """An argument that names nothing usable: a missing folder, a dataset not built yet (exit 2)."""


class InvalidRepoError(DprkMediaError, ValueError):
    """The repository does not validate; carries the report."""

    exit_code = 1

    def __init__(self, report: Report) -> None:
        super().__init__(f"the repository is invalid ({len(report.issues)} errors)")
        self.report = report


class UnknownDocumentError(DprkMediaError, LookupError):
    """Document ids that name no registered document."""

    def __init__(self, unknown: list[str], known: list[str] | None = None) -> None:
        text = f"unknown document(s): {', '.join(unknown)}"
        if known is not None:
            text += f"; known: {', '.join(known)}"
        super().__init__(text)
        self.unknown = unknown
        self.known = known


class InvalidAnnotationFileError(DprkMediaError, ValueError):
    """An annotation file that does not read; ``dprkmedia validate`` says why."""

    exit_code = 1

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} is invalid; run 'dprkmedia validate {path}'")
        self.path = path


class DatasetNotFoundError(DprkMediaError, FileNotFoundError):
    """No built dataset where one was looked for; the message says where it looked and how to fix it."""
