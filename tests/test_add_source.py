"""Adding an article: add-source, then pre-annotation, Label Studio import and a valid build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dprkmedia.build.writer import build_dataset
from dprkmedia.cli.main import main
from dprkmedia.corpus.jsonl import read_records
from dprkmedia.corpus.repo import Repo
from dprkmedia.validation.repo import validate_repo

PAGE = Path(__file__).parent / "fixtures" / "synthetic_page.txt"
NEW = "synthetic_page"


def tree(repo: Repo) -> dict[str, bytes]:
    return {p.relative_to(repo.root).as_posix(): p.read_bytes() for p in sorted(repo.root.rglob("*")) if p.is_file()}


def test_add_source_reads_metadata_and_body(repo_copy: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(repo_copy.root), "add-source", str(PAGE), "--split", "test"]) == 0
    out = capsys.readouterr().out
    assert "title: 'Synthetic test page for the add-source test' (line 1:" in out
    assert "outlet: The Pyongyang Times (line 2: Date: 12/06/2024 | Source: Pyongyang Times" in out
    assert "published: 2024-06-12 (date-line-dmy; line 2:" in out
    assert (repo_copy.sources_dir / PAGE.name).read_bytes() == PAGE.read_bytes()
    records, _ = read_records(repo_copy.metadata_file, "m")
    assert records[-1].data["id"] == NEW and records[-1].data["split"] == "test"
    lines = [r.data for r in read_records(repo_copy.annotation_file(NEW), NEW)[0]]
    texts = {(line["layer"], line["text"]) for line in lines[1:]}
    assert {("entities", "Kim Jong Un"), ("dates", "June 19, 2024"), ("dates", "Last year")} <= texts
    assert next(line["value"] for line in lines if line.get("text") == "Last year") == "2023"
    assert validate_repo(repo_copy).passed


def test_add_source_says_what_the_page_does_not_state(
    repo_copy: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "undated.txt"
    page.write_text("A body without header.\nMore From Pyongyang Times\nMore Articles\n", encoding="utf-8")
    assert main(["--root", str(repo_copy.root), "add-source", str(page), "--empty"]) == 0
    out = capsys.readouterr().out
    assert "title: NOT STATED on the page (left null)" in out
    assert "published: NOT STATED on the page (left null;" in out
    header = json.loads(repo_copy.annotation_file("undated").read_text(encoding="utf-8"))
    assert header["frames"] == [] and "placeholder" in header["note"]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (
            PAGE.read_bytes()
            .replace(b"Source: Pyongyang Times", b"Source: Unknown Daily")
            .replace(b"More From Pyongyang Times", b"More From Unknown Daily"),
            "outlet-unknown",
        ),
        (b"\xef\xbb\xbf" + PAGE.read_bytes(), "encoding-bom"),
        (b"More Articles\n", "page-unparseable"),
    ],
)
def test_add_source_refuses_bad_pages_and_writes_nothing(
    repo_copy: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, code: str
) -> None:
    page = tmp_path / "bad_page.txt"
    page.write_bytes(content)
    before = tree(repo_copy)
    assert main(["--root", str(repo_copy.root), "add-source", str(page)]) == 1
    assert f"[{code}]" in capsys.readouterr().err
    assert tree(repo_copy) == before


def test_add_source_refuses_a_registered_page(repo: Repo, repo_copy: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree(repo_copy)
    assert main(["--root", str(repo_copy.root), "add-source", str(repo.sources_dir / "003_ffbef9be4e76c7d4.txt")]) == 1
    assert "[metadata-duplicate]" in capsys.readouterr().err
    assert tree(repo_copy) == before


@pytest.mark.slow
def test_add_source_flows_through_label_studio_import_to_a_valid_build(repo_copy: Repo, tmp_path: Path) -> None:
    root = ["--root", str(repo_copy.root)]
    assert main([*root, "add-source", str(PAGE)]) == 0
    tasks_file = tmp_path / "tasks.json"
    assert main([*root, "labelstudio", "tasks", NEW, "--spans", "predictions", "-o", str(tasks_file)]) == 0
    (task,) = json.loads(tasks_file.read_text(encoding="utf-8"))
    results = task["predictions"][0]["result"]
    extra_start = task["data"]["text"].index("delegation")
    results.append(
        {
            "id": "aNewOne1",
            "from_name": "rhetoric",
            "to_name": "text",
            "type": "labels",
            "value": {
                "start": extra_start,
                "end": extra_start + len("delegation"),
                "text": "delegation",
                "labels": ["Loaded_Language"],
            },
        }
    )
    export = tmp_path / "export.json"
    export.write_text(
        json.dumps([{"id": 1, "data": task["data"], "annotations": [{"id": 1, "completed_by": 7, "result": results}]}]),
        encoding="utf-8",
    )
    assert main([*root, "labelstudio", "import", str(export), "--gold", "--force"]) == 0
    lines = [r.data for r in read_records(repo_copy.annotation_file(NEW), NEW)[0]]
    assert lines[0]["annotators"] == ["ls-7"]
    assert lines[-1] == {
        "layer": "rhetoric",
        "id": "r1",
        "start": extra_start,
        "end": extra_start + 10,
        "text": "delegation",
        "label": "Loaded_Language",
    }
    assert validate_repo(repo_copy).passed
    result = build_dataset(repo_copy)
    assert result.documents == {"train": 4, "test": 2}
    rows = [
        json.loads(line)
        for line in (repo_copy.dataset_dir / "jsonl" / "train.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    new = next(row for row in rows if row["id"] == NEW)
    assert new["published"] == "2024-06-12" and new["outlet"] == "The Pyongyang Times"
    assert len(new["entities"]) == sum(1 for line in lines if line.get("layer") == "entities")
    assert len(new["rhetoric"]) == 1
