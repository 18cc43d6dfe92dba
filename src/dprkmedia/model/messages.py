"""The text of every issue: :class:`Message` templates, and :func:`issue`, which fills one in."""

from __future__ import annotations

from enum import Enum

from dprkmedia.model.catalogue import Code
from dprkmedia.model.issues import Issue


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
    # a class's answers (evaluate.answers, dprkmedia class-report)
    ANSWER_DUPLICATE = (
        Code.FILE_UNEXPECTED,
        "{student} handed in a second answer for {doc}; the report uses {kept}.",
        "one answer file per student and article",
        "Remove the answer that should not count, or rename it after the student it belongs to.",
    )
    ANSWER_DOC_UNKNOWN = (
        Code.DOC_UNKNOWN,
        "The answers are for a document the gold does not have.",
        "one of {docs}",
        "Check that the student downloaded the answers from this corpus's viewer (the header's doc).",
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
