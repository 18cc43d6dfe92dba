"""``dprkmedia site``: the files it writes, without a browser (browser tests: test_site_browser.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dprkmedia.adapters.site.pages import (
    ASSETS,
    MARKER,
    Extras,
    SiteError,
    build_site,
    date_precision,
    describe_date,
    json_for_html,
    read_built_documents,
    write_site,
)
from dprkmedia.cli.main import main
from dprkmedia.corpus.repo import Repo
from dprkmedia.model.taxonomy import Taxonomy

from .site_fixture import hostile_document, hostile_taxonomy


def test_site_writes_an_index_and_a_page_per_document(repo: Repo, tmp_path: Path) -> None:
    files = build_site(repo, tmp_path / "site")
    names = {p.relative_to(tmp_path / "site").as_posix() for p in files}
    docs = read_built_documents(repo)
    assets = {f"assets/{name}" for name in ASSETS}
    assert {"assets/site.css", "assets/site.js", "assets/look.js", "assets/exercise.js"} <= assets
    per_doc = {f"{folder}{d['id']}.html" for d in docs for folder in ("", "exercise/", "compare/")}
    labels = {name for name in names if name.startswith("labels/")}
    assert labels  # one per label in use: tests/test_site_views.py
    views = {"glossary.html", "search.html", "compare.html"}
    assert names == {"index.html", MARKER} | assets | per_doc | views | labels
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    for doc in docs:
        assert f'href="{doc["id"]}.html"' in index
        assert (doc["title"] or "Untitled (the page gives no headline)") in index


def test_site_page_carries_the_document_data(repo: Repo, tmp_path: Path) -> None:
    build_site(repo, tmp_path / "site")
    doc = read_built_documents(repo)[0]
    html = (tmp_path / "site" / f"{doc['id']}.html").read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="page-data">(.*?)</script>', html, re.S)
    assert block
    data = json.loads(block.group(1))
    assert data["doc"]["text"] == doc["text"]
    assert len(data["spans"]) == sum(len(doc[layer]) for layer in ("entities", "dates", "rhetoric"))
    assert doc["source_sha256"] in html
    assert all(doc["text"][s["start"] : s["end"]] == s["text"] for s in data["spans"])


def test_site_requests_nothing_from_elsewhere(repo: Repo, tmp_path: Path) -> None:
    files = build_site(repo, tmp_path / "site")
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href|action)\s*=\s*["']?\s*(https?:)?//""", text, re.I), path
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text, re.I), path
        assert "@import" not in text
        assert "fetch(" not in text and "XMLHttpRequest" not in text
        if path.suffix == ".html":
            assert "Content-Security-Policy" in text and "default-src 'none'" in text


