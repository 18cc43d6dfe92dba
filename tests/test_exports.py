"""Exports, each read back by its real consumer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.tokens import DocBin
from spacy.training.converters import conll_ner_to_docs

from dprkmedia.adapters.exports import export, read_semeval_spans
from dprkmedia.corpus.repo import Repo
from dprkmedia.corpus.tokens import flatten_spans
from dprkmedia.evaluate.score import AnnotatedDoc, score
from dprkmedia.model.records import Span
from dprkmedia.model.taxonomy import Taxonomy
from dprkmedia.publish.summary import released_documents


@pytest.fixture(scope="module")
def docs(repo: Repo) -> list[dict[str, Any]]:
    return released_documents(repo)


def as_annotated(doc_id: str, spans: Iterator[tuple[str, int, int]]) -> AnnotatedDoc:
    annotated = AnnotatedDoc(doc_id)
    annotated.spans["rhetoric"] = [
        Span("rhetoric", f"r{i}", a, b, "", label) for i, (label, a, b) in enumerate(sorted(set(spans)), 1)
    ]
    return annotated


def test_exports_semeval_scores_perfectly_against_the_gold(
    repo: Repo, tax: Taxonomy, docs: list[dict[str, Any]], tmp_path: Path
) -> None:
    export(repo, "semeval", tmp_path)
    read = read_semeval_spans(tmp_path)
    pred = {doc_id: as_annotated(doc_id, iter(spans)) for doc_id, spans in read.items()}
    gold = {
        d["id"]: as_annotated(d["id"], ((tax.semeval_label(s["label"]), s["start"], s["end"]) for s in d["rhetoric"]))
        for d in docs
    }
    result = score(gold, pred)["layers"]["rhetoric"]
    assert result["exact"]["f1"] == 1.0 and result["partial"]["f1"] == 1.0
    assert result["exact"]["gold"] > 150
    semeval_labels = {label.name for label in tax.labels if label.layer == "rhetoric" and not label.extension}
    assert {label for spans in read.values() for label, _, _ in spans} <= semeval_labels
    article = (tmp_path / "articles" / "article003_ffbef9be4e76c7d4.txt").read_text(encoding="utf-8")
    assert article.startswith("DPRK-Russia friendship, cooperation carried on in new century\n\nMarch 17 this year")
    genres = dict(
        line.split("\t") for line in (tmp_path / "labels-subtask-1.txt").read_text(encoding="utf-8").splitlines()
    )
    assert genres == {d["id"]: d["genre"] for d in docs}


def test_exports_semeval_maps_genre_extensions(repo: Repo, docs: list[dict[str, Any]], tmp_path: Path) -> None:
    export(repo, "semeval", tmp_path)
    spans_file = (tmp_path / "labels-subtask-3-spans.txt").read_text(encoding="utf-8")
    assert any(s["label"] == "Reverential_Honorific" for d in docs for s in d["rhetoric"])
    assert "Reverential_Honorific" not in spans_file and "Euphemism" not in spans_file


def test_exports_conll_is_read_by_spacys_converter(repo: Repo, docs: list[dict[str, Any]], tmp_path: Path) -> None:
    export(repo, "conll", tmp_path)
    text = (
        (tmp_path / "train.conll").read_text(encoding="utf-8")
        + "\n"
        + (tmp_path / "test.conll").read_text(encoding="utf-8")
    )
    converted = list(conll_ner_to_docs(text, n_sents=10_000, no_print=True))
    assert len(converted) == len(docs)
    by_split = sorted(docs, key=lambda d: (d["_split"] != "train", d["id"]))
    nlp = spacy.blank("en")
    for spacy_doc, record in zip(converted, by_split, strict=True):
        expected = []
        tokens = [t for t in nlp.make_doc(record["text"]) if not t.is_space]
        starts = {t.idx: i for i, t in enumerate(tokens)}
        ends = {t.idx + len(t.text): i + 1 for i, t in enumerate(tokens)}
        for a, b, label in flatten_spans([(s["start"], s["end"], s["label"]) for s in record["entities"]]):
            expected.append((starts[a], ends[b], label))
        got = [(ent.start, ent.end, ent.label_) for ent in spacy_doc.ents]
        assert got == expected, record["id"]


def test_exports_docbin_is_read_by_spacy(repo: Repo, tax: Taxonomy, docs: list[dict[str, Any]], tmp_path: Path) -> None:
    export(repo, "docbin", tmp_path)
    nlp = spacy.blank("en")
    read = {}
    for path in sorted(tmp_path.glob("*.spacy")):
        for doc in DocBin().from_disk(path).get_docs(nlp.vocab):
            read[doc.user_data["id"]] = doc
    assert sorted(read) == sorted(d["id"] for d in docs)
    for record in docs:
        doc = read[record["id"]]
        assert doc.text == record["text"]
        for group, key in (("entities", "label"), ("dates", "type"), ("rhetoric", "label")):
            got = sorted((s.start_char, s.end_char, s.label_) for s in doc.spans[group])
            assert got == sorted((s["start"], s["end"], s[key]) for s in record[group]), (record["id"], group)
        flat = flatten_spans([(s["start"], s["end"], s["label"]) for s in record["entities"]])
        assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == flat
        assert doc.cats[f"genre:{record['genre']}"] == 1.0
        assert {name for name, value in doc.cats.items() if value and not name.startswith("genre:")} == set(
            record["frames"]
        )
