"""Check, or search for, the label colours of ``schema/taxonomy.json``.

The classroom viewer (``dprkmedia site``) and Label Studio show every label in its colour, so
two labels of one layer that look alike, to anyone, are two labels a class cannot tell apart.
The rules (docs/viewer.md, "Colours"), checked by ``tests/test_palette.py``:

* within a layer, any two labels **in use** (with a gold span in the built dataset) differ by
  CIEDE2000 >= 10, in normal vision and under simulated deuteranopia and protanopia;
* within a layer, any two labels at all differ by at least ``FLOOR_ALL``, so that a label that
  comes into use starts from a distinct colour;
* any two labels in use of different layers differ by at least ``MIN_ACROSS`` (they are told
  apart by the underline's pattern and place too, but must not share a colour);
* every colour has at least 3:1 contrast against white (WCAG 2.2, 1.4.11 non-text contrast),
  because the underline in that colour is what marks a passage.

Method. ``#rrggbb`` is decoded from sRGB to linear RGB; for a colour vision deficiency the
linear RGB is multiplied by the matrix of Machado, Oliveira & Fernandes (2009), "A
physiologically-based model for simulation of color vision deficiency", IEEE TVCG 15(6),
severity 1.0 (dichromacy), and clipped to [0, 1]; then it goes to CIE XYZ and CIELAB (D65).
ΔE is CIEDE2000 (Sharma, Wu & Dalal 2005). colour-science (BSD-3-Clause) provides the
matrices, the conversions and ΔE; the test checks its ΔE against Sharma's published pairs.

Usage (from the repository root, with the test extra installed)::

    python scripts/palette.py            # report: smallest ΔE per layer and vision, contrast
    python scripts/palette.py --search   # propose colours (a max-min search) and write them

``--search`` keeps each label near its old hue where it can (an assignment that minimises the
ΔE between old and new colours), then run ``dprkmedia generate`` (the Label Studio config
carries the colours) and ``dprkmedia site``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

with warnings.catch_warnings():  # colour-science warns that matplotlib is absent: not needed here
    warnings.simplefilter("ignore")
    import colour
    from colour.blindness import matrix_cvd_Machado2009

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("entities", "dates", "rhetoric")
MIN_IN_USE = 10.0
"""Smallest CIEDE2000 between two labels of a layer that are in use, in every vision."""
FLOOR_ALL = 7.0
"""Smallest CIEDE2000 between any two labels of a layer, in every vision."""
MIN_ACROSS = 5.0
"""Smallest CIEDE2000 between two labels in use of different layers, in every vision: not the same colour."""
MIN_CONTRAST = 3.0
"""Contrast against white (WCAG 2.2 relative luminance)."""

VISIONS = {
    "normal": np.eye(3),
    "deuteranopia": matrix_cvd_Machado2009("Deuteranomaly", 1.0),
    "protanopia": matrix_cvd_Machado2009("Protanomaly", 1.0),
}
D65 = colour.CCS_ILLUMINANTS["CIE 1931 2 Degree Standard Observer"]["D65"]
SRGB = colour.RGB_COLOURSPACES["sRGB"]


def rgb(hexes: Iterable[str]) -> np.ndarray:
    """``#rrggbb`` strings as sRGB values in [0, 1], one row each."""
    return np.array([[int(h[i : i + 2], 16) / 255 for i in (1, 3, 5)] for h in hexes], dtype=float)


def lab(srgb: np.ndarray, vision: str = "normal") -> np.ndarray:
    """CIELAB (D65) of sRGB colours as seen in ``vision`` (Machado et al. 2009, severity 1)."""
    linear = colour.cctf_decoding(srgb, function="sRGB")
    seen = np.clip(linear @ VISIONS[vision].T, 0, 1)
    return colour.XYZ_to_Lab(colour.RGB_to_XYZ(seen, SRGB, apply_cctf_decoding=False), D65)


def delta_e(lab1: np.ndarray, lab2: np.ndarray) -> np.ndarray:
    """CIEDE2000 between CIELAB colours (broadcasting)."""
    return np.asarray(colour.delta_E(lab1, lab2, method="CIE 2000"))


def contrast_with_white(srgb: np.ndarray) -> np.ndarray:
    """WCAG contrast ratio of each colour against white."""
    luminance = colour.RGB_to_XYZ(colour.cctf_decoding(srgb, function="sRGB"), SRGB, apply_cctf_decoding=False)[..., 1]
    return np.asarray(1.05 / (luminance + 0.05))


def pair_distances(hexes: Sequence[str]) -> dict[str, np.ndarray]:
    """Per vision, the matrix of CIEDE2000 between every two colours."""
    values = rgb(hexes)
    out = {}
    for vision in VISIONS:
        points = lab(values, vision)
        out[vision] = delta_e(points[:, None, :], points[None, :, :])
    return out


