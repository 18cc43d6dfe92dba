"""JSON Schema errors of a record, turned into coded issues.

Loading needs them (a metadata line is kept only when its schema accepts it) and so does
validation (every record of an annotation file), so they live here, below both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from dprkmedia.corpus.jsonl import Record
from dprkmedia.model.issues import Issue
from dprkmedia.model.messages import Message as M
from dprkmedia.model.messages import issue

Acceptor = Callable[[Any], bool]
"""A fast check that answers True only for instances the schema certainly accepts."""


def compile_acceptor(schema: dict[str, Any]) -> Acceptor:
    """``jsonschema_rs``'s ``is_valid`` for ``schema``: True only for a valid instance.

    It answers "certainly valid" or "not sure"; on "not sure" :func:`check_schema` runs
    ``jsonschema``, whose errors make the report, so reports are exactly ``jsonschema``'s. An
    instance ``jsonschema_rs`` cannot take (it raises) is "not sure". Where the two differ on our
    schemas it is ``jsonschema_rs`` that is stricter (ECMA-262 patterns: ``$`` does not match
    before a final newline, ``\\d`` is ASCII), which only sends a record to ``jsonschema``.
    ``benchmarks/acceptors.py`` and ``tests/test_acceptor.py`` check that it never accepts what
    ``jsonschema`` rejects (docs/PERFORMANCE.md).
    """
    validator = jsonschema_rs.Draft202012Validator(schema)

    def accept(instance: Any) -> bool:
        try:
            return bool(validator.is_valid(instance))
        except (ValueError, OverflowError, TypeError):
            return False

    return accept


LABEL_FIELDS = {"label", "type", "genre", "layer", "kind", "order", "split"}
"""Fields whose allowed values are taxonomy labels (a bad value is ``label-unknown``)."""


def json_path(error: ValidationError) -> str:
    """A JSON Schema error's location as ``$.a[0].b``."""
    path = "$"
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def schema_issue(error: ValidationError, display: str, line: int) -> Issue:
    """Turn one JSON Schema error into a coded issue."""
    field_name = next((p for p in reversed(error.absolute_path) if isinstance(p, str)), "")
    found = repr(error.instance) if not isinstance(error.instance, str) else error.instance
    where = json_path(error)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return issue(M.FIELD_MISSING, display, line=line, path=where, field=missing)
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}) if isinstance(error.schema, dict) else [])
        return issue(M.FIELD_UNKNOWN, display, line=line, path=where, error=error.message, allowed=allowed)
    if error.validator == "type":
        return issue(
            M.FIELD_TYPE,
            display,
            line=line,
            path=where,
            found=found,
            field=field_name or where,
            type=error.validator_value,
        )
    if error.validator in ("enum", "const"):
        value = error.validator_value
        allowed = list(value) if error.validator == "enum" and isinstance(value, list) else [value]
        is_label = field_name in LABEL_FIELDS or "frames" in error.absolute_path
        return issue(
            M.LABEL_NOT_ALLOWED if is_label else M.VALUE_NOT_ALLOWED,
            display,
            line=line,
            path=where,
            found=found,
            field=field_name or where,
            allowed=", ".join(map(str, allowed)),
        )
    if error.validator == "pattern":
        return issue(
            M.VALUE_FORMAT, display, line=line, path=where, found=found, field=field_name, pattern=error.validator_value
        )
    return issue(M.VALUE_INVALID, display, line=line, path=where, error=error.message)


def check_schema(
    validator: Draft202012Validator, record: Record, display: str, accept: Acceptor | None = None
) -> Iterator[Issue]:
    """Every JSON Schema error of one record (never only the first).

    ``accept`` (:func:`compile_acceptor`) may vouch for a valid record; the JSON Schema
    validator runs whenever it does not, so the issues are always its own.
    """
    if accept is not None and accept(record.data):
        return
    for error in sorted(validator.iter_errors(record.data), key=lambda e: list(e.absolute_path)):
        yield schema_issue(error, display, record.line)


__all__ = ["Acceptor", "check_schema", "compile_acceptor"]
