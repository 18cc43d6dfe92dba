"""The rule-based pre-annotator: patterns, gazetteer matching, and an honest evaluation."""

from __future__ import annotations

from dprkmedia.corpus.repo import Repo
from dprkmedia.corpus.tokens import text_to_sentences, token_boundaries
from dprkmedia.evaluate.preannotate import (
    Gazetteer,
    build_gazetteer,
    evaluate,
    gold_documents,
    leave_one_out,
    match_dates,
    match_entities,
)
from dprkmedia.model.taxonomy import Taxonomy


def bounds(text: str) -> tuple[set[int], set[int]]:
    return token_boundaries(text_to_sentences(text))


def dates(text: str, published: str | None) -> list[tuple[str, str, str]]:
    return [(d.text, d.label, str(d.value)) for d in match_dates(text, published, bounds(text))]


def test_preannotate_dates_with_and_without_a_publication_date() -> None:
    text = "On March 17 this year and in April 2019. Last year, Pyongyang, April 25, Juche 113(2024) for 20 days."
    assert sorted(dates(text, "2023-03-17")) == sorted(
        [
            ("April 25, Juche 113(2024)", "DATE", "2024-04-25"),
            ("April 2019", "DATE", "2019-04"),
            ("March 17 this year", "DATE", "2023-03-17"),
            ("Last year", "DATE", "2022"),
            ("20 days", "DURATION", "P20D"),
        ]
    )
    assert ("March 17 this year", "DATE", "XXXX-03-17") in dates(text, None)
    assert ("Last year", "DATE", "XXXX") in dates(text, None)


def test_preannotate_juche_year_must_agree() -> None:
    assert all(value != "2024-04-25" for _, _, value in dates("Pyongyang, April 25, Juche 112(2024)", None))


def test_preannotate_entities_longest_first_and_title_transparent() -> None:
    text = "President of the Russian Federation met the DPRK-Russia Moscow Declaration team in Russia."
    gazetteer = Gazetteer(
        entities={
            "President of the Russian Federation": ("TITLE", "President of the Russian Federation"),
            "Russian Federation": ("GPE", "Russian Federation"),
            "DPRK-Russia Moscow Declaration": ("LAW", "DPRK-Russia Moscow Declaration"),
            "Russia": ("GPE", "Russian Federation"),
            "DPRK": ("GPE", "Democratic People's Republic of Korea"),
        }
    )
    found = sorted((e.text, e.label) for e in match_entities(text, gazetteer, bounds(text)))
    assert found == [
        ("DPRK-Russia Moscow Declaration", "LAW"),
        ("President of the Russian Federation", "TITLE"),
        ("Russia", "GPE"),
        ("Russian Federation", "GPE"),
    ]


def test_preannotate_leave_one_out_never_sees_the_document_gold(repo: Repo, tax: Taxonomy) -> None:
    docs = gold_documents(repo)
    only_in_004 = "Mariinsky Branch Theatre of Primorsky Krai"
    assert sum(only_in_004 in text for text, _, _ in docs.values()) == 1
    predicted = leave_one_out(docs, "004_ae8d796d95327752", tax)
    assert all(line.get("text") != only_in_004 for line in predicted[1:])
    assert build_gazetteer([lines for _, _, lines in docs.values()]).entities[only_in_004][0] == "ORG"


def test_preannotate_evaluation_is_a_real_score(repo: Repo) -> None:
    result = evaluate(repo)
    entities = result["layers"]["entities"]["exact"]
    assert 0 < entities["f1"] < 1
    assert entities["gold"] == sum(
        len([s for s in lines[1:] if s["layer"] == "entities"]) for _, _, lines in gold_documents(repo).values()
    )
