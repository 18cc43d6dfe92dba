"""One definition: generated schemas, features, docs and the taxonomy agree."""

from __future__ import annotations

import json

from jsonschema import Draft202012Validator

from dprkmedia.build.features import FEATURES, iob2_names
from dprkmedia.cli.generate import stale_files
from dprkmedia.corpus.repo import Repo
from dprkmedia.model.schemas import annotation_schema, document_schema
from dprkmedia.model.taxonomy import LAYERS, Taxonomy
from dprkmedia.publish.card import front_matter, read_front_matter


def test_schemas_generated_files_are_current(repo: Repo) -> None:
    assert stale_files(repo) == []


def test_schemas_are_valid_draft_2020_12(repo: Repo) -> None:
    for path in repo.schema_dir.glob("*.schema.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schemas_enums_equal_the_taxonomy(tax: Taxonomy) -> None:
    defs = annotation_schema(tax)["$defs"]
    assert defs["entities"]["properties"]["label"]["enum"] == tax.names("entities")
    assert defs["dates"]["properties"]["type"]["enum"] == tax.names("dates")
    assert defs["rhetoric"]["properties"]["label"]["enum"] == tax.names("rhetoric")
    assert defs["header"]["properties"]["frames"]["items"]["enum"] == [f.name for f in tax.frames]
    assert len(tax.frames) == 14 and [g.name for g in tax.genres] == ["reporting", "opinion", "satire"]


def test_schemas_features_class_labels_equal_the_taxonomy(tax: Taxonomy) -> None:
    tokens = FEATURES["tokens"](tax)
    assert tokens["ner_tags"].feature.names == iob2_names(tax.names("entities"))
    assert tokens["date_tags"].feature.names == iob2_names(tax.names("dates"))


def test_schemas_features_columns_equal_the_record_schema(tax: Taxonomy) -> None:
    assert list(FEATURES["documents"](tax)) == list(document_schema(tax)["properties"])


def test_schemas_taxonomy_keeps_the_anchor_spellings(tax: Taxonomy) -> None:
    semeval = [label for label in tax.labels if label.layer == "rhetoric" and not label.extension]
    assert len(semeval) == 23 and len({label.category for label in semeval}) == 6
    assert {"Name_Calling-Labeling", "Exaggeration-Minimisation", "Appeal_to_Fear-Prejudice"} <= set(
        tax.names("rhetoric")
    )
    for label in tax.labels:
        if label.extension and label.layer == "rhetoric":
            assert label.anchor in {s.name for s in semeval}, label.name
            assert label.category == tax.category(label.anchor or "")
        assert label.definition and label.colour.startswith("#")


def test_schemas_released_records_validate(repo: Repo, tax: Taxonomy) -> None:
    validator = Draft202012Validator(document_schema(tax))
    count = 0
    for path in (repo.dataset_dir / "jsonl").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            errors = list(validator.iter_errors(json.loads(line)))
            assert errors == [], errors[:3]
            count += 1
    assert count == 5


def test_schemas_card_front_matter_matches_the_features(repo: Repo, tax: Taxonomy) -> None:
    card = read_front_matter(repo.root / "README.md")
    rows = {c["config_name"]: {s["name"]: s["num_examples"] for s in c["splits"]} for c in card["dataset_info"]}
    nbytes = {c["config_name"]: {s["name"]: s["num_bytes"] for s in c["splits"]} for c in card["dataset_info"]}
    assert card == json.loads(json.dumps(front_matter(tax, rows, nbytes)))
    assert [c["config_name"] for c in card["configs"]] == list(FEATURES)
    assert card["configs"][0]["default"] is True


def test_schemas_docs_list_every_label(repo: Repo, tax: Taxonomy) -> None:
    doc = (repo.root / "docs" / "taxonomy.md").read_text(encoding="utf-8")
    for layer in LAYERS:
        for name in tax.names(layer):
            assert f"`{name}`" in doc