def test_site_escapes_markup_from_the_data(repo: Repo, tmp_path: Path) -> None:
    write_site(tmp_path / "site", [hostile_document()], hostile_taxonomy(repo))
    for name in ("index.html", "x01_fixture.html"):
        html = (tmp_path / "site" / name).read_text(encoding="utf-8")
        assert "<script>window" not in html
        assert "<img" not in html and "<i>" not in html
        # site.js and look.js on every page; views.js and the page data on an article
        assert len(re.findall(r"<script\b", html)) == (2 if name == "index.html" else 4)
    page = (tmp_path / "site" / "x01_fixture.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__pwned = &#x27;title&#x27;&lt;/script&gt;" in page
    assert "\\u003c/script\\u003e\\u003cscript\\u003ewindow.__pwned = 'norm'" in page


def test_site_json_for_html_round_trips() -> None:
    data = {"a": "</script><!-- & é \u2028", "b": [1, None]}
    text = json_for_html(data)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == data


def test_site_dates_keep_their_precision() -> None:
    assert [date_precision(v) for v in ("2024", "2024-04", "2024-04-25", None)] == ["year", "month", "day", None]
    assert describe_date({"published": None}) == "no date (the page gives none)"
    assert describe_date({"published": "2024-04"}) == "2024-04 (month precision)"


def test_site_is_deterministic(repo: Repo, tmp_path: Path) -> None:
    first = build_site(repo, tmp_path / "a")
    second = build_site(repo, tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_site_replaces_its_own_output(repo: Repo, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(repo, out)
    (out / "stale.html").write_text("old", encoding="utf-8")
    build_site(repo, out)
    assert not (out / "stale.html").exists()
    assert (out / "index.html").is_file()


def test_site_refuses_a_folder_it_did_not_make(repo: Repo, tmp_path: Path) -> None:
    out = tmp_path / "notes"
    out.mkdir()
    (out / "mine.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(SiteError, match="was not made by 'dprkmedia site'"):
        build_site(repo, out)
    assert (out / "mine.txt").read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes"]  # no temporary folder left


def test_site_cli_writes_and_reports(repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(repo.root), "site", str(tmp_path / "out")]) == 0
    captured = capsys.readouterr()
    assert "index.html" in captured.out
    assert "[1] index.html" in captured.err  # progress


def test_site_cli_without_built_dataset(repo_copy: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo_copy.dataset_dir / "jsonl" / "test.jsonl").unlink()
    assert main(["--root", str(repo_copy.root), "site", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "dataset/jsonl/test.jsonl: not found" in err and "make dataset" in err
    assert not (tmp_path / "out").exists()


def test_site_cli_names_a_broken_line(repo_copy: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo_copy.dataset_dir / "jsonl" / "train.jsonl"
    path.write_text(path.read_text(encoding="utf-8") + "{not json\n", encoding="utf-8")
    assert main(["--root", str(repo_copy.root), "site", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "dataset/jsonl/train.jsonl:4" in err and "json-invalid" in err


def test_site_labels_on_pages_come_from_the_taxonomy(repo: Repo, tax: Taxonomy, tmp_path: Path) -> None:
    build_site(repo, tmp_path / "site")
    doc = read_built_documents(repo)[0]
    html = (tmp_path / "site" / f"{doc['id']}.html").read_text(encoding="utf-8")
    used = {s["label"] for s in doc["rhetoric"]}
    for label in tax.labels:
        if label.layer == "rhetoric":
            assert (f'data-label="{label.name}"' in html) == (label.name in used)


def test_site_index_says_where_the_answer_key_comes_from(repo: Repo, tmp_path: Path) -> None:
    build_site(repo, tmp_path / "site")
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    figures = json.loads((repo.root / "docs" / "agreement.json").read_text(encoding="utf-8"))
    section = index.split('<section id="answer-key">', 1)[1].split("</section>", 1)[0]
    assert "Departures from SemEval-2023 Task 3" in section
    for comparison in figures["comparisons"]:
        rhetoric = comparison["layers"]["rhetoric"]
        row = (
            f'<td class="num" data-label="Partial-credit F1">{rhetoric["partial_f1"]:.3f}</td>'
            f'<td class="num" data-label="γ">{rhetoric["gamma"]:.3f}</td>'
        )
        assert row in section, comparison["second"]


def test_site_every_page_has_the_content_note_and_the_gold_s_agreement(repo: Repo, tmp_path: Path) -> None:
    """Issue 15, item 7: on every page, a content note and where the gold comes from, with figures
    read from docs/agreement.json (the first comparison: two independent passes before adjudication)."""
    files = build_site(repo, tmp_path / "site")
    first = json.loads((repo.root / "docs" / "agreement.json").read_text(encoding="utf-8"))["comparisons"][0]
    rhetoric = first["layers"]["rhetoric"]
    pages = [path for path in files if path.suffix == ".html"]
    assert len(pages) > 1
    for path in pages:
        html = path.read_text(encoding="utf-8")
        note = html.split('<aside class="about"', 1)[1].split("</aside>", 1)[0]
        assert "Content note:" in note and "propaganda" in note and "war" in note
        assert "AI annotators made the gold" in note and "no human has reviewed it" in note
        assert f"{first['first']} vs {first['second']}" in note
        for key in ("partial_f1", "exact_f1", "gamma", "alpha"):
            assert f'<span class="figure">{rhetoric[key]:.3f}</span>' in note, (path.name, key)


def test_site_says_so_when_there_are_no_agreement_figures(repo: Repo, tmp_path: Path) -> None:
    write_site(tmp_path / "site", [hostile_document()], hostile_taxonomy(repo), extras=Extras(agreement=None))
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Content note:" in html and "No agreement figures yet." in html
