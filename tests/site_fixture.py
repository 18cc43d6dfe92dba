"""A hostile document for the site: markup and quotes in its text, title, evidence, labels, norms."""

from __future__ import annotations

import json
from typing import Any

from dprkmedia.corpus.repo import Repo
from dprkmedia.model.taxonomy import Taxonomy, taxonomy_from_dict

XSS_DOC = "x01_fixture"


def hostile_taxonomy(repo: Repo) -> Taxonomy:
    data = json.loads((repo.schema_dir / "taxonomy.json").read_text(encoding="utf-8"))
    for label in data["labels"]:
        if label["layer"] == "entities" and label["name"] == "PERSON":
            label["name"] = '<b>"PER\'SON"</b>'
            label["definition"] = "<script>window.__pwned = 'definition'</script> \"quoted\" 'single'"
    return taxonomy_from_dict(data)


HOSTILE_TEXT = (
    "Kim said \"<script>window.__pwned = 'text'</script>\" & 'then' </p><b>left</b>.\n\n"
    'A <img src="http://example.invalid/x.png" onerror="window.__pwned = \'img\'"> second paragraph.'
)


def hostile_document() -> dict[str, Any]:
    script = "<script>window.__pwned = 'text'</script>"
    start = HOSTILE_TEXT.index(script)
    img = HOSTILE_TEXT.index("<img")
    img_end = HOSTILE_TEXT.index(">", img) + 1
    return {
        "id": XSS_DOC,
        "title": "<script>window.__pwned = 'title'</script> \"Quoted\" & 'single'",
        "title_evidence": 'line 1: <i onmouseover="x">',
        "outlet": 'Outlet "<i>italic</i>"',
        "outlet_evidence": None,
        "published": "2024-04",
        "published_evidence": "line 2: </dd></dl><script>window.__pwned = 'evidence'</script>",
        "published_method": "test",
        "aggregator_date": None,
        "aggregator_date_evidence": None,
        "source_file": "x01.txt",
        "source_sha256": "0" * 64,
        "text": HOSTILE_TEXT,
        "entities": [
            {
                "id": "e1",
                "start": start,
                "end": start + len(script),
                "text": script,
                "label": '<b>"PER\'SON"</b>',
                "norm": "</script><script>window.__pwned = 'norm'</script>",
            }
        ],
        "dates": [],
        "rhetoric": [
            {
                "id": "r1",
                "start": img,
                "end": img_end,
                "text": HOSTILE_TEXT[img:img_end],
                "label": "Loaded_Language",
                "category": "Manipulative Wording",
            }
        ],
        "frames": [],
        "genre": "opinion",
        "related": [
            {"title": None, "excerpt": '<img src="http://example.invalid/r.png">', "date": None, "source_line": 9}
        ],
        "split": "test",
    }
