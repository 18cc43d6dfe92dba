"""Printable worksheets and their answer keys for the teaching units, generated from the data.

``dprkmedia generate`` writes ``docs/teaching/worksheets/NN-worksheet.md`` (for students) and
``NN-answer-key.md`` (for the teacher) from the built dataset (``dataset/jsonl``), the raw
pages and the taxonomy, and ``generate --check`` fails when a committed copy differs: a
worksheet cannot drift from the texts, the labels or the gold. The passages each unit uses are
named here by their opening words, the only thing that is written by hand.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dprkmedia.corpus.repo import Repo
from dprkmedia.corpus.tokens import flatten_spans, paragraph_offsets, spans_to_iob2, text_to_sentences
from dprkmedia.model.taxonomy import Taxonomy, load_taxonomy
from dprkmedia.publish.summary import iter_released, released_documents

Doc = dict[str, Any]

UNIT1_DOC = "003_ffbef9be4e76c7d4"
UNIT1_PASSAGES = ("Kim Jong Un met Putin", "Currently, they are hardening")
"""Unit 1: the paragraph annotated in class, and the exit ticket's paragraph (their opening words)."""
UNIT2_PAGE = "001"
UNIT2_DATES = "003"
UNIT2_DATELINE = "004"
JUCHE_YEARS = (1912, 1949, 2001, 2019, 2024)
UNIT3_SENTENCE = ("004", 17, 36)
"""Unit 3: the first sentence of this document, tokens ``[from, to)``: the nested-entity example."""
BLANK = "_" * 14
HEAD = "<!-- generated from the dataset by `dprkmedia generate`; do not edit -->"


def cell(value: object) -> str:
    """A value for a Markdown table cell: a ``|`` in it would end the cell."""
    return str(value).replace("|", "\\|").replace("\n", " ")


def passage(text: str, opening: str) -> tuple[int, int]:
    """The paragraph of ``text`` that starts with ``opening``: its ``[start, end)``."""
    for start, end in paragraph_offsets(text):
        if text.startswith(opening, start):
            return start, end
    raise ValueError(f"no paragraph starts with {opening!r}")


def _doc(docs: list[Doc], prefix: str) -> Doc:
    return next(doc for doc in docs if doc["id"].startswith(prefix))


def _header(title: str, what: str, name_line: bool = True) -> list[str]:
    lines = [f"# {title}", "", HEAD, "", what, ""]
    return lines + (["Name: ______________________  Date: ____________", ""] if name_line else [])


def _quote(text: str) -> list[str]:
    return ["> " + text, ""]


def _used_labels(docs: list[Doc], tax: Taxonomy) -> list[tuple[str, list[tuple[str, str]]]]:
    """Category → (label, definition) of every technique the gold uses, most used category first."""
    used = Counter(span["label"] for doc in docs for span in doc["rhetoric"])
    by_category: dict[str, list[tuple[str, str]]] = {}
    for label in tax.labels:
        if label.layer == "rhetoric" and used[label.name]:
            by_category.setdefault(label.category or "", []).append((label.name, label.definition))
    weight = {c: sum(used[name] for name, _ in items) for c, items in by_category.items()}
    return sorted(by_category.items(), key=lambda item: (-weight[item[0]], item[0]))


