"""Read JSON-lines files defensively: every problem becomes a located :class:`Issue`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
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


def decode_lines(data: bytes, display: str) -> Iterator[tuple[int, str] | Issue]:
    """Split bytes into numbered text lines, yielding an Issue for each bad line."""
    text = clean_text(data)
    if text is not None:  # the common case: decode once, not line by line
        yield from enumerate(text.split("\n"), start=1)
        return
    if data.startswith(BOM):
        yield issue(M.ENCODING_BOM, display, line=1, found="EF BB BF")
        data = data[len(BOM) :]
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if raw.endswith(b"\r"):
            yield issue(M.LINE_CRLF, display, line=number, found="\\r\\n")
            raw = raw[:-1]
        if NUL in raw:
            yield issue(M.ENCODING_NUL, display, line=number, found=f"NUL at byte {raw.index(NUL) + 1}")
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            bad = raw[error.start : error.end + 3].hex(" ")
            yield issue(M.ENCODING_INVALID, display, line=number, found=bad, byte=error.start + 1)
            continue
        yield number, text


def parse_line(number: int, text: str, display: str) -> Record | Issue | None:
    """Parse one text line as a JSON object; None for a blank line."""
    if not text.strip():
        return None
    if len(text) > MAX_LINE_CHARS:
        return issue(M.LINE_TOO_LONG, display, line=number, found=f"{len(text)} characters", limit=MAX_LINE_CHARS)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        return issue(M.JSON_INVALID, display, line=number, found=text, error=error.msg, column=error.colno)
    except RecursionError:
        return issue(M.JSON_TOO_DEEP_TO_READ, display, line=number, found=text, limit=MAX_DEPTH)
    if not isinstance(value, dict):
        return issue(M.JSON_NOT_OBJECT, display, line=number, found=text)
    if text.count("{") + text.count("[") > MAX_DEPTH and depth(value) > MAX_DEPTH:
        return issue(M.JSON_TOO_DEEP, display, line=number, found=f"depth {depth(value)}", limit=MAX_DEPTH)
    return Record(number, value)


def iter_records(path: Path, display: str) -> Iterator[Record | Issue]:
    """The records of a JSON-lines file and the issues met while reading it, line by line."""
    try:
        data = path.read_bytes()
    except OSError as error:
        yield issue(M.FILE_UNREADABLE, display, found=str(path), reason=error.strerror)
        return
    empty = True
    for item in decode_lines(data, display):
        parsed = item if isinstance(item, Issue) else parse_line(*item, display)
        if parsed is not None:
            empty = False
            yield parsed
    if empty:
        yield issue(M.FILE_EMPTY, display, line=1, found="empty file")


def read_records(path: Path, display: str) -> tuple[list[Record], list[Issue]]:
    """All records of a JSON-lines file, and the issues met while reading it."""
    records: list[Record] = []
    issues: list[Issue] = []
    for item in iter_records(path, display):
        if isinstance(item, Issue):
            issues.append(item)
        else:
            records.append(item)
    return records, issues


def dump_line(data: dict[str, Any]) -> str:
    """One record as a JSON line, in the house form (UTF-8, no ASCII escapes)."""
    return json.dumps(data, ensure_ascii=False, separators=(", ", ": "))
