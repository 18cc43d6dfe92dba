"""jsonschema_rs against the JSON Schema acceptor the validator uses: speed and soundness.

The validator asks a fast check "is this record certainly valid?" and runs ``jsonschema``
(whose errors become the report) only when the answer is no. A fast check may say no to a
valid record (it only costs time) but must never say yes to an invalid one. This script
measures, on every real record of the repository and on many mutated records:

* the time per record of each candidate (``jsonschema_rs`` ``is_valid``, and with
  ``--fastschema`` the hand-written acceptor the package used before) and of ``jsonschema``
  itself;
* every disagreement with ``jsonschema``, split into *unsound* (the candidate accepts a record
  ``jsonschema`` rejects: would hide an error) and *incomplete* (it rejects a valid record:
  ``jsonschema`` then runs, nothing is lost).

Usage: python -m benchmarks.acceptors [--mutations 100000] [--seed 1] [--fastschema FILE]
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator

from dprkmedia.corpus.repo import Repo
from dprkmedia.model.schemas import header_schema, sources_schema, span_schemas
from dprkmedia.model.taxonomy import LAYERS, Taxonomy, load_taxonomy

ROOT = Path(__file__).resolve().parents[1]
Check = Callable[[Any], bool]

TRICKY: list[Any] = [
    None, True, False, 0, 1, -1, 1.0, 2.5, float("nan"), 10**30, "", " ", "x", "1", "\n", "a\n", "٣", "２",
    "2024-04-25", "2024-04-25\n", "XXXX", "PRESENT_REF", "P20D", "T1", "e1", "d1", "r1", "ORG", "GPE",
    "Doubt", "news", "opinion", "train", "test", "core", "borderline", [], [1], ["a"], ["a", "a"], {}, {"a": 1},
]  # fmt: skip
"""Values a mutation puts in: wrong types, booleans for numbers, floats that are integers, lone
newlines and non-ASCII digits for patterns, labels of other layers, repeated items."""


def schemas(tax: Taxonomy) -> dict[str, dict[str, Any]]:
    """Every schema the validator checks a record against, by name."""
    spans = span_schemas(tax)
    named = {"header": header_schema(tax), **{layer: spans[layer] for layer in LAYERS}}
    named.update({f"sources:{kind}": schema for kind, schema in sources_schema(tax)["$defs"].items()})
    return named


def schema_name(record: dict[str, Any]) -> str | None:
    if "kind" in record:
        return f"sources:{record['kind']}"
    if "doc" in record:
        return "header"
    return record.get("layer") if isinstance(record.get("layer"), str) else None


def real_records(repo: Repo) -> list[dict[str, Any]]:
    paths = [*repo.annotations_dir.glob("*.jsonl"), *repo.annotations_dir.glob("passes/*/*.jsonl")]
    lines = (line for path in sorted(paths) for line in path.read_text(encoding="utf-8").splitlines())
    return [json.loads(line) for line in lines if line.strip()]


def tricky(rng: random.Random) -> Any:
    """A fresh copy of a tricky value (never a shared object: records must not share lists)."""
    return copy.deepcopy(rng.choice(TRICKY))


def mutate(record: dict[str, Any], rng: random.Random, pool: list[dict[str, Any]]) -> dict[str, Any]:
    """One to three random edits: drop, add or retype a field, put a tricky value or another
    record's value in, reach into a nested list or object."""
    out = copy.deepcopy(record)
    for _ in range(rng.randint(1, 3)):
        target: Any = out
        for _ in range(2):  # sometimes edit inside a nested value
            inner = [v for v in (target.values() if isinstance(target, dict) else target) if isinstance(v, dict | list)]
            if inner and rng.random() < 0.3:
                target = rng.choice(inner)
        if isinstance(target, list):
            if target and rng.random() < 0.5:
                target[rng.randrange(len(target))] = tricky(rng)
            else:
                target.append(tricky(rng) if rng.random() < 0.5 else (target[0] if target else "x"))
            continue
        action = rng.random()
        keys = list(target)
        if action < 0.2 and keys:
            del target[rng.choice(keys)]
        elif action < 0.3:
            target[rng.choice(["extra", "note", "norm", "value", "confidence", "label"])] = tricky(rng)
        elif action < 0.8 and keys:
            target[rng.choice(keys)] = tricky(rng)
        elif keys:
            other = rng.choice(pool)
            key = rng.choice(keys)
            target[key] = copy.deepcopy(other.get(key, rng.choice(list(other.values()))))
    return out


