"""The catalogue of every problem the validator reports, and the report itself.

Each problem has a stable kebab-case code. ``docs/validation.md`` is generated from
:data:`CATALOGUE` (``dprkmedia generate``), so the docs cannot drift from the code.
Checks *yield* :class:`Issue` objects; exceptions are for bugs and misuse only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

CUT = 50
"""Received values are quoted up to this many characters."""


@dataclass(frozen=True)
class Code:
    """One entry of the catalogue."""

    code: str
    title: str
    explanation: str
    fix: str


def _codes(*entries: tuple[str, str, str, str]) -> dict[str, Code]:
    return {code: Code(code, title, explanation, fix) for code, title, explanation, fix in entries}


CATALOGUE: dict[str, Code] = _codes(
    # bytes and lines
    (
        "file-unreadable",
        "File cannot be read",
        "The path is not a readable file (a folder, a broken link, no permission).",
        "Check the path; pass files or folders that exist.",
    ),
    (
        "file-empty",
        "File is empty",
        "An annotation or metadata file has no records.",
        "An annotation file needs at least its header line; restore the file from git.",
    ),
    (
        "file-unexpected",
        "File is not where contributions go",
        "A file was given that is not an annotation file, the metadata file or a raw page.",
        "Put annotation files in annotations/<doc id>.jsonl and raw pages in dataset/sources/.",
    ),
    (
        "encoding-bom",
        "UTF-8 byte order mark",
        "The file starts with a byte order mark (EF BB BF); files must be plain UTF-8.",
        "Save the file as UTF-8 without BOM (most editors: 'UTF-8', not 'UTF-8 with BOM').",
    ),
    (
        "encoding-invalid",
        "Not UTF-8",
        "The bytes on this line are not valid UTF-8.",
        "Re-save the file as UTF-8; check the quoted bytes for a Latin-1 or Windows-1252 character.",
    ),
    (
        "encoding-nul",
        "NUL byte",
        "The line contains a NUL (0x00) byte, usually a sign of a binary or UTF-16 file.",
        "Re-save the file as UTF-8 text.",
    ),
    (
        "line-crlf",
        "Windows line end",
        "The line ends with CR LF; files use LF line ends only.",
        "Convert line ends to LF (git config core.autocrlf input; or dos2unix FILE).",
    ),
    (
        "line-too-long",
        "Line too long",
        "A line is longer than the validator reads (1,000,000 characters); it was skipped.",
        "One span per line: a span line is short. Check that line breaks were not lost.",
    ),
    (
        "json-invalid",
        "Not JSON",
        "The line is not one valid JSON value (truncated, a trailing comma, single quotes...).",
        "Each line is one JSON object; fix the syntax at the column given.",
    ),
    (
        "json-not-object",
        "JSON line is not an object",
        "Each line must be a JSON object ({...}); this line holds another JSON value.",
        "Write the record as an object with the fields of its kind.",
    ),
    (
        "json-too-deep",
        "JSON nested too deeply",
        "The line nests lists or objects deeper than any record of this format does.",
        "Records are flat: span fields are strings and integers; frames a list of strings.",
    ),
    # annotation file structure
    (
        "header-missing",
        "No header line",
        "The first record of an annotation file must be the document header "
        '{"doc": ..., "frames": [...], "genre": ...}.',
        "Add the header as line 1, or move it there.",
    ),
    (
        "header-duplicate",
        "Second header line",
        "An annotation file has exactly one header; this is another one.",
        "Merge the frames/genre into line 1 and delete this line.",
    ),
    (
        "doc-file-mismatch",
        "Header names another document",
        "The header's doc id is not the file's name (annotations/<doc id>.jsonl).",
        "Rename the file or correct the doc id.",
    ),
    (
        "doc-unknown",
        "Annotation file for an unknown document",
        "No source record in annotations/sources.jsonl has this document id.",
        "Add the source with 'dprkmedia add-source' or register it in annotations/sources.jsonl.",
    ),
    # JSON Schema
    (
        "field-missing",
        "Required field missing",
        "The record lacks a field its kind requires.",
        "Add the field (see schema/annotation.schema.json for the record kinds).",
    ),
    (
        "field-unknown",
        "Unknown field",
        "The record has a field its kind does not define (often a misspelling).",
        "Remove or rename the field.",
    ),
    (
        "field-type",
        "Wrong type",
        "The field's value has the wrong JSON type (e.g. a string where an integer goes).",
        "Write the value with the expected type (offsets are integers, without quotes).",
    ),
    (
        "label-unknown",
        "Label not in the taxonomy",
        "The value is not one of the taxonomy's labels for this field (spelling is exact).",
        "Use a label from schema/taxonomy.json / docs/taxonomy.md, spelled exactly.",
    ),
    (
        "value-format",
        "Value has the wrong form",
        "The value does not match the required pattern (e.g. a span id 'e12', a SHA-256).",
        "Write the value in the form given as expected.",
    ),
    (
        "value-invalid",
        "Value not allowed",
        "The value breaks a schema rule (a negative offset, a repeated frame, an empty list).",
        "Correct the value as the message says.",
    ),
    # span semantics
    (
        "offset-out-of-range",
        "Offset beyond the text",
        "A span's end is beyond the end of the document text.",
        "Recompute the offsets against the built text (dprkmedia show DOC prints it).",
    ),
    (
        "offset-order",
        "Empty or reversed span",
        "A span's start is not smaller than its end.",
        "start is inclusive and end exclusive: end = start + len(text).",
    ),
    (
        "span-text-mismatch",
        "Span text differs from the document",
        "text[start:end] of the document is not the span's text.",
        "Fix the offsets (or the text); the text stands in the file to prove the offsets.",
    ),
    (
        "span-edge-whitespace",
        "Span starts or ends with whitespace",
        "A span never starts or ends with whitespace.",
        "Move start forward / end back past the whitespace.",
    ),
    (
        "span-token-misaligned",
        "Span cuts a token",
        "The span starts or ends inside a token of the corpus tokenizer, so it cannot be written as IOB2 tags.",
        "Extend the span to whole tokens (e.g. the whole word, not part of it).",
    ),
    (
        "text-not-nfc",
        "Text not NFC-normalized",
        "The span text is not in Unicode NFC form, so it cannot equal the NFC document text.",
        "Normalize the text to NFC (python: unicodedata.normalize('NFC', s)).",
    ),
    (
        "timex-value-invalid",
        "TIMEX3 value does not fit its type",
        "The date's value is not a TIMEX3 value of its type (DATE 2001-08-04, 2019-04, 2001, 20, "
        "XXXX-07-19, PRESENT_REF; DURATION P20D, PXY; TIME 2024-04-25T10:00; SET P1Y).",
        "Write the value in ISO 8601-based TIMEX3 form for its type.",
    ),
    (
        "id-duplicate",
        "Span id used twice",
        "Span ids are unique within a document.",
        "Give the span the next free id of its layer (e.g. e42).",
    ),
    (
        "span-duplicate",
        "Same span twice",
        "Two spans of one layer have the same offsets and label.",
        "Delete one of the two lines.",
    ),
    # sources and metadata
    (
        "metadata-duplicate",
        "Source registered twice",
        "Two records of annotations/sources.jsonl name the same document id or file.",
        "Keep one record per source.",
    ),
    (
        "source-missing",
        "Registered source file not found",
        "A source record names a file that is not in dataset/sources/.",
        "Copy the raw page into dataset/sources/ (dprkmedia add-source PAGE) or fix the name.",
    ),
    (
        "source-unregistered",
        "Raw page without a source record",
        "A file in dataset/sources/ has no record in annotations/sources.jsonl.",
        "Register it with 'dprkmedia add-source', which writes the record.",
    ),
    (
        "source-sha256-mismatch",
        "Raw page changed",
        "The SHA-256 of the raw page differs from the recorded one; sources are never edited.",
        "Restore the original bytes; a new version of a page is a new source.",
    ),
    (
        "annotation-missing",
        "Source without annotation file",
        "A registered source has no annotations/<doc id>.jsonl.",
        "Create it (dprkmedia add-source does); it may hold just the header line.",
    ),
    (
        "page-unparseable",
        "Raw page cannot be parsed",
        "The raw page does not follow the scraped page format (no body text found).",
        "Check that the page is a whole scraped article page (see docs/sources.md).",
    ),
    (
        "outlet-unknown",
        "Outlet not known",
        "The page names an outlet that no outlet record of annotations/sources.jsonl lists, or names none at all.",
        "Add the name to the aliases of an outlet record (or add an outlet record).",
    ),
    # Label Studio exports
    (
        "ls-export-shape",
        "Export is not shaped like a Label Studio JSON export",
        "The export, a task, an annotation or a result lacks the structure of Label Studio's JSON "
        "export (a list of tasks with data, annotations and results).",
        "Export the project from Label Studio as 'JSON' (not JSON-MIN or CSV) and import that file.",
    ),
    (
        "ls-control-unknown",
        "Result from an unknown control",
        "A result names a control (from_name) that the corpus labeling config does not have: the "
        "project was not made with our config.",
        "Create the project with the config of 'dprkmedia labelstudio config' (schema/labelstudio.xml).",
    ),
    (
        "ls-region-incomplete",
        "Region without its field",
        "An entity region has no norm, or a date region has no TIMEX3 value, in its per-region field.",
        "In Label Studio, select the region and fill in its norm / TIMEX3 value, then export again.",
    ),
    (
        "ls-text-changed",
        "Task text differs from the document",
        "The task's text is not the document's text, so its offsets cannot be trusted.",
        "Make tasks with 'dprkmedia labelstudio tasks' from the current repository and annotate those.",
    ),
    (
        "date-invalid",
        "Impossible date",
        "A date read from the page or given in the metadata is not a real calendar date.",
        "Check the date and the Date: field order (date-line-format record).",
    ),
)


@dataclass(frozen=True)
class Issue:
    """One problem: where it is, what was found and what was expected."""

    code: str
    file: str
    message: str
    line: int | None = None
    path: str | None = None
    found: str | None = None
    expected: str | None = None
    hint: str | None = None

    def __post_init__(self) -> None:
        if self.code not in CATALOGUE:
            raise KeyError(f"issue code {self.code!r} is not in the catalogue")

    @property
    def location(self) -> str:
        """``file:line`` plus the JSON path when there is one."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where} at '{self.path}'" if self.path else where

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

    @property
    def passed(self) -> bool:
        """True when no issue was found."""
        return not self.issues

    def counts(self) -> dict[str, int]:
        """Number of issues per code, codes sorted."""
        return dict(sorted(Counter(issue.code for issue in self.issues).items()))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready report: what ``dprkmedia validate --json`` prints."""
        return {
            "passed": self.passed,
            "files": len(self.files),
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
        lines.append(f"Checked {len(self.files)} files.")
        if self.passed:
            lines.append("*** PASSED ***")
        else:
            lines.append(f"*** FAILED *** with {len(self.issues)} errors")
        return "\n".join(lines)


class DprkMediaError(Exception):
    """Base class of the package's exceptions."""


class InvalidRepoError(DprkMediaError, ValueError):
    """The repository does not validate; carries the report."""

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

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} is invalid; run 'dprkmedia validate {path}'")
        self.path = path
