"""Publishing on the Hugging Face Hub: what is uploaded, and the checks that the repository is ready.

The Hub repository is a copy of part of this one: the README (its YAML front matter is the dataset card),
the built data, the raw pages, the gold annotations and the documents the card links to. :data:`ALLOW_PATTERNS`
is the one list of what goes up, used by the dry run and by the upload (``HfApi.upload_folder``, whose
pattern matching, ``huggingface_hub.utils.filter_repo_objects``, :func:`upload_files` uses too).

:func:`check` is offline. It reads the card with ``huggingface_hub.DatasetCard`` and checks what the Hub
and ``load_dataset(<repo id>, config)`` rely on: the license fields, that every config's ``data_files``
patterns match uploaded files (resolved by ``datasets`` itself), that the features the card declares are
those of the Parquet files, that ``num_examples`` and ``size_categories`` agree with the data. README links
to files that are not uploaded are notes: they will not resolve on the Hub.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dprkmedia.model.issues import DprkMediaError

ALLOW_PATTERNS = (
    "README.md",
    "LICENSE",
    "DATASHEET.md",
    "CITATION.cff",
    "croissant.json",
    "dataset/*/*.parquet",
    "dataset/jsonl/*.jsonl",
    "dataset/sources/*.txt",
    "annotations/*",
    "schema/taxonomy.json",
    "docs/taxonomy.md",
)
"""What goes up, as ``upload_folder``'s ``allow_patterns`` (fnmatch: ``*`` also matches ``/``)."""

SIZE_CATEGORIES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"))
LINK = re.compile(r"\]\((?!https?:|mailto:|#)([^)\s]+)\)")


@dataclass(frozen=True)
class Card:
    """What the checks look at: the root, the card's metadata, its features per config, the uploaded files."""

    root: Path
    data: dict[str, Any]
    features: dict[str, Any]
    uploaded: set[str]


@dataclass
class HubReport:
    """The files that would be uploaded, the checks made and what they found."""

    files: list[tuple[str, int]] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """True when no check found a problem (notes do not count)."""
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready report: what ``publish --dry-run --json`` prints."""
        return {
            "passed": self.passed,
            "allow_patterns": list(ALLOW_PATTERNS),
            "files": [{"path": path, "bytes": size} for path, size in self.files],
            "total_bytes": sum(size for _, size in self.files),
            "checked": self.checked,
            "problems": self.problems,
            "notes": self.notes,
        }

    def render(self) -> str:
        """Human report: the files with their sizes, the checks, the problems and the verdict."""
        lines = [f"Would upload {len(self.files)} files ({sum(s for _, s in self.files):,} bytes):"]
        lines += [f"  {size:>10,}  {path}" for path, size in self.files]
        lines += ["Checked:", *(f"  ok: {item}" for item in self.checked)]
        lines += [f"  note: {note}" for note in self.notes]
        lines += [f"  PROBLEM: {problem}" for problem in self.problems]
        verdict = "*** READY ***" if self.passed else f"*** NOT READY *** with {len(self.problems)} problems"
        return "\n".join([*lines, verdict])


def candidate_files(root: Path) -> list[str]:
    """Files under the folders and files the patterns start with (the rest cannot match), relative, sorted."""
    found: set[str] = set()
    for pattern in ALLOW_PATTERNS:
        top = root / pattern.split("/")[0]
        if any(char in top.name for char in "*?["):
            raise DprkMediaError(f"pattern {pattern!r} starts with a wildcard: list candidates from the whole tree")
        if top.is_file():
            found.add(top.relative_to(root).as_posix())
        elif top.is_dir():
            found |= {p.relative_to(root).as_posix() for p in top.rglob("*") if p.is_file()}
    return sorted(found)


def upload_files(root: Path) -> list[str]:
    """The files ``upload_folder(root, allow_patterns=ALLOW_PATTERNS)`` uploads, relative to ``root``."""
    # documented helpers of huggingface_hub.utils, not re-exported for mypy
    from huggingface_hub.utils import DEFAULT_IGNORE_PATTERNS, filter_repo_objects  # type: ignore[attr-defined]

    chosen = filter_repo_objects(
        candidate_files(root), allow_patterns=list(ALLOW_PATTERNS), ignore_patterns=list(DEFAULT_IGNORE_PATTERNS)
    )
    return sorted(chosen)


def check(root: Path) -> HubReport:
    """Everything the dry run reports, offline."""
    import yaml
    from datasets.info import DatasetInfosDict
    from huggingface_hub import DatasetCard

    report = HubReport(files=[(path, (root / path).stat().st_size) for path in upload_files(root)])
    uploaded = {path for path, _ in report.files}
    readme = root / "README.md"
    if "README.md" not in uploaded:
        report.problems.append("README.md is missing: on the Hub the README's YAML front matter is the dataset card")
        return report
    try:
        card = DatasetCard.load(readme)
        infos = DatasetInfosDict.from_dataset_card_data(card.data)
    except (ValueError, TypeError, KeyError, yaml.YAMLError) as error:
        report.problems.append(f"README.md: the card does not parse with huggingface_hub's DatasetCard: {error}")
        return report
    facts = Card(root, card.data.to_dict(), {name: info.features for name, info in infos.items()}, uploaded)
    report.checked.append("README.md parses as a dataset card (huggingface_hub.DatasetCard)")
    for name, step in CHECKS:
        found = step(facts)
        if found:
            report.problems += found
        else:
            report.checked.append(name)
    report.notes += link_notes(card.text, uploaded)
    return report


def check_license(card: Card) -> list[str]:
    """The card's license fields, as the Hub requires them (``other`` needs a name and a link)."""
    data, uploaded = card.data, card.uploaded
    license_id = data.get("license")
    if not license_id:
        return ["card: no 'license'; the Hub shows the dataset as unlicensed"]
    if license_id != "other":
        return []
    problems = [f"card: license 'other' needs '{key}'" for key in ("license_name", "license_link") if not data.get(key)]
    link = data.get("license_link")
    if link and not str(link).startswith(("http://", "https://")) and link not in uploaded:
        problems.append(f"card: license_link {link!r} names a file that is not uploaded (add it to ALLOW_PATTERNS)")
    return problems


