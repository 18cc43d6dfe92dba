"""The fast acceptance check (jsonschema_rs) never vouches for a record JSON Schema
(``jsonschema``, which writes the reports) rejects, and the fast token boundaries are those of
the sentence pipeline: the validator's reports cannot change."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from dprkmedia.corpus.loading import load_repo
from dprkmedia.corpus.repo import Repo
from dprkmedia.corpus.schemacheck import compile_acceptor
from dprkmedia.corpus.tokens import text_to_sentences, text_token_boundaries, token_boundaries
from dprkmedia.model.schemas import header_schema, sources_schema, span_schemas
from dprkmedia.model.taxonomy import LAYERS, Taxonomy

CASES = Path(__file__).parent / "invalid"
ROOT = Path(__file__).resolve().parents[1]


def schemas(tax: Taxonomy) -> dict[str, dict[str, Any]]:
    """Every schema the validator checks a record against, by name."""
    spans = span_schemas(tax)
    named = {"header": header_schema(tax), **{layer: spans[layer] for layer in LAYERS}}
    named.update({f"sources:{kind}": schema for kind, schema in sources_schema(tax)["$defs"].items()})
    return named


def agrees(schema: dict[str, Any], instance: Any) -> bool:
    """Sound: accepted means JSON Schema finds no error."""
    return not compile_acceptor(schema)(instance) or not list(Draft202012Validator(schema).iter_errors(instance))


def real_records(repo: Repo) -> list[dict[str, Any]]:
    paths = [*repo.annotations_dir.glob("*.jsonl"), *repo.annotations_dir.glob("passes/*/*.jsonl")]
    return [json.loads(line) for path in paths for line in path.read_text(encoding="utf-8").splitlines() if line]


def schema_for(record: dict[str, Any], named: dict[str, dict[str, Any]]) -> dict[str, Any]:
    if "kind" in record:
        return named[f"sources:{record['kind']}"]
    return named["header"] if "doc" in record else named[record["layer"]]


def test_acceptor_accepts_every_real_record(repo: Repo, tax: Taxonomy) -> None:
    named = schemas(tax)
    records = real_records(repo)
    assert len(records) > 500
    for record in records:
        schema = schema_for(record, named)
        assert compile_acceptor(schema)(record), record
        assert not list(Draft202012Validator(schema).iter_errors(record))


def test_acceptor_never_accepts_an_invalid_corpus_line(tax: Taxonomy) -> None:
    named = schemas(tax)
    for path in CASES.glob("*.case"):
        for raw in path.read_bytes().split(b"\n"):
            try:
                value = json.loads(raw)
            except ValueError:
                continue
            for schema in named.values():
                assert agrees(schema, value), (path.name, raw)


def test_acceptor_on_values_only_python_makes(tax: Taxonomy) -> None:
    header, entity = schemas(tax)["header"], schemas(tax)["entities"]
    good = {"doc": "000_b6101718c2532778", "frames": [], "genre": "opinion", "annotators": ["x"]}
    span = next(r for r in real_records(Repo(ROOT)) if r.get("layer") == "entities")
    assert compile_acceptor(header)(good) and compile_acceptor(entity)(span)
    # json.loads gives lone surrogates, NaN and integers beyond 64 bits: the acceptor never errs
    # on them, and never accepts one that jsonschema rejects
    for odd in ("\ud800", float("nan"), float("inf"), 10**30, -(10**30), 1.0):
        for schema, record in ((header, {**good, "annotators": [odd]}), (entity, {**span, "start": odd})):
            assert agrees(schema, record), (odd, record)


def test_acceptor_is_stricter_than_jsonschema_only_on_the_safe_side(tax: Taxonomy) -> None:
    entity = schemas(tax)["entities"]
    record = next(r for r in real_records(Repo(ROOT)) if r.get("layer") == "entities")
    # Python's `$` matches before a final newline, ECMA-262's does not: jsonschema accepts, the
    # acceptor is not sure (jsonschema then runs and finds nothing): slower, never wrong
    newline = {**record, "id": record["id"] + "\n"}
    assert not list(Draft202012Validator(entity).iter_errors(newline))
    assert not compile_acceptor(entity)(newline)
    for wrong in ({**record, "start": True}, {**record, "start": 1.5}, {**record, "id": "x1"}):
        assert not compile_acceptor(entity)(wrong) and list(Draft202012Validator(entity).iter_errors(wrong))


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(-2, 2)
    | st.sampled_from(["", " ", "x", "e1", "e1\n", "٣", "\x1f", "DATE", 1.0, 10**30]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "id", "text"]), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_acceptor_mutated_records_agree_with_jsonschema(repo: Repo, tax: Taxonomy, data: st.DataObject) -> None:
    named = schemas(tax)
    records = real_records(repo)
    record = dict(data.draw(st.sampled_from(records)))
    schema = schema_for(record, named)
    action = data.draw(st.sampled_from(["set", "delete", "add", "set-from-other"]))
    key = data.draw(st.sampled_from(sorted(record)))
    if action == "set":
        record[key] = data.draw(JSON_VALUES)
    elif action == "delete":
        del record[key]
    elif action == "add":
        record[data.draw(st.sampled_from(["extra", "note", "norm", "value", "label"]))] = data.draw(JSON_VALUES)
    else:
        other = data.draw(st.sampled_from(records))
        record[key] = other.get(key, other[data.draw(st.sampled_from(sorted(other)))])
    for candidate in named.values():
        assert agrees(candidate, record), record
    assert agrees(schema, record)


def test_fast_token_boundaries_equal_the_sentence_pipeline(repo: Repo) -> None:
    for loaded in load_repo(repo)[0].sources.values():
        text = loaded.page.text
        assert text_token_boundaries(text) == token_boundaries(text_to_sentences(text))


PIECES = st.sampled_from([*"ab .,'-’\n\t\u00a0(1)\"", "Mr.", "can't", "U.S.", "DPRK-Russia", "\n\n"])


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join))
def test_fast_token_boundaries_equal_on_random_text(text: str) -> None:
    assert text_token_boundaries(text) == token_boundaries(text_to_sentences(text))
