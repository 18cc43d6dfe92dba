"""Read JSON-lines files defensively: every problem becomes a located :class:`Issue`."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dprkmedia.model.issues import Issue
from dprkmedia.model.messages import Message as M
from dprkmedia.model.messages import issue

BOM = b"\xef\xbb\xbf"
NUL = b"\x00"
MAX_LINE_CHARS = 1_000_000
MAX_DEPTH = 8


@dataclass(frozen=True)
class Record:
    """One JSON object read from line ``line`` of a file."""

    line: int
    data: dict[str, Any]


def depth(value: Any) -> int:
    """Nesting depth of a JSON value (a scalar is 0).

    It is at most the number of ``{`` and ``[`` in the value's JSON text (each container
    opens with one, and strings only add more), which :func:`parse_line` checks first.
    """
    stack: list[tuple[Any, int]] = [(value, 0)]
    deepest = 0
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(item, dict):
            stack.extend((child, level + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, level + 1) for child in item)
    return deepest


def clean_text(data: bytes) -> str | None:
    """The text of ``data`` when :func:`decode_lines` has nothing to report on it (no BOM,
    CR, NUL or invalid UTF-8), else None."""
    if data.startswith(BOM) or b"\r" in data or NUL in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


UTF16_BOMS = {
    b"\xff\xfe": "UTF-16 little-endian, with byte order mark FF FE",
    b"\xfe\xff": "UTF-16 big-endian, with byte order mark FE FF",
}


def utf16_variant(data: bytes) -> str | None:
    """Which UTF-16 ``data`` is, when it is UTF-16: by its byte order mark, or (without one) by
    the NUL byte beside every ASCII character, as Windows tools write it; else None."""
    for bom, variant in UTF16_BOMS.items():
        if data.startswith(bom):
            return variant
    if len(data) < 4 or data.count(NUL) < len(data) // 4:
        return None
    for codec, halves, variant in (
        ("utf-16-le", data[1::2], "UTF-16 little-endian, without byte order mark"),
        ("utf-16-be", data[0::2], "UTF-16 big-endian, without byte order mark"),
    ):
        if halves.count(NUL) >= len(halves) * 3 // 4:
            try:
                data.decode(codec)
            except UnicodeDecodeError:
                continue
            return variant
    return None


def legacy_encoding(data: bytes) -> tuple[str, str] | None:
    """The single-byte encoding that reads ``data`` (not UTF-8) as text, with the codec that
    decodes it: Windows-1252 when it has one of its typographic bytes 80–9F (curly quotes,
    dashes), else Windows-1252 or Latin-1, which agree on A0–FF; None when neither reads it
    as text (a binary file)."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    if any(not (char.isprintable() or char in "\t\r\n") for char in text):
        return None
    if any(0x80 <= byte <= 0x9F for byte in data):
        return "Windows-1252 (cp1252)", "cp1252"
    return "Latin-1 (ISO-8859-1) or Windows-1252", "cp1252"


@dataclass
class _FileWide:
    """What a file's lines share: problems reported once per file, at their first line."""

    crlf: list[int] = field(default_factory=list)
    cr: list[int] = field(default_factory=list)
    nul: list[tuple[int, int]] = field(default_factory=list)
    invalid: list[tuple[int, UnicodeDecodeError, bytes]] = field(default_factory=list)

    def issues(self, data: bytes, display: str, total: int) -> Iterator[Issue]:
        if self.crlf:
            line = self.crlf[0]
            yield issue(M.LINE_CRLF, display, line=line, found="\\r\\n", count=len(self.crlf), total=total)
        if self.cr:
            yield issue(M.LINE_CR, display, line=self.cr[0], found="\\r", count=len(self.cr))
        if self.nul:
            line, byte = self.nul[0]
            yield issue(M.ENCODING_NUL, display, line=line, found=f"NUL at byte {byte}", count=len(self.nul))
        if self.invalid:
            line, error, raw = self.invalid[0]
            bad = raw[error.start : error.end + 3]
            count, byte, found = len(self.invalid), error.start + 1, bad.hex(" ")
            legacy = legacy_encoding(data)
            if legacy is None:
                yield issue(M.ENCODING_INVALID, display, line=line, found=found, count=count, byte=byte)
            else:
                name, codec = legacy
                reads = raw[error.start : error.end].decode(codec)
                yield issue(
                    M.ENCODING_LEGACY,
                    display,
                    line=line,
                    found=found,
                    count=count,
                    byte=byte,
                    encoding=name,
                    reads=reads,
                )


def decode_lines(data: bytes, display: str) -> Iterator[tuple[int, str] | Issue]:
    """Split bytes into numbered text lines, with an Issue for each problem.

    A problem that comes from how the file was saved (a byte order mark, CR LF line ends, an
    encoding other than UTF-8) is reported once per file, at its first line, with the number
    of lines it affects: one Windows save is one problem, not one per line. Lines that do not
    decode are left out."""
    text = clean_text(data)
    if text is not None:  # the common case: decode once, not line by line
        yield from enumerate(text.split("\n"), start=1)
        return
    variant = utf16_variant(data)
    if variant is not None:
        yield issue(M.ENCODING_UTF16, display, line=1, found=data[:8].hex(" "), variant=variant)
        return
    if data.startswith(BOM):
        yield issue(M.ENCODING_BOM, display, line=1, found="EF BB BF")
        data = data[len(BOM) :]
    wide = _FileWide()
    lines: list[tuple[int, str]] = []
    raws = data.split(b"\n")
    for number, raw in enumerate(raws, start=1):
        if raw.endswith(b"\r"):
            wide.crlf.append(number)
            raw = raw[:-1]
        if b"\r" in raw:
            wide.cr.append(number)
        if NUL in raw:
            wide.nul.append((number, raw.index(NUL) + 1))
            continue
        try:
            lines.append((number, raw.decode("utf-8")))
        except UnicodeDecodeError as error:
            wide.invalid.append((number, error, raw))
    yield from wide.issues(data, display, len(raws) - (raws[-1] == b""))
    yield from lines


CURLY_QUOTES = "\u201c\u201d\u201e\u201f\u2018\u2019\u201a\u201b\u00ab\u00bb\u2033"
"""Quotes that word processors and chat apps put where JSON needs a straight double quote."""
CURLY_AS_SYNTAX = re.compile(rf"[{{\[,:]\s*([{CURLY_QUOTES}])|([{CURLY_QUOTES}])\s*[,:}}\]]")
"""A curly quote right after ``{ [ , :`` or right before ``, : } ]``: where a JSON string opens or closes."""


def trailing_comma(text: str, pos: int) -> tuple[int, str] | None:
    """The index of a comma right before a closing ``}`` or ``]`` where parsing stopped at
    ``pos`` (on the comma, or on the bracket after it), and the bracket; else None."""
    if pos < len(text) and text[pos] == ",":
        rest = text[pos + 1 :].lstrip()
        return (pos, rest[0]) if rest[:1] in ("}", "]") else None
    before = text[:pos].rstrip()
    if pos < len(text) and text[pos] in "}]" and before.endswith(","):
        return len(before) - 1, text[pos]
    return None


def json_error_issue(error: json.JSONDecodeError, text: str, number: int, display: str) -> Issue:
    """The issue of a line that is not JSON, with a specific hint for the usual slips: a
    trailing comma, curly or single quotes, Python's True/False/None."""
    pos = error.pos
    at = text[pos] if pos < len(text) else ""
    comma = trailing_comma(text, pos)
    if comma is not None:
        return issue(M.JSON_TRAILING_COMMA, display, line=number, found=text, bracket=comma[1], column=comma[0] + 1)
    syntax = CURLY_AS_SYNTAX.search(text)
    if at not in CURLY_QUOTES and syntax is not None:  # a curly quote where a string opens or closes
        pos = syntax.start(1) if syntax.group(1) else syntax.start(2)
        at = text[pos]
    if at and at in CURLY_QUOTES:
        return issue(M.JSON_CURLY_QUOTE, display, line=number, found=text, quote=at, column=pos + 1)
    if at == "'":
        return issue(M.JSON_SINGLE_QUOTE, display, line=number, found=text, column=pos + 1)
    if error.msg == "Extra data" and not text[pos:].strip():
        name = unicodedata.name(text[pos], f"U+{ord(text[pos]):04X}")
        return issue(M.JSON_TRAILING_SPACE, display, line=number, found=text[pos:], name=name, column=pos + 1)
    word = next((w for w in ("True", "False", "None") if text.startswith(w, pos)), None)
    if word is not None:
        json_word = {"True": "true", "False": "false", "None": "null"}[word]
        return issue(M.JSON_PYTHON_WORD, display, line=number, found=text, word=word, json=json_word, column=pos + 1)
    return issue(M.JSON_INVALID, display, line=number, found=text, error=error.msg, column=error.colno)


def parse_line(number: int, text: str, display: str) -> Record | Issue | None:
    """Parse one text line as a JSON object; None for a blank line."""
    if not text.strip():
        return None
    if len(text) > MAX_LINE_CHARS:
        return issue(M.LINE_TOO_LONG, display, line=number, found=f"{len(text)} characters", limit=MAX_LINE_CHARS)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        return json_error_issue(error, text, number, display)
    except RecursionError:
        return issue(M.JSON_TOO_DEEP_TO_READ, display, line=number, found=text, limit=MAX_DEPTH)
    if not isinstance(value, dict):
        return issue(M.JSON_NOT_OBJECT, display, line=number, found=text)
    if text.count("{") + text.count("[") > MAX_DEPTH and depth(value) > MAX_DEPTH:
        return issue(M.JSON_TOO_DEEP, display, line=number, found=f"depth {depth(value)}", limit=MAX_DEPTH)
    return Record(number, value)


def records_of(data: bytes, display: str) -> Iterator[Record | Issue]:
    """The records of the bytes of a JSON-lines file and the issues met reading them, line by line."""
    empty = True
    for item in decode_lines(data, display):
        parsed = item if isinstance(item, Issue) else parse_line(*item, display)
        if parsed is not None:
            empty = False
            yield parsed
    if empty:
        yield issue(M.FILE_EMPTY, display, line=1, found="empty file")


def iter_records(path: Path, display: str) -> Iterator[Record | Issue]:
    """The records of a JSON-lines file and the issues met while reading it, line by line."""
    try:
        data = path.read_bytes()
    except OSError as error:
        yield issue(M.FILE_UNREADABLE, display, found=str(path), reason=error.strerror)
        return
    yield from records_of(data, display)


def _split(items: Iterable[Record | Issue]) -> tuple[list[Record], list[Issue]]:
    records: list[Record] = []
    issues: list[Issue] = []
    for item in items:
        if isinstance(item, Issue):
            issues.append(item)
        else:
            records.append(item)
    return records, issues


def read_records(path: Path, display: str) -> tuple[list[Record], list[Issue]]:
    """All records of a JSON-lines file, and the issues met while reading it."""
    return _split(iter_records(path, display))


# --- lenient reading (students' files for scoring) ---------------------------------------


def lenient_bytes(data: bytes, display: str) -> tuple[bytes, list[Issue]]:
    """``data`` without what an editor adds on saving, and a warning for each kind of thing
    undone: UTF-16 with a byte order mark is re-encoded, a UTF-8 byte order mark skipped, CR
    LF read as LF, and whitespace at the end of a line dropped. Nothing else changes, so
    every other problem is still the strict reader's to report."""
    warnings: list[Issue] = []
    variant = UTF16_BOMS.get(data[:2])
    if variant is not None:
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return data, warnings
        warnings.append(issue(M.LENIENT_UTF16, display, line=1, variant=variant))
    if data.startswith(BOM):
        data = data[len(BOM) :]
        warnings.append(issue(M.LENIENT_BOM, display, line=1))
    crlf: list[int] = []
    spaced: list[int] = []
    lines: list[bytes] = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if raw.endswith(b"\r"):
            crlf.append(number)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            lines.append(raw)
            continue
        kept = text.rstrip()
        if text[len(kept) :].strip(" \t\r"):  # whitespace JSON does not allow, such as a no-break space
            spaced.append(number)
        lines.append(kept.encode("utf-8"))
    if crlf:
        warnings.append(issue(M.LENIENT_CRLF, display, line=crlf[0], count=len(crlf)))
    if spaced:
        warnings.append(issue(M.LENIENT_SPACE, display, line=spaced[0], count=len(spaced)))
    return b"\n".join(lines), warnings


def read_records_leniently(path: Path, display: str) -> tuple[list[Record], list[Issue], list[Issue]]:
    """Records, issues and warnings of a JSON-lines file read as :func:`lenient_bytes` reads it:
    how a student's editor saved the file is a warning, not an error."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return [], [issue(M.FILE_UNREADABLE, display, found=str(path), reason=error.strerror)], []
    data, warnings = lenient_bytes(data, display)
    records, issues = _split(records_of(data, display))
    return records, issues, warnings


def dump_line(data: dict[str, Any]) -> str:
    """One record as a JSON line, in the house form (UTF-8, no ASCII escapes)."""
    return json.dumps(data, ensure_ascii=False, separators=(", ", ": "))
