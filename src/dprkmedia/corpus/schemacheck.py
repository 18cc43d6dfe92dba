"""JSON Schema errors of a record, turned into coded issues.

Loading needs them (a metadata line is kept only when its schema accepts it) and so does
validation (every record of an annotation file), so they live here, below both.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
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


def nearest(value: object, choices: Iterable[object]) -> str | None:
    """The choice ``value`` most likely misspells (same letters in another case first, then
    :mod:`difflib`'s closest above a similarity of 0.6), or None."""
    if not isinstance(value, str):
        return None
    folded = {choice.casefold(): choice for choice in choices if isinstance(choice, str)}
    if value.casefold() in folded:
        return folded[value.casefold()]
    match = difflib.get_close_matches(value.casefold(), list(folded), n=1, cutoff=0.6)
    return folded[match[0]] if match else None


def schema_issues(error: ValidationError, display: str, line: int) -> Iterator[Issue]:
    """Turn one JSON Schema error into coded issues (one per unknown field)."""
    field_name = next((p for p in reversed(error.absolute_path) if isinstance(p, str)), "")
    found = repr(error.instance) if not isinstance(error.instance, str) else error.instance
    where = json_path(error)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        yield issue(M.FIELD_MISSING, display, line=line, path=where, field=missing)
    elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
        properties = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        allowed = sorted(properties)
        for name in (key for key in error.instance if key not in properties):
            near = nearest(name, [p for p in allowed if p not in error.instance])
            message = M.FIELD_UNKNOWN if near is None else M.FIELD_UNKNOWN_NEAR
            yield issue(message, display, line=line, path=where, field=name, near=near, allowed=allowed)
    elif error.validator == "type":
        yield issue(
            M.FIELD_TYPE,
            display,
            line=line,
            path=where,
            found=found,
            field=field_name or where,
            type=error.validator_value,
        )
    elif error.validator in ("enum", "const"):
        value = error.validator_value
        allowed = list(value) if error.validator == "enum" and isinstance(value, list) else [value]
        is_label = field_name in LABEL_FIELDS or "frames" in error.absolute_path
        near = nearest(error.instance, allowed)
        if near is None:
            message = M.LABEL_NOT_ALLOWED if is_label else M.VALUE_NOT_ALLOWED
        else:
            message = M.LABEL_NOT_ALLOWED_NEAR if is_label else M.VALUE_NOT_ALLOWED_NEAR
        yield issue(
            message,
            display,
            line=line,
            path=where,
            found=found,
            field=field_name or where,
            near=near,
            allowed=", ".join(map(str, allowed)),
        )
    elif error.validator == "pattern":
        yield issue(
            M.VALUE_FORMAT, display, line=line, path=where, found=found, field=field_name, pattern=error.validator_value
        )
    else:
        yield issue(M.VALUE_INVALID, display, line=line, path=where, error=error.message)


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
        yield from schema_issues(error, display, record.line)


__all__ = ["Acceptor", "check_schema", "compile_acceptor", "nearest"]
