"""The label colours: far apart for everyone, and visible on white (method: scripts/palette.py, docs/viewer.md).

ΔE is CIEDE2000 from colour-science; the colour vision deficiency simulation is Machado et al.
(2009) at severity 1. Both are checked against their published numbers before the taxonomy's
colours are checked with them.
"""

from __future__ import annotations

import importlib.util
import itertools
import re
import sys
from types import ModuleType

import numpy as np
import pytest

from .conftest import ROOT


def load_palette() -> ModuleType:
    pytest.importorskip("colour", reason="colour-science is in the test extra (pip install -e '.[test]')")
    spec = importlib.util.spec_from_file_location("palette", ROOT / "scripts" / "palette.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["palette"] = module
    spec.loader.exec_module(module)
    return module


palette = load_palette()

# Sharma, Wu & Dalal (2005), "The CIEDE2000 color-difference formula: implementation notes,
# supplementary test data, and mathematical observations", Color Res. Appl. 30(1), Table 1:
# (L1, a1, b1, L2, a2, b2, ΔE00).
SHARMA = [
    (50.0000, 2.6772, -79.7751, 50.0000, 0.0000, -82.7485, 2.0425),
    (50.0000, 3.1571, -77.2803, 50.0000, 0.0000, -82.7485, 2.8615),
    (50.0000, 2.8361, -74.0200, 50.0000, 0.0000, -82.7485, 3.4412),
    (50.0000, -1.3802, -84.2814, 50.0000, 0.0000, -82.7485, 1.0000),
    (50.0000, -1.1848, -84.8006, 50.0000, 0.0000, -82.7485, 1.0000),
    (50.0000, -0.9009, -85.5211, 50.0000, 0.0000, -82.7485, 1.0000),
    (50.0000, 0.0000, 0.0000, 50.0000, -1.0000, 2.0000, 2.3669),
    (50.0000, -1.0000, 2.0000, 50.0000, 0.0000, 0.0000, 2.3669),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0009, 7.1792),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0010, 7.1792),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0011, 7.2195),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0012, 7.2195),
    (50.0000, -0.0010, 2.4900, 50.0000, 0.0009, -2.4900, 4.8045),
    (50.0000, -0.0010, 2.4900, 50.0000, 0.0010, -2.4900, 4.8045),
    (50.0000, -0.0010, 2.4900, 50.0000, 0.0011, -2.4900, 4.7461),
    (50.0000, 2.5000, 0.0000, 50.0000, 0.0000, -2.5000, 4.3065),
    (50.0000, 2.5000, 0.0000, 73.0000, 25.0000, -18.0000, 27.1492),
    (50.0000, 2.5000, 0.0000, 61.0000, -5.0000, 29.0000, 22.8977),
    (50.0000, 2.5000, 0.0000, 56.0000, -27.0000, -3.0000, 31.9030),
    (50.0000, 2.5000, 0.0000, 58.0000, 24.0000, 15.0000, 19.4535),
    (50.0000, 2.5000, 0.0000, 50.0000, 3.1736, 0.5854, 1.0000),
    (50.0000, 2.5000, 0.0000, 50.0000, 3.2972, 0.0000, 1.0000),
    (50.0000, 2.5000, 0.0000, 50.0000, 1.8634, 0.5757, 1.0000),
    (50.0000, 2.5000, 0.0000, 50.0000, 3.2592, 0.3350, 1.0000),
    (60.2574, -34.0099, 36.2677, 60.4626, -34.1751, 39.4387, 1.2644),
    (63.0109, -31.0961, -5.8663, 62.8187, -29.7946, -4.0864, 1.2630),
    (61.2901, 3.7196, -5.3901, 61.4292, 2.2480, -4.9620, 1.8731),
    (35.0831, -44.1164, 3.7933, 35.0232, -40.0716, 1.5901, 1.8645),
    (22.7233, 20.0904, -46.6940, 23.0331, 14.9730, -42.5619, 2.0373),
    (36.4612, 47.8580, 18.3852, 36.2715, 50.5065, 21.2231, 1.4146),
    (90.8027, -2.0831, 1.4410, 91.1528, -1.6435, 0.0447, 1.4441),
    (90.9257, -0.5406, -0.9208, 88.6381, -0.8985, -0.7239, 1.5381),
    (6.7747, -0.2908, -2.4247, 5.8714, -0.0985, -2.2286, 0.6377),
    (2.0776, 0.0795, -1.1350, 0.9033, -0.0636, -0.5514, 0.9082),
]

# Machado, Oliveira & Fernandes (2009), severity 1.0 (their table of matrices, linear RGB).
MACHADO = {
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
}


def test_ciede2000_matches_sharma_s_published_pairs() -> None:
    pairs = np.array(SHARMA)
    got = palette.delta_e(pairs[:, 0:3], pairs[:, 3:6])
    for i, (value, row) in enumerate(zip(got, SHARMA, strict=True), 1):
        if i == 14:
            # Pair 14 has hues exactly 180° apart: the mean hue is discontinuous there, and
            # Sharma et al. give 4.8045 while one rounding of arctan2 gives 4.7461 (pair 15's value).
            assert value == pytest.approx(4.8045, abs=1e-4) or value == pytest.approx(4.7461, abs=1e-4)
        else:
            assert value == pytest.approx(row[6], abs=1e-4), f"pair {i}"


