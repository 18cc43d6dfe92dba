"""Figures for DATASHEET.md, generated from the data into marked blocks.

A block is the text between ``<!-- generated:NAME -->`` and ``<!-- /generated:NAME -->``;
``dprkmedia build`` and ``dprkmedia generate`` rewrite it, and ``generate --check`` (run
by the tests) fails when a committed block is stale.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from dprkmedia.corpus.repo import Repo
from dprkmedia.evaluate.score import read_side, score
from dprkmedia.model.taxonomy import LAYERS

PASSES = ("A", "B")
"""Annotation passes kept under ``annotations/passes/<pass>/``: A first, B independent."""


def released_documents(repo: Repo) -> list[dict[str, Any]]:
    """The built ``documents`` records, from the JSONL mirror, in id order."""
    rows = []
    for path in sorted((repo.dataset_dir / "jsonl").glob("*.jsonl")):
        split = path.stem
        for line in path.read_text(encoding="utf-8").splitlines():
            rows.append({**json.loads(line), "_split": split})
    return sorted(rows, key=lambda row: row["id"])


def statistics_markdown(repo: Repo) -> str:
    """Per-document and per-label counts of the released data."""
    docs = released_documents(repo)
    lines = [
        "| document | split | outlet | published | characters | entities | dates | rhetoric | frames | genre |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for doc in docs:
        lines.append(
            f"| `{doc['id']}` | {doc['_split']} | {doc['outlet']} | {doc['published'] or 'unknown'} "
            f"| {len(doc['text'])} | {len(doc['entities'])} | {len(doc['dates'])} | {len(doc['rhetoric'])} "
            f"| {', '.join(doc['frames'])} | {doc['genre']} |"
        )
    total = {layer: sum(len(doc[layer]) for doc in docs) for layer in LAYERS}
    chars = sum(len(doc["text"]) for doc in docs)
    lines.append(
        f"| **all {len(docs)}** | | | | {chars} | {total['entities']} | {total['dates']} | {total['rhetoric']} | | |"
    )
    sizes = []
    for folder in ("documents", "spans", "tokens", "sentences", "jsonl"):
        files = sorted((repo.dataset_dir / folder).glob("*.*"))
        sizes.append(f"`{folder}` {sum(f.stat().st_size for f in files):,} bytes in {len(files)} files")
    raw = sorted(repo.sources_dir.glob("*"))
    sizes.append(f"raw pages {sum(f.stat().st_size for f in raw):,} bytes in {len(raw)} files")
    lines += ["", "**Sizes**: " + "; ".join(sizes) + "."]
    for layer in LAYERS:
        key = "type" if layer == "dates" else "label"
        counts = Counter(span[key] for doc in docs for span in doc[layer])
        shown = ", ".join(f"`{label}` {n}" for label, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        lines += ["", f"**{layer}** ({total[layer]}): {shown}"]
    return "\n".join(lines)


def _f(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def agreement_markdown(repo: Repo) -> str:
    """Agreement of pass B with pass A on the documents B annotated, per layer and label."""
    folder = repo.annotations_dir / "passes"
    first, _ = read_side(folder / PASSES[0])
    second, _ = read_side(folder / PASSES[1])
    shared = {doc_id: first[doc_id] for doc_id in sorted(second) if doc_id in first}
    if not shared:
        return "No document has two independent passes."
    result = score(shared, second)
    lines = [
        f"Documents with two independent passes: {', '.join(f'`{d}`' for d in shared)}. "
        "Pass A is taken as reference (`dprkmedia score annotations/passes/A annotations/passes/B`, "
        "restricted to these documents); F1 is symmetric.",
        "",
        "| layer | spans A | spans B | exact F1 | partial-credit F1 |",
        "|---|---|---|---|---|",
    ]
    for layer in LAYERS:
        data = result["layers"][layer]
        lines.append(
            f"| {layer} | {data['exact']['gold']} | {data['exact']['predicted']} "
            f"| {_f(data['exact']['f1'])} | {_f(data['partial']['f1'])} |"
        )
    values = result["layers"]["dates"]["value_accuracy"]
    norms = result["layers"]["entities"]["norm_accuracy"]
    frames, genre = result["document"]["frames"], result["document"]["genre"]
    value_text = f"{_f(values['accuracy'])} ({values['correct']}/{values['matched']})"
    norm_text = f"{_f(norms['accuracy'])} ({norms['correct']}/{norms['matched']})"
    lines += [
        "",
        f"Date values equal on exactly matched spans: {value_text}. "
        f"Entity norms equal on exactly matched spans: {norm_text}. "
        f"Frames F1 {_f(frames['f1'])}; genre agreement {genre['agree']}/{genre['documents']}.",
        "",
        "Rhetoric per label (exact F1 / partial-credit F1, spans A / B):",
        "",
    ]
    for label, data in result["layers"]["rhetoric"]["labels"].items():
        lines.append(
            f"- `{label}`: {_f(data['exact']['f1'])} / {_f(data['partial']['f1'])} "
            f"({data['exact']['gold']} / {data['exact']['predicted']})"
        )
    return "\n".join(lines)


def summary_markdown(repo: Repo) -> str:
    """The README's one-paragraph summary of sizes and agreement."""
    docs = released_documents(repo)
    total = {layer: sum(len(doc[layer]) for doc in docs) for layer in LAYERS}
    chars = sum(len(doc["text"]) for doc in docs)
    folder = repo.annotations_dir / "passes"
    first, _ = read_side(folder / PASSES[0])
    second, _ = read_side(folder / PASSES[1])
    shared = {doc_id: first[doc_id] for doc_id in sorted(second) if doc_id in first}
    layers = score(shared, second)["layers"] if shared else {}
    agreement = ", ".join(
        f"{layer} {_f(layers[layer]['exact']['f1'])} / {_f(layers[layer]['partial']['f1'])}" for layer in layers
    )
    return (
        f"{total['entities']} entity, {total['dates']} date and {total['rhetoric']} rhetoric spans over "
        f"{len(docs)} articles ({chars:,} characters). Agreement of the two independent passes on "
        f"{len(shared)} articles before adjudication (F1, exact / partial credit): {agreement or 'n/a'}."
    )


