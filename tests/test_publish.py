"""``dprkmedia publish --dry-run``: what would go to the Hub, and the offline checks of the card.

Nothing here goes online; the upload itself (``publish --repo-id``) is never run in the tests.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from datasets import load_dataset
from huggingface_hub.utils import DEFAULT_IGNORE_PATTERNS, filter_repo_objects  # type: ignore[attr-defined]

from dprkmedia.cli.main import main
from dprkmedia.corpus.repo import Repo
from dprkmedia.publish.card import read_front_matter, render_front_matter, split_card
from dprkmedia.publish.hub import ALLOW_PATTERNS, check, upload_files

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def hub_copy(repo_copy: Repo) -> Repo:
    """A copy with the files the upload also takes from the repository root."""
    for name in ("LICENSE", "DATASHEET.md", "CITATION.cff", "croissant.json", "docs/taxonomy.md"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, repo_copy.root / name)
    (repo_copy.root / "src").mkdir()
    (repo_copy.root / "src" / "code.py").write_text("not uploaded\n", encoding="utf-8")
    (repo_copy.root / ".git").mkdir()
    (repo_copy.root / ".git" / "config").write_text("never uploaded\n", encoding="utf-8")
    return repo_copy


def edit_card(repo: Repo, change: object) -> None:
    readme = repo.root / "README.md"
    metadata = read_front_matter(readme)
    change(metadata)  # type: ignore[operator]
    _, body = split_card(readme.read_text(encoding="utf-8"))
    readme.write_text(render_front_matter(metadata) + body, encoding="utf-8")


def test_publish_dry_run_lists_what_upload_folder_would_upload(
    hub_copy: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(hub_copy.root), "publish", "--dry-run", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["passed"] and not shown["problems"]
    listed = [item["path"] for item in shown["files"]]
    # what upload_folder selects: every file of the tree, filtered by huggingface_hub with the same patterns
    tree = [p.relative_to(hub_copy.root).as_posix() for p in sorted(hub_copy.root.glob("**/*")) if p.is_file()]
    selected = filter_repo_objects(tree, allow_patterns=list(ALLOW_PATTERNS), ignore_patterns=DEFAULT_IGNORE_PATTERNS)
    assert listed == sorted(selected) == upload_files(hub_copy.root)
    assert "README.md" in listed and "dataset/tokens/train.parquet" in listed and "LICENSE" in listed
    assert "src/code.py" not in listed and ".git/config" not in listed
    assert shown["total_bytes"] == sum((hub_copy.root / path).stat().st_size for path in listed)


def test_publish_uploaded_files_load_as_the_hub_would(hub_copy: Repo, tmp_path: Path) -> None:
    """Only the uploaded files, in a folder of their own: every config loads through the card."""
    hub = tmp_path / "hub" / "dprk-russia-media"
    for path in upload_files(hub_copy.root):
        (hub / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(hub_copy.root / path, hub / path)
    for config in ("documents", "spans", "tokens", "sentences"):
        loaded = load_dataset(str(hub), config, cache_dir=str(tmp_path / "cache"))
        assert sorted(loaded) == ["test", "train"] and len(loaded["train"]) > 0
    assert check(hub).passed


def test_publish_dry_run_passes_on_the_repository(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(ROOT), "publish", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith("*** READY ***")
    assert "ok: every config's data_files match uploaded files" in out


@pytest.mark.parametrize(
    ("name", "change", "expected"),
    [
        ("no license", lambda m: m.pop("license"), "no 'license'"),
        ("license link", lambda m: m.update(license_link="NOTICE"), "license_link 'NOTICE' names a file"),
        ("license name", lambda m: m.pop("license_name"), "needs 'license_name'"),
        (
            "missing file",
            lambda m: m["configs"][2]["data_files"][0].update(path="dataset/tokens/dev.parquet"),
            "config 'tokens'",
        ),
        ("two defaults", lambda m: m["configs"][1].update(default=True), "exactly one config is default"),
        ("row count", lambda m: m["dataset_info"][1]["splits"][0].update(num_examples=1), "spans/train states 1"),
        (
            "features",
            lambda m: m["dataset_info"][3]["features"][2].update(dtype="int64"),
            "features of config 'sentences' differ",
        ),
        ("size category", lambda m: m.update(size_categories=["1K<n<10K"]), "size_categories"),
    ],
)
def test_publish_dry_run_finds_each_problem(
    hub_copy: Repo, name: str, change: object, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_card(hub_copy, change)
    assert main(["--root", str(hub_copy.root), "publish", "--dry-run"]) == 1, name
    out = capsys.readouterr().out
    assert expected in out, out[-1500:]
    assert "*** NOT READY ***" in out


def test_publish_dry_run_refuses_a_card_that_does_not_parse(hub_copy: Repo) -> None:
    readme = hub_copy.root / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace("license: other", "license: [other", 1))
    report = check(hub_copy.root)
    assert not report.passed and "does not parse" in report.problems[0]
    readme.unlink()
    assert "README.md is missing" in check(hub_copy.root).problems[0]


def test_publish_without_dry_run_needs_a_repository_id(hub_copy: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(hub_copy.root), "publish"]) == 2
    assert "--repo-id" in capsys.readouterr().err


def test_publish_readme_hub_section_uses_the_same_patterns() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Publishing on the Hugging Face Hub", 1)[1].split("```py\n", 1)[1].split("```", 1)[0]
    assert "upload_folder(" in block
    shown = yaml.safe_load("[" + block.split("allow_patterns=[", 1)[1].split("]", 1)[0] + "]")
    assert tuple(shown) == ALLOW_PATTERNS
