"""The validator's messages on JSON-lines files: a file-wide problem once per file, encodings
named, specific hints for common JSON slips, "did you mean" for misspelt labels and fields."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from dprkmedia.corpus.repo import Repo
from dprkmedia.model.issues import Issue
from dprkmedia.validation.repo import validate_repo

from .conftest import copy_repo

DOC = "003_ffbef9be4e76c7d4"
FILE = f"annotations/{DOC}.jsonl"
HEADER = {"doc": DOC, "frames": ["Political"], "genre": "opinion"}
SPAN = {
    "layer": "entities",
    "id": "e1",
    "start": 50,
    "end": 54,
    "text": "DPRK",
    "label": "GPE",
    "norm": "Democratic People's Republic of Korea",
}


@pytest.fixture(scope="module")
def shared_copy(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    return copy_repo(tmp_path_factory.mktemp("messages") / "repo")


@pytest.fixture
def repo_copy(shared_copy: Repo) -> Iterator[Repo]:
    """One copy of the repository for the module; each test may change one file, which is restored."""
    saved = {path: path.read_bytes() for path in (shared_copy.annotation_file(DOC), *shared_copy.sources_dir.iterdir())}
    yield shared_copy
    for path, data in saved.items():
        path.write_bytes(data)


def issues_of(repo: Repo, data: bytes) -> list[Issue]:
    path = repo.annotation_file(DOC)
    path.write_bytes(data)
    return validate_repo(repo, [path]).issues


def gold(repo: Repo) -> bytes:
    return repo.annotation_file(DOC).read_bytes()


def test_crlf_is_one_issue_per_file_with_the_count(repo_copy: Repo) -> None:
    data = gold(repo_copy)
    lines = data.count(b"\n")
    issues = issues_of(repo_copy, data.replace(b"\n", b"\r\n"))
    assert [(i.line, i.code) for i in issues] == [(1, "line-crlf")]
    assert f"{lines} of {lines} lines end with CR LF" in issues[0].message


def test_a_notepad_file_gives_two_issues_not_one_per_line(repo_copy: Repo) -> None:
    issues = issues_of(repo_copy, b"\xef\xbb\xbf" + gold(repo_copy).replace(b"\n", b"\r\n"))
    assert sorted(i.code for i in issues) == ["encoding-bom", "line-crlf"]


def test_mixed_line_ends_name_the_first_crlf_line(repo_copy: Repo) -> None:
    lines = gold(repo_copy).split(b"\n")
    lines[3] += b"\r"
    lines[7] += b"\r"
    issues = issues_of(repo_copy, b"\n".join(lines))
    assert [(i.line, i.code) for i in issues] == [(4, "line-crlf")]
    assert issues[0].message.startswith("2 of ")


def test_bare_cr_line_ends_are_named(repo_copy: Repo) -> None:
    issues = issues_of(repo_copy, gold(repo_copy).replace(b"\n", b"\r"))
    assert "line-crlf" in {i.code for i in issues}
    assert any("bare CR" in i.message for i in issues)


@pytest.mark.parametrize(
    ("codec", "named"),
    [
        ("utf-16", "UTF-16 little-endian, with byte order mark FF FE"),
        ("utf-16-le", "UTF-16 little-endian, without byte order mark"),
        ("utf-16-be", "UTF-16 big-endian, without byte order mark"),
    ],
)
def test_utf16_is_named_once(repo_copy: Repo, codec: str, named: str) -> None:
    data = gold(repo_copy).decode("utf-8").encode(codec)
    if codec == "utf-16":
        assert data.startswith(b"\xff\xfe")
    issues = issues_of(repo_copy, data)
    assert [(i.line, i.code) for i in issues] == [(1, "encoding-invalid")]
    assert named in issues[0].message
    assert "UTF-8" in (issues[0].hint or "")


def test_utf16_big_endian_with_bom_is_named(repo_copy: Repo) -> None:
    issues = issues_of(repo_copy, b"\xfe\xff" + gold(repo_copy).decode("utf-8").encode("utf-16-be"))
    assert [i.message for i in issues] == ["Not UTF-8: the file is UTF-16 big-endian, with byte order mark FE FF."]


def test_windows_1252_is_named_once_for_the_file(repo_copy: Repo) -> None:
    data = gold(repo_copy).decode("utf-8").encode("cp1252")  # curly quotes become 0x92 ...
    issues = issues_of(repo_copy, data)
    assert [i.code for i in issues] == ["encoding-invalid"]
    assert "looks like Windows-1252 (cp1252)" in issues[0].message
    bad_lines = sum(1 for line in data.split(b"\n") if any(byte > 0x7F for byte in line))
    assert bad_lines > 1
    assert f"on {bad_lines} line(s)" in issues[0].message


def test_latin1_is_named(repo_copy: Repo) -> None:
    span = json.dumps({**SPAN, "note": "café"}, ensure_ascii=False).encode("latin-1")
    issues = issues_of(repo_copy, json.dumps(HEADER).encode() + b"\n" + span + b"\n")
    assert [(i.line, i.code) for i in issues] == [(2, "encoding-invalid")]
    assert "Latin-1 (ISO-8859-1) or Windows-1252, where these bytes read 'é'" in issues[0].message


def test_bytes_that_no_text_encoding_reads_are_not_given_a_name(repo_copy: Repo) -> None:
    span = json.dumps({**SPAN, "note": "x"}).encode().replace(b'"x"', b'"\x81\x01"')
    issues = issues_of(repo_copy, json.dumps(HEADER).encode() + b"\n" + span + b"\n")
    assert [(i.line, i.code) for i in issues] == [(2, "encoding-invalid")]
    assert "looks like" not in issues[0].message


def test_nul_bytes_are_one_issue_per_file(repo_copy: Repo) -> None:
    lines = gold(repo_copy).split(b"\n")
    for index in (2, 5, 9):
        lines[index] = lines[index].replace(b", ", b",\x00 ", 1)
    issues = [i for i in issues_of(repo_copy, b"\n".join(lines)) if i.code == "encoding-nul"]
    assert [(i.line, i.message) for i in issues] == [(3, "NUL bytes on 3 line(s), the first on this line.")]


def test_file_wide_issues_are_reported_for_raw_pages_once_too(repo_copy: Repo) -> None:
    page = next(repo_copy.sources_dir.iterdir())
    page.write_bytes(page.read_bytes().decode("utf-8").encode("utf-16"))
    codes = [i.code for i in validate_repo(repo_copy, [page]).issues]
    assert codes.count("encoding-invalid") == 1


def line_issues(repo: Repo, line: str) -> list[Issue]:
    data = json.dumps(HEADER) + "\n" + line + "\n"
    return [i for i in issues_of(repo, data.encode("utf-8")) if i.line == 2]


def test_a_trailing_comma_gets_its_own_hint(repo_copy: Repo) -> None:
    line = json.dumps(SPAN)[:-1] + ", }"
    [found] = line_issues(repo_copy, line)
    assert found.code == "json-invalid"
    assert found.message == f"Trailing comma before '}}' at column {line.index(', }') + 1}."
    assert "Delete the comma" in (found.hint or "")


def test_a_trailing_comma_in_a_list_gets_its_own_hint(repo_copy: Repo) -> None:
    data = json.dumps({**HEADER, "frames": ["Political"]}).replace('"Political"]', '"Political",]')
    issues = issues_of(repo_copy, data.encode() + b"\n")
    assert [(i.code, i.message.split(" at ")[0]) for i in issues] == [("json-invalid", "Trailing comma before ']'")]


def test_curly_quotes_get_their_own_hint(repo_copy: Repo) -> None:
    line = json.dumps(SPAN).replace('"layer"', "\u201clayer\u201d")
    [found] = line_issues(repo_copy, line)
    assert found.code == "json-invalid"
    assert "Curly quote '\u201c' at column 2" in found.message
    assert 'straight double quotes "' in (found.hint or "")


def test_curly_quotes_inside_a_string_are_text_not_syntax(repo_copy: Repo) -> None:
    line = json.dumps({**SPAN, "note": "the Workers\u2019 Party"}, ensure_ascii=False)
    assert line_issues(repo_copy, line) == []


def test_single_quotes_get_their_own_hint(repo_copy: Repo) -> None:
    line = str(SPAN)  # a Python dict, as print() shows it
    [found] = line_issues(repo_copy, line)
    assert found.code == "json-invalid"
    assert "Single quote at column 2" in found.message
    assert "json.dumps" in (found.hint or "")


@pytest.mark.parametrize(
    ("field", "value", "near"),
    [("label", "GPR", "GPE"), ("label", "gpe", "GPE"), ("label", "PERSN", "PERSON"), ("layer", "entity", "entities")],
)
def test_a_misspelt_label_gets_did_you_mean(repo_copy: Repo, field: str, value: str, near: str) -> None:
    [found] = line_issues(repo_copy, json.dumps({**SPAN, field: value}))
    assert found.code == "label-unknown"
    assert f"did you mean '{near}'?" in found.message


def test_a_label_far_from_every_label_gets_no_guess(repo_copy: Repo) -> None:
    [found] = line_issues(repo_copy, json.dumps({**SPAN, "label": "QQQQQQ"}))
    assert "did you mean" not in found.message


def test_a_misspelt_field_gets_did_you_mean(repo_copy: Repo) -> None:
    span = {("lable" if k == "label" else k): v for k, v in SPAN.items()}
    issues = line_issues(repo_copy, json.dumps(span))
    unknown = [i for i in issues if i.code == "field-unknown"]
    assert [i.message for i in unknown] == ["Unknown field 'lable': did you mean 'label'?"]
    assert {i.code for i in issues} == {"field-unknown", "field-missing"}


def test_a_misspelt_header_field_gets_did_you_mean(repo_copy: Repo) -> None:
    header = {"doc": DOC, "frame": ["Political"], "genre": "opinion"}
    issues = issues_of(repo_copy, json.dumps(header).encode() + b"\n")
    assert "Unknown field 'frame': did you mean 'frames'?" in [i.message for i in issues]


def test_a_curly_quote_closing_a_string_gets_the_curly_hint(repo_copy: Repo) -> None:
    line = json.dumps(SPAN).replace('"DPRK"', '"DPRK\u201d')
    [found] = line_issues(repo_copy, line)
    assert (
        found.message
        == f"Curly quote '\u201d' at column {line.index(chr(0x201D)) + 1} where JSON needs a straight double quote."
    )


def test_python_words_get_their_own_hint(repo_copy: Repo) -> None:
    line = json.dumps({**SPAN, "note": None}).replace("null", "None")
    [found] = line_issues(repo_copy, line)
    assert found.message == f"Python's None at column {line.index('None') + 1}: JSON writes null."


def test_other_json_errors_keep_the_parser_message(repo_copy: Repo) -> None:
    [found] = line_issues(repo_copy, json.dumps(SPAN)[:-1])
    assert found.code == "json-invalid"
    assert found.message.startswith("Expecting ',' delimiter at column")


def test_whitespace_json_does_not_allow_is_named(repo_copy: Repo) -> None:
    line = json.dumps(SPAN) + " \u00a0"
    [found] = line_issues(repo_copy, line)
    assert (
        found.message
        == f"Whitespace JSON does not allow (NO-BREAK SPACE) at column {len(line)}, at the end of the line."
    )


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        (50, 99999, "offset-out-of-range"),
        (99990, 99999, "offset-out-of-range"),
        (54, 50, "offset-order"),
        (50, 50, "offset-order"),
    ],
)
def test_offsets_past_the_end_or_reversed_have_their_own_codes(
    repo_copy: Repo, start: int, end: int, code: str
) -> None:
    [found] = line_issues(repo_copy, json.dumps({**SPAN, "start": start, "end": end}))
    assert (found.code, found.path) == (code, "$.end")