def unit1(docs: list[Doc], tax: Taxonomy, repo: Repo) -> tuple[str, str]:
    """Unit 1: the paragraph to annotate, the labels, an answer grid; and its gold."""
    doc = _doc(docs, UNIT1_DOC)
    text = doc["text"]
    (start, end), (exit_start, exit_end) = (passage(text, opening) for opening in UNIT1_PASSAGES)
    sheet = _header(
        "Unit 1 worksheet: naming persuasion techniques",
        f"Article: *{doc['title']}* ({doc['outlet']}, {doc['published']}). Read the whole article in the viewer "
        "first. Then, for the paragraph below, underline every phrase that tries to make you feel something, "
        "trust someone or accept a claim without argument, and name what it does with a label from part B.",
    )
    sheet += ["## A. The paragraph", "", *_quote(text[start:end])]
    sheet += ["## B. The labels the corpus uses", ""]
    for category, labels in _used_labels(docs, tax):
        sheet += [f"**{category}**", ""]
        sheet += [f"- `{name}`: {definition}" for name, definition in labels]
        sheet.append("")
    sheet += ["The full list, with the labels no article uses: `docs/taxonomy.md`.", ""]
    sheet += ["## C. Your answers (then enter them in the viewer's exercise mode)", ""]
    sheet += ["| exact words | label | why (one sentence) |", "|---|---|---|"]
    sheet += [f"| {BLANK} | {BLANK} | {BLANK * 3} |"] * 8
    sheet += ["", "Genre of the article (circle one): " + " · ".join(g.name for g in tax.genres), ""]
    sheet += ["## D. After the class report: two disagreements with the gold", ""]
    sheet += ["1. Phrase, the gold's label, your label, and who is right (which rule?):", "", BLANK, ""]
    sheet += ["2. Phrase, the gold's label, your label, and who is right (which rule?):", "", BLANK, ""]
    sheet += ["## Exit ticket: the same for this paragraph", "", *_quote(text[exit_start:exit_end])]
    sheet += [
        "---",
        "",
        "*For the teacher:* collect the downloads (named after each student, e.g. "
        f"`alice_{UNIT1_DOC}.answers.jsonl`) in one folder and run",
        "",
        "```sh",
        f".venv/bin/dprkmedia class-report hand-ins/ --passage {UNIT1_DOC}:{start}-{end} -o class-report.html",
        f".venv/bin/dprkmedia class-report exit-tickets/ --passage {UNIT1_DOC}:{exit_start}-{exit_end} "
        "-o exit-tickets.html",
        "```",
        "",
    ]
    key = _header(
        "Unit 1 answer key: the gold in the two paragraphs",
        "The gold is a reading to argue with (AI annotators, not yet reviewed by a human). "
        "*core*: at least two independent annotation passes had the technique there; *borderline*: one did.",
        name_line=False,
    )
    for title, (a, b) in (("Part A", (start, end)), ("Exit ticket", (exit_start, exit_end))):
        spans = sorted((s for s in doc["rhetoric"] if a <= s["start"] and s["end"] <= b), key=_order)
        key += [f"## {title}: characters {a}–{b}", "", "| exact words | label | category | confidence |"]
        key += ["|---|---|---|---|"]
        key += [f"| {cell(s['text'])} | `{s['label']}` | {s['category']} | {s['confidence']} |" for s in spans]
        key.append("")
    key += [f"Genre: `{doc['genre']}`; frames: {', '.join(f'`{f}`' for f in doc['frames'])}.", ""]
    return "\n".join(sheet), "\n".join(key)


def _order(span: Doc) -> tuple[int, int, str]:
    return (span["start"], -span["end"], span.get("label") or span.get("type") or "")


def _raw_lines(repo: Repo, doc: Doc, count: int) -> list[str]:
    lines = (repo.sources_dir / doc["source_file"]).read_text(encoding="utf-8").splitlines()
    return [f"line {number}: {line}" for number, line in enumerate(lines[:count], 1)]


def unit2(docs: list[Doc], tax: Taxonomy, repo: Repo) -> tuple[str, str]:
    """Unit 2: a provenance grid, a raw page, date expressions to normalise, Juche years."""
    sheet = _header(
        "Unit 2 worksheet: provenance and time",
        "For every fact, ask where it comes from. Write *null* where the page does not state it.",
    )
    sheet += ["## A. What does each page state?", ""]
    sheet += ["| document | title stated? | publication date | read from which line? | other dates on the page |"]
    sheet += ["|---|---|---|---|---|"]
    sheet += [f"| `{doc['id'][:3]}` | {BLANK} | {BLANK} | {BLANK} | {BLANK} |" for doc in docs]
    page = _doc(docs, UNIT2_PAGE)
    sheet += ["", f"The first lines of the raw page of `{UNIT2_PAGE}`:", "", "```"]
    sheet += [*_raw_lines(repo, page, 7), "```", ""]
    sheet += ["Which line is the title, which the publication date, which the aggregator's date?", ""]
    dated = _doc(docs, UNIT2_DATES)
    sheet += [f"## B. The dates of article `{UNIT2_DATES}` (published {dated['published']})", ""]
    sheet += ["| expression | TIMEX3 type | TIMEX3 value |", "|---|---|---|"]
    expressions = list(dict.fromkeys(span["text"] for span in sorted(dated["dates"], key=_order)))
    sheet += [f"| {cell(text)} | {BLANK} | {BLANK} |" for text in expressions]
    sheet += ["", "Types: DATE, TIME, DURATION, SET. Values: `2024-04-25`, `2019-04`, `20`, `PRESENT_REF`, `P20D`.", ""]
    dateline = _doc(docs, UNIT2_DATELINE)
    last = dateline["text"].rstrip().splitlines()[-1]
    sheet += ["## C. The Juche calendar", "", f"The last line of article `{UNIT2_DATELINE}`: *{last}*", ""]
    sheet += ["Juche year = Gregorian year − 1911.", "", "| Gregorian | Juche |", "|---|---|"]
    sheet += [f"| {year} | {BLANK} |" for year in JUCHE_YEARS]
    sheet.append("")
    key = _header(
        "Unit 2 answer key", "From the released dataset (columns `title`, `published`, `*_evidence`).", name_line=False
    )
    key += ["## A.", "", "| document | title | published | method | evidence | aggregator date |"]
    key += ["|---|---|---|---|---|---|"]
    for doc in docs:
        title = "stated" if doc["title"] else "null"
        key.append(
            f"| `{doc['id'][:3]}` | {title} | {doc['published'] or 'null'} | {doc['published_method'] or 'null'} | "
            f"{cell(doc['published_evidence'] or 'null')} | {doc['aggregator_date'] or 'null'} |"
        )
    key += ["", f"## B. Article `{UNIT2_DATES}`", "", "| expression | type | value |", "|---|---|---|"]
    seen = set()
    for span in sorted(dated["dates"], key=_order):
        if span["text"] not in seen:
            seen.add(span["text"])
            key.append(f"| {cell(span['text'])} | {span['type']} | `{span['value']}` |")
    key += ["", "## C.", "", "| Gregorian | Juche |", "|---|---|"]
    key += [f"| {year} | {year - 1911} |" for year in JUCHE_YEARS]
    key.append("")
    return "\n".join(sheet), "\n".join(key)


