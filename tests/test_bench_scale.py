"""The benchmark's corpus generator makes a corpus the validator accepts (correctness only:
no timing is asserted anywhere in the tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from benchmarks.scale import read_originals, scale_corpus

from dprkmedia.corpus.loading import load_repo
from dprkmedia.corpus.repo import Repo
from dprkmedia.validation.repo import validate_repo


@pytest.mark.parametrize("perturb", [False, True], ids=["exact", "perturbed"])
def test_bench_scaled_corpus_validates_clean(repo: Repo, tmp_path: Path, perturb: bool) -> None:
    scaled = scale_corpus(repo, tmp_path / "scaled", 20, perturb=perturb, progress=lambda line: None)
    report = validate_repo(scaled)
    assert report.passed, report.render()
    ids = [json.loads(line)["id"] for line in scaled.metadata_file.read_text().splitlines() if '"source"' in line]
    assert len(ids) == len(set(ids)) == 20
    _, originals = read_originals(repo)
    texts = {doc_id: loaded.page.text for doc_id, loaded in load_repo(scaled)[0].sources.items()}
    for number, doc_id in enumerate(sorted(ids)):
        original = originals[number % len(originals)]
        lines = scaled.annotation_file(doc_id).read_bytes().splitlines()
        assert json.loads(lines[0])["doc"] == doc_id
        assert lines[1:] == original.span_lines  # spans intact, byte for byte
        for raw in lines[1:]:
            span = json.loads(raw)
            assert texts[doc_id][span["start"] : span["end"]] == span["text"]
    pages = {(scaled.sources_dir / f"{doc_id}.txt").read_bytes() for doc_id in ids}
    assert len(pages) == (20 if perturb else len(originals))
