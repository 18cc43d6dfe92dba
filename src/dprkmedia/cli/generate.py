"""Files generated from the one definition: JSON Schemas and reference docs.

``dprkmedia generate`` writes them; ``dprkmedia generate --check`` (and the tests) fail
when a committed copy differs from what the code and taxonomy give.
"""

from __future__ import annotations

import json
from pathlib import Path

from dprkmedia.adapters.labelstudio.format import labeling_config
from dprkmedia.corpus.progress import QUIET, Progress
from dprkmedia.corpus.repo import Repo
from dprkmedia.model.catalogue import CATALOGUE
from dprkmedia.model.schemas import SCHEMA_FILES
from dprkmedia.model.taxonomy import LAYERS, Taxonomy, load_taxonomy
from dprkmedia.publish.croissant import croissant_text
from dprkmedia.publish.summary import generated_documents
from dprkmedia.publish.worksheet import worksheet_files


def schema_texts(tax: Taxonomy) -> dict[str, str]:
    """File name → JSON text of every generated schema."""
    return {name: json.dumps(make(tax), indent=2, ensure_ascii=False) + "\n" for name, make in SCHEMA_FILES.items()}


def taxonomy_markdown(tax: Taxonomy) -> str:
    """``docs/taxonomy.md``: every label with layer, category, definition and anchor."""
    lines = [
        "# Label taxonomy",
        "",
        "<!-- generated from schema/taxonomy.json by `dprkmedia generate`; do not edit -->",
        "",
        f"Taxonomy version {tax.version}. Anchor schemes:",
        "",
        *(f"- **{name}**: {ref}" for name, ref in tax.schemes.items()),
    ]
    for layer in LAYERS:
        field = tax.label_field(layer)
        lines += ["", f"## {layer} (`{field}`)", "", "| label | category | maps to | definition |", "|---|---|---|---|"]
        for label in tax.labels:
            if label.layer == layer:
                anchor = f"{label.anchor} ({'extension' if label.extension else label.scheme})"
                lines.append(f"| `{label.name}` | {label.category or ''} | {anchor} | {label.definition} |")
        for label in tax.labels:
            if label.layer == layer and label.departs:
                lines.append(f"\n`{label.name}` departs from its anchor: {label.departs}")
    lines += ["", "## frames (document level, multi-label)", "", "| frame | definition |", "|---|---|"]
    lines += [f"| `{f.name}` | {f.definition} |" for f in tax.frames]
    lines += ["", "## genre (document level, one)", "", "| genre | definition |", "|---|---|"]
    lines += [f"| `{g.name}` | {g.definition} |" for g in tax.genres]
    lines += ["", "## PTC / SemEval-2020 Task 11 spellings (for exports)", ""]
    lines += [f"- `{new}` = `{old}`" for new, old in tax.ptc_crosswalk.items()]
    return "\n".join(lines) + "\n"


def case_example(path: Path) -> list[str]:
    """Markdown lines showing a minimal invalid case of ``tests/invalid/`` (bytes escaped)."""
    if not path.is_file():
        return []
    head, body = [], path.read_bytes()
    while body.startswith(b"# "):
        line, _, body = body.partition(b"\n")
        head.append(line[2:].decode("utf-8"))
    fields = dict(item.split(": ", 1) for item in head if ": " in item)
    shown = body.decode("utf-8", errors="backslashreplace")
    shown = shown.replace("\r", "\\r").replace("\x00", "\\x00").replace("\ufeff", "\\ufeff")
    lines = [line if len(line) <= 160 else line[:160] + "…" for line in shown.split("\n")[:4]]
    if not body and "validate" in fields:  # nothing in the file: the command shows the case
        lines = [f"$ dprkmedia validate {fields['validate']}"]
    mode = {
        "replace": "as",
        "append": "appended to",
        "delete": "deleting",
        "mkdir": "a folder in place of",
        "new-folder": "a new empty folder",
    }
    imported = f", imported with `{fields['import']}`" if "import" in fields else ""
    return [
        f"**Example** (`tests/invalid/{path.name}`, {mode.get(fields.get('mode', ''), '')} `{fields.get('target')}`"
        f"{imported}): {fields.get('why', '')}.",
        "",
        "```",
        *lines,
        "```",
        "",
    ]


def validation_markdown(cases: Path | None = None) -> str:
    """``docs/validation.md``: the catalogue of validator codes, with an example each."""
    lines = [
        "# Validator codes",
        "",
        "<!-- generated from src/dprkmedia/model/catalogue.py and messages.py by `dprkmedia generate`; do not edit -->",
        "",
        "`dprkmedia validate` reports each problem as `FILE:LINE [at 'JSON path']: [code] message."
        " Got '...'. Expected .... Fix: ...`, counts them per code and ends with `*** PASSED ***`"
        " or `*** FAILED *** with N errors`. It exits 0 when it passes, 1 when it finds problems, and 2"
        " when a PATH it is given does not exist or selects no file (`path-missing`, `path-empty`). A"
        " minimal invalid file for each code is in `tests/invalid/`.",
        "",
        "`dprkmedia labelstudio import` and `dprkmedia validate EXPORT.json` report the problems of a"
        " Label Studio export the same way, all in one pass; as an export has no lines to point at"
        " (except where it is not JSON), each problem is located by its JSON path and named by task,"
        " doc, annotation, annotator and region, e.g. `export.json at '$[0].annotations[1].result[3]'"
        " (task 12, doc 003_ffbef9be4e76c7d4, annotation 34 by ls-2, region 'e5'): [...]`. The"
        " `ls-gold-several-annotators` and `ls-output-*` codes come from an import only (they are"
        " about where its files would go). An import writes nothing while any problem remains"
        " (`--skip-invalid` writes the files no problem touches).",
        "",
    ]
    for code in CATALOGUE.values():
        lines += [f"## `{code.code}`: {code.title}", "", code.explanation, "", f"**Fix:** {code.fix}", ""]
        if cases is not None:
            lines += case_example(cases / f"{code.code}.case")
    return "\n".join(lines)


def generated_files(
    repo: Repo, workers: int = 1, progress: Progress = QUIET, baseline: str | None = None
) -> dict[Path, str]:
    """Path → expected content of every generated file (the pre-annotation baseline of the
    README runs in ``workers`` processes, unless the build gives it: ``baseline``)."""
    tax = load_taxonomy(repo.schema_dir)
    files = {repo.schema_dir / name: text for name, text in schema_texts(tax).items()}
    files[repo.root / "docs" / "taxonomy.md"] = taxonomy_markdown(tax)
    files[repo.schema_dir / "labelstudio.xml"] = labeling_config(tax)
    files[repo.root / "docs" / "validation.md"] = validation_markdown(repo.root / "tests" / "invalid")
    if (repo.dataset_dir / "jsonl").is_dir():
        files.update(generated_documents(repo, workers, progress, baseline))
        files[repo.root / "croissant.json"] = croissant_text(repo)
        files.update(worksheet_files(repo))
    return files


def stale_files(repo: Repo, workers: int = 1) -> list[Path]:
    """Generated files whose committed content differs from what generation gives."""
    return [
        path
        for path, text in generated_files(repo, workers).items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]