def unit3(docs: list[Doc], tax: Taxonomy, repo: Repo) -> tuple[str, str]:
    """Unit 3: the label counts per split, one sentence to tag by hand, a results grid."""
    counts: dict[str, Counter[str]] = {"train": Counter(), "test": Counter()}
    tagged: list[tuple[str, str]] = []
    prefix, first, last = UNIT3_SENTENCE
    for doc in docs:
        units = flatten_spans([(s["start"], s["end"], s["label"]) for s in doc["entities"]])
        sentences = text_to_sentences(doc["text"])
        for number, sentence in enumerate(sentences):
            inside = [u for u in units if sentence.start <= u[0] and u[1] <= sentence.end]
            tags = spans_to_iob2(sentence.tokens, inside)
            counts[doc["_split"]].update(tag[2:] for tag in tags if tag.startswith("B-"))
            if doc["id"].startswith(prefix) and number == 0:
                tokens = [doc["text"][s:e] for s, e in sentence.tokens]
                tagged = list(zip(tokens[first:last], tags[first:last], strict=True))
    labels = sorted(
        set(counts["train"]) | set(counts["test"]), key=lambda x: (-counts["train"][x] - counts["test"][x], x)
    )
    sheet = _header(
        "Unit 3 worksheet: token classification",
        "The numbers come from the `tokens` config (one tag per token; nested entities keep the longest span).",
    )
    sheet += ["## A. Entity mentions per split", "", "| label | train | test | a model will find it hard? |"]
    sheet += ["|---|---|---|---|"]
    sheet += [f"| `{label}` | {counts['train'][label]} | {counts['test'][label]} | {BLANK} |" for label in labels]
    sheet += ["", f"## B. Tag this passage of article `{prefix}` with IOB2 entity tags", "", "| token | tag |"]
    sheet += ["|---|---|"]
    sheet += [f"| {cell(token)} | {BLANK} |" for token, _ in tagged]
    sheet += ["", "## C. Results (fill in from the notebook)", ""]
    sheet += [
        "| system | spans predicted / gold | exact P | exact R | exact F1 | partial F1 |",
        "|---|---|---|---|---|---|",
    ]
    sheet += [
        f"| {name} | {BLANK} | {BLANK} | {BLANK} | {BLANK} | {BLANK} |"
        for name in ("oracle", "most frequent tag", "spaCy, seed 0")
    ]
    sheet.append("")
    key = _header("Unit 3 answer key", "The gold tags (`tokens` config) of part B.", name_line=False)
    key += ["| token | tag |", "|---|---|"]
    key += [f"| {cell(token)} | `{tag}` |" for token, tag in tagged]
    key += ["", "Part C: the notebook's own output; the numbers are in the teacher notes.", ""]
    return "\n".join(sheet), "\n".join(key)


UNITS: dict[str, Callable[[list[Doc], Taxonomy, Repo], tuple[str, str]]] = {"01": unit1, "02": unit2, "03": unit3}


def worksheet_files(repo: Repo) -> dict[Path, str]:
    """Path → content of every worksheet and answer key (needs the built dataset). A corpus without
    the articles the units use (a fork, a scaled copy for the benchmarks) gets none: the units are
    about these articles. Which are there is read one record at a time, before anything is loaded."""
    needed = (UNIT1_DOC, UNIT2_PAGE, UNIT2_DATES, UNIT2_DATELINE, UNIT3_SENTENCE[0])
    found = {prefix for doc in iter_released(repo) for prefix in needed if doc["id"].startswith(prefix)}
    if len(found) < len(set(needed)):
        return {}
    docs = released_documents(repo)
    tax = load_taxonomy(repo.schema_dir)
    folder = repo.root / "docs" / "teaching" / "worksheets"
    files = {}
    for number, make in UNITS.items():
        sheet, key = make(docs, tax, repo)
        files[folder / f"{number}-worksheet.md"] = sheet
        files[folder / f"{number}-answer-key.md"] = key
    return files