def check_configs(card: Card) -> list[str]:
    """Every config's data_files patterns, resolved by ``datasets``, match uploaded files; one default."""
    from datasets.data_files import DataFilesDict

    root, uploaded = card.root, card.uploaded
    configs = card.data.get("configs") or []
    problems = [] if sum(bool(c.get("default")) for c in configs) == 1 else ["card: exactly one config is default"]
    if not configs:
        return ["card: no 'configs'; the Hub would guess the configs from the file names"]
    for config in configs:
        name = config.get("config_name")
        patterns = {item["split"]: [item["path"]] for item in config.get("data_files") or []}
        if not patterns:
            problems.append(f"card: config {name!r} has no data_files")
            continue
        try:
            resolved = DataFilesDict.from_patterns(patterns, base_path=str(root))
        except FileNotFoundError as error:
            problems.append(f"card: config {name!r}: {error}")
            continue
        for split, files in resolved.items():
            relative = {Path(f).resolve().relative_to(root.resolve()).as_posix() for f in files}
            if not relative <= uploaded:
                problems.append(
                    f"card: config {name!r} split {split!r} needs {sorted(relative - uploaded)}, not uploaded"
                )
    return problems


def check_features_and_sizes(card: Card) -> list[str]:
    """Declared features equal the Parquet's, ``num_examples`` equal the row counts, the size category fits."""
    import pyarrow.parquet as pq
    from datasets import Features

    data = card.data
    problems, largest = [], 0
    infos = {info["config_name"]: info for info in data.get("dataset_info") or []}
    for config in data.get("configs") or []:
        name = config["config_name"]
        info, declared = infos.get(name), card.features.get(name)
        if info is None or declared is None:
            problems.append(f"card: dataset_info declares no features for config {name!r}")
            continue
        for item in config.get("data_files") or []:
            path = card.root / item["path"]
            if not path.is_file():
                continue  # reported by the configs check
            parquet = pq.ParquetFile(path)
            rows = parquet.metadata.num_rows
            largest = max(largest, rows)
            if Features.from_arrow_schema(parquet.schema_arrow) != declared:
                problems.append(f"card: the features of config {name!r} differ from those of {item['path']}")
            stated = {s["name"]: s.get("num_examples") for s in info.get("splits") or []}
            if stated.get(item["split"]) != rows:
                problems.append(
                    f"card: {name}/{item['split']} states {stated.get(item['split'])} examples, "
                    f"{item['path']} has {rows}; run 'dprkmedia build'"
                )
    category = next((label for limit, label in SIZE_CATEGORIES if largest < limit), "n>1M")
    if data.get("size_categories") != [category]:
        problems.append(
            f"card: size_categories {data.get('size_categories')} but the largest config has {largest} rows"
        )
    return problems


CHECKS: tuple[tuple[str, Callable[[Card], list[str]]], ...] = (
    ("license fields (license, license_name, license_link to an uploaded file)", check_license),
    ("every config's data_files match uploaded files; one default config", check_configs),
    (
        "declared features equal the Parquet's; num_examples and size_categories agree with the data",
        check_features_and_sizes,
    ),
)


def link_notes(text: str, uploaded: set[str]) -> list[str]:
    """README links to repository files that are not uploaded: they will not resolve on the Hub."""
    targets = sorted({link.split("#")[0] for link in LINK.findall(text)} - {""})
    missing = [t for t in targets if t not in uploaded and not any(fnmatch.fnmatch(u, t + "/*") for u in uploaded)]
    return [
        f"README links {target}, which is not uploaded (the link will not resolve on the Hub)" for target in missing
    ]


def upload(root: Path, repo_id: str, message: str, create: bool) -> str:
    """Upload :func:`upload_files` to the dataset repository ``repo_id``; returns the commit URL. Online."""
    from huggingface_hub import HfApi

    api = HfApi()
    if create:
        api.create_repo(repo_id, repo_type="dataset", exist_ok=True)
    commit = api.upload_folder(
        repo_id=repo_id,
        repo_type="dataset",
        folder_path=root,
        allow_patterns=list(ALLOW_PATTERNS),
        commit_message=message,
    )
    return str(commit)
