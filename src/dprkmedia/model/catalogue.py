"""The catalogue of every problem the validator reports: its codes and their entries.

Each problem has a stable kebab-case code. ``docs/validation.md`` is generated from
:data:`CATALOGUE` (``dprkmedia generate``), so the docs cannot drift from the code. The
texts of the issues are :mod:`dprkmedia.model.messages`; the issues and the report are
:mod:`dprkmedia.model.issues`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Code(StrEnum):
    """Every issue code; the value is the kebab-case code reports show."""

    PATH_MISSING = "path-missing"
    PATH_EMPTY = "path-empty"
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
    TIMEX_VALUE_IMPOSSIBLE = "timex-value-impossible"
    SPAN_NESTING = "span-nesting"
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
    LS_REGION_DUPLICATE = "ls-region-duplicate"
    LS_ANNOTATION_DUPLICATE = "ls-annotation-duplicate"
    LS_EXPORT_EMPTY = "ls-export-empty"
    LS_GOLD_SEVERAL_ANNOTATORS = "ls-gold-several-annotators"
    LS_OUTPUT_EXISTS = "ls-output-exists"
    LS_OUTPUT_UNWRITABLE = "ls-output-unwritable"
    DATE_INVALID = "date-invalid"


USAGE_CODES = frozenset({Code.PATH_MISSING, Code.PATH_EMPTY})
"""Codes that say the command was given something unusable (exit 2), not that the data is invalid."""


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
    # what the command line names (usage errors: exit 2)
    (
        Code.PATH_MISSING,
        "Path does not exist",
        "A PATH given to validate names no file or folder (often a typo in a CI or pre-commit config). "
        "Nothing was checked there, so validate exits 2 instead of passing.",
        "Give the path of an existing annotation file, raw page, metadata file, Label Studio export or "
        "folder of them (paths are relative to the current folder).",
    ),
    (
        Code.PATH_EMPTY,
        "Path selects no file",
        "A folder given to validate holds none of the files validate checks (annotation files, raw pages, "
        "the metadata file): an empty folder, or one outside the corpus's inputs. Nothing was checked "
        "there, so validate exits 2 instead of passing.",
        "Give annotations/, a passes folder, dataset/sources/ or the files themselves, inside the repository "
        "validated (paths are relative to the current folder); name Label Studio exports one by one.",
    ),
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
        "The file is not valid UTF-8. Reported once per file, at the first line with invalid bytes, with "
        "the number of lines affected; the encoding is named when it can be told: UTF-16 (by its byte order "
        "mark or the NUL byte beside each character), Windows-1252 or Latin-1 (when the bytes read as text "
        "there). Lines that do not decode are not checked further.",
        "Re-save the file as UTF-8; check the quoted bytes for a Latin-1 or Windows-1252 character.",
    ),
    (
        Code.ENCODING_NUL,
        "NUL byte",
        "The file contains NUL (0x00) bytes but is not UTF-16: usually a binary file. Reported once per "
        "file, at the first such line, with the number of lines affected.",
        "Re-save the file as UTF-8 text.",
    ),
    (
        Code.LINE_CRLF,
        "Windows line end",
        "Lines end with CR LF (Windows) or a bare CR (classic Mac); files use LF line ends only. "
        "Reported once per file, at the first such line, with the number of lines affected.",
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
        "The line is not one valid JSON value. A trailing comma, curly or single quotes, Python's "
        "True/False/None and whitespace JSON does not allow at the end of a line (a no-break space) get "
        "a message and fix of their own; anything else is the parser's message (truncated line, missing "
        "comma...).",
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
        "The record has a field its kind does not define (often a misspelling: the closest field of the "
        "record's kind is suggested).",
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
        "The value is not one of the taxonomy's labels for this field (spelling is exact; a label spelled "
        "alike, or in another case, is suggested).",
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
        Code.TIMEX_VALUE_IMPOSSIBLE,
        "TIMEX3 value names no real date or time",
        "The value has the form of its type but names nothing real: a month or day that does not exist "
        "(2001-13-45, 2001-02-29, XXXX-04-31), ISO week 00, 54 or 53 of a 52-week year, an hour, minute or "
        "second past the clock (T25:99; 24 only as T24:00; second 60 is a leap second). Unknown fields (X) "
        "are not checked.",
        "Check the date in the text and write its real value (GUIDELINES §3.3, §3.4).",
    ),
    (
        Code.SPAN_NESTING,
        "Spans nested against the guidelines",
        "Two spans of one layer share characters where the guidelines do not allow it (GUIDELINES §1, §2.3, "
        "§3.7; Decision log 74, 75). Entities: only a TITLE contains other entities, and only GPE and ORG "
        "names; LAW, ORG, EVENT, FAC and LOC names are flat; entity spans never cross, and one extent has "
        "one label. Dates: date spans never share characters. Rhetoric spans, and spans of different layers, "
        "may overlap.",
        "Delete the inner span (a flat name is one span), or fix the extents so that the spans nest as the "
        "guidelines say or stay apart.",
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
        Code.LS_REGION_DUPLICATE,
        "Regions that cannot be told apart",
        "Two regions of one annotation have the same id, layer and offsets (or one region has two "
        "different values in its per-region field), so which label or field belongs to which span "
        "cannot be decided. Regions that share an id but differ in their offsets are kept, each "
        "as its own span.",
        "In Label Studio, delete one of the two regions (or clear one of the two values) and submit "
        "again; then export again.",
    ),
    (
        Code.LS_ANNOTATION_DUPLICATE,
        "One annotator, two annotations of one document",
        "An annotator has more than one submitted annotation of a document, and an annotation file "
        "holds one: which one is the annotator's is not decided by the importer.",
        "In Label Studio, delete the annotation that is not meant (Annotations tab of the task), then export again.",
    ),
    (
        Code.LS_EXPORT_EMPTY,
        "Export holds no submitted annotation",
        "The export has no annotation to import: no tasks, or only cancelled annotations and "
        "unsubmitted drafts (Label Studio keeps a draft until the annotator presses Submit).",
        "Ask annotators to press Submit (or Update) on each task, then export again (Export → JSON).",
    ),
    (
        Code.LS_GOLD_SEVERAL_ANNOTATORS,
        "Several annotators for one gold file",
        "With --gold, a document's annotations go to annotations/<doc>.jsonl, which holds one "
        "annotation; this document has annotations by several annotators.",
        "Import without --gold (each annotator to annotations/passes/<annotator>/), adjudicate, then "
        "copy the decided file to annotations/.",
    ),
    (
        Code.LS_OUTPUT_EXISTS,
        "Output file exists",
        "The import would overwrite an existing annotation file; it never does without --force.",
        "Pass --force to overwrite, or --out to import into another folder.",
    ),
    (
        Code.LS_OUTPUT_UNWRITABLE,
        "Output cannot be written",
        "An output file cannot be written there: a folder on its path is a file, the file's path "
        "is a folder, or the folder is not writable.",
        "Pass --out with a folder you can write to, or move the file that is in the way.",
    ),
    (
        Code.DATE_INVALID,
        "Impossible date",
        "A date read from the page or given in the metadata is not a real calendar date.",
        "Check the date and the Date: field order (date-line-format record).",
    ),
)
