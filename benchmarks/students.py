"""A class of synthetic students: the gold, perturbed the way students err, seeded.

Each student answers every document as the classroom viewer's exercise mode would: the
rhetoric and entity layers (the two the exercise offers), the genre, and, for every other
student, the frames. Their answers start from the gold annotation file and then, with rates
drawn per student from the seed (so some students are better than others):

- **drop**: a gold span is left out (a miss);
- **shift**: a boundary moves one word in or out (partial credit, no exact match);
- **relabel**: a span gets another label of its layer (a confusion);
- **add**: a span of one to three words that the gold does not have (an extra);
- a frame dropped or added, the genre changed.

Shifted and added spans start and end on words, as a selection in the viewer does, so their
``text`` is always ``text[start:end]``. The same seed gives the same class, byte for byte.
Used by the class-report benchmark and by the tests (``tests/test_classroom.py``).
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dprkmedia.corpus.jsonl import dump_line

WORD = re.compile(r"\w+(?:[’'-]\w+)*")
EXERCISE_LAYERS = ("rhetoric", "entities")
"""The layers the viewer's exercise offers (entities carry a ``norm``, rhetoric nothing more)."""
NOTE = "exercise answers from the classroom viewer"

JSON = dict[str, Any]


@dataclass(frozen=True)
class Rates:
    """How often one student drops, shifts, relabels and adds spans (per gold span)."""

    drop: float
    shift: float
    relabel: float
    add: float

    @classmethod
    def draw(cls, rng: random.Random) -> Rates:
        """Rates of one student: from careful to careless."""
        return cls(rng.uniform(0.05, 0.5), rng.uniform(0.05, 0.35), rng.uniform(0.0, 0.25), rng.uniform(0.0, 0.3))


def word_bounds(text: str) -> tuple[list[int], list[int]]:
    """Start and end offsets of the words of ``text``, in order."""
    words = [match.span() for match in WORD.finditer(text)]
    return [s for s, _ in words], [e for _, e in words]


def _shifted(span: JSON, starts: list[int], ends: list[int], rng: random.Random) -> tuple[int, int]:
    start, end = span["start"], span["end"]
    if rng.random() < 0.5:  # move the start one word in or out
        earlier, later = [s for s in starts if s < start], [s for s in starts if start < s < end]
        options = ([earlier[-1]] if earlier else []) + ([later[0]] if later else [])
        return (rng.choice(options), end) if options else (start, end)
    earlier_end, later_end = [e for e in ends if start < e < end], [e for e in ends if e > end]
    options = ([earlier_end[-1]] if earlier_end else []) + ([later_end[0]] if later_end else [])
    return (start, rng.choice(options)) if options else (start, end)


def student_lines(
    gold: list[JSON], text: str, labels: dict[str, list[str]], frames: list[str], genres: list[str], seed: int
) -> list[JSON]:
    """One student's answer lines for one document (header first), from its gold lines."""
    rng = random.Random(seed)
    rates = Rates.draw(random.Random(seed // 1000))  # one student, the same rates on every document
    starts, ends = word_bounds(text)
    header, spans = gold[0], [line for line in gold[1:] if line["layer"] in EXERCISE_LAYERS]
    chosen_frames = list(header["frames"]) if (seed // 1000) % 2 == 0 else []
    if chosen_frames and rng.random() < 0.3:
        chosen_frames.pop(rng.randrange(len(chosen_frames)))
    if chosen_frames and rng.random() < 0.3:
        extra = rng.choice(frames)
        chosen_frames += [extra] if extra not in chosen_frames else []
    genre = header["genre"] if rng.random() < 0.7 else rng.choice(genres)
    answers: list[tuple[str, int, int, str]] = []
    for span in spans:
        if rng.random() < rates.drop:
            continue
        start, end = _shifted(span, starts, ends, rng) if rng.random() < rates.shift else (span["start"], span["end"])
        label = span["label"]
        if rng.random() < rates.relabel:
            label = rng.choice([name for name in labels[span["layer"]] if name != label])
        answers.append((span["layer"], start, end, label))
    for _ in range(round(rates.add * len(spans))):
        first = rng.randrange(len(starts))
        last = min(len(ends) - 1, first + rng.randrange(3))
        layer = rng.choice(EXERCISE_LAYERS)
        answers.append((layer, starts[first], ends[last], rng.choice(labels[layer])))
    unique = sorted(set(answers), key=lambda a: (a[1], -a[2], a[0], a[3]))
    out: list[JSON] = [{"doc": header["doc"], "frames": chosen_frames, "genre": genre, "note": NOTE}]
    counters = {"rhetoric": 0, "entities": 0}
    for layer, start, end, label in unique:
        counters[layer] += 1
        record: JSON = {"layer": layer, "id": f"{layer[0]}{counters[layer]}", "start": start, "end": end}
        record.update(text=text[start:end], label=label)
        if layer == "entities":
            record["norm"] = text[start:end]
        out.append(record)
    return out


def gold_lines(annotations: Path) -> dict[str, list[JSON]]:
    """Doc id → the lines of its gold annotation file."""
    docs = {}
    for path in sorted(annotations.glob("*.jsonl")):
        if path.name == "sources.jsonl":
            continue
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        docs[lines[0]["doc"]] = lines
    return docs


def make_class(
    gold: dict[str, list[JSON]],
    texts: dict[str, str],
    taxonomy: JSON,
    students: int,
    seed: int = 0,
) -> dict[str, dict[str, list[JSON]]]:
    """Student name → doc id → answer lines, for ``students`` students over every document."""
    labels = {
        layer: sorted(item["name"] for item in taxonomy["labels"] if item["layer"] == layer)
        for layer in EXERCISE_LAYERS
    }
    frames = [item["name"] for item in taxonomy["frames"]]
    genres = [item["name"] for item in taxonomy["genres"]]
    return {
        f"student{number:02d}": {
            doc_id: student_lines(lines, texts[doc_id], labels, frames, genres, (seed * 100 + number) * 1000 + index)
            for index, (doc_id, lines) in enumerate(sorted(gold.items()))
        }
        for number in range(1, students + 1)
    }


def write_answer_files(folder: Path, answers: dict[str, dict[str, list[JSON]]]) -> list[Path]:
    """The class's downloads as a teacher collects them: ``NAME_<doc>.answers.jsonl`` files."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, docs in answers.items():
        for doc_id, lines in docs.items():
            path = folder / f"{name}_{doc_id}.answers.jsonl"
            path.write_text("".join(dump_line(line) + "\n" for line in lines), encoding="utf-8")
            written.append(path)
    return written
