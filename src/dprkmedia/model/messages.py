"""The text of every issue: :class:`Message` templates, and :func:`issue`, which fills one in."""

from __future__ import annotations

from enum import Enum

from dprkmedia.model.catalogue import Code
from dprkmedia.model.issues import Issue

EXPORT_AGAIN = (
    "A Label Studio export is one JSON array of tasks ([{...}, ...]): export the project again "
    "(Export → JSON, or dprkmedia labelstudio pull) instead of editing it by hand."
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

    # what the command line names (validation.repo)
    PATH_MISSING = (
        Code.PATH_MISSING,
        "No file or folder at this path; nothing was checked.",
        "an annotation file, a raw page, the metadata file, a Label Studio JSON export or a folder of them",
    )
    PATH_EMPTY = (
        Code.PATH_EMPTY,
        "The folder holds none of the files validate checks; nothing was checked.",
        "a folder with annotation files (annotations/, annotations/passes/NAME/), raw pages (dataset/sources/) "
        "or the metadata file",
    )
    # bytes and lines (corpus.jsonl)
    FILE_UNREADABLE = (Code.FILE_UNREADABLE, "Cannot read the file: {reason}.", "a readable file")
    FILE_EMPTY = (Code.FILE_EMPTY, "The file holds no records.", "at least one JSON line")
    ENCODING_BOM = (Code.ENCODING_BOM, "File starts with a UTF-8 byte order mark.", "no BOM")
    ENCODING_INVALID = (
        Code.ENCODING_INVALID,
        "Not UTF-8: invalid bytes on {count} line(s), the first at byte {byte} of this line.",
        "UTF-8",
    )
    ENCODING_LEGACY = (
        Code.ENCODING_INVALID,
        "Not UTF-8: the file looks like {encoding}, where these bytes read {reads!r}; invalid UTF-8 on "
        "{count} line(s), the first at byte {byte} of this line.",
        "UTF-8",
        "Re-save the file as UTF-8 (in the editor's 'Save as' dialog, or: iconv -f CP1252 -t UTF-8 FILE > NEW).",
    )
    ENCODING_UTF16 = (
        Code.ENCODING_INVALID,
        "Not UTF-8: the file is {variant}.",
        "UTF-8",
        "Re-save the file as UTF-8 (Notepad: 'Save as', Encoding 'UTF-8'; or: iconv -f UTF-16 -t UTF-8 FILE > NEW).",
    )
    ENCODING_NUL = (Code.ENCODING_NUL, "NUL bytes on {count} line(s), the first on this line.", "text")
    LINE_CRLF = (
        Code.LINE_CRLF,
        "{count} of {total} lines end with CR LF (Windows line ends), the first on this line.",
        "\\n line ends",
    )
    LINE_CR = (
        Code.LINE_CRLF,
        "Lines end with a bare CR (classic Mac line ends) on {count} line(s), the first on this line.",
        "\\n line ends",
    )
    LINE_TOO_LONG = (Code.LINE_TOO_LONG, "Line skipped: too long.", "at most {limit}")
    JSON_INVALID = (Code.JSON_INVALID, "{error} at column {column}.", "one JSON object")
    JSON_TRAILING_COMMA = (
        Code.JSON_INVALID,
        "Trailing comma before '{bracket}' at column {column}.",
        "one JSON object",
        "Delete the comma after the last item: JSON allows no comma before } or ].",
    )
    JSON_CURLY_QUOTE = (
        Code.JSON_INVALID,
        "Curly quote '{quote}' at column {column} where JSON needs a straight double quote.",
        "one JSON object",
        'Write keys and strings between straight double quotes " (a word processor or chat app made them '
        "curly; edit the file in a plain-text editor). Curly quotes inside a string are text and stay.",
    )
    JSON_SINGLE_QUOTE = (
        Code.JSON_INVALID,
        "Single quote at column {column}: JSON strings use double quotes.",
        "one JSON object",
        'Write keys and strings between double quotes " (a Python dict printed with print() is not JSON; '
        "write lines with json.dumps(record, ensure_ascii=False)).",
    )
    JSON_PYTHON_WORD = (
        Code.JSON_INVALID,
        "Python's {word} at column {column}: JSON writes {json}.",
        "one JSON object",
        "Write true, false and null in lower case (or write lines with json.dumps(record, ensure_ascii=False)).",
    )
    JSON_NOT_OBJECT = (Code.JSON_NOT_OBJECT, "Line is not a JSON object.", "{{...}}")
    JSON_TOO_DEEP = (Code.JSON_TOO_DEEP, "JSON nested too deeply.", "depth at most {limit}")
    JSON_TOO_DEEP_TO_READ = (Code.JSON_TOO_DEEP, "JSON nested too deeply to read.", "depth at most {limit}")
    JSON_TRAILING_SPACE = (
        Code.JSON_INVALID,
        "Whitespace JSON does not allow ({name}) at column {column}, at the end of the line.",
        "one JSON object",
        "Delete the whitespace at the end of the line (JSON allows spaces and tabs only).",
    )
    # what score forgives in a student's file (corpus.jsonl, read leniently): warnings
    LENIENT_UTF16 = (
        Code.ENCODING_INVALID,
        "Read for scoring although the file is {variant}, not UTF-8.",
        None,
        "Nothing to do for scoring; a contribution must be UTF-8 ('dprkmedia validate' refuses it).",
    )
    LENIENT_BOM = (
        Code.ENCODING_BOM,
        "Read for scoring although the file starts with a UTF-8 byte order mark.",
        None,
        "Nothing to do for scoring; a contribution must be UTF-8 without BOM ('dprkmedia validate' refuses it).",
    )
    LENIENT_CRLF = (
        Code.LINE_CRLF,
        "Read for scoring although {count} line(s) end with CR LF, the first on this line.",
        None,
        "Nothing to do for scoring; a contribution uses LF line ends ('dprkmedia validate' refuses CR LF).",
    )
    LENIENT_SPACE = (
        Code.JSON_INVALID,
        "Read for scoring although {count} line(s) end with whitespace JSON does not allow, the first this one.",
        None,
        "Nothing to do for scoring; a contribution has no such whitespace ('dprkmedia validate' refuses it).",
    )
    # JSON Schema (corpus.schemacheck, corpus.loading, validation.records)
    FIELD_MISSING = (Code.FIELD_MISSING, "Required field '{field}' is missing.", "a '{field}' field")
    FIELD_UNKNOWN = (Code.FIELD_UNKNOWN, "Unknown field {field!r}.", "only {allowed}")
    FIELD_UNKNOWN_NEAR = (Code.FIELD_UNKNOWN, "Unknown field {field!r}: did you mean '{near}'?", "only {allowed}")
    FIELD_TYPE = (Code.FIELD_TYPE, "Wrong type for '{field}'.", "type {type}")
    LABEL_NOT_ALLOWED = (Code.LABEL_UNKNOWN, "Value of '{field}' is not allowed.", "one of {allowed}")
    LABEL_NOT_ALLOWED_NEAR = (
        Code.LABEL_UNKNOWN,
        "Value of '{field}' is not allowed: did you mean '{near}'?",
        "one of {allowed}",
    )
    VALUE_NOT_ALLOWED = (Code.VALUE_INVALID, "Value of '{field}' is not allowed.", "one of {allowed}")
    VALUE_NOT_ALLOWED_NEAR = (
        Code.VALUE_INVALID,
        "Value of '{field}' is not allowed: did you mean '{near}'?",
        "one of {allowed}",
    )
    VALUE_FORMAT = (Code.VALUE_FORMAT, "Value of '{field}' has the wrong form.", "a match of {pattern}")
    VALUE_INVALID = (Code.VALUE_INVALID, "{error}.")
    KIND_MISSING = (Code.FIELD_MISSING, "Unknown or missing record 'kind'.", "one of {kinds}")
    KIND_UNKNOWN = (Code.LABEL_UNKNOWN, "Unknown or missing record 'kind'.", "one of {kinds}")
    LAYER_MISSING = (Code.FIELD_MISSING, "Required field 'layer' is missing.", "'layer': one of {layers}")
    LAYER_UNKNOWN = (Code.LABEL_UNKNOWN, "Value of 'layer' is not allowed.", "one of {layers}")
    LAYER_UNKNOWN_NEAR = (
        Code.LABEL_UNKNOWN,
        "Value of 'layer' is not allowed: did you mean '{near}'?",
        "one of {layers}",
    )
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
    TIMEX_VALUE_IMPOSSIBLE = (Code.TIMEX_VALUE_IMPOSSIBLE, "Not a real {type}: {problem}.", "{example}")
    NESTING_INSIDE = (
        Code.SPAN_NESTING,
        "The {label} span is inside the {other_label} span on line {other}: {rule}.",
        "no span of this layer inside it",
    )
    NESTING_CROSSING = (
        Code.SPAN_NESTING,
        "The {label} span crosses the {other_label} span on line {other}: {rule}.",
        "spans of this layer that do not share characters",
    )
    NESTING_SAME_EXTENT = (
        Code.SPAN_NESTING,
        "The {label} span has the extent of the {other_label} span on line {other}: {rule}.",
        "one label for one extent",
    )
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
        Code.PATH_EMPTY,
        "No annotation files (*.jsonl) in this folder.",
        "an annotation file or a folder of them",
        "Give the annotation file, or the folder that holds the *.jsonl files.",
    )
    SCORE_PATH_MISSING = (
        Code.PATH_MISSING,
        "No file or folder at this path.",
        "an annotation file or a folder of them",
        "Check the path (it is relative to the current folder).",
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
    LS_EXPORT_UNREADABLE = (
        Code.FILE_UNREADABLE,
        "Cannot read the export: {reason}.",
        "a Label Studio JSON export file",
        "Check the path of the export (dprkmedia labelstudio pull -o EXPORT.json writes one).",
    )
    LS_EXPORT_ZERO_BYTES = (
        Code.FILE_EMPTY,
        "The export file is empty ({size} bytes).",
        "a JSON array of tasks",
        EXPORT_AGAIN,
    )
    LS_EXPORT_UTF16 = (
        Code.ENCODING_INVALID,
        "The export is UTF-16 text ({bom}), not UTF-8.",
        "UTF-8",
        "Export again from Label Studio, or re-save the file as UTF-8 (a PowerShell '>' writes "
        "UTF-16: use '| Out-File -Encoding utf8').",
    )
    LS_EXPORT_NOT_UTF8 = (
        Code.ENCODING_INVALID,
        "Invalid UTF-8 at byte {byte} of the export.",
        "UTF-8",
        "Export again from Label Studio; a file re-saved by an editor may have changed its encoding.",
    )
    LS_EXPORT_NOT_JSON = (
        Code.JSON_INVALID,
        "Not JSON: {error} at column {column}.",
        "a JSON array of tasks",
        EXPORT_AGAIN,
    )
    LS_EXPORT_SEVERAL_VALUES = (
        Code.JSON_INVALID,
        "More than one JSON value: a second one starts at column {column}.",
        "one JSON array of tasks",
        "An export is one JSON array ([{...}, ...]), not JSON Lines; an annotation file (one JSON "
        "object per line) is checked with 'dprkmedia validate FILE', not imported.",
    )
    LS_EXPORT_TOO_DEEP = (
        Code.JSON_TOO_DEEP,
        "JSON nested too deeply to read.",
        "a Label Studio JSON export",
        EXPORT_AGAIN,
    )
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
    LS_REGION_ID_CLASH = (
        Code.LS_REGION_DUPLICATE,
        "Region id {id!r} also labels the same {layer} offsets in result[{first}].",
        "one region per id and offsets",
    )
    LS_REGION_FIELD_CLASH = (
        Code.LS_REGION_DUPLICATE,
        "The {layer} region has {count} different {control} values.",
        "one {control} value",
    )
    LS_SPAN_DUPLICATE = (
        Code.SPAN_DUPLICATE,
        "Same span and label as {other}.",
        "each span once per label",
        "In Label Studio, delete one of the two regions, then export again.",
    )
    LS_ID_DUPLICATE = (Code.ID_DUPLICATE, "Span id also used by {other}.", "a unique id")
    LS_ANNOTATION_DUPLICATE = (
        Code.LS_ANNOTATION_DUPLICATE,
        "{who} also annotated this document in {other}.",
        "one submitted annotation per annotator and document",
    )
    LS_EXPORT_EMPTY = (
        Code.LS_EXPORT_EMPTY,
        "No submitted annotation in the export ({tasks} tasks, {cancelled} cancelled, {drafts} unsubmitted drafts).",
        "at least one submitted annotation",
    )
    LS_GOLD_SEVERAL_ANNOTATORS = (
        Code.LS_GOLD_SEVERAL_ANNOTATORS,
        "--gold: {count} annotators annotated this document ({annotators}).",
        "one annotator per document with --gold",
    )
    LS_OUTPUT_EXISTS = (Code.LS_OUTPUT_EXISTS, "The file exists and would be overwritten.", "a new file, or --force")
    LS_OUTPUT_IS_FILE = (
        Code.LS_OUTPUT_UNWRITABLE,
        "{blocker} is a file, not a folder: {count} output files would go under it.",
        "a folder",
    )
    LS_OUTPUT_IS_FOLDER = (Code.LS_OUTPUT_UNWRITABLE, "The output path is a folder.", "a file path")
    LS_OUTPUT_NOT_WRITABLE = (
        Code.LS_OUTPUT_UNWRITABLE,
        "No permission to write in {blocker} ({count} output files).",
        "a writable folder",
    )


REGION_FIXES: dict[Code, str] = {
    Code.SPAN_EDGE_WHITESPACE: "In Label Studio, draw the region again without the space or punctuation at its "
    "edge (delete the old one), then export again.",
    Code.SPAN_TOKEN_MISALIGNED: "In Label Studio, draw the region again over whole words (it cuts a word), then "
    "export again.",
    Code.TIMEX_VALUE_INVALID: "In Label Studio, select the date region and correct its TIMEX3 value field, then "
    "export again.",
    Code.TEXT_NOT_NFC: "Make the tasks again with 'dprkmedia labelstudio tasks' (their text is the corpus text).",
    Code.LABEL_UNKNOWN: "Create the project with the config of 'dprkmedia labelstudio config' and label again.",
}
"""Fixes of the annotation-file checks for an issue found in a Label Studio region: what to do
in Label Studio, not in a file the import has not written."""


def issue(
    message: Message,
    file: str,
    /,
    *,
    line: int | None = None,
    path: str | None = None,
    found: str | None = None,
    context: str | None = None,
    **values: object,
) -> Issue:
    """The issue ``message`` names, its templates filled with ``values``."""
    expected = None if message.expected is None else message.expected.format(**values)
    text = message.text.format(**values)
    return Issue(message.code, file, text, line, path, found, expected, message.fix, context)
