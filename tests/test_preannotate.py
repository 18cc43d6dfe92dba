"""The rule-based pre-annotator: patterns, gazetteer matching, and an honest evaluation."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dprkmedia.corpus.repo import Repo
from dprkmedia.corpus.tokens import text_to_sentences, token_boundaries
from dprkmedia.evaluate.gazetteer import LeaveOneOut, SurfaceIndex
from dprkmedia.evaluate.preannotate import (
    Gazetteer,
    build_gazetteer,
    evaluate,
    gold_documents,
    leave_one_out,
    match_dates,
    match_entities,
    preannotate,
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


# --- leave one out in linear time: the same answers as rebuilding ------------------------------

WORDS = ["Kim", "Jong", "Un", "DPRK", "Russia", "the", "of", "President", "Moscow", "Pyongyang", "a", "Rus"]
LABELS = ["PERSON", "GPE", "ORG", "TITLE"]
TECHNIQUES = ["Doubt", "Name_Calling-Labeling"]


@st.composite
def gold_corpus(draw: st.DrawFn) -> dict[str, tuple[str, str | None, list[dict[str, Any]]]]:
    """A few documents of words from a tiny vocabulary, with random gold spans on word
    boundaries: surfaces repeat across documents with different labels, so the majorities,
    their ties and the order of surfaces all matter."""
    docs = {}
    for number in range(draw(st.integers(1, 5))):
        words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=14))
        text = " ".join(words)
        offsets = []
        position = 0
        for word in words:
            offsets.append((position, position + len(word)))
            position += len(word) + 1
        lines: list[dict[str, Any]] = [
            {
                "doc": f"d{number}",
                "frames": draw(st.lists(st.sampled_from(["alliance", "sovereignty"]), max_size=2)),
                "genre": draw(st.sampled_from(["news", "opinion"])),
            }
        ]
        for _ in range(draw(st.integers(0, 8))):
            first = draw(st.integers(0, len(words) - 1))
            last = draw(st.integers(first, min(first + 3, len(words) - 1)))
            start, end = offsets[first][0], offsets[last][1]
            if draw(st.booleans()):
                label = draw(st.sampled_from(LABELS))
                norm = draw(st.sampled_from(["n1", "n2"]))
                lines.append({"layer": "entities", "text": text[start:end], "label": label, "norm": norm})
            else:
                label = draw(st.sampled_from(TECHNIQUES))
                lines.append({"layer": "rhetoric", "text": text[start:end], "label": label})
        docs[f"d{number}"] = (text, None, lines)
    return docs


@settings(max_examples=300, deadline=None)
@given(docs=gold_corpus())
def test_preannotate_leave_one_out_by_subtraction_equals_rebuilding(
    tax: Taxonomy, docs: dict[str, tuple[str, str | None, list[dict[str, Any]]]]
) -> None:
    loo = LeaveOneOut()
    numbers = {doc_id: loo.add(lines) for doc_id, (_, _, lines) in docs.items()}
    for doc_id, (text, published, lines) in docs.items():
        look = loo.without(numbers[doc_id], lines)
        rebuilt = build_gazetteer(other for other_id, (_, _, other) in docs.items() if other_id != doc_id)
        # the same gazetteer: values, frames, genre and the order of the entity surfaces
        surfaces = {line["text"] for _, _, other in docs.values() for line in other[1:]}
        assert {s: look.entity.get(s)[0] for s in surfaces if look.entity.get(s)} == rebuilt.entities  # type: ignore[index]
        assert {s: look.rhetoric_label.get(s) for s in surfaces if look.rhetoric_label.get(s)} == rebuilt.rhetoric
        ranked = sorted(rebuilt.entities, key=lambda s: look.entity.get(s)[1])  # type: ignore[index]
        assert ranked == list(rebuilt.entities)
        assert (look.frames, look.genre) == (rebuilt.frames, rebuilt.genre)
        # and the same predictions
        assert preannotate(doc_id, text, published, look, tax) == leave_one_out(docs, doc_id, tax)


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(st.sampled_from([*WORDS, "Kim-Jong", "(DPRK)", "U"]), min_size=1, max_size=20),
    surfaces=st.lists(st.sampled_from([*WORDS, "Kim Jong", "Jong Un", "the DPRK", "U", "Ru", "(DPRK"]), max_size=8),
)
def test_preannotate_surface_index_finds_every_aligned_occurrence(words: list[str], surfaces: list[str]) -> None:
    text = " ".join(words)
    starts, ends = bounds(text)
    expected = set()
    for surface in set(surfaces):
        start = text.find(surface)
        while start >= 0:
            if start in starts and start + len(surface) in ends:
                expected.add((surface, start))
            start = text.find(surface, start + 1)
    assert set(SurfaceIndex(surfaces).occurrences(text, starts, ends)) == expected


def test_preannotate_workers_give_the_same_baseline(repo: Repo) -> None:
    assert evaluate(repo, workers=2) == evaluate(repo, workers=1)
