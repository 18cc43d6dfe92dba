"""The scraped page parser, on the five real pages and on made-up variants."""

from __future__ import annotations

import pytest

from dprkmedia.corpus.pages import PageFormatError, parse_page, parse_related, split_lines
from dprkmedia.corpus.repo import Repo


def page(repo: Repo, stem: str) -> str:
    return (repo.sources_dir / f"{stem}.txt").read_text(encoding="utf-8")


def test_pages_header_with_title_and_date_line(repo: Repo) -> None:
    parsed = parse_page(page(repo, "000_b6101718c2532778"))
    assert parsed.title is not None and parsed.title.number == 1
    assert parsed.title.text == "Historic Declaration Demonstrating Strong DPRK-Russia Friendship"
    assert parsed.header_date is not None
    assert (parsed.header_date.value, parsed.header_date.evidence.number) == ("2022-08-04", 2)
    assert parsed.source_field == "Ministry of Foreign Affairs (EN)"
    assert parsed.paragraphs[0].text.startswith("August 4, 2001 is the day")
    assert parsed.paragraphs[-1].text.endswith("establish a just and fair international order.")
    assert len(parsed.related) == 20 and all(item.title is None for item in parsed.related)


def test_pages_aggregator_date_is_not_the_publication_date(repo: Repo) -> None:
    parsed = parse_page(page(repo, "001_c1a7854418038c75"))
    assert parsed.aggregator_date is not None and parsed.aggregator_date.value == "2025-12-18"
    assert parsed.header_date is not None and parsed.header_date.value == "2021-07-21"
    assert [line.text for line in parsed.header_other] == ["KCNA Pyongyang Times"]
    assert parsed.title is not None and parsed.title.text == "Historic milestone in boosting DPRK-Russia friendship"
    first = parsed.related[0]
    assert (first.title, first.date) == ("Chairman Kim Jong Il ’s outlook on life", "2025-12-17")
    assert len(parsed.related) == 16


def test_pages_without_header_have_no_title_and_no_date(repo: Repo) -> None:
    parsed = parse_page(page(repo, "002_420491b85ca59cb6"))
    assert parsed.title is None and parsed.header_date is None and parsed.closing_date is None
    assert parsed.more_from_outlet == "Pyongyang Times"
    assert parsed.paragraphs[0].number == 1


def test_pages_bare_date_line_and_copyright_domain(repo: Repo) -> None:
    parsed = parse_page(page(repo, "003_ffbef9be4e76c7d4"))
    assert parsed.header_date is not None and parsed.header_date.method == "header-date"
    assert parsed.header_date.value == "2023-03-17"
    assert parsed.copyright_domain == "www.pyongyangtimes.com.kp"
    assert all(not p.text.endswith("\xa0") for p in parsed.paragraphs)


def test_pages_closing_juche_dateline_is_body_and_date(repo: Repo) -> None:
    parsed = parse_page(page(repo, "004_ae8d796d95327752"))
    assert parsed.paragraphs[-1].text == "Pyongyang, April 25, Juche 113(2024)"
    assert parsed.closing_date is not None and parsed.closing_date.value == "2024-04-25"


def test_pages_paragraphs_are_joined_by_blank_lines() -> None:
    parsed = parse_page("First paragraph.\n\n\nSecond  one. \u00a0\nMore Articles")
    assert parsed.text == "First paragraph.\n\nSecond  one."


def test_pages_date_line_order_is_configurable() -> None:
    raw = "T\nDate: 04/08/2022 | Source: X | Read original version at source\nBody."
    assert parse_page(raw).header_date is not None
    assert parse_page(raw, date_line_order="DMY").header_date.value == "2022-08-04"  # type: ignore[union-attr]
    assert parse_page(raw, date_line_order="MDY").header_date.value == "2022-04-08"  # type: ignore[union-attr]


def test_pages_juche_year_that_disagrees_is_not_read_as_a_date() -> None:
    parsed = parse_page("Body.\nPyongyang, April 25, Juche 112(2024)")
    assert parsed.closing_date is None


def test_pages_without_body_raise() -> None:
    with pytest.raises(PageFormatError):
        parse_page("More From Pyongyang Times\nMore Articles")


def test_pages_related_items_with_and_without_titles() -> None:
    lines = split_lines(
        "Head\nHead\nExcerpt one\nJanuary 2, 2025\nExcerpt one\nExcerpt two\nJanuary 1, 2025\nExcerpt two"
    )
    items = parse_related(lines)
    assert [(i.title, i.excerpt, i.date) for i in items] == [
        ("Head", "Excerpt one", "2025-01-02"),
        (None, "Excerpt two", "2025-01-01"),
    ]
