"""Figures for DATASHEET.md, generated from the data into marked blocks.

A block is the text between ``<!-- generated:NAME -->`` and ``<!-- /generated:NAME -->``;
``dprkmedia build`` and ``dprkmedia generate`` rewrite it, and ``generate --check`` (run
by the tests) fails when a committed block is stale.
"""

from __future__ import annotations

import fnmatch
import heapq
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dprkmedia.corpus.progress import QUIET, Progress
from dprkmedia.corpus.repo import Repo
from dprkmedia.model.issues import DprkMediaError
from dprkmedia.model.taxonomy import LAYERS, load_taxonomy


def released_documents(repo: Repo) -> list[dict[str, Any]]:
    """The built ``documents`` records, from the JSONL mirror, in id order (in memory: for a
    few documents; :func:`iter_released` reads them one at a time)."""
    return list(iter_released(repo))


def iter_released(repo: Repo) -> Iterator[dict[str, Any]]:
    """The built ``documents`` records, one at a time, in id order across the splits (each
    split's file is in id order), each with its ``_split``."""

    def read(path: Path) -> Iterator[dict[str, Any]]:
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                yield {**json.loads(line), "_split": path.stem}

    files = sorted((repo.dataset_dir / "jsonl").glob("*.jsonl"))
    yield from heapq.merge(*(read(path) for path in files), key=lambda row: str(row["id"]))


@dataclass
class Released:
    """What the generated blocks and ``croissant.json`` say of the built documents, read in one
    pass over the JSONL mirror: a line of the statistics table per document, and totals."""

    rows: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LAYERS, 0))
    characters: int = 0
    labels: dict[str, Counter[str]] = field(default_factory=lambda: {layer: Counter() for layer in LAYERS})
    outlets: Counter[str] = field(default_factory=Counter)
    genres: set[str] = field(default_factory=set)
    dates: list[str] = field(default_factory=list)
    untitled: set[str] = field(default_factory=set)
    undated: set[str] = field(default_factory=set)


_RELEASED: dict[tuple[Any, ...], Released] = {}


