"""The gold annotations: complete coverage and guidelines that cover what is used."""

from __future__ import annotations

import json
import re

import pytest

from dprkmedia.corpus.repo import Repo
from dprkmedia.corpus.tokens import text_to_sentences

MONTHS = {
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
}
YEAR = re.compile(r"1[89]\d\d|20\d\d")


def documents(repo: Repo) -> list[dict[str, object]]:
    rows = []
    for path in sorted((repo.dataset_dir / "jsonl").glob("*.jsonl")):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return sorted(rows, key=lambda row: str(row["id"]))


def covered(spans: list[dict[str, int]], start: int, end: int) -> bool:
    return any(span["start"] <= start and end <= span["end"] for span in spans)


@pytest.mark.parametrize("index", range(5))
def test_annotations_no_sentence_names_an_entity_or_date_without_a_span(repo: Repo, index: int) -> None:
    doc = documents(repo)[index]
    text = str(doc["text"])
    entities, dates = doc["entities"], doc["dates"]
    assert isinstance(entities, list) and isinstance(dates, list)
    missing = []
    for sentence in text_to_sentences(text):
        for position, (start, end) in enumerate(sentence.tokens):
            word = text[start:end]
            if word in MONTHS or YEAR.fullmatch(word):
                if not covered(dates, start, end):
                    missing.append(("date", word, start))
            elif position > 0 and word[:1].isupper() and not covered(entities + dates, start, end):
                missing.append(("name", word, start))
    assert missing == []


def test_annotations_guidelines_cover_every_label_used(repo: Repo) -> None:
    guidelines = (repo.annotations_dir / "GUIDELINES.md").read_text(encoding="utf-8")
    used = set()
    for doc in documents(repo):
        for layer, key in (("entities", "label"), ("dates", "type"), ("rhetoric", "label")):
            spans = doc[layer]
            assert isinstance(spans, list)
            used |= {span[key] for span in spans}
    assert used
    named = [label for label in used if re.search(rf"(?<![\w-]){re.escape(label)}(?![\w-])", guidelines)]
    assert sorted(used - set(named)) == []


def test_annotations_passes_cover_what_the_datasheet_claims(repo: Repo) -> None:
    passes = repo.annotations_dir / "passes"
    assert sorted(p.stem for p in (passes / "A").glob("*.jsonl")) == [str(d["id"]) for d in documents(repo)]
    assert sorted(p.stem for p in (passes / "B").glob("*.jsonl")) == ["002_420491b85ca59cb6", "004_ae8d796d95327752"]
    assert sorted(p.stem for p in (passes / "C").glob("*.jsonl")) == [str(d["id"]) for d in documents(repo)]
    assert sorted(p.name for p in (passes / "C").glob("*.notes.md")) == [f"{d['id']}.notes.md" for d in documents(repo)]