def closest_pair(names: Sequence[str], hexes: Sequence[str]) -> dict[str, tuple[float, str, str]]:
    """Per vision, the two labels whose colours are closest: (ΔE, name, name)."""
    out: dict[str, tuple[float, str, str]] = {}
    if len(names) < 2:
        return out
    for vision, matrix in pair_distances(hexes).items():
        i, j = min(itertools.combinations(range(len(names)), 2), key=lambda p: matrix[p])
        out[vision] = (float(matrix[i, j]), names[i], names[j])
    return out


# --- the repository -------------------------------------------------------------------------------


def taxonomy_labels(root: Path = ROOT) -> list[dict[str, Any]]:
    labels: list[dict[str, Any]] = json.loads((root / "schema" / "taxonomy.json").read_text(encoding="utf-8"))["labels"]
    return labels


def labels_in_use(root: Path = ROOT) -> dict[str, set[str]]:
    """Per layer, the labels with at least one span in the built dataset (``dataset/jsonl/``)."""
    used: dict[str, set[str]] = {layer: set() for layer in LAYERS}
    for path in sorted((root / "dataset" / "jsonl").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            for layer in LAYERS:
                for span in doc.get(layer) or []:
                    used[layer].add(span["type"] if layer == "dates" else span["label"])
    return used


def report(root: Path = ROOT) -> list[str]:
    """Lines of the palette report; lines that start with ``FAIL`` break a rule."""
    labels, used = taxonomy_labels(root), labels_in_use(root)
    lines = []
    for layer in LAYERS:
        mine = [label for label in labels if label["layer"] == layer]
        active = [label for label in mine if label["name"] in used[layer]]
        for what, group, floor in (("in use", active, MIN_IN_USE), ("all", mine, FLOOR_ALL)):
            for vision, (value, a, b) in closest_pair([x["name"] for x in group], [x["colour"] for x in group]).items():
                flag = "FAIL " if value < floor else ""
                lines.append(f"{flag}{layer} ({what}, {len(group)} labels), {vision}: ΔE2000 {value:.1f} ({a} / {b})")
    active = [label for label in labels if label["name"] in used[label["layer"]]]
    matrices = pair_distances([label["colour"] for label in active])
    for vision, matrix in matrices.items():
        across = [
            (matrix[i, j], i, j)
            for i, j in itertools.combinations(range(len(active)), 2)
            if active[i]["layer"] != active[j]["layer"]
        ]
        value, i, j = min(across)
        flag = "FAIL " if value < MIN_ACROSS else ""
        lines.append(
            f"{flag}across layers (in use), {vision}: ΔE2000 {value:.1f} "
            f"({active[i]['layer']} {active[i]['name']} / {active[j]['layer']} {active[j]['name']})"
        )
    ratios = contrast_with_white(rgb([label["colour"] for label in labels]))
    for label, ratio in zip(labels, ratios, strict=True):
        if ratio < MIN_CONTRAST:
            lines.append(
                f"FAIL {label['layer']} {label['name']} {label['colour']}: contrast {ratio:.2f}:1 against white"
            )
    return lines


# --- search -------------------------------------------------------------------------------------------


def candidates(step: int = 12, min_chroma: float = 30.0) -> np.ndarray:
    """sRGB grid colours with 3:1 contrast on white (and a margin), L* >= 30 and C* >= ``min_chroma``."""
    grid = np.arange(0, 256, step) / 255
    pool = np.array(list(itertools.product(grid, grid, grid)))
    points = lab(pool)
    chroma = np.hypot(points[:, 1], points[:, 2])
    keep = (contrast_with_white(pool) >= MIN_CONTRAST + 0.1) & (points[:, 0] >= 30) & (chroma >= min_chroma)
    return np.asarray(pool[keep])


class Pool:
    """Candidate colours with their CIELAB in every vision, and ΔE from them to chosen ones."""

    def __init__(self, colours: np.ndarray) -> None:
        self.colours = colours
        self.labs = [lab(colours, vision) for vision in VISIONS]

    def distance_to(self, index: int) -> np.ndarray:
        """Smallest ΔE over the visions from every candidate to candidate ``index``."""
        return np.min([delta_e(points, points[index][None, :]) for points in self.labs], axis=0)

    def distance_to_colour(self, value: str) -> np.ndarray:
        """Smallest ΔE over the visions from every candidate to the colour ``value``."""
        target = rgb([value])
        return np.min([delta_e(points, lab(target, v)) for points, v in zip(self.labs, VISIONS, strict=True)], axis=0)


def maximin(pool: Pool, n: int, fixed: Sequence[int], rng: np.random.Generator, restarts: int = 8) -> list[int]:
    """``n`` more candidates, far from each other and from ``fixed``: greedy farthest points, then swaps."""
    best: tuple[float, list[int]] = (-1.0, [])
    for _ in range(restarts):
        chosen = list(fixed) or [int(rng.integers(len(pool.colours)))]
        columns = [pool.distance_to(i) for i in chosen]
        while len(chosen) < len(fixed) + n:
            nearest = np.min(columns, axis=0)
            chosen.append(int(nearest.argmax()))
            columns.append(pool.distance_to(chosen[-1]))
        free = range(len(fixed), len(chosen)) if fixed else range(len(chosen))
        for _round in range(40):
            moved = False
            for k in free:
                others = np.min([c for i, c in enumerate(columns) if i != k], axis=0)
                pick = int(others.argmax())
                if others[pick] > others[chosen[k]] + 1e-9:
                    chosen[k], columns[k], moved = pick, pool.distance_to(pick), True
            if not moved:
                break
        worst = min(columns[j][chosen[i]] for i in range(len(chosen)) for j in range(len(chosen)) if i != j)
        if worst > best[0]:
            best = (float(worst), chosen)
    return best[1][len(fixed) :]


def to_hex(values: np.ndarray) -> str:
    return "#" + "".join(f"{round(v * 255):02x}" for v in values)


def assign(labels: Sequence[dict[str, Any]], colours: np.ndarray) -> dict[str, str]:
    """Give each label the new colour nearest its old one (a minimum-cost assignment)."""
    from scipy.optimize import linear_sum_assignment

    old = lab(rgb([label["colour"] for label in labels]))
    cost = delta_e(old[:, None, :], lab(colours)[None, :, :])
    rows, cols = linear_sum_assignment(cost)
    return {labels[r]["name"]: to_hex(colours[c]) for r, c in zip(rows, cols, strict=True)}


def search(root: Path = ROOT, seed: int = 1) -> dict[tuple[str, str], str]:
    """New colours for every label: per layer, first the labels in use, then the others.

    The layer with most labels goes first; a later layer's candidates keep ``MIN_ACROSS`` (plus a
    margin) from the colours already given to labels in use.
    """
    labels, used = taxonomy_labels(root), labels_in_use(root)
    everything, rng = candidates(), np.random.default_rng(seed)
    out: dict[tuple[str, str], str] = {}
    taken: list[str] = []
    for layer in sorted(LAYERS, key=lambda name: -sum(label["layer"] == name for label in labels)):
        pool = Pool(everything)
        if taken:
            away = np.min([pool.distance_to_colour(value) for value in taken], axis=0)
            pool = Pool(everything[away >= MIN_ACROSS + 1])
        mine = [label for label in labels if label["layer"] == layer]
        active = [label for label in mine if label["name"] in used[layer]]
        rest = [label for label in mine if label["name"] not in used[layer]]
        first = maximin(pool, len(active), [], rng)
        second = maximin(pool, len(rest), first, rng, restarts=4) if rest else []
        for group, picks in ((active, first), (rest, second)):
            if group:
                for name, value in assign(group, pool.colours[picks]).items():
                    out[(layer, name)] = value
                    if group is active:
                        taken.append(value)
    return out


def write_colours(root: Path, colours: dict[tuple[str, str], str]) -> None:
    """Replace each label's ``"colour"`` in taxonomy.json, keeping the file's layout."""
    path = root / "schema" / "taxonomy.json"
    text = path.read_text(encoding="utf-8")
    for (layer, name), value in colours.items():
        pattern = re.compile(
            r'("layer": "'
            + re.escape(layer)
            + r'",\s*"name": "'
            + re.escape(name)
            + r'"[^{}]*?"colour": ")#[0-9a-fA-F]{6}'
        )
        text, count = pattern.subn(lambda m, v=value: m.group(1) + v, text)
        if count != 1:
            raise SystemExit(f"{path}: found {count} entries for {layer} {name}; expected one")
    json.loads(text)
    temp = path.with_suffix(".json.tmp")
    temp.write_text(text, encoding="utf-8")
    temp.replace(path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root (default: this checkout)")
    parser.add_argument("--search", action="store_true", help="propose new colours and write them into the taxonomy")
    args = parser.parse_args(argv)
    if args.search:
        write_colours(args.root, search(args.root))
        print("Wrote new colours to schema/taxonomy.json; run 'dprkmedia generate' and 'dprkmedia site'.")
    lines = report(args.root)
    print("\n".join(lines))
    return 1 if any(line.startswith("FAIL") for line in lines) else 0


if __name__ == "__main__":
    sys.exit(main())
