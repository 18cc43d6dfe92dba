"""Parse the scraped page format of ``dataset/sources/`` into header, body and boilerplate.

A scraped page has, in this order:

* an optional **header**: an aggregator date line (``December 18, 2025Dec 18, 2025``),
  other short lines (a section label such as ``KCNA Pyongyang Times``), the **title**,
  and a **date line**: either ``Date: DD/MM/YYYY | Source: <outlet> | ...`` or a bare
  ``Month DD, YYYY``. The header exists only when such a date line is found among the
  first :data:`HEADER_MAX_LINES` non-blank lines; the title is the non-blank line right
  before it.
* the **body**: every line up to the first boilerplate line. A closing dateline such as
  ``Pyongyang, April 25, Juche 113(2024)`` belongs to the body (it is part of the
  published statement) and is also read as evidence of the publication date.
* **boilerplate**: ``More From <outlet>`` followed by related items (optional title,
  excerpt, date, excerpt again), ``More Articles``, ``<year> © All rights reserved.
  <domain>``.

The parser reads facts and says which line each came from; it never decides what a
fact *means* beyond the page (outlet names are canonicalised and the ``Date:`` field
order is set by the reviewed metadata file, see :mod:`dprkmedia.corpus.metadata`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from dprkmedia.model.timex import MONTHS as ENGLISH_MONTHS

HEADER_MAX_LINES = 6

MONTHS = {name: number for number, name in enumerate(ENGLISH_MONTHS, start=1)}
_MONTH = "(?P<month>" + "|".join(MONTHS) + ")"
_MON = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"

DATE_SOURCE_LINE = re.compile(
    r"^Date: (?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>\d{4}) \| Source: (?P<source>[^|]+?)"
    r"(?: \| .*)?$"
)
LONG_DATE_LINE = re.compile(rf"^{_MONTH} (?P<day>\d{{1,2}}), (?P<year>\d{{4}})$")
AGGREGATOR_DATE_LINE = re.compile(rf"^{_MONTH} (?P<day>\d{{1,2}}), (?P<year>\d{{4}}){_MON} \d{{1,2}}, \d{{4}}$")
CLOSING_DATELINE = re.compile(
    rf"^(?P<place>[A-Z][A-Za-z .'-]+), {_MONTH} (?P<day>\d{{1,2}}), "
    r"Juche (?P<juche>\d{1,3}) ?\((?P<year>\d{4})\)$"
)
MORE_FROM_LINE = re.compile(r"^More From (?P<outlet>.+)$")
MORE_ARTICLES_LINE = re.compile(r"^More Articles$")
COPYRIGHT_LINE = re.compile(r"^(?P<year>\d{4}) © All rights reserved\. (?P<domain>\S+)$")

JUCHE_OFFSET = 1911
"""Juche year = Gregorian year - 1911 (Juche 1 = 1912)."""


class PageFormatError(ValueError):
    """The page cannot be read as the scraped format (e.g. it has no body)."""


@dataclass(frozen=True)
class SourceLine:
    """One line of a raw page: 1-based line number and text without its line end."""

    number: int
    text: str


@dataclass(frozen=True)
class DateFact:
    """A date read from the page: ISO value, the line it came from, and how it was read."""

    value: str
    evidence: SourceLine
    method: str


@dataclass(frozen=True)
class RelatedItem:
    """One related headline of a ``More From`` list: what the page shows of another article."""

    title: str | None
    excerpt: str
    date: str
    line: int


@dataclass
class ParsedPage:
    """Everything the parser reads off one page; ``None`` where the page says nothing."""

    title: SourceLine | None = None
    header_date: DateFact | None = None
    aggregator_date: DateFact | None = None
    closing_date: DateFact | None = None
    source_name: SourceLine | None = None
    """Line naming the outlet in the ``Date: ... | Source:`` header."""
    source_field: str | None = None
    more_from: SourceLine | None = None
    more_from_outlet: str | None = None
    copyright: SourceLine | None = None
    copyright_domain: str | None = None
    header_other: list[SourceLine] = field(default_factory=list)
    paragraphs: list[SourceLine] = field(default_factory=list)
    related: list[RelatedItem] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The body: paragraphs, NFC-normalized, joined by a blank line."""
        return "\n\n".join(p.text for p in self.paragraphs)


def split_lines(raw: str) -> list[SourceLine]:
    """Split page text into numbered lines (1-based), keeping blank lines."""
    return [SourceLine(n, line) for n, line in enumerate(raw.split("\n"), start=1)]


def clean_line(line: str) -> str:
    """NFC-normalize a body line and strip the whitespace at its ends (NBSP included)."""
    return unicodedata.normalize("NFC", line).strip()


def parse_dmy(day: int, month: int, year: int) -> str:
    """Turn day, month and year into an ISO date, raising ValueError if impossible."""
    return date(year, month, day).isoformat()