DATASHEET_BLOCKS = {"statistics": statistics_markdown, "agreement": agreement_markdown}


def baseline_block(repo: Repo) -> str:
    # evaluate.preannotate imports spaCy (about 0.6 s): deferred to the one block that needs it
    from dprkmedia.evaluate.preannotate import baseline_markdown

    return baseline_markdown(repo)


README_BLOCKS = {"summary": summary_markdown, "baseline": baseline_block}


def replace_block(text: str, name: str, content: str) -> str:
    """Replace the body of block ``name`` in ``text`` (the markers must exist)."""
    pattern = re.compile(rf"(<!-- generated:{name} -->\n)(?:.*?\n)?(<!-- /generated:{name} -->)", re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"no <!-- generated:{name} --> block")
    return pattern.sub(lambda m: m.group(1) + content + "\n" + m.group(2), text)


def with_blocks(repo: Repo, path: Path, blocks: Mapping[str, Callable[[Repo], str]]) -> str:
    """The text of ``path`` with the named generated blocks made current."""
    text = path.read_text(encoding="utf-8")
    for name, make in blocks.items():
        text = replace_block(text, name, make(repo))
    return text


def generated_documents(repo: Repo) -> dict[Path, str]:
    """DATASHEET.md and README.md with their generated blocks current (when they exist)."""
    files = {}
    for name, blocks in (("DATASHEET.md", DATASHEET_BLOCKS), ("README.md", README_BLOCKS)):
        path = repo.root / name
        if path.is_file():
            files[path] = with_blocks(repo, path, blocks)
    return files
