"""A fast acceptance check for the project's JSON Schemas: "definitely valid" or "not sure".

:func:`compile_acceptor` turns a schema into a plain Python function (generated source,
compiled once). The function is *sound*, not complete: when it returns True,
``Draft202012Validator(schema).iter_errors`` yields no error for the instance; when it
returns False, nothing is known and the caller runs the JSON Schema validator, which
produces the report. So reports are exactly those of ``jsonschema``, and only valid records
(nearly all of them) take the fast path.

Only the keywords the generated schemas use are understood, each checked at least as
strictly as JSON Schema does: types by exact Python type (``type(x) is str``; ``bool`` is
no ``integer``), enums and consts of strings only, value keywords (``pattern``,
``minLength``, ``minimum``, ``items``, ``uniqueItems``, ``properties``...) only next to a
single ``type``. A schema with anything else compiles to "never sure".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Acceptor = Callable[[Any], bool]

ANNOTATIONS = frozenset({"description", "title", "$schema", "$id", "$comment"})
"""Keywords that never make an instance invalid."""

TYPES = {"string": "str", "integer": "int", "array": "list", "object": "dict"}
"""JSON type → the exact Python type ``json.loads`` gives it."""

KEYWORDS = {
    "string": {"pattern", "minLength"},
    "integer": {"minimum"},
    "array": {"items", "uniqueItems"},
    "object": {"properties", "required", "additionalProperties"},
}
"""The value keywords understood for each type."""


class Unsupported(Exception):
    """The schema uses a keyword (or a value) the acceptor does not handle."""


class Emitter:
    """Generates the body of the acceptor: ``if not (...): return False`` lines."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.env: dict[str, Any] = {}
        self.names = 0

    def name(self, prefix: str) -> str:
        self.names += 1
        return f"{prefix}{self.names}"

    def const(self, value: Any) -> str:
        """A module-level name bound to ``value`` in the generated code."""
        name = self.name("c")
        self.env[name] = value
        return name

    def fail_unless(self, condition: str, indent: int) -> None:
        self.lines.append(" " * indent + f"if not ({condition}): return False")

    def schema(self, schema: Any, var: str, indent: int) -> None:
        """Emit the checks that ``var`` is accepted by ``schema``."""
        if not isinstance(schema, dict):
            raise Unsupported("a boolean or non-object schema")
        kind = schema.get("type")
        if kind is not None and kind not in TYPES:
            raise Unsupported(f"type {kind!r}")
        allowed = ANNOTATIONS | {"type", "enum", "const"} | (KEYWORDS[kind] if kind else set())
        unknown = set(schema) - allowed
        if unknown:
            raise Unsupported(", ".join(sorted(unknown)))
        if kind is not None:
            self.fail_unless(f"type({var}) is {TYPES[kind]}", indent)
        if "enum" in schema:
            values = schema["enum"]
            if not isinstance(values, list) or not all(type(v) is str for v in values):
                raise Unsupported("enum of other values than strings")
            self.fail_unless(f"type({var}) is str and {var} in {self.const(frozenset(values))}", indent)
        if "const" in schema:
            if type(schema["const"]) is not str:
                raise Unsupported("const other than a string")
            self.fail_unless(f"type({var}) is str and {var} == {self.const(schema['const'])}", indent)
        if kind == "string":
            self.string(schema, var, indent)
        elif kind == "integer" and "minimum" in schema:
            if type(schema["minimum"]) is not int:
                raise Unsupported("minimum other than an integer")
            self.fail_unless(f"{var} >= {schema['minimum']}", indent)
        elif kind == "array":
            self.array(schema, var, indent)
        elif kind == "object":
            self.object(schema, var, indent)

    def string(self, schema: dict[str, Any], var: str, indent: int) -> None:
        if "minLength" in schema:
            if type(schema["minLength"]) is not int:
                raise Unsupported("minLength other than an integer")
            self.fail_unless(f"len({var}) >= {schema['minLength']}", indent)
        if "pattern" in schema:
            pattern = self.const(re.compile(schema["pattern"]))
            self.fail_unless(f"{pattern}.search({var}) is not None", indent)

    def array(self, schema: dict[str, Any], var: str, indent: int) -> None:
        if "items" in schema:
            item = self.name("v")
            self.lines.append(" " * indent + f"for {item} in {var}:")
            before = len(self.lines)
            self.schema(schema["items"], item, indent + 4)
            if len(self.lines) == before:
                self.lines.append(" " * (indent + 4) + "pass")
        unique = schema.get("uniqueItems", False)
        if type(unique) is not bool:
            raise Unsupported("uniqueItems other than a boolean")
        if unique:
            condition = f"all(type(i) is str for i in {var}) and len(set({var})) == len({var})"
            self.fail_unless(condition, indent)

    def object(self, schema: dict[str, Any], var: str, indent: int) -> None:
        properties = schema.get("properties", {})
        required = schema.get("required", [])
        closed = schema.get("additionalProperties", True)
        if not isinstance(properties, dict) or not isinstance(required, list) or closed not in (True, False):
            raise Unsupported("properties, required or additionalProperties of another form")
        if required:
            self.fail_unless(f"{self.const(frozenset(required))} <= {var}.keys()", indent)
        if closed is False:
            self.fail_unless(f"{var}.keys() <= {self.const(frozenset(properties))}", indent)
        for key, sub in properties.items():
            value = self.name("v")
            if key in required:
                self.lines.append(" " * indent + f"{value} = {var}[{key!r}]")
                self.schema(sub, value, indent)
            else:
                self.lines.append(" " * indent + f"if {key!r} in {var}:")
                self.lines.append(" " * (indent + 4) + f"{value} = {var}[{key!r}]")
                self.schema(sub, value, indent + 4)


def compile_acceptor_strict(schema: Any) -> Acceptor:
    """The acceptor of ``schema``; raises :class:`Unsupported` for anything not understood."""
    emitter = Emitter()
    emitter.schema(schema, "x", 4)
    source = "def accept(x):\n" + "\n".join([*emitter.lines, "    return True"]) + "\n"
    namespace: dict[str, Any] = dict(emitter.env)
    exec(compile(source, "<fastschema>", "exec"), namespace)
    accept: Acceptor = namespace["accept"]
    accept.__doc__ = source
    return accept


def compile_acceptor(schema: Any) -> Acceptor:
    """A function that is True only for instances ``schema`` certainly accepts.

    For a schema using anything not understood, it is always False (every instance goes
    to the JSON Schema validator).
    """
    try:
        return compile_acceptor_strict(schema)
    except (Unsupported, re.error):
        return lambda x: False
