"""The corpus facts of croissant.json's description and Responsible AI fields follow the data."""

from __future__ import annotations

import dataclasses

from dprkmedia.corpus.repo import Repo
from dprkmedia.publish.croissant import description, responsible_ai
from dprkmedia.publish.croissant_facts import Corpus, count, enumeration, read_corpus, the, words


def test_english_helpers() -> None:
    assert [words(n) for n in (0, 1, 12, 13)] == ["zero", "one", "twelve", "13"]
    assert [count(n, "outlet") for n in (1, 2)] == ["one outlet", "two outlets"]
    assert [enumeration(items) for items in ([], ["a"], ["a", "b"], ["a", "b", "c"])] == [
        "",
        "a",
        "a and b",
        "a, b and c",
    ]
    assert [the(name) for name in ("KCNA", "The Pyongyang Times", "DPRK Ministry of Foreign Affairs")] == [
        "KCNA",
        "The Pyongyang Times",
        "the DPRK Ministry of Foreign Affairs",
    ]


def test_the_current_corpus_reads_as_committed(repo: Repo) -> None:
    corpus = read_corpus(repo)
    rai = responsible_ai(corpus)
    assert "(The Pyongyang Times and the DPRK Ministry of Foreign Affairs; KCNA is a known outlet" in description(
        corpus
    )
    assert rai["rai:dataCollection"].startswith("Five web pages ")
    assert "2021-07-21, 2022-08-04, 2023-03-17 and 2024-04-25 (one undated)" in rai["rai:dataCollection"]
    assert rai["rai:dataLimitations"].startswith("Five documents, one genre and two outlets:")


def test_an_added_article_changes_the_facts(repo: Repo) -> None:
    corpus = read_corpus(repo)
    added = dataclasses.replace(
        corpus,
        pages=corpus.pages + 1,
        documents=(*corpus.documents, "005_new"),
        outlets=(*corpus.outlets, "KCNA"),
        genres=("opinion", "reporting"),
        dates=tuple(sorted((*corpus.dates, "2025-06-19"))),
        untitled=corpus.untitled | {"005_new"},
    )
    rai = responsible_ai(added)
    assert "KCNA is a known outlet" not in description(added)
    assert "and KCNA)" in description(added)
    assert rai["rai:dataCollection"].startswith("Six web pages ")
    assert "2024-04-25 and 2025-06-19 (one undated)" in rai["rai:dataCollection"]
    assert "another has no title, " not in rai["rai:dataCollectionMissingData"]
    assert "two others have no title" in rai["rai:dataCollectionMissingData"]
    assert "none for the other one" in rai["rai:annotationsPerItem"]
    assert "six commemorative opinion and reporting pieces from three outlets" in rai["rai:dataBiases"]
    assert "2021–2025" in rai["rai:dataBiases"]
    assert rai["rai:dataLimitations"].startswith("Six documents, two genres and three outlets:")


def test_an_empty_corpus_still_reads() -> None:
    empty = Corpus(
        0, (), (), (), (), (), frozenset(), frozenset(), {"A": frozenset(), "B": frozenset(), "C": frozenset()}
    )
    rai = responsible_ai(empty)
    assert rai["rai:dataCollection"].startswith("Zero web pages ")
    assert "No article gives its publication date;" in rai["rai:dataCollection"]
    assert "guessed. Original URLs" in rai["rai:dataCollectionMissingData"]
    assert "per article; no machine pass; no human" in rai["rai:annotationsPerItem"]
