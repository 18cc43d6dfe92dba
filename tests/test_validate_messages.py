"""The validator's messages on JSON-lines files: a file-wide problem once per file, encodings
named, specific hints for common JSON slips, "did you mean" for misspelt labels and fields."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dprkmedia.corpus.repo import Repo
from dprkmedia.model.issues import Issue
from dprkmedia.validation.repo import validate_repo

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


def test_file_wide_issues_are_reported_for_raw_pages_once_too(repo_copy: Repo, tmp_path: Path) -> None:
    page = next(repo_copy.sources_dir.iterdir())
    page.write_bytes(page.read_bytes().decode("utf-8").encode("utf-16"))
    codes = [i.code for i in validate_repo(repo_copy, [page]).issues]
    assert codes.count("encoding-invalid") == 1
