"""Sentences, tokens and IOB2: offsets ⇄ tags round trip, on the corpus and on random text."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from dprkmedia.corpus.loading import load_repo
from dprkmedia.corpus.repo import Repo
from dprkmedia.corpus.tokens import (
    Sentence,
    flatten_spans,
    iob2_to_spans,
    paragraph_offsets,
    pipeline,
    spans_to_iob2,
    text_to_sentences,
)


def test_tokenize_offsets_point_into_the_text() -> None:
    text = "Kim Jong Un met Putin in Vladivostok.\n\nDPRK-Russia ties grew. Again."
    sentences = text_to_sentences(text)
    assert [text[s.start : s.end] for s in sentences] == [
        "Kim Jong Un met Putin in Vladivostok.",
        "DPRK-Russia ties grew.",
        "Again.",
    ]
    tokens = [text[a:b] for a, b in sentences[1].tokens]
    assert tokens[:3] == ["DPRK", "-", "Russia"]


def test_tokenize_sentences_never_cross_paragraphs() -> None:
    text = "No full stop here\n\nNext paragraph."
    assert [(s.start, s.end) for s in text_to_sentences(text)] == [
        (0, len("No full stop here")),
        (len("No full stop here\n\n"), len(text)),
    ]
    assert paragraph_offsets(text) == [(0, 17), (19, 34)]


def test_tokenize_iob2_of_a_sentence() -> None:
    text = "President Vladimir Putin visited Russia"
    tokens = text_to_sentences(text)[0].tokens
    spans = [
        (len("President "), len("President Vladimir Putin"), "PERSON"),
        (len("President Vladimir Putin visited "), len(text), "GPE"),
    ]
    assert spans_to_iob2(tokens, spans) == ["O", "B-PERSON", "I-PERSON", "O", "B-GPE"]
    assert iob2_to_spans(tokens, spans_to_iob2(tokens, spans)) == spans


def test_tokenize_flatten_keeps_the_outermost_span() -> None:
    spans = [(0, 60, "TITLE"), (30, 60, "GPE"), (70, 75, "PERSON")]
    assert flatten_spans(spans) == [(0, 60, "TITLE"), (70, 75, "PERSON")]


words = st.text(alphabet=st.sampled_from("abcdéжКü한글"), min_size=1, max_size=6)


@settings(max_examples=150, deadline=None)
@given(st.lists(words, min_size=1, max_size=12), st.data())
def test_tokenize_offsets_iob2_round_trip_on_random_text(tokens_text: list[str], data: st.DataObject) -> None:
    text = " ".join(tokens_text)
    sentence = text_to_sentences(text)[0]
    tokens = sentence.tokens
    n = len(tokens)
    cuts = sorted(data.draw(st.sets(st.integers(0, n), max_size=n)))
    spans = []
    for a, b in itertools.pairwise(cuts):
        if data.draw(st.booleans()):
            spans.append((tokens[a][0], tokens[b - 1][1], data.draw(st.sampled_from(["GPE", "PERSON"]))))
    tags = spans_to_iob2(tokens, spans)
    assert iob2_to_spans(tokens, tags) == spans
    for start, end, _ in spans:
        assert text[start:end] == text[start:end].strip()


def sentences_token_by_token(text: str) -> list[Sentence]:
    """The sentences as spaCy's objects give them (``doc.sents``, ``Token``): what
    :func:`text_to_sentences` reads faster from ``Doc.to_array``."""
    sentences = []
    paragraphs = paragraph_offsets(text)
    for (base, _), doc in zip(paragraphs, pipeline().pipe(text[a:b] for a, b in paragraphs), strict=True):
        for sent in doc.sents:
            tokens = tuple((base + t.idx, base + t.idx + len(t.text)) for t in sent if not t.is_space)
            if tokens:
                sentences.append(Sentence(tokens[0][0], tokens[-1][1], tokens))
    return sentences


PIECES = st.sampled_from([*"ab .,'-’!?\n\t\u00a0(1)\"", "Mr.", "can't", "U.S.", "DPRK-Russia", "\n\n", " . ", "?!"])


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_tokenize_sentences_equal_spacy_token_by_token(text: str) -> None:
    assert text_to_sentences(text) == sentences_token_by_token(text)


def test_tokenize_sentences_of_the_corpus_equal_spacy_token_by_token(repo: Repo) -> None:
    for loaded in load_repo(repo)[0].sources.values():
        assert text_to_sentences(loaded.page.text) == sentences_token_by_token(loaded.page.text)