def _long_date(match: re.Match[str]) -> str:
    return parse_dmy(int(match["day"]), MONTHS[match["month"]], int(match["year"]))


def is_boilerplate_start(text: str) -> bool:
    """Whether a line starts the boilerplate that follows the body."""
    return bool(MORE_FROM_LINE.match(text) or MORE_ARTICLES_LINE.match(text) or COPYRIGHT_LINE.match(text))


def parse_page(raw: str, *, date_line_order: str = "DMY") -> ParsedPage:
    """Parse a raw page (already decoded) into a :class:`ParsedPage`.

    ``date_line_order`` is the field order of the ``Date: a/b/YYYY`` line, ``"DMY"`` or
    ``"MDY"``; it is a fact about the aggregator, kept in the reviewed metadata file.
    """
    lines = split_lines(raw)
    page = ParsedPage()
    body_start = _parse_header(lines, page, date_line_order)
    boiler_start = _find_boilerplate(lines, body_start)
    page.paragraphs = [
        SourceLine(line.number, clean_line(line.text))
        for line in lines[body_start:boiler_start]
        if clean_line(line.text)
    ]
    if not page.paragraphs:
        raise PageFormatError("the page has no body text between its header and boilerplate")
    _parse_closing_dateline(page)
    _parse_boilerplate(lines[boiler_start:], page)
    return page


def _parse_header(lines: list[SourceLine], page: ParsedPage, order: str) -> int:
    """Read the header into ``page``; return the index of the first body line."""
    nonblank = [i for i, line in enumerate(lines) if line.text.strip()][:HEADER_MAX_LINES]
    for position, index in enumerate(nonblank):
        text = lines[index].text.strip()
        if match := DATE_SOURCE_LINE.match(text):
            a, b = int(match["a"]), int(match["b"])
            day, month = (a, b) if order == "DMY" else (b, a)
            value = parse_dmy(day, month, int(match["year"]))
            page.header_date = DateFact(value, lines[index], f"date-line-{order.lower()}")
            page.source_name = lines[index]
            page.source_field = match["source"].strip()
        elif match := LONG_DATE_LINE.match(text):
            page.header_date = DateFact(_long_date(match), lines[index], "header-date")
        else:
            continue
        _read_header_lines([lines[i] for i in nonblank[:position]], page)
        return index + 1
    return 0


def _read_header_lines(before: list[SourceLine], page: ParsedPage) -> None:
    """Classify the header lines above the date line: aggregator date, title, others."""
    for position, line in enumerate(before):
        text = line.text.strip()
        if match := AGGREGATOR_DATE_LINE.match(text):
            page.aggregator_date = DateFact(_long_date(match), line, "aggregator-date")
        elif position == len(before) - 1:
            page.title = SourceLine(line.number, clean_line(text))
        else:
            page.header_other.append(SourceLine(line.number, clean_line(text)))


def _find_boilerplate(lines: list[SourceLine], start: int) -> int:
    for index in range(start, len(lines)):
        if is_boilerplate_start(lines[index].text.strip()):
            return index
    return len(lines)


def _parse_closing_dateline(page: ParsedPage) -> None:
    last = page.paragraphs[-1]
    match = CLOSING_DATELINE.match(last.text)
    if not match:
        return
    year = int(match["year"])
    if int(match["juche"]) + JUCHE_OFFSET != year:
        return
    value = parse_dmy(int(match["day"]), MONTHS[match["month"]], year)
    page.closing_date = DateFact(value, last, "closing-dateline")


def _parse_boilerplate(lines: list[SourceLine], page: ParsedPage) -> None:
    items: list[SourceLine] = []
    for line in lines:
        text = clean_line(line.text)
        if not text:
            continue
        if match := MORE_FROM_LINE.match(text):
            page.more_from, page.more_from_outlet = line, match["outlet"].strip()
        elif match := COPYRIGHT_LINE.match(text):
            page.copyright, page.copyright_domain = line, match["domain"]
        elif not MORE_ARTICLES_LINE.match(text):
            items.append(SourceLine(line.number, text))
    page.related = parse_related(items)


def parse_related(lines: list[SourceLine]) -> list[RelatedItem]:
    """Group ``More From`` lines into items anchored on their date lines.

    Each item is ``[title [title]] excerpt date excerpt``: the line before a date is the
    excerpt, the line after repeats it, lines before the excerpt are the (repeated) title.
    """
    items: list[RelatedItem] = []
    consumed = 0
    for index, line in enumerate(lines):
        match = LONG_DATE_LINE.match(line.text)
        if not match or index == 0:
            continue
        excerpt = lines[index - 1].text
        titles = {candidate.text for candidate in lines[consumed : index - 1]}
        title = titles.pop() if len(titles) == 1 else None
        items.append(RelatedItem(title, excerpt, _long_date(match), line.number))
        following = lines[index + 1].text if index + 1 < len(lines) else None
        consumed = index + 2 if following == excerpt else index + 1
    return items