def test_cvd_simulation_uses_machado_s_dichromacy_matrices() -> None:
    for vision, matrix in MACHADO.items():
        np.testing.assert_allclose(palette.VISIONS[vision], matrix, atol=1e-6)
    # Pure red and pure green, far apart in normal vision, come close for a deuteranope.
    red_green = palette.rgb(["#ff0000", "#00ff00"])
    normal = palette.lab(red_green)
    deutan = palette.lab(red_green, "deuteranopia")
    assert palette.delta_e(normal[0], normal[1]) > 80
    assert palette.delta_e(deutan[0], deutan[1]) < palette.delta_e(normal[0], normal[1]) / 2


def test_the_check_finds_what_the_issue_measured() -> None:
    """The old oranges of Loaded_Language and Exaggeration-Minimisation: ΔE 4.8, as issue 15 measured."""
    closest = palette.closest_pair(["Loaded_Language", "Exaggeration-Minimisation"], ["#e67e22", "#dc7633"])
    assert closest["normal"][0] == pytest.approx(4.8, abs=0.05)
    assert all(value < palette.MIN_IN_USE for value, _, _ in closest.values())
    assert palette.contrast_with_white(palette.rgb(["#f1c40f"]))[0] < palette.MIN_CONTRAST  # the old yellow


def layer_labels(layer: str) -> list[dict[str, str]]:
    return [label for label in palette.taxonomy_labels() if label["layer"] == layer]


@pytest.mark.parametrize("layer", ["entities", "dates", "rhetoric"])
def test_labels_in_use_are_far_apart_in_every_vision(layer: str) -> None:
    used = palette.labels_in_use()[layer]
    assert used, f"no {layer} label in use: is dataset/jsonl built?"
    labels = [label for label in layer_labels(layer) if label["name"] in used]
    for vision, matrix in palette.pair_distances([label["colour"] for label in labels]).items():
        for i, j in itertools.combinations(range(len(labels)), 2):
            assert matrix[i, j] >= palette.MIN_IN_USE, (
                f"{layer}: {labels[i]['name']} {labels[i]['colour']} and {labels[j]['name']} {labels[j]['colour']} "
                f"differ by CIEDE2000 {matrix[i, j]:.1f} under {vision} (at least {palette.MIN_IN_USE} needed): "
                "run 'python scripts/palette.py --search', then 'dprkmedia generate'"
            )


@pytest.mark.parametrize("layer", ["entities", "dates", "rhetoric"])
def test_every_label_of_a_layer_keeps_a_floor(layer: str) -> None:
    labels = layer_labels(layer)
    for vision, (value, a, b) in palette.closest_pair(
        [label["name"] for label in labels], [label["colour"] for label in labels]
    ).items():
        assert value >= palette.FLOOR_ALL, f"{layer}: {a} / {b} differ by {value:.1f} under {vision}"


def test_labels_in_use_of_different_layers_do_not_share_a_colour() -> None:
    lines = [line for line in palette.report() if line.startswith(("across", "FAIL across"))]
    assert len(lines) == len(palette.VISIONS)
    assert not [line for line in lines if line.startswith("FAIL")], lines


def test_every_colour_has_3_to_1_contrast_on_white() -> None:
    labels = palette.taxonomy_labels()
    ratios = palette.contrast_with_white(palette.rgb([label["colour"] for label in labels]))
    low = [
        (label["name"], label["colour"], round(float(r), 2)) for label, r in zip(labels, ratios, strict=True) if r < 3
    ]
    assert low == []


def test_the_docs_state_the_palette_s_figures() -> None:
    """docs/viewer.md quotes the smallest ΔE of the labels in use per layer; they must be the current ones."""
    text = (ROOT / "docs" / "viewer.md").read_text(encoding="utf-8")
    used = palette.labels_in_use()
    for layer in ("entities", "dates", "rhetoric"):
        labels = [label for label in layer_labels(layer) if label["name"] in used[layer]]
        worst = min(
            v for v, _, _ in palette.closest_pair([x["name"] for x in labels], [x["colour"] for x in labels]).values()
        )
        row = re.search(rf"^\| {layer} \| (\d+) \| ([\d.]+) \|", text, re.M)
        assert row, f"docs/viewer.md: no row for {layer} in the palette table"
        assert int(row.group(1)) == len(labels)
        assert row.group(2) == f"{worst:.1f}", f"docs/viewer.md says {row.group(2)} for {layer}; now {worst:.1f}"


def test_text_on_an_entity_s_tint_keeps_4_5_to_1() -> None:
    """The viewer tints an entity's words with its colour at alpha 0x2e (site.js): the ink stays readable."""
    alpha = 0x2E / 255
    ink = palette.rgb(["#1b1b1b"])
    for label in layer_labels("entities"):
        tint = alpha * palette.rgb([label["colour"]]) + (1 - alpha)  # over white
        lighter, darker = sorted(
            (float(palette.contrast_with_white(tint)[0]), float(palette.contrast_with_white(ink)[0]))
        )
        ratio = darker / lighter  # both ratios are against white: their quotient is ink against the tint
        assert ratio >= 4.5, (label["name"], round(ratio, 2))
