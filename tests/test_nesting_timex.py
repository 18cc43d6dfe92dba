"""The nesting rules of annotations/GUIDELINES.md (§1, §2.3, §3.7; Decision log 74–75) and the
TIMEX3 value rules (real calendar dates, clock times, ISO weeks, durations in unit order)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from dprkmedia.corpus.repo import Repo
from dprkmedia.model.issues import Issue
from dprkmedia.model.timex import timex_value_is_valid, timex_value_problem
from dprkmedia.validation.repo import validate_repo

from .conftest import copy_repo

DOC = "004_ae8d796d95327752"
HEADER = {"doc": DOC, "frames": ["Political"], "genre": "reporting"}
# Spans of 004's text: "Comrade Kim Jong Un , President of the State Affairs of the Democratic People’s
# Republic of Korea and Comrade Vladimir Vladimirovich Putin, President of the Russian Federation"
COMRADE = (99, 106, "Comrade")
KIM = (107, 118, "Kim Jong Un")
PRESIDENT_DPRK = (121, 196, "President of the State Affairs of the Democratic People’s Republic of Korea")
PRESIDENT = (121, 130, "President")
STATE_AFFAIRS = (138, 151, "State Affairs")
DPRK = (159, 196, "Democratic People’s Republic of Korea")
PUTIN = (209, 237, "Vladimir Vladimirovich Putin")
VLADIMIR = (209, 217, "Vladimir")
PRESIDENT_RF = (239, 274, "President of the Russian Federation")
RUSSIAN = (256, 263, "Russian")
RUSSIAN_FEDERATION = (256, 274, "Russian Federation")


def entity(where: tuple[int, int, str], label: str) -> dict[str, Any]:
    start, end, text = where
    return {"layer": "entities", "start": start, "end": end, "text": text, "label": label, "norm": text}


@pytest.fixture(scope="module")
def shared_copy(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    return copy_repo(tmp_path_factory.mktemp("nesting") / "repo")


@pytest.fixture
def repo_copy(shared_copy: Repo) -> Iterator[Repo]:
    path = shared_copy.annotation_file(DOC)
    saved = path.read_bytes()
    yield shared_copy
    path.write_bytes(saved)


def issues_of(repo: Repo, *spans: dict[str, Any]) -> list[Issue]:
    prefix = {"entities": "e", "dates": "d", "rhetoric": "r"}
    lines = [HEADER, *({**s, "id": f"{prefix[s['layer']]}{n}"} for n, s in enumerate(spans, start=1))]
    path = repo.annotation_file(DOC)
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    return validate_repo(repo, [path]).issues


def test_a_gpe_inside_a_law_fails(repo_copy: Repo) -> None:
    [found] = issues_of(repo_copy, entity(PRESIDENT_DPRK, "LAW"), entity(DPRK, "GPE"))
    assert (found.line, found.code) == (3, "span-nesting")
    assert found.message == "The GPE span is inside the LAW span on line 2: LAW, ORG, EVENT and FAC names are flat."
    assert found.found == DPRK[2]


def test_a_person_inside_a_person_fails(repo_copy: Repo) -> None:
    [found] = issues_of(repo_copy, entity(PUTIN, "PERSON"), entity(VLADIMIR, "PERSON"))
    assert (found.line, found.code) == (3, "span-nesting")
    assert "inside the PERSON span on line 2: only a TITLE contains other entities" in found.message


def test_the_inner_span_is_reported_whichever_line_comes_first(repo_copy: Repo) -> None:
    [found] = issues_of(repo_copy, entity(DPRK, "GPE"), entity(PRESIDENT_DPRK, "ORG"))
    assert (found.line, found.found) == (2, DPRK[2])
    assert "inside the ORG span on line 3" in found.message


@pytest.mark.parametrize("inner", ["GPE", "ORG"])
def test_a_gpe_or_org_inside_a_title_passes(repo_copy: Repo, inner: str) -> None:
    assert issues_of(repo_copy, entity(PRESIDENT_DPRK, "TITLE"), entity(DPRK, inner)) == []


@pytest.mark.parametrize(("inner", "where"), [("PERSON", DPRK), ("NORP", RUSSIAN), ("LOC", DPRK), ("TITLE", PRESIDENT)])
def test_a_title_contains_only_gpe_and_org(repo_copy: Repo, inner: str, where: tuple[int, int, str]) -> None:
    outer = PRESIDENT_RF if where == RUSSIAN else PRESIDENT_DPRK
    [found] = issues_of(repo_copy, entity(outer, "TITLE"), entity(where, inner))
    assert found.code == "span-nesting"
    assert found.message.endswith("a TITLE contains only GPE and ORG names.")


def test_nothing_inside_a_loc(repo_copy: Repo) -> None:
    [found] = issues_of(repo_copy, entity(RUSSIAN_FEDERATION, "LOC"), entity(RUSSIAN, "NORP"))
    assert found.message.endswith("LOC names are flat.")


def test_nesting_three_deep_names_each_wrong_pair(repo_copy: Repo) -> None:
    spans = entity(PRESIDENT_DPRK, "TITLE"), entity(STATE_AFFAIRS, "ORG"), entity((138, 143, "State"), "GPE")
    found = issues_of(repo_copy, *spans)
    assert [(i.line, i.code) for i in found] == [(4, "span-nesting")]
    assert "inside the ORG span on line 3" in found[0].message


def test_crossing_entity_spans_fail(repo_copy: Repo) -> None:
    [found] = issues_of(repo_copy, entity(KIM, "PERSON"), entity((111, 130, "Jong Un , President"), "TITLE"))
    assert (found.line, found.code) == (3, "span-nesting")
    assert found.message == "The TITLE span crosses the PERSON span on line 2: entity spans nest or stay apart."


def test_one_extent_with_two_entity_labels_fails(repo_copy: Repo) -> None:
    [found] = issues_of(repo_copy, entity(DPRK, "GPE"), entity(DPRK, "ORG"))
    assert (found.line, found.code) == (3, "span-nesting")
    assert found.message == "The ORG span has the extent of the GPE span on line 2: a name is one entity."


def test_the_same_span_twice_is_a_duplicate_not_a_nesting(repo_copy: Repo) -> None:
    found = issues_of(repo_copy, entity(DPRK, "GPE"), entity(DPRK, "GPE"))
    assert [i.code for i in found] == ["span-duplicate"]


def date(where: tuple[int, int, str], value: str) -> dict[str, Any]:
    return {"layer": "dates", "start": where[0], "end": where[1], "text": where[2], "type": "DATE", "value": value}


def test_overlapping_dates_fail_and_other_layers_may_overlap(repo_copy: Repo) -> None:
    text = repo_copy.annotation_file(DOC).read_text(encoding="utf-8")
    whole = next(json.loads(line) for line in text.splitlines() if '"April 25, Juche 113(2024)"' in line)
    start = whole["start"]
    day = (start, start + len("April 25"), "April 25")
    rhetoric = {"layer": "rhetoric", "start": day[0], "end": day[1], "text": day[2], "label": "Repetition"}
    found = issues_of(
        repo_copy, date((start, whole["end"], whole["text"]), "2024-04-25"), date(day, "2024-04-25"), rhetoric, rhetoric
    )
    assert [(i.line, i.code) for i in found] == [(3, "span-nesting"), (5, "span-duplicate")]
    assert found[0].message == "The DATE span is inside the DATE span on line 2: date spans do not overlap."


def test_rhetoric_spans_may_overlap_and_nest(repo_copy: Repo) -> None:
    spans = [
        {"layer": "rhetoric", "start": s, "end": e, "text": t, "label": label}
        for (s, e, t), label in ((PUTIN, "Loaded_Language"), (VLADIMIR, "Loaded_Language"), (KIM, "Slogans"))
    ]
    assert issues_of(repo_copy, *spans) == []


def test_the_gold_and_every_pass_pass(repo: Repo) -> None:
    report = validate_repo(repo)
    assert report.passed, report.render()


# --- TIMEX3 values ---------------------------------------------------------------------------

REAL = [
    ("DATE", "2024-02-29"),
    ("DATE", "XXXX-02-29"),
    ("DATE", "2000-02-29"),
    ("DATE", "XXXX-XX-31"),
    ("DATE", "2020-W53"),
    ("DATE", "2026-W53"),
    ("DATE", "2021-W52"),
    ("DATE", "0000-02-29"),
    ("TIME", "T24:00"),
    ("TIME", "T23:59:60"),
    ("TIME", "2024-04-25T10:00"),
    ("DURATION", "P1Y2M"),
    ("DURATION", "PT1H30M"),
    ("DURATION", "P1DT2H"),
    ("DURATION", "P2DE"),
    ("DURATION", "PXY"),
    ("SET", "P1W"),
    ("SET", "XXXX-07-19"),
]

IMPOSSIBLE = [
    ("DATE", "2001-13-45", "month 13 does not exist"),
    ("DATE", "2001-00", "month 00 does not exist"),
    ("DATE", "2001-01-00", "day 00 does not exist"),
    ("DATE", "2001-02-29", "February 2001 has 28 days"),
    ("DATE", "1900-02-29", "February 1900 has 28 days"),
    ("DATE", "2023-04-31", "April 2023 has 30 days"),
    ("DATE", "XXXX-02-30", "February has at most 29 days"),
    ("DATE", "XXXX-XX-32", "no month has 32 days"),
    ("DATE", "2001-W00", "week 00 does not exist"),
    ("DATE", "2021-W53", "2021 has 52 ISO weeks"),
    ("DATE", "2001-W54", "no year has 54 ISO weeks"),
    ("TIME", "T25:99", "hour 25 does not exist"),
    ("TIME", "T12:60", "minute 60 does not exist"),
    ("TIME", "T12:30:61", "second 61 does not exist"),
    ("TIME", "T24:30", "24 is an hour only as 24:00 (the end of a day)"),
    ("TIME", "2001-02-29T10:00", "February 2001 has 28 days"),
    ("SET", "XXXX-13-01", "month 13 does not exist"),
]

MALFORMED = [("DURATION", v) for v in ("P1D1Y", "P1Y1Y", "PT", "P", "PT1H2H", "P1M1Y", "PT1S1M", "P1H")]


@pytest.mark.parametrize(("timex_type", "value"), REAL)
def test_real_timex_values_pass(timex_type: str, value: str) -> None:
    assert timex_value_is_valid(timex_type, value)
    assert timex_value_problem(timex_type, value) is None


@pytest.mark.parametrize(("timex_type", "value", "why"), IMPOSSIBLE)
def test_impossible_timex_values_say_why(timex_type: str, value: str, why: str) -> None:
    assert timex_value_is_valid(timex_type, value)  # the form is right ...
    assert timex_value_problem(timex_type, value) == why  # ... the date or time is not


@pytest.mark.parametrize(("timex_type", "value"), MALFORMED)
def test_durations_have_each_unit_once_largest_first(timex_type: str, value: str) -> None:
    assert not timex_value_is_valid(timex_type, value)


def test_the_gold_timex_values_are_real(repo: Repo) -> None:
    files = [*repo.annotations_dir.glob("0*.jsonl"), *repo.annotations_dir.glob("passes/*/*.jsonl")]
    values = {
        (record["type"], record["value"])
        for path in files
        for record in map(json.loads, path.read_text(encoding="utf-8").splitlines())
        if record.get("layer") == "dates"
    }
    assert len(values) > 20
    assert [v for v in values if timex_value_problem(*v) is not None] == []


@pytest.mark.parametrize(
    ("value", "why"), [("2001-13-45", "month 13 does not exist"), ("2023-02-29", "February 2023 has 28 days")]
)
def test_validate_reports_an_impossible_date(repo_copy: Repo, value: str, why: str) -> None:
    text = repo_copy.annotation_file(DOC).read_text(encoding="utf-8")
    whole = next(json.loads(line) for line in text.splitlines() if '"April 25, Juche 113(2024)"' in line)
    [found] = issues_of(repo_copy, date((whole["start"], whole["end"], whole["text"]), value))
    assert (found.line, found.code, found.path, found.found) == (2, "timex-value-impossible", "$.value", value)
    assert found.message == f"Not a real DATE: {why}."


def test_validate_reports_an_impossible_time(repo_copy: Repo) -> None:
    text = repo_copy.annotation_file(DOC).read_text(encoding="utf-8")
    whole = next(json.loads(line) for line in text.splitlines() if '"April 25, Juche 113(2024)"' in line)
    span = {**date((whole["start"], whole["end"], whole["text"]), "T25:99"), "type": "TIME"}
    [found] = issues_of(repo_copy, span)
    assert found.code == "timex-value-impossible"
    assert found.message == "Not a real TIME: hour 25 does not exist."
