"""A report as GitHub Actions workflow commands, so that each problem shows on the pull request's diff.

A workflow step that prints ``::error file=F,line=N,title=T::MESSAGE`` makes GitHub attach the message to
line N of file F in the pull request's "Files changed" view (an *annotation*). The escaping follows
GitHub's own toolkit (``@actions/core``, ``command.ts``): in the message ``%``, CR and LF are
percent-encoded; in a property value ``:`` and ``,`` are too, because they separate the properties.
GitHub shows at most 10 error annotations per step and 50 per job, so :func:`step_summary` also gives
the counts per code as a Markdown table for the job summary (``$GITHUB_STEP_SUMMARY``).
"""

from __future__ import annotations

from dprkmedia.model.catalogue import CATALOGUE, Code
from dprkmedia.model.issues import Issue, Report


def escape_data(text: str) -> str:
    """Escape a command's message: ``%``, CR and LF (``%`` first, so escapes are not escaped again)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: as the message, plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def issue_command(issue: Issue) -> str:
    """One ``::error`` command: the file, the line when known, the code as title, the full message."""
    properties = [f"file={escape_property(issue.file)}"]
    if issue.line is not None:
        properties.append(f"line={issue.line}")
    properties.append(f"title={escape_property(str(issue.code))}")
    # the rendered issue without its location (GitHub shows that), so the message reads as in the log
    message = issue.render().removeprefix(f"{issue.location}: ")
    if issue.path:
        message = f"at '{issue.path}': {message}"
    return f"::error {','.join(properties)}::{escape_data(message)}"


def workflow_commands(report: Report) -> str:
    """The report as workflow commands, then the plain summary and verdict for the log."""
    lines = [issue_command(issue) for issue in report.issues]
    if report.issues:
        lines.append("Summary:")
        lines += [f"  {code}: {count}" for code, count in report.counts().items()]
    lines.append(f"Checked {len(report.files)} files.")
    lines.append("*** PASSED ***" if report.passed else f"*** FAILED *** with {len(report.issues)} errors")
    return "\n".join(lines)


def step_summary(report: Report) -> str:
    """Markdown for the job summary: the verdict and a table of counts per code with the code's title."""
    if report.passed:
        return f"### dprkmedia validate: passed\n\n{len(report.files)} files checked, no problems.\n"
    lines = [
        f"### dprkmedia validate: {len(report.issues)} problems",
        "",
        f"{len(report.files)} files checked. Each problem is marked on its line in the pull request's "
        "*Files changed* tab (GitHub shows the first 10 per step); every code is explained in "
        "`docs/validation.md`.",
        "",
        "| code | count | what it means |",
        "|---|---:|---|",
    ]
    for code, count in report.counts().items():
        title = CATALOGUE[Code(code)].title.replace("|", "\\|")
        lines.append(f"| `{code}` | {count} | {title} |")
    return "\n".join(lines) + "\n"
