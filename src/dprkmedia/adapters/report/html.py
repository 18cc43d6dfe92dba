"""The class report as one self-contained HTML file, from the numbers of
:func:`dprkmedia.evaluate.classroom.class_report`.

One file, nothing else: the style is inline (allowed by its hash in the Content-Security-Policy,
which forbids every request, script and other style), the charts are inline SVG
(:mod:`dprkmedia.adapters.report.svg`), there is no script. Printing gives the same report on
paper (tables do not break inside a row; colours are kept). The HTML comes from the Jinja2
template ``templates/class_report.html``, autoescaped.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from dprkmedia.adapters.report.svg import Row, bar_chart

LAYER_TITLES = {"entities": "Entities", "dates": "Dates", "rhetoric": "Persuasion techniques"}
HEAT_LEVELS = 6


@cache
def templates() -> Environment:
    """The report's template environment: autoescaped, strict about undefined values."""
    return Environment(
        loader=PackageLoader("dprkmedia.adapters.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )


def style() -> str:
    """The report's stylesheet (package data), inlined."""
    return resources.files("dprkmedia.adapters.report").joinpath("report.css").read_text(encoding="utf-8")


def csp(css: str) -> str:
    """A Content-Security-Policy that allows exactly the inline stylesheet ``css`` and nothing else."""
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return f"default-src 'none'; style-src 'sha256-{digest}'; img-src data:; base-uri 'none'; form-action 'none'"


def ordered(layers: list[str]) -> list[str]:
    """The layers the class annotated, techniques first (what the class is mostly about)."""
    return sorted(layers, key=lambda name: name != "rhetoric")


def num(value: float | None) -> str:
    """Three decimals, as ``dprkmedia score`` prints; a dash for no value."""
    return "–" if value is None else f"{value:.3f}"


def _prf(data: dict[str, Any]) -> list[str]:
    return [num(data["precision"]), num(data["recall"]), num(data["f1"])]


def student_tables(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One table per layer the class annotated: a row per student."""
    tables = []
    for layer in ordered(report["layers"]):
        rows = []
        for student in report["students"]:
            data = student["score"]["layers"][layer]
            attempted = student["attempted"][layer]
            rows.append(
                {
                    "name": student["name"],
                    "documents": len(student["documents"]),
                    "gold": data["exact"]["gold"],
                    "answered": data["exact"]["predicted"],
                    "cells": _prf(data["exact"]) + _prf(data["partial"]) if attempted else [],
                }
            )
        chart = bar_chart(
            f"{LAYER_TITLES[layer]}: F1 per student",
            ("partial-credit F1", "exact F1"),
            [
                Row(
                    s["name"],
                    (s["score"]["layers"][layer]["partial"]["f1"], s["score"]["layers"][layer]["exact"]["f1"]),
                )
                for s in report["students"]
                if s["attempted"][layer]
            ],
        )
        tables.append({"layer": layer, "title": LAYER_TITLES[layer], "rows": rows, "chart": chart})
    return tables


def document_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Frames and genre per student."""
    rows = []
    for student in report["students"]:
        document = student["score"]["document"]
        genre = document["genre"]
        rows.append(
            {
                "name": student["name"],
                "frames": _prf(document["frames"]) if student["frames_answered"] else [],
                "genre": f"{genre['agree']} of {genre['documents']}",
                "genre_accuracy": num(genre["accuracy"]),
            }
        )
    return rows


def label_tables(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The class's pooled precision and recall per label, per layer (techniques first)."""
    tables = []
    for layer in ordered(report["layers"]):
        labels = report["class"][layer]["labels"]
        rows = [
            {
                "label": label,
                "category": report["categories"].get(label) or "",
                "gold": data["exact"]["gold"],
                "chosen": data["exact"]["predicted"],
                "partial": _prf(data["partial"]),
                "exact": _prf(data["exact"]),
            }
            for label, data in sorted(labels.items(), key=lambda item: (-item[1]["exact"]["gold"], item[0]))
        ]
        chart = bar_chart(
            f"{LAYER_TITLES[layer]}: the class's recall and precision per label (partial credit)",
            ("recall", "precision"),
            [
                Row(label, (data["partial"]["recall"] if data["exact"]["gold"] else None, data["partial"]["precision"]))
                for label, data in sorted(labels.items(), key=lambda item: (-item[1]["exact"]["gold"], item[0]))
                if data["exact"]["gold"]
            ],
        )
        total = report["class"][layer]
        tables.append(
            {
                "layer": layer,
                "title": LAYER_TITLES[layer],
                "rows": rows,
                "chart": chart,
                "total": {"partial": _prf(total["partial"]), "exact": _prf(total["exact"])},
            }
        )
    return tables


def confusion_table(report: dict[str, Any]) -> dict[str, Any]:
    """The confusion table with a heat level (0–5) per cell, relative to its row."""
    data = report["confusion"]
    rows = []
    for gold in data["gold"]:
        counts = data["counts"][gold]
        total = sum(counts.values())
        cells = []
        for chosen in data["chosen"]:
            n = counts.get(chosen, 0)
            level = 0 if not n else 1 + min(HEAT_LEVELS - 2, int(n / total * (HEAT_LEVELS - 1)))
            cells.append({"n": n, "level": level, "diagonal": chosen == gold})
        rows.append({"gold": gold, "cells": cells, "total": total})
    return {"chosen": data["chosen"], "rows": rows}


def render_report(report: dict[str, Any], *, gold: str, title: str = "Class report") -> str:
    """The whole report as HTML."""
    css = style()
    return (
        templates()
        .get_template("class_report.html")
        .render(
            title=title,
            gold=gold,
            report=report,
            css=Markup(css),
            csp=csp(css),
            num=num,
            students=student_tables(report),
            documents=document_rows(report),
            labels=label_tables(report),
            confusion=confusion_table(report),
            layer_titles=LAYER_TITLES,
            layers=ordered(report["layers"]),
        )
    )
