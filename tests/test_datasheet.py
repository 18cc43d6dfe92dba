"""DATASHEET.md answers every question of Datasheets for Datasets (Gebru et al., CACM 2021)."""

from __future__ import annotations

import re

from dprkmedia.corpus.repo import Repo
from dprkmedia.publish.summary import DATASHEET_BLOCKS, with_blocks

# Questions per section in Gebru et al. (2021), "Any other comments?" included: 57 in all.
SECTIONS = {
    "Motivation": 4,
    "Composition": 16,
    "Collection Process": 12,
    "Preprocessing/cleaning/labeling": 4,
    "Uses": 6,
    "Distribution": 7,
    "Maintenance": 8,
}
QUESTION = re.compile(r"^\*\*(?P<q>[^*]+\?)\*\*\n(?P<answer>(?:(?!\*\*[^*]+\?\*\*\n).*\n?)*)", re.MULTILINE)


def sections(repo: Repo) -> dict[str, str]:
    text = (repo.root / "DATASHEET.md").read_text(encoding="utf-8")
    parts = re.split(r"^## ", text, flags=re.MULTILINE)[1:]
    return {part.split("\n", 1)[0].strip(): part.split("\n", 1)[1] for part in parts}


def test_datasheet_has_all_seven_sections_and_57_questions(repo: Repo) -> None:
    found = sections(repo)
    assert list(found) == list(SECTIONS)
    counts = {name: len(QUESTION.findall(body)) for name, body in found.items()}
    assert counts == SECTIONS
    assert sum(counts.values()) == 57


def test_datasheet_every_question_has_a_real_answer(repo: Repo) -> None:
    for name, body in sections(repo).items():
        for match in QUESTION.finditer(body):
            answer = " ".join(match["answer"].split())
            assert len(answer) >= 4, (name, match["q"])
            if answer.lower().startswith("not applicable"):
                assert len(answer) > len("Not applicable.") + 10, (name, match["q"], "needs a reason")


def test_datasheet_generated_blocks_are_current(repo: Repo) -> None:
    path = repo.root / "DATASHEET.md"
    assert with_blocks(repo, path, DATASHEET_BLOCKS) == path.read_text(encoding="utf-8")
    assert "| **all 5** |" in path.read_text(encoding="utf-8")