def timed(check: Check, records: list[Any]) -> float:
    """Microseconds per record."""
    start = time.perf_counter()
    for record in records:
        check(record)
    return (time.perf_counter() - start) / max(1, len(records)) * 1e6


def rs_check(schema: dict[str, Any]) -> Check:
    """``jsonschema_rs`` ``is_valid``; an instance it cannot take (a lone surrogate, an integer
    beyond 64 bits) is "not sure"."""
    validator = jsonschema_rs.Draft202012Validator(schema)

    def check(instance: Any) -> bool:
        try:
            return bool(validator.is_valid(instance))
        except (ValueError, OverflowError):
            return False

    return check


def candidates(named: dict[str, dict[str, Any]], fastschema: Path | None) -> dict[str, dict[str, Check]]:
    """Candidate name → schema name → check (``fastschema``: the hand-written acceptor's source
    file, e.g. from ``git show 75b0f90:src/dprkmedia/corpus/fastschema.py``, removed since)."""
    found = {"jsonschema_rs": {name: rs_check(schema) for name, schema in named.items()}}
    if fastschema is not None:
        spec = importlib.util.spec_from_file_location("fastschema", fastschema)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        found["fastschema"] = {name: module.compile_acceptor(schema) for name, schema in named.items()}
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.acceptors", description=__doc__)
    parser.add_argument("--mutations", type=int, default=100_000, help="mutated records to compare")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fastschema", type=Path, help="also measure the hand-written acceptor from this file")
    args = parser.parse_args(argv)
    repo = Repo(ROOT)
    named = schemas(load_taxonomy(repo.schema_dir))
    reference = {name: Draft202012Validator(schema) for name, schema in named.items()}
    real = [r for r in real_records(repo) if schema_name(r) in named]
    rng = random.Random(args.seed)
    mutated = [mutate(rng.choice(real), rng, real) for _ in range(args.mutations)]
    mutated = [m for m in mutated if schema_name(m) in named]
    checks = candidates(named, args.fastschema)
    print(f"{len(real):,} real records, {len(mutated):,} mutated records (seed {args.seed})")
    for sample, records in (("real", real), ("mutated", mutated[:20_000])):
        by_schema = [(named_check, r) for r in records for named_check in [schema_name(r)]]
        for name, per_schema in {**checks, "jsonschema": {n: v.is_valid for n, v in reference.items()}}.items():
            us = timed(lambda pair, per_schema=per_schema: per_schema[pair[0]](pair[1]), by_schema)  # type: ignore[misc]
            print(f"  {sample:8} {name:14} {us:7.2f} µs/record")
    truth = [(schema_name(r), r, reference[schema_name(r)].is_valid(r)) for r in [*real, *mutated]]  # type: ignore[index]
    print(f"  {sum(not valid for _, _, valid in truth):,} of {len(truth):,} records invalid for jsonschema")
    for name, per_schema in checks.items():
        unsound = [r for s, r, valid in truth if per_schema[s](r) and not valid]  # type: ignore[index]
        incomplete = sum(1 for s, r, valid in truth if valid and not per_schema[s](r))  # type: ignore[index]
        print(f"  {name}: {len(unsound)} unsound (accepts what jsonschema rejects), {incomplete} incomplete")
        for record in unsound[:5]:
            print(f"    unsound: {json.dumps(record, ensure_ascii=False)[:200]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
