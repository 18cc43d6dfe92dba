"""The catalogue of every problem the validator reports, and the report itself.

Each problem has a stable kebab-case code. ``docs/validation.md`` is generated from
:data:`CATALOGUE` (``dprkmedia generate``), so the docs cannot drift from the code.
Checks *yield* :class:`Issue` objects; exceptions are for bugs and misuse only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from enum import Enum, StrEnum
from pathlib import Path
from typing import Any

CUT = 50
"""Received values are quoted up to this many characters."""


class Code(StrEnum):
    """Every issue code; the value is the kebab-case code reports show."""

    FILE_UNREADABLE = "file-unreadable"
    FILE_EMPTY = "file-empty"
    FILE_UNEXPECTED = "file-unexpected"
    ENCODING_BOM = "encoding-bom"
    ENCODING_INVALID = "encoding-invalid"
    ENCODING_NUL = "encoding-nul"
    LINE_CRLF = "line-crlf"
    LINE_TOO_LONG = "line-too-long"
    JSON_INVALID = "json-invalid"
    JSON_NOT_OBJECT = "json-not-object"
    JSON_TOO_DEEP = "json-too-deep"
    HEADER_MISSING = "header-missing"
    HEADER_DUPLICATE = "header-duplicate"
    DOC_FILE_MISMATCH = "doc-file-mismatch"
    DOC_UNKNOWN = "doc-unknown"
    FIELD_MISSING = "field-missing"
    FIELD_UNKNOWN = "field-unknown"
    FIELD_TYPE = "field-type"
    LABEL_UNKNOWN = "label-unknown"
    VALUE_FORMAT = "value-format"
    VALUE_INVALID = "value-invalid"
    OFFSET_OUT_OF_RANGE = "offset-out-of-range"
    OFFSET_ORDER = "offset-order"
    SPAN_TEXT_MISMATCH = "span-text-mismatch"
    SPAN_EDGE_WHITESPACE = "span-edge-whitespace"
    SPAN_TOKEN_MISALIGNED = "span-token-misaligned"
    TEXT_NOT_NFC = "text-not-nfc"
    TIMEX_VALUE_INVALID = "timex-value-invalid"
    ID_DUPLICATE = "id-duplicate"
    SPAN_DUPLICATE = "span-duplicate"
    METADATA_DUPLICATE = "metadata-duplicate"
    SOURCE_MISSING = "source-missing"
    SOURCE_UNREGISTERED = "source-unregistered"
    SOURCE_SHA256_MISMATCH = "source-sha256-mismatch"
    ANNOTATION_MISSING = "annotation-missing"
    PAGE_UNPARSEABLE = "page-unparseable"
    OUTLET_UNKNOWN = "outlet-unknown"
    LS_EXPORT_SHAPE = "ls-export-shape"
    LS_CONTROL_UNKNOWN = "ls-control-unknown"
    LS_REGION_INCOMPLETE = "ls-region-incomplete"
    LS_TEXT_CHANGED = "ls-text-changed"
    DATE_INVALID = "date-invalid"


@dataclass(frozen=True)
class Entry:
    """One entry of the catalogue."""

    code: Code
    title: str
    explanation: str
    fix: str


def _entries(*entries: tuple[Code, str, str, str]) -> dict[Code, Entry]:
    return {code: Entry(code, title, explanation, fix) for code, title, explanation, fix in entries}


CATALOGUE: dict[Code, Entry] = _entries(
    # bytes and lines
    (
        Code.FILE_UNREADABLE,
        "File cannot be read",
        "The path is not a readable file (a folder, a broken link, no permission).",
        "Check the path; pass files or folders that exist.",
    ),
    (
        Code.FILE_EMPTY,
        "File is empty",
        "An annotation or metadata file has no records.",
        "An annotation file needs at least its header line; restore the file from git.",
    ),
    (
        Code.FILE_UNEXPECTED,
        "File is not where contributions go",
        "A file was given that is not an annotation file, the metadata file or a raw page.",
        "Put annotation files in annotations/<doc id>.jsonl and raw pages in dataset/sources/.",
    ),
    (
        Code.ENCODING_BOM,
        "UTF-8 byte order mark",
        "The file starts with a byte order mark (EF BB BF); files must be plain UTF-8.",
        "Save the file as UTF-8 without BOM (most editors: 'UTF-8', not 'UTF-8 with BOM').",
    ),
    (
        Code.ENCODING_INVALID,
        "Not UTF-8",
        "The bytes on this line are not valid UTF-8.",
        "Re-save the file as UTF-8; check the quoted bytes for a Latin-1 or Windows-1252 character.",
    ),
    (
        Code.ENCODING_NUL,
        "NUL byte",
        "The line contains a NUL (0x00) byte, usually a sign of a binary or UTF-16 file.",
        "Re-save the file as UTF-8 text.",
    ),
    (
        Code.LINE_CRLF,
        "Windows line end",
        "The line ends with CR LF; files use LF line ends only.",
        "Convert line ends to LF (git config core.autocrlf input; or dos2unix FILE).",
    ),
    (
        Code.LINE_TOO_LONG,
        "Line too long",
        "A line is longer than the validator reads (1,000,000 characters); it was skipped.",
        "One span per line: a span line is short. Check that line breaks were not lost.",
    ),
    (
        Code.JSON_INVALID,
        "Not JSON",
        "The line is not one valid JSON value (truncated, a trailing comma, single quotes...).",
        "Each line is one JSON object; fix the syntax at the column given.",
    ),
    (
        Code.JSON_NOT_OBJECT,
        "JSON line is not an object",
        "Each line must be a JSON object ({...}); this line holds another JSON value.",
        "Write the record as an object with the fields of its kind.",
    ),
    (
        Code.JSON_TOO_DEEP,
        "JSON nested too deeply",
        "The line nests lists or objects deeper than any record of this format does.",
        "Records are flat: span fields are strings and integers; frames a list of strings.",
    ),
    # annotation file structure
    (
        Code.HEADER_MISSING,
        "No header line",
        "The first record of an annotation file must be the document header "
        '{"doc": ..., "frames": [...], "genre": ...}.',
        "Add the header as line 1, or move it there.",
    ),
    (
        Code.HEADER_DUPLICATE,
        "Second header line",
        "An annotation file has exactly one header; this is another one.",
        "Merge the frames/genre into line 1 and delete this line.",
    ),
    (
        Code.DOC_FILE_MISMATCH,
        "Header names another document",
        "The header's doc id is not the file's name (annotations/<doc id>.jsonl).",
        "Rename the file or correct the doc id.",
    ),
    (
        Code.DOC_UNKNOWN,
        "Annotation file for an unknown document",
        "No source record in annotations/sources.jsonl has this document id.",
        "Add the source with 'dprkmedia add-source' or register it in annotations/sources.jsonl.",
    ),
    # JSON Schema
    (
        Code.FIELD_MISSING,
        "Required field missing",
        "The record lacks a field its kind requires.",
        "Add the field (see schema/annotation.schema.json for the record kinds).",
    ),
    (
        Code.FIELD_UNKNOWN,
        "Unknown field",
        "The record has a field its kind does not define (often a misspelling).",
        "Remove or rename the field.",
    ),
    (
        Code.FIELD_TYPE,
        "Wrong type",
        "The field's value has the wrong JSON type (e.g. a string where an integer goes).",
        "Write the value with the expected type (offsets are integers, without quotes).",
    ),
    (
        Code.LABEL_UNKNOWN,
        "Label not in the taxonomy",
        "The value is not one of the taxonomy's labels for this field (spelling is exact).",
        "Use a label from schema/taxonomy.json / docs/taxonomy.md, spelled exactly.",
    ),
    (
        Code.VALUE_FORMAT,
        "Value has the wrong form",
        "The value does not match the required pattern (e.g. a span id 'e12', a SHA-256).",
        "Write the value in the form given as expected.",
    ),
    (
        Code.VALUE_INVALID,
        "Value not allowed",
        "The value breaks a schema rule (a negative offset, a repeated frame, an empty list).",
        "Correct the value as the message says.",
    ),
    # span semantics
    (
        Code.OFFSET_OUT_OF_RANGE,
        "Offset beyond the text",
        "A span's end is beyond the end of the document text.",
        "Recompute the offsets against the built text (dprkmedia show DOC prints it).",
    ),
    (
        Code.OFFSET_ORDER,
        "Empty or reversed span",
        "A span's start is not smaller than its end.",
        "start is inclusive and end exclusive: end = start + len(text).",
    ),
    (
        Code.SPAN_TEXT_MISMATCH,
        "Span text differs from the document",
        "text[start:end] of the document is not the span's text.",
        "Fix the offsets (or the text); the text stands in the file to prove the offsets.",
    ),
    (
        Code.SPAN_EDGE_WHITESPACE,
        "Span starts or ends with whitespace",
        "A span never starts or ends with whitespace.",
        "Move start forward / end back past the whitespace.",
    ),
    (
        Code.SPAN_TOKEN_MISALIGNED,
        "Span cuts a token",
        "The span starts or ends inside a token of the corpus tokenizer, so it cannot be written as IOB2 tags.",
        "Extend the span to whole tokens (e.g. the whole word, not part of it).",
    ),
    (
        Code.TEXT_NOT_NFC,
        "Text not NFC-normalized",
        "The span text is not in Unicode NFC form, so it cannot equal the NFC document text.",
        "Normalize the text to NFC (python: unicodedata.normalize('NFC', s)).",
    ),
    (
        Code.TIMEX_VALUE_INVALID,
        "TIMEX3 value does not fit its type",
        "The date's value is not a TIMEX3 value of its type (DATE 2001-08-04, 2019-04, 2001, 20, "
        "XXXX-07-19, PRESENT_REF; DURATION P20D, PXY; TIME 2024-04-25T10:00; SET P1Y).",
        "Write the value in ISO 8601-based TIMEX3 form for its type.",
    ),
    (
        Code.ID_DUPLICATE,
        "Span id used twice",
        "Span ids are unique within a document.",
        "Give the span the next free id of its layer (e.g. e42).",
    ),
    (
        Code.SPAN_DUPLICATE,
        "Same span twice",
        "Two spans of one layer have the same offsets and label.",
        "Delete one of the two lines.",
    ),
    # sources and metadata
    (
        Code.METADATA_DUPLICATE,
        "Source registered twice",
        "Two records of annotations/sources.jsonl name the same document id or file.",
        "Keep one record per source.",
    ),
    (
        Code.SOURCE_MISSING,
        "Registered source file not found",
        "A source record names a file that is not in dataset/sources/.",
        "Copy the raw page into dataset/sources/ (dprkmedia add-source PAGE) or fix the name.",
    ),
    (
        Code.SOURCE_UNREGISTERED,
        "Raw page without a source record",
        "A file in dataset/sources/ has no record in annotations/sources.jsonl.",
        "Register it with 'dprkmedia add-source', which writes the record.",
    ),
    (
        Code.SOURCE_SHA256_MISMATCH,
        "Raw page changed",
        "The SHA-256 of the raw page differs from the recorded one; sources are never edited.",
        "Restore the original bytes; a new version of a page is a new source.",
    ),
    (
        Code.ANNOTATION_MISSING,
        "Source without annotation file",
        "A registered source has no annotations/<doc id>.jsonl.",
        "Create it (dprkmedia add-source does); it may hold just the header line.",
    ),
    (
        Code.PAGE_UNPARSEABLE,
        "Raw page cannot be parsed",
        "The raw page does not follow the scraped page format (no body text found).",
        "Check that the page is a whole scraped article page (see docs/sources.md).",
    ),
    (
        Code.OUTLET_UNKNOWN,
        "Outlet not known",
        "The page names an outlet that no outlet record of annotations/sources.jsonl lists, or names none at all.",
        "Add the name to the aliases of an outlet record (or add an outlet record).",
    ),
    # Label Studio exports
    (
        Code.LS_EXPORT_SHAPE,
        "Export is not shaped like a Label Studio JSON export",
        "The export, a task, an annotation or a result lacks the structure of Label Studio's JSON "
        "export (a list of tasks with data, annotations and results).",
        "Export the project from Label Studio as 'JSON' (not JSON-MIN or CSV) and import that file.",
    ),
    (
        Code.LS_CONTROL_UNKNOWN,
        "Result from an unknown control",
        "A result names a control (from_name) that the corpus labeling config does not have: the "
        "project was not made with our config.",
        "Create the project with the config of 'dprkmedia labelstudio config' (schema/labelstudio.xml).",
    ),
    (
        Code.LS_REGION_INCOMPLETE,
        "Region without its field",
        "An entity region has no norm, or a date region has no TIMEX3 value, in its per-region field.",
        "In Label Studio, select the region and fill in its norm / TIMEX3 value, then export again.",
    ),
    (
        Code.LS_TEXT_CHANGED,
        "Task text differs from the document",
        "The task's text is not the document's text, so its offsets cannot be trusted.",
        "Make tasks with 'dprkmedia labelstudio tasks' from the current repository and annotate those.",
    ),
    (
        Code.DATE_INVALID,
        "Impossible date",
        "A date read from the page or given in the metadata is not a real calendar date.",
        "Check the date and the Date: field order (date-line-format record).",
    ),
)


class Message(Enum):
    """The text of every issue, by name: its code, its message and what was expected, as
    :meth:`str.format` templates filled by :func:`issue` (a code may have several messages).
    ``fix`` overrides the catalogue's fix for that message."""

    code: Code
    text: str
    expected: str | None
    fix: str | None

    def __init__(self, code: Code, text: str, expected: str | None = None, fix: str | None = None) -> None:
        self.code, self.text, self.expected, self.fix = code, text, expected, fix

    # bytes and lines (corpus.jsonl)
    FILE_UNREADABLE = (Code.FILE_UNREADABLE, "Cannot read the file: {reason}.", "a readable file")
    FILE_EMPTY = (Code.FILE_EMPTY, "The file holds no records.", "at least one JSON line")
    ENCODING_BOM = (Code.ENCODING_BOM, "File starts with a UTF-8 byte order mark.", "no BOM")
    ENCODING_INVALID = (Code.ENCODING_INVALID, "Invalid UTF-8 at byte {byte}.", "UTF-8")
    ENCODING_NUL = (Code.ENCODING_NUL, "Line contains a NUL byte.", "text")
    LINE_CRLF = (Code.LINE_CRLF, "Line ends with CR LF.", "\\n")
    LINE_TOO_LONG = (Code.LINE_TOO_LONG, "Line skipped: too long.", "at most {limit}")
    JSON_INVALID = (Code.JSON_INVALID, "{error} at column {column}.", "one JSON object")
    JSON_NOT_OBJECT = (Code.JSON_NOT_OBJECT, "Line is not a JSON object.", "{{...}}")
    JSON_TOO_DEEP = (Code.JSON_TOO_DEEP, "JSON nested too deeply.", "depth at most {limit}")
    JSON_TOO_DEEP_TO_READ = (Code.JSON_TOO_DEEP, "JSON nested too deeply to read.", "depth at most {limit}")
    # JSON Schema (corpus.schemacheck, corpus.loading, validation.records)
    FIELD_MISSING = (Code.FIELD_MISSING, "Required field '{field}' is missing.", "a '{field}' field")
    FIELD_UNKNOWN = (Code.FIELD_UNKNOWN, "{error}.", "only {allowed}")
    FIELD_TYPE = (Code.FIELD_TYPE, "Wrong type for '{field}'.", "type {type}")
    LABEL_NOT_ALLOWED = (Code.LABEL_UNKNOWN, "Value of '{field}' is not allowed.", "one of {allowed}")
    VALUE_NOT_ALLOWED = (Code.VALUE_INVALID, "Value of '{field}' is not allowed.", "one of {allowed}")
    VALUE_FORMAT = (Code.VALUE_FORMAT, "Value of '{field}' has the wrong form.", "a match of {pattern}")
    VALUE_INVALID = (Code.VALUE_INVALID, "{error}.")
    KIND_MISSING = (Code.FIELD_MISSING, "Unknown or missing record 'kind'.", "one of {kinds}")
    KIND_UNKNOWN = (Code.LABEL_UNKNOWN, "Unknown or missing record 'kind'.", "one of {kinds}")
    LAYER_MISSING = (Code.FIELD_MISSING, "Required field 'layer' is missing.", "'layer': one of {layers}")
    LAYER_UNKNOWN = (Code.LABEL_UNKNOWN, "Value of 'layer' is not allowed.", "one of {layers}")
    # annotation file structure (validation.records, validation.repo)
    HEADER_MISSING = (
        Code.HEADER_MISSING,
        "The first record is not the document header.",
        '{{"doc": ..., "frames": [...], "genre": ...}} on the first line',
    )
    HEADER_DUPLICATE = (Code.HEADER_DUPLICATE, "A second header line.", "one header, on the first line")
    DOC_FILE_MISMATCH = (Code.DOC_FILE_MISMATCH, "The header names another document than the file.", "{doc!r}")
    DOC_UNKNOWN = (Code.DOC_UNKNOWN, "No registered source has this document id.", "an id of annotations/sources.jsonl")
    FILE_UNEXPECTED = (Code.FILE_UNEXPECTED, "Unexpected file in annotations/.", "<doc id>.jsonl or a .md document")
    FILE_NOT_CONTRIBUTION = (
        Code.FILE_UNEXPECTED,
        "Not a file that contributions consist of.",
        "an annotation file, a raw page, the metadata file or a Label Studio JSON export",
    )
    # span semantics (validation.spans)
    TEXT_NOT_NFC = (Code.TEXT_NOT_NFC, "Span text is not NFC.", "{nfc!r}")
    SPAN_EDGE_WHITESPACE = (Code.SPAN_EDGE_WHITESPACE, "Span text starts or ends with whitespace.", "{stripped!r}")
    OFFSET_ORDER = (Code.OFFSET_ORDER, "Span [{start}, {end}) is empty or reversed.", "end > start = {start}")
    OFFSET_OUT_OF_RANGE = (
        Code.OFFSET_OUT_OF_RANGE,
        "Span end is beyond the text ({length} characters).",
        "end <= {length}",
    )
    SPAN_TEXT_MISMATCH = (Code.SPAN_TEXT_MISMATCH, "text[{start}:{end}] does not equal the span text.", "{text!r}")
    SPAN_TEXT_ELSEWHERE = (
        Code.SPAN_TEXT_MISMATCH,
        "text[{start}:{end}] does not equal the span text (that text first occurs at {elsewhere}).",
        "{text!r}",
    )
    SPAN_TOKEN_MISALIGNED = (
        Code.SPAN_TOKEN_MISALIGNED,
        "Span boundary falls inside a token.",
        "a span covering whole tokens",
    )
    TIMEX_VALUE_INVALID = (Code.TIMEX_VALUE_INVALID, "Not a TIMEX3 {type} value.", "{example}")
    ID_DUPLICATE = (Code.ID_DUPLICATE, "Span id also used on line {first}.", "a unique id")
    SPAN_DUPLICATE = (Code.SPAN_DUPLICATE, "Same span and label as line {first}.", "each span once per label")
    # sources and metadata (corpus.loading, validation.repo)
    METADATA_DUPLICATE = (Code.METADATA_DUPLICATE, "Source {key} is also on line {first}.", "one record per source")
    SOURCE_MISSING = (Code.SOURCE_MISSING, "Registered source file not found.", "a file in {folder}")
    SOURCE_UNREGISTERED = (Code.SOURCE_UNREGISTERED, "Raw page has no source record.", "a record in {metadata}")
    SOURCE_SHA256_MISMATCH = (Code.SOURCE_SHA256_MISMATCH, "Raw page differs from the recorded SHA-256.", "{recorded}")
    ANNOTATION_MISSING = (Code.ANNOTATION_MISSING, "Source has no annotation file.", "{annotation_file}")
    PAGE_UNPARSEABLE = (Code.PAGE_UNPARSEABLE, "{error}.", "a scraped article page")
    PAGE_DATE_INVALID = (Code.DATE_INVALID, "{error}.", "a scraped article page")
    OUTLET_UNKNOWN = (
        Code.OUTLET_UNKNOWN,
        "The page's outlet is not in the outlet records.",
        "a name or domain of an outlet record",
    )
    # a new page (cli.add_source)
    PAGE_UNREADABLE = (Code.FILE_UNREADABLE, "Cannot read the page: {reason}.", "a readable file")
    DOC_ID_UNUSABLE = (Code.VALUE_FORMAT, "Not a usable document id.", "{pattern}")
    SOURCE_EXISTS = (
        Code.METADATA_DUPLICATE,
        "A source with this id or file name exists.",
        "a new id and file name",
        "The page may already be registered; otherwise rename the file or pass --id NEW_ID.",
    )
    NEW_PAGE_OUTLET_UNKNOWN = (
        Code.OUTLET_UNKNOWN,
        "The page's outlet is not in the outlet records.",
        "a name or domain listed in annotations/sources.jsonl",
    )
    # scoring (evaluate.score)
    NO_ANNOTATION_FILES = (
        Code.FILE_UNREADABLE,
        "No annotation files here.",
        "an annotation file or a folder of them",
    )
    # Label Studio exports (adapters.labelstudio)
    LS_EXPORT_UNREADABLE = (Code.JSON_INVALID, "Cannot read the export as JSON: {error}.", "a Label Studio JSON export")
    LS_EXPORT_NOT_LIST = (Code.LS_EXPORT_SHAPE, "A Label Studio JSON export is a list of tasks.", "a JSON list")
    LS_TASK_SHAPE = (Code.LS_EXPORT_SHAPE, "A task needs data.doc_id and data.text (strings).")
    LS_NOT_A_LIST = (Code.LS_EXPORT_SHAPE, "'{kind}' must be a list.")
    LS_ANNOTATION_SHAPE = (Code.LS_EXPORT_SHAPE, "An annotation needs a 'result' list.")
    LS_RESULT_SHAPE = (Code.LS_EXPORT_SHAPE, "A result must be an object with a 'value' object.")
    LS_REGION_LABELS = (Code.LS_EXPORT_SHAPE, "A region needs exactly one label.", "['LABEL']")
    LS_CONTROL_UNKNOWN = (
        Code.LS_CONTROL_UNKNOWN,
        "Result from a control the corpus config does not have.",
        "one of {controls}",
    )
    LS_GENRE_MISSING = (Code.FIELD_MISSING, "The annotation has no genre choice.", "one genre")
    LS_LABEL_UNKNOWN = (Code.LABEL_UNKNOWN, "Label not in the {layer} layer of the taxonomy.", "one of {labels}")
    LS_REGION_MISMATCH = (
        Code.SPAN_TEXT_MISMATCH,
        "Region does not match the task text: text[{start}:{end}] is {excerpt!r}.",
        "text[start:end] == value.text",
    )
    LS_REGION_UNTYPED = (
        Code.SPAN_TEXT_MISMATCH,
        "Region does not match the task text: start, end (integers) and text (string) are required.",
        "text[start:end] == value.text",
    )
    LS_REGION_INCOMPLETE = (
        Code.LS_REGION_INCOMPLETE,
        "The {layer} region has no {key} ({control} field).",
        "a non-empty {control}",
    )
    LS_DOC_UNKNOWN = (
        Code.DOC_UNKNOWN,
        "The task's document is not a registered source.",
        "an id of annotations/sources.jsonl",
    )
    LS_TEXT_CHANGED = (Code.LS_TEXT_CHANGED, "The task text differs from the document text.", "the text of {doc}")


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


def issue(
    message: Message,
    file: str,
    /,
    *,
    line: int | None = None,
    path: str | None = None,
    found: str | None = None,
    **values: object,
) -> Issue:
    """The issue ``message`` names, its templates filled with ``values``."""
    expected = None if message.expected is None else message.expected.format(**values)
    text = message.text.format(**values)
    return Issue(message.code, file, text, line, path, found, expected, message.fix)


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