def released(repo: Repo) -> Released:
    """The :class:`Released` facts of the built dataset (read once per state of the mirror)."""
    files = sorted((repo.dataset_dir / "jsonl").glob("*.jsonl"))
    key = (str(repo.root.resolve()), *((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in files))
    if key not in _RELEASED:
        _RELEASED.clear()
        _RELEASED[key] = read_released(repo)
    return _RELEASED[key]


def read_released(repo: Repo) -> Released:
    """Read the JSONL mirror once into :class:`Released`."""
    tax = load_taxonomy(repo.schema_dir)
    facts = Released()
    for doc in iter_released(repo):
        facts.rows.append(
            f"| `{doc['id']}` | {doc['_split']} | {doc['outlet']} | {doc['published'] or 'unknown'} "
            f"| {len(doc['text'])} | {len(doc['entities'])} | {len(doc['dates'])} | {len(doc['rhetoric'])} "
            f"| {', '.join(doc['frames'])} | {doc['genre']} |"
        )
        facts.ids.append(doc["id"])
        facts.characters += len(doc["text"])
        for layer in LAYERS:
            facts.totals[layer] += len(doc[layer])
            facts.labels[layer].update(span[tax.label_field(layer)] for span in doc[layer])
        facts.outlets[str(doc["outlet"])] += 1
        facts.genres.add(str(doc["genre"]))
        if doc["published"]:
            facts.dates.append(doc["published"])
        else:
            facts.undated.add(doc["id"])
        if not doc["title"]:
            facts.untitled.add(doc["id"])
    return facts


def folder_size(folder: Path, pattern: str = "*") -> tuple[int, int]:
    """(bytes, files) of the files of ``folder`` whose names match ``pattern``."""
    size = count = 0
    if folder.is_dir():
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_file() and fnmatch.fnmatchcase(entry.name, pattern):
                    size += entry.stat().st_size
                    count += 1
    return size, count


def statistics_markdown(repo: Repo) -> str:
    """Per-document and per-label counts of the released data."""
    facts = released(repo)
    total = facts.totals
    lines = [
        "| document | split | outlet | published | characters | entities | dates | rhetoric | frames | genre |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *facts.rows,
        f"| **all {len(facts.ids)}** | | | | {facts.characters} | {total['entities']} | {total['dates']} "
        f"| {total['rhetoric']} | | |",
    ]
    sizes = []
    for folder in ("documents", "spans", "tokens", "sentences", "jsonl"):
        size, count = folder_size(repo.dataset_dir / folder, "*.*")
        sizes.append(f"`{folder}` {size:,} bytes in {count} files")
    size, count = folder_size(repo.sources_dir)
    sizes.append(f"raw pages {size:,} bytes in {count} files")
    lines += ["", "**Sizes**: " + "; ".join(sizes) + "."]
    for layer in LAYERS:
        counts = facts.labels[layer]
        shown = ", ".join(f"`{label}` {n}" for label, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        lines += ["", f"**{layer}** ({total[layer]}): {shown}"]
    return "\n".join(lines)


def comparison_name(comparison: dict[str, Any]) -> str:
    """``passes/A vs passes/C``, ``gold vs passes/A``: how a comparison of agreement.json is shown."""
    return f"{comparison['first']} vs {comparison['second']}".replace(". vs", "gold vs")


def fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


AGREEMENT_FILE = "agreement.json"
"""Under ``docs/``: written by ``dprkmedia agreement``, read by the generated blocks."""


def agreement_path(repo: Repo) -> Path:
    """Where ``dprkmedia agreement`` keeps its figures."""
    return repo.root / "docs" / AGREEMENT_FILE


def read_agreement(repo: Repo) -> dict[str, Any] | None:
    """The figures of ``docs/agreement.json``, or None where there is no such file."""
    path = agreement_path(repo)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _comparison_rows(comparison: dict[str, Any]) -> list[str]:
    label = comparison_name(comparison)
    return [
        f"| {label} | {layer} | {data['first']} / {data['second']} | {fmt(data['exact_f1'])} "
        f"| {fmt(data['partial_f1'])} | {fmt(data['gamma'])} | {fmt(data['alpha'])} |"
        for layer, data in comparison["layers"].items()
    ]


def agreement_markdown(repo: Repo) -> str:
    """Agreement of the passes before and after adjudication, per layer and per technique."""
    figures = read_agreement(repo)
    if figures is None:
        return "No agreement figures yet (`dprkmedia agreement` writes them)."
    comparisons = figures["comparisons"]
    lines = [
        "Figures from `docs/agreement.json` (`dprkmedia agreement`): exact and partial-credit span F1 "
        "(`dprkmedia score`), γ (Mathet et al. 2015; pygamma-agreement, seeded) and Krippendorff's α over "
        "tokens (nltk). Before adjudication: the independent passes against each other; after: each pass "
        "against the adjudicated gold. n/a: undefined (no span, or no variation).",
        "",
        "| comparison | layer | spans | exact F1 | partial F1 | γ | α |",
        "|---|---|---|---|---|---|---|",
    ]
    for comparison in comparisons:
        lines += _comparison_rows(comparison)
    first = comparisons[0]
    lines += [
        "",
        f"Rhetoric per technique, {first['first']} vs {first['second']} on {len(first['documents'])} documents "
        "(before adjudication) and the gold against each pass (after):",
        "",
        "| technique | " + " | ".join(comparison_name(c) for c in comparisons) + " |",
        "|---|" + "---|" * len(comparisons),
    ]
    techniques = sorted({label for c in comparisons for label in c["layers"]["rhetoric"]["labels"]})
    for technique in techniques:
        cells = []
        for comparison in comparisons:
            data = comparison["layers"]["rhetoric"]["labels"].get(technique)
            cells.append(
                "–"
                if data is None
                else f"{fmt(data['exact_f1'])} / {fmt(data['partial_f1'])}"
                f" · γ {fmt(data['gamma'])} · α {fmt(data['alpha'])}"
            )
        lines.append(f"| `{technique}` | " + " | ".join(cells) + " |")
    lines += ["", "Cells: exact F1 / partial-credit F1 · γ · α."]
    return "\n".join(lines)


def summary_markdown(repo: Repo) -> str:
    """The README's one-paragraph summary of sizes and agreement."""
    facts = released(repo)
    total = facts.totals
    sizes = (
        f"{total['entities']} entity, {total['dates']} date and {total['rhetoric']} rhetoric spans over "
        f"{len(facts.ids)} articles ({facts.characters:,} characters)."
    )
    figures = read_agreement(repo)
    if figures is None:
        return sizes
    first = figures["comparisons"][0]
    agreement = ", ".join(
        f"{layer} {fmt(data['exact_f1'])} / {fmt(data['partial_f1'])} / {fmt(data['gamma'])}"
        for layer, data in first["layers"].items()
    )
    return (
        f"{sizes} Agreement of the two independent passes ({first['first']} vs {first['second']}) on "
        f"{len(first['documents'])} articles before adjudication (exact F1 / partial-credit F1 / γ): {agreement}."
    )


DATASHEET_BLOCKS = {"statistics": statistics_markdown, "agreement": agreement_markdown}


def baseline_block(repo: Repo, workers: int = 1, progress: Progress = QUIET) -> str:
    # evaluate.preannotate imports spaCy (about 0.6 s): deferred to the one block that needs it
    from dprkmedia.evaluate.preannotate import baseline_markdown

    return baseline_markdown(repo, workers, progress)


README_BLOCKS = {"summary": summary_markdown, "baseline": baseline_block}


class GeneratedBlockError(DprkMediaError, ValueError):
    """README.md or DATASHEET.md without the markers of a block the build fills (exit 1: found in the data)."""

    exit_code = 1


def block_pattern(name: str) -> re.Pattern[str]:
    """A generated block: its opening marker line, its body, its closing marker."""
    return re.compile(rf"(<!-- generated:{name} -->\n)(?:.*?\n)?(<!-- /generated:{name} -->)", re.DOTALL)


def replace_block(text: str, name: str, content: str) -> str:
    """Replace the body of block ``name`` in ``text`` (the markers must exist)."""
    pattern = block_pattern(name)
    if not pattern.search(text):
        raise GeneratedBlockError(f"no <!-- generated:{name} --> block")
    return pattern.sub(lambda m: m.group(1) + content + "\n" + m.group(2), text)


def with_blocks(repo: Repo, path: Path, blocks: Mapping[str, Callable[[Repo], str]]) -> str:
    """The text of ``path`` with the named generated blocks made current."""
    check_blocks(repo, {path: blocks})
    text = path.read_text(encoding="utf-8")
    for name, make in blocks.items():
        text = replace_block(text, name, make(repo))
    return text


def documents_with_blocks(repo: Repo) -> dict[Path, Mapping[str, Callable[[Repo], str]]]:
    """DATASHEET.md and README.md (those that exist) with the blocks generated into each."""
    named = (("DATASHEET.md", DATASHEET_BLOCKS), ("README.md", README_BLOCKS))
    return {repo.root / name: blocks for name, blocks in named if (repo.root / name).is_file()}


def check_blocks(repo: Repo, documents: Mapping[Path, Mapping[str, Callable[[Repo], str]]] | None = None) -> None:
    """Raise :class:`GeneratedBlockError` naming every block whose markers are missing, before anything is
    written (``dprkmedia build`` calls it first: a build must not stop halfway for a missing marker)."""
    missing = [
        (path, name)
        for path, blocks in (documents if documents is not None else documents_with_blocks(repo)).items()
        for name in blocks
        if not block_pattern(name).search(path.read_text(encoding="utf-8"))
    ]
    if not missing:
        return
    where = "; ".join(
        f"{path.relative_to(repo.root) if path.is_relative_to(repo.root) else path}: no '{name}' block"
        for path, name in missing
    )
    lines = "".join(f"\n  <!-- generated:{name} -->\n  <!-- /generated:{name} -->" for _, name in missing)
    raise GeneratedBlockError(
        f"{where}. The figures are generated between two marker lines; nothing was written. "
        f"Add each pair, on lines of their own, where the figures should go (or restore the file from git), "
        f"then run the command again:{lines}"
    )


def generated_documents(
    repo: Repo, workers: int = 1, progress: Progress = QUIET, baseline: str | None = None
) -> dict[Path, str]:
    """DATASHEET.md and README.md with their generated blocks current (when they exist; the
    baseline block pre-annotates every document in ``workers`` processes, unless the build
    computed it already: ``baseline``). A missing block is refused before anything is made."""
    documents = documents_with_blocks(repo)
    check_blocks(repo, documents)
    files = {}
    for path, blocks in documents.items():
        if path.name == "README.md":
            blocks = {
                **blocks,
                "baseline": lambda repo: baseline if baseline is not None else baseline_block(repo, workers, progress),
            }
        files[path] = with_blocks(repo, path, blocks)
    return files
