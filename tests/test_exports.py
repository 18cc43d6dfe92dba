"""Exports, each read back by its real consumer."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import spacy
from spacy.tokens import DocBin
from spacy.training.converters import conll_ner_to_docs

from dprkmedia.adapters.brat import export_brat
from dprkmedia.adapters.exports import export
from dprkmedia.corpus.repo import Repo
from dprkmedia.corpus.tokens import flatten_spans
from dprkmedia.model.taxonomy import Taxonomy
from dprkmedia.publish.summary import released_documents


@pytest.fixture(scope="module")
def docs(repo: Repo) -> list[dict[str, Any]]:
    return released_documents(repo)


def read_official_semeval(folder: Path, split: str) -> dict[int, dict[str, Any]]:
    """Read one split as the SemEval-2023 Task 3 baselines read it (``make_dataframe`` of the task's code).

    Article ids are ``int(name[7:].split('.')[0])``; label files are tab-separated without header, read with
    pandas; subtask-3 lines are ``splitlines()`` of the article, counted from 1, non-empty ones only; spans
    are read per article from ``<split>-labels-subtask-3-spans/article<ID>-labels-subtask-3.txt``.
    """
    articles = {}
    for subtask in (1, 2, 3):
        directory = folder / f"{split}-articles-subtask-{subtask}"
        for name in os.listdir(directory):
            text = (directory / name).read_text(encoding="utf-8")
            assert articles.setdefault(int(name[7:].split(".")[0]), text) == text  # the same file for each subtask
    read = {article: {"text": text, "spans": [], "lines": {}} for article, text in articles.items()}
    genre = pd.read_csv(folder / f"{split}-labels-subtask-1.txt", sep="\t", header=None)
    frames = pd.read_csv(folder / f"{split}-labels-subtask-2.txt", sep="\t", header=None)
    for article, label in zip(genre[0], genre[1], strict=True):
        read[int(article)]["genre"] = label
    for article, labels in zip(frames[0], frames[1], strict=True):
        read[int(article)]["frames"] = labels.split(",")
    lines = pd.read_csv(folder / f"{split}-labels-subtask-3.txt", sep="\t", header=None).fillna("")
    for article, line, labels in zip(lines[0], lines[1], lines[2], strict=True):
        read[int(article)]["lines"][int(line)] = [label for label in labels.split(",") if label]
    for article, entry in read.items():
        nonempty = {n for n, text in enumerate(entry["text"].splitlines(), 1) if text.strip()}
        assert set(entry["lines"]) == nonempty, article
        path = folder / f"{split}-labels-subtask-3-spans" / f"article{article}-labels-subtask-3.txt"
        for row in path.read_text(encoding="utf-8").splitlines():
            column = row.split("\t")
            assert int(column[0]) == article
            entry["spans"].append((column[1], int(column[2]), int(column[3])))
    return read


def test_exports_semeval_is_read_as_the_official_data(
    repo: Repo, tax: Taxonomy, docs: list[dict[str, Any]], tmp_path: Path
) -> None:
    export(repo, "semeval", tmp_path)
    folder = tmp_path / "en"
    mapping = pd.read_csv(folder / "article-ids.tsv", sep="\t", dtype=str)
    assert list(mapping.columns) == ["article_id", "doc_id", "split"]
    numbers = {row.doc_id: int(row.article_id) for row in mapping.itertuples()}
    assert sorted(numbers) == sorted(d["id"] for d in docs) and len(set(numbers.values())) == len(docs)
    assert all(100_000_000 <= n < 1_000_000_000 for n in numbers.values())
    semeval_labels = {label.name for label in tax.labels if label.layer == "rhetoric" and not label.extension}
    seen = 0
    for split in ("train", "test"):
        read = read_official_semeval(folder, split)
        expected = [d for d in docs if d["_split"] == split]
        assert sorted(read) == sorted(numbers[d["id"]] for d in expected)
        for doc in expected:
            entry = read[numbers[doc["id"]]]
            assert entry["text"] == f"{doc['title'] or ''}\n\n{doc['text']}"
            assert entry["genre"] == doc["genre"] and entry["frames"] == doc["frames"]
            shift = entry["text"].index("\n\n") + 2
            gold = {(tax.semeval_label(s["label"]), s["start"] + shift, s["end"] + shift) for s in doc["rhetoric"]}
            assert sorted(set(entry["spans"])) == sorted(gold) == sorted(entry["spans"]), doc["id"]
            for label, start, end in entry["spans"]:
                assert label in semeval_labels
                assert entry["text"][start:end] == doc["text"][start - shift : end - shift]
            # each line's labels are the techniques of the spans that overlap it
            offset = 0
            for number, line in enumerate(entry["text"].splitlines(keepends=True), 1):
                end = offset + len(line.rstrip("\n"))
                if number in entry["lines"]:
                    overlapping = {label for label, a, b in entry["spans"] if a < end and offset < b}
                    assert set(entry["lines"][number]) == overlapping, (doc["id"], number)
                    seen += bool(overlapping)
                offset += len(line)
    assert seen > 20
    assert any(s["label"] == "Reverential_Honorific" for d in docs for s in d["rhetoric"])


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
    starts: dict[str, list[int]] = {}
    for row in pd.read_parquet(repo.dataset_dir / "sentences").sort_values(["doc_id", "start"]).itertuples():
        starts.setdefault(row.doc_id, []).append(row.start)
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
        # norms, TIMEX3 values, span ids and sentence starts survive the DocBin, read into a fresh vocab
        assert {(s.start_char, s.end_char, s.kb_id_, s.id_) for s in doc.spans["entities"]} == {
            (s["start"], s["end"], s["norm"], s["id"]) for s in record["entities"]
        }
        assert {(s.start_char, s.end_char, s.kb_id_, s.id_) for s in doc.spans["dates"]} == {
            (s["start"], s["end"], s["value"], s["id"]) for s in record["dates"]
        }
        assert {(s.id_, s.kb_id_) for s in doc.spans["rhetoric"]} == {(s["id"], "") for s in record["rhetoric"]}
        norms = {(s["start"], s["end"]): s["norm"] for s in record["entities"]}
        assert [e.kb_id_ for e in doc.ents] == [norms[(e.start_char, e.end_char)] for e in doc.ents]
        assert [sentence.start_char for sentence in doc.sents] == starts[record["id"]]
        assert {name for name, value in doc.cats.items() if value and not name.startswith("genre:")} == set(
            record["frames"]
        )


TEXTBOUND = re.compile(r"^(?P<type>\S+) (?P<spans>\d+ \d+(?:;\d+ \d+)*)$")
NORMALIZATION = re.compile(r"^(\S+) (\S+) (\S+?):(\S+)$")  # as brat parses N lines: type, target, RID:EID
ATTRIBUTE = re.compile(r"^(\S+) (\S+) (\S+)$")


def read_brat(txt: Path) -> tuple[str, dict[str, dict[str, Any]]]:
    """A ``.txt``/``.ann`` pair as the brat standoff format defines it: text-bound annotations (T) with
    fragments, their text checked against the document, normalizations (N) and attributes (A)."""
    text = txt.read_text(encoding="utf-8")
    annotations: dict[str, dict[str, Any]] = {}
    for line in txt.with_suffix(".ann").read_text(encoding="utf-8").splitlines():
        ident, body = line.split("\t", 1)
        if ident.startswith("T"):
            head, shown = body.split("\t", 1)
            match = TEXTBOUND.match(head)
            assert match, line
            pieces = [tuple(map(int, piece.split())) for piece in match["spans"].split(";")]
            assert shown == " ".join(text[a:b] for a, b in pieces), line
            annotations[ident] = {"type": match["type"], "fragments": pieces}
        elif ident.startswith("N"):
            head, string = body.split("\t", 1)
            match = NORMALIZATION.match(head)
            assert match and match[1] == "Reference", line
            annotations[match[2]][match[3]] = (match[4], string)
        elif ident.startswith("A"):
            match = ATTRIBUTE.match(body)
            assert match, line
            annotations[match[2]][match[1]] = match[3]
        else:
            raise AssertionError(f"unexpected line {line!r}")
    return text, annotations


def test_exports_brat_standoff_reads_back(
    repo: Repo, tax: Taxonomy, docs: list[dict[str, Any]], tmp_path: Path
) -> None:
    export(repo, "brat", tmp_path)
    conf = (tmp_path / "annotation.conf").read_text(encoding="utf-8")
    declared = set(conf.split("[entities]\n", 1)[1].split("\n\n", 1)[0].splitlines())
    assert "Confidence Arg:" in conf and "<OVERLAP>" in conf
    crossing = 0
    for record in docs:
        text, annotations = read_brat(tmp_path / record["_split"] / f"{record['id']}.txt")
        assert text == record["text"] and "\r" not in text
        got = set()
        for item in annotations.values():
            start, end = item["fragments"][0][0], item["fragments"][-1][1]
            crossing += len(item["fragments"]) > 1
            assert "\n" not in "".join(text[a:b] for a, b in item["fragments"])
            assert item["type"] in declared
            norm = item.get("norm") or item.get("TIMEX3")
            got.add((item["type"], start, end, norm and norm[1], item.get("Confidence")))
            if norm:
                assert norm[0] == re.sub(r"\s+", "_", norm[1])
        expected = {(s["label"], s["start"], s["end"], s["norm"], None) for s in record["entities"]}
        expected |= {(s["type"], s["start"], s["end"], s["value"], None) for s in record["dates"]}
        expected |= {(s["label"], s["start"], s["end"], None, s["confidence"]) for s in record["rhetoric"]}
        assert got == expected, record["id"]
        assert len(annotations) == sum(len(record[layer]) for layer in ("entities", "dates", "rhetoric"))
    assert {label.name for label in tax.labels} <= declared


def test_exports_brat_writes_a_span_across_lines_as_fragments(tax: Taxonomy, tmp_path: Path) -> None:
    text = "Long live the\ngreat friendship!"
    span = {"id": "r1", "start": 0, "end": 30, "text": text[:30], "label": "Slogans", "confidence": "core"}
    record = {"id": "x", "_split": "train", "text": text, "entities": [], "dates": [], "rhetoric": [span]}
    export_brat([record], tax, tmp_path)
    assert (
        (tmp_path / "train" / "x.ann")
        .read_text(encoding="utf-8")
        .startswith("T1\tSlogans 0 13;14 30\tLong live the great friendship\n")
    )
    _, annotations = read_brat(tmp_path / "train" / "x.txt")
    assert annotations == {"T1": {"type": "Slogans", "fragments": [(0, 13), (14, 30)], "Confidence": "core"}}
