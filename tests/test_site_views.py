"""The site's corpus views and exercise page as files, without a browser: the glossary (with the
departures table made from GUIDELINES.md), the label pages, search, the compare view and the
exercise page's data. Browser tests: test_site_views_browser.py, test_site_exercise_browser.py."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from dprkmedia.adapters.site.exercise import read_built_tokens
from dprkmedia.adapters.site.glossary import DEPARTURES, departures_markdown, label_file, render_markdown
from dprkmedia.adapters.site.pages import SiteError, build_site, read_built_documents, write_site
from dprkmedia.corpus.repo import Repo
from dprkmedia.corpus.tokens import text_to_sentences
from dprkmedia.evaluate.score import read_side, score
from dprkmedia.model.taxonomy import LAYERS, Taxonomy

from .site_fixture import XSS_DOC, hostile_document, hostile_taxonomy


@pytest.fixture(scope="module")
def site(repo: Repo, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("views") / "site"
    build_site(repo, out)
    return out


def json_block(html: str, block: str) -> Any:
    found = re.search(rf'<script type="application/json" id="{block}">(.*?)</script>', html, re.S)
    assert found, block
    return json.loads(found.group(1))


def departures_rows(guidelines: str) -> list[list[str]]:
    """The body rows of the first table of the departures section, as markdown cells."""
    rows = [line for line in departures_markdown(guidelines).splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split(" | ")] for row in rows[2:]]


# --- glossary ---------------------------------------------------------------------------------------


def test_site_glossary_has_every_label_with_its_definition_and_examples(site: Path, repo: Repo, tax: Taxonomy) -> None:
    html = (site / "glossary.html").read_text(encoding="utf-8")
    docs = read_built_documents(repo)
    for label in tax.labels:
        assert f'data-layer="{label.layer}" data-label="{label.name}"' in html, label.name
        assert label.definition.replace("'", "&#x27;") in html, label.name
    for item in (*tax.frames, *tax.genres):
        assert f'<th scope="row">{item.name}</th><td>{item.definition.replace(chr(39), "&#x27;")}</td>' in html
    links = re.findall(r'<li><a href="([^"#]+)\.html#span=([a-z]\d+)">', html)
    spans = {(doc["id"], s["id"]) for doc in docs for layer in LAYERS for s in doc[layer]}
    assert len(links) == len(spans)  # every corpus example, once
    assert set(links) == spans


def test_site_glossary_departures_table_is_made_from_the_guidelines(site: Path, repo: Repo) -> None:
    guidelines = (repo.annotations_dir / "GUIDELINES.md").read_text(encoding="utf-8")
    rows = departures_rows(guidelines)
    assert len(rows) >= 5
    html = (site / "glossary.html").read_text(encoding="utf-8")
    section = html.split('<section id="departures"', 1)[1].split("</section>", 1)[0]
    assert section.count("<tr>") == len(rows) + 1  # the header row and every departure
    for cells in rows:
        first = re.sub(r"[`*]", "", cells[0])
        assert f"<td>{render_markdown(cells[0]).strip().removeprefix('<p>').removesuffix('</p>')}</td>" in section, (
            first
        )


def test_site_glossary_follows_an_edit_of_the_guidelines(repo_copy: Repo, tmp_path: Path) -> None:
    path = repo_copy.annotations_dir / "GUIDELINES.md"
    text = path.read_text(encoding="utf-8")
    last = departures_rows(text)[-1]
    row = "| " + " | ".join(last) + " |"
    added = "| Doubt | <b>quoted</b> [a link](https://example.invalid) | **we do** `x` | because |"
    path.write_text(text.replace(row, row + "\n" + added, 1), encoding="utf-8")
    build_site(repo_copy, tmp_path / "site")
    html = (tmp_path / "site" / "glossary.html").read_text(encoding="utf-8").replace("\n", "")
    assert (
        "<td>Doubt</td><td>&lt;b&gt;quoted&lt;/b&gt; a link</td><td><strong>we do</strong> <code>x</code></td>" in html
    )
    assert "example.invalid" not in html  # links keep their text only


def test_site_refuses_guidelines_without_the_departures_section(repo_copy: Repo, tmp_path: Path) -> None:
    path = repo_copy.annotations_dir / "GUIDELINES.md"
    path.write_text(path.read_text(encoding="utf-8").replace(DEPARTURES, "Departures"), encoding="utf-8")
    with pytest.raises(SiteError, match=r"annotations/GUIDELINES.md: no heading with 'Departures from SemEval-2023"):
        build_site(repo_copy, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_site_render_markdown_escapes_html_and_drops_links() -> None:
    html = str(render_markdown('<script>alert(1)</script> [x](javascript:alert(1)) ![i](http://e.invalid/i.png) "q"'))
    assert "<script" not in html and "href" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


# --- label pages --------------------------------------------------------------------------------------


def test_site_label_pages_show_every_span_of_their_label(site: Path, repo: Repo, tax: Taxonomy) -> None:
    docs = read_built_documents(repo)
    used = {(layer, s[tax.label_field(layer)]) for doc in docs for layer in LAYERS for s in doc[layer]}
    pages = {p.relative_to(site).as_posix() for p in (site / "labels").glob("*.html")}
    assert pages == {label_file(layer, name) for layer, name in used}
    for layer, name in used:
        html = (site / label_file(layer, name)).read_text(encoding="utf-8")
        spans = [(doc["id"], s) for doc in docs for s in doc[layer] if s[tax.label_field(layer)] == name]
        assert html.count("<li data-span=") == len(spans), name
        for doc_id, span in spans:
            assert f'href="../{doc_id}.html#span={span["id"]}"' in html


def test_site_label_file_names_are_safe() -> None:
    assert label_file("rhetoric", "Loaded_Language") == "labels/rhetoric-Loaded_Language.html"
    hostile = label_file("entities", '<b>"PER\'SON"</b>/../x')
    assert re.fullmatch(r"labels/entities-[A-Za-z0-9_-]+\.html", hostile)
    assert hostile != label_file("entities", '<b>"PER\'SON"</b>/../y')


# --- exercise page ------------------------------------------------------------------------------------


def test_site_exercise_page_carries_no_gold_but_its_answer_key(site: Path, repo: Repo) -> None:
    for doc in read_built_documents(repo):
        html = (site / "exercise" / f"{doc['id']}.html").read_text(encoding="utf-8")
        data = json_block(html, "page-data")
        assert data["spans"] == [] and set(data["doc"]) == {"id", "text"}
        key = json_block(html, "answer-key")
        assert key["genre"] == doc["genre"] and key["frames"] == doc["frames"]
        assert {s["id"] for s in key["spans"]} == {s["id"] for layer in ("rhetoric", "entities") for s in doc[layer]}
        visible = html.split('<script type="application/json" id="answer-key">', 1)[0]
        assert 'class="count"' not in visible and "class=count" not in visible and 'id="stats"' not in visible
        assert not any(f'"{s["id"]}"' in visible for s in doc["rhetoric"])


def test_site_exercise_tokens_are_the_dataset_s_tokens(site: Path, repo: Repo) -> None:
    tokens = read_built_tokens(repo)
    for doc in read_built_documents(repo):
        expected = [token for sentence in text_to_sentences(doc["text"]) for token in sentence.tokens]
        assert tokens[doc["id"]] == expected  # the tokens config is what validate checks against
        html = (site / "exercise" / f"{doc['id']}.html").read_text(encoding="utf-8")
        assert json_block(html, "page-data")["exercise"]["tokens"] == [list(t) for t in expected]


# --- compare ------------------------------------------------------------------------------------------


def cells(html: str, pair: str) -> dict[str, str]:
    row = re.search(rf'<tr data-pair="{re.escape(pair)}">(.*?)</tr>', html, re.S)
    assert row, pair
    return {
        f"{layer}:{key}" if layer else key: value
        for layer, key, value in re.findall(
            r'<td class="num"(?: data-layer="(\w+)")? data-key="([\w-]+)">([^<]*)</td>', row.group(1)
        )
    }


def test_site_compare_figures_equal_score_and_the_agreement_file(site: Path, repo: Repo) -> None:
    gold, _ = read_side(repo.annotations_dir)
    passes = {name: read_side(repo.annotations_dir / "passes" / name)[0] for name in ("A", "B", "C")}
    recorded = json.loads((repo.root / "docs" / "agreement.json").read_text(encoding="utf-8"))
    html = (site / "compare.html").read_text(encoding="utf-8")
    sides = {"gold": gold, **passes}
    folders = {"gold": ".", "A": "passes/A", "B": "passes/B", "C": "passes/C"}
    for first, second in (("gold", "A"), ("gold", "C"), ("A", "B"), ("A", "C"), ("B", "C")):
        shared = sorted(set(sides[first]) & set(sides[second]))
        result = score({d: sides[first][d] for d in shared}, {d: sides[second][d] for d in shared})
        row = cells(html, f"{first}|{second}")
        for layer in LAYERS:
            assert row[f"{layer}:exact-f1"] == f"{result['layers'][layer]['exact']['f1']:.3f}"
            assert row[f"{layer}:partial-f1"] == f"{result['layers'][layer]['partial']['f1']:.3f}"
        assert row["frames-f1"] == f"{result['document']['frames']['f1']:.3f}"
        comparison = next(
            (c for c in recorded["comparisons"] if {c["first"], c["second"]} == {folders[first], folders[second]}), None
        )
        if comparison:  # the datasheet's figures
            for layer in LAYERS:
                stored = comparison["layers"][layer]
                assert row[f"{layer}:exact-f1"] == f"{stored['exact_f1']:.3f}"
                assert row[f"{layer}:gamma"] == ("n/a" if stored["gamma"] is None else f"{stored['gamma']:.3f}")
                assert row[f"{layer}:alpha"] == ("n/a" if stored["alpha"] is None else f"{stored['alpha']:.3f}")
    assert any(c["first"] == "passes/A" and c["second"] == "passes/C" for c in recorded["comparisons"])


def test_site_compare_page_figures_equal_score_per_article(site: Path, repo: Repo) -> None:
    gold, _ = read_side(repo.annotations_dir)
    pass_b, _ = read_side(repo.annotations_dir / "passes" / "B")
    for doc_id in gold:
        html = (site / "compare" / f"{doc_id}.html").read_text(encoding="utf-8")
        data = json_block(html, "compare-data")
        keys = [s["key"] for s in data["sources"]]
        assert keys[:2] == ["gold", "A"] and ("B" in keys) == (doc_id in pass_b)
        if doc_id in pass_b:
            expected = score({doc_id: gold[doc_id]}, {doc_id: pass_b[doc_id]})
            shown = data["pairs"]["gold|B"]
            for layer in LAYERS:
                for kind in ("exact", "partial"):
                    for key in ("precision", "recall", "f1"):
                        assert shown["layers"][layer][kind][key] == expected["layers"][layer][kind][key]
            assert shown["frames_f1"] == expected["document"]["frames"]["f1"]


def test_site_compare_shows_a_label_studio_import(repo_copy: Repo, tmp_path: Path) -> None:
    imported = repo_copy.annotations_dir / "passes" / "ls-teacher_example.org"
    imported.mkdir()
    doc = "002_420491b85ca59cb6"
    shutil.copy(repo_copy.annotations_dir / "passes" / "A" / f"{doc}.jsonl", imported / f"{doc}.jsonl")
    build_site(repo_copy, tmp_path / "site")
    html = (tmp_path / "site" / "compare" / f"{doc}.html").read_text(encoding="utf-8")
    assert ">Label Studio import ls-teacher_example.org</option>" in html
    row = cells((tmp_path / "site" / "compare.html").read_text(encoding="utf-8"), "A|ls-teacher_example.org")
    assert row["rhetoric:exact-f1"] == "1.000"  # a copy of pass A agrees with it
    other = (tmp_path / "site" / "compare" / "000_b6101718c2532778.html").read_text(encoding="utf-8")
    assert "ls-teacher" not in other  # only where the import has the article


def test_site_compare_names_a_broken_pass_file(repo_copy: Repo, tmp_path: Path) -> None:
    path = repo_copy.annotations_dir / "passes" / "B" / "002_420491b85ca59cb6.jsonl"
    path.write_text(path.read_text(encoding="utf-8") + "{broken\n", encoding="utf-8")
    with pytest.raises(SiteError) as error:
        build_site(repo_copy, tmp_path / "site")
    assert "passes/B/002_420491b85ca59cb6.jsonl" in str(error.value) and "json-invalid" in str(error.value)
    assert not (tmp_path / "site").exists()


# --- hostile text -------------------------------------------------------------------------------------


def test_site_views_escape_markup_from_the_data(repo: Repo, tmp_path: Path) -> None:
    write_site(tmp_path / "site", [hostile_document()], hostile_taxonomy(repo))
    pages = [
        "glossary.html",
        "search.html",
        "compare.html",
        f"exercise/{XSS_DOC}.html",
        *[p.relative_to(tmp_path / "site").as_posix() for p in (tmp_path / "site" / "labels").glob("*.html")],
    ]
    assert len(pages) == 6  # two labels in use
    for name in pages:
        html = (tmp_path / "site" / name).read_text(encoding="utf-8")
        assert "<script>window" not in html, name
        assert "<img" not in html and "<i>" not in html and "<b>" not in html, name
        assert html.count("</script>") == html.count("<script"), name
    glossary = (tmp_path / "site" / "glossary.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;&quot;PER&#x27;SON&quot;&lt;/b&gt;" in glossary
    assert '<p class="muted">The departures are listed in' in glossary  # no guidelines given: said, not invented


# --- the answer file as the README documents it ---------------------------------------------------------


def test_site_readme_example_answer_file_is_what_score_and_validate_accept(
    repo: Repo, tax: Taxonomy, tmp_path: Path
) -> None:
    from dprkmedia.corpus.jsonl import read_records
    from dprkmedia.corpus.tokens import text_token_boundaries
    from dprkmedia.validation.spans import check_spans

    readme = (repo.root / "README.md").read_text(encoding="utf-8")
    section = readme.split("### The exercise's answer file", 1)[1]
    example = section.split("```json\n", 1)[1].split("```", 1)[0]
    header = json.loads(example.splitlines()[0])
    path = tmp_path / f"{header['doc']}.answers.jsonl"
    path.write_text(example, encoding="utf-8")
    docs, issues = read_side(path)
    assert issues == [] and set(docs) == {header["doc"]}
    text = next(d["text"] for d in read_built_documents(repo) if d["id"] == header["doc"])
    records, problems = read_records(path, path.name)
    assert problems == [] and list(check_spans(records, text, tax, path.name, text_token_boundaries(text))) == []
    assert header["frames"] == [f.name for f in tax.frames if f.name in header["frames"]]  # the taxonomy's order
    assert header["note"] == "exercise answers from the classroom viewer"
