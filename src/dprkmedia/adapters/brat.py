"""``dprkmedia export brat``: brat standoff files, which brat and INCEpTION open.

Per document, ``<split>/<doc id>.txt`` holds the text (the offsets of the dataset point into it) and
``<split>/<doc id>.ann`` the annotations, one per line, as the brat standoff format defines them:

* ``T<n><TAB><label> <start> <end><TAB><text>``: a span of any layer. A span that crosses a line break is
  written as fragments ``<start> <end>;<start> <end>`` around the break, and its text as the fragments'
  texts joined by a space, as brat itself writes it (brat does not show an annotation across lines);
* ``N<n><TAB>Reference T<m> <resource>:<entry><TAB><string>``: a normalization. Entities point at resource
  ``norm`` with the canonical name as the string (the entry is the name with ``_`` for spaces, since an
  entry holds no space); dates at resource ``TIMEX3`` with the TIMEX3 value;
* ``A<n><TAB>Confidence T<m> core|borderline``: the confidence of a rhetoric span.

``annotation.conf`` declares every label, the ``Confidence`` attribute, and allows overlapping spans
(entities nest, and the layers overlap).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from dprkmedia.corpus.fileio import atomic_write_bytes
from dprkmedia.model.taxonomy import LAYERS, Taxonomy

JSON = dict[str, Any]
NORM_RESOURCE = {"entities": "norm", "dates": "TIMEX3"}
NORM_FIELD = {"entities": "norm", "dates": "value"}


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut at line breaks into the non-empty pieces between them."""
    pieces = []
    for match in re.finditer(r"[^\n]+", text[start:end]):
        pieces.append((start + match.start(), start + match.end()))
    return pieces


def ann_lines(doc: JSON, tax: Taxonomy) -> list[str]:
    """The ``.ann`` lines of one document: T lines, then their N and A lines."""
    text = doc["text"]
    lines, extra = [], []
    number = norms = attributes = 0
    for layer in LAYERS:
        key = tax.label_field(layer)
        for span in sorted(doc[layer], key=lambda s: (s["start"], s["end"], s[key])):
            number += 1
            pieces = fragments(text, span["start"], span["end"])
            where = ";".join(f"{a} {b}" for a, b in pieces)
            lines.append(f"T{number}\t{span[key]} {where}\t{' '.join(text[a:b] for a, b in pieces)}")
            if layer in NORM_RESOURCE and span.get(NORM_FIELD[layer]):
                value = span[NORM_FIELD[layer]]
                norms += 1
                entry = re.sub(r"\s+", "_", value)
                extra.append(f"N{norms}\tReference T{number} {NORM_RESOURCE[layer]}:{entry}\t{value}")
            if layer == "rhetoric" and span.get("confidence"):
                attributes += 1
                extra.append(f"A{attributes}\tConfidence T{number} {span['confidence']}")
    return lines + extra


def annotation_conf(tax: Taxonomy) -> str:
    """brat's ``annotation.conf``: every label as an entity type, the Confidence attribute, overlaps allowed."""
    rhetoric = [label.name for label in tax.labels if label.layer == "rhetoric"]
    lines = ["# dprkmedia export brat: the labels of schema/taxonomy.json", "[entities]"]
    lines += [label.name for layer in LAYERS for label in tax.labels if label.layer == layer]
    lines += ["", "[relations]", "<OVERLAP> Arg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>", "", "[events]", ""]
    lines += ["[attributes]", f"Confidence Arg:{'|'.join(rhetoric)}, Value:core|borderline"]
    return "\n".join(lines) + "\n"


def export_brat(docs: list[JSON], tax: Taxonomy, out: Path) -> list[Path]:
    """Write ``<split>/<doc>.txt`` and ``.ann`` for every document, and ``annotation.conf``."""
    files = []
    for doc in docs:
        for suffix, body in ((".txt", doc["text"]), (".ann", "".join(f"{line}\n" for line in ann_lines(doc, tax)))):
            path = out / doc["_split"] / f"{doc['id']}{suffix}"
            atomic_write_bytes(path, body.encode("utf-8"))
            files.append(path)
    conf = out / "annotation.conf"
    atomic_write_bytes(conf, annotation_conf(tax).encode("utf-8"))
    return [*files, conf]
