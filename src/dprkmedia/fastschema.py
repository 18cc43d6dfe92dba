"""A fast acceptance check for the project's JSON Schemas: "definitely valid" or "not sure".

:func:`compile_acceptor` turns a schema into a plain Python predicate. The predicate is
*sound*, not complete: when it returns True, ``Draft202012Validator(schema).iter_errors``
yields no error for the instance; when it returns False, nothing is known and the caller
runs the JSON Schema validator, which produces the report. So reports are exactly those of
``jsonschema``, and only valid records (nearly all of them) take the fast path.

Only the keywords the generated schemas use are understood, each checked at least as
strictly as JSON Schema does (``type(x) is str`` rather than "a string or subclass", enums
of strings only, ...). A schema with any other keyword compiles to None: always "not sure".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Acceptor = Callable[[Any], bool]

ANNOTATIONS = frozenset({"description", "title", "$schema", "$id", "$comment"})
"""Keywords that never make an instance invalid."""

TYPES: dict[str, tuple[type, ...]] = {"string": (str,), "integer": (int,), "array": (list,), "object": (dict,)}
"""JSON types checked by exact Python type (``bool`` is not an ``integer`` here: stricter)."""

PLAIN = frozenset({str, int, float, bool, type(None), list, dict})
"""The exact Python types ``json.loads`` produces; anything else is "not sure"."""


def _other(x: Any, kind: type) -> bool:
    """Whether ``x`` is a plain JSON value of another type than ``kind`` (a keyword for
    ``kind`` does not apply to it)."""
    return type(x) is not kind and type(x) in PLAIN


class Unsupported(Exception):
    """The schema uses a keyword (or a value) the acceptor does not handle."""


def _type_check(value: Any) -> Acceptor:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or any(name not in TYPES and name != "null" for name in names):
        raise Unsupported(f"type {value!r}")
    allowed = tuple(t for name in names if name != "null" for t in TYPES[name])
    nullable = "null" in names
    return lambda x: type(x) in allowed or (nullable and x is None)


def _strings(values: Any, keyword: str) -> frozenset[str]:
    if not isinstance(values, list) or not all(type(v) is str for v in values):
        raise Unsupported(f"{keyword} of other values than strings")
    return frozenset(values)


def _object_check(schema: dict[str, Any]) -> Acceptor:
    properties = {key: compile_acceptor_strict(sub) for key, sub in schema.get("properties", {}).items()}
    required = tuple(schema.get("required", ()))
    closed = schema.get("additionalProperties", True)
    if closed not in (True, False):
        raise Unsupported("additionalProperties other than true/false")

    def check(x: Any) -> bool:
        if type(x) is not dict:
            return _other(x, dict)  # properties/required/additionalProperties apply to objects only
        for key in required:
            if key not in x:
                return False
        for key, value in x.items():
            accept = properties.get(key)
            if accept is None:
                if not closed:
                    return False
            elif not accept(value):
                return False
        return True

    return check


def _keyword_check(keyword: str, value: Any, schema: dict[str, Any]) -> Acceptor | None:
    """The check of one keyword; None for keywords handled elsewhere or annotations."""
    if keyword in ANNOTATIONS or keyword in ("properties", "required", "additionalProperties"):
        return None
    if keyword == "type":
        return _type_check(value)
    if keyword == "enum":
        allowed = _strings(value, "enum")
        return lambda x: type(x) is str and x in allowed
    if keyword == "const":
        if type(value) is not str:
            raise Unsupported("const other than a string")
        return lambda x: type(x) is str and x == value
    if keyword == "pattern":
        compiled = re.compile(value)
        return lambda x: _other(x, str) or (type(x) is str and compiled.search(x) is not None)
    if keyword == "minLength" and type(value) is int:
        return lambda x: _other(x, str) or (type(x) is str and len(x) >= value)
    if keyword == "minimum" and type(value) is int:
        return lambda x: (_other(x, int) and type(x) is not float) or (type(x) is int and x >= value)
    if keyword == "items" and isinstance(value, dict):
        item = compile_acceptor_strict(value)
        return lambda x: _other(x, list) or (type(x) is list and all(item(v) for v in x))
    if keyword == "uniqueItems" and type(value) is bool:
        if not value:
            return None
        return lambda x: (
            _other(x, list) or (type(x) is list and all(type(v) is str for v in x) and len(set(x)) == len(x))
        )
    raise Unsupported(keyword)


def compile_acceptor_strict(schema: Any) -> Acceptor:
    """The acceptor of ``schema``; raises :class:`Unsupported` for anything not understood."""
    if not isinstance(schema, dict):
        raise Unsupported("a boolean or non-object schema")
    checks = [check for key, value in schema.items() if (check := _keyword_check(key, value, schema)) is not None]
    if any(key in schema for key in ("properties", "required", "additionalProperties")):
        checks.append(_object_check(schema))
    if len(checks) == 1:
        return checks[0]
    return lambda x: all(check(x) for check in checks)


def compile_acceptor(schema: Any) -> Acceptor:
    """A predicate that is True only for instances ``schema`` certainly accepts.

    For a schema using anything not understood, the predicate is always False (every
    instance goes to the JSON Schema validator).
    """
    try:
        return compile_acceptor_strict(schema)
    except (Unsupported, re.error):
        return lambda x: False
