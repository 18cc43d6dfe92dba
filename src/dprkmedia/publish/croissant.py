"""``croissant.json``: Croissant 1.1 metadata with the Responsible AI fields, generated.

Record sets and fields come from the ``datasets.Features`` of every config
(:data:`dprkmedia.build.features.FEATURES`), the files and their SHA-256 from the committed
Parquet files, names and keywords from the card fields, and the corpus facts in the
description and the Responsible AI fields (numbers of pages, articles, outlets and genres,
the publication dates, missing titles and dates, pass coverage) from the metadata file, the
built dataset and the annotation passes (:class:`~dprkmedia.publish.croissant_facts.Corpus`).
``dprkmedia generate`` writes the file; ``generate --check`` (and the tests) fail when it is
stale, e.g. after a rebuild changed a Parquet file. ``mlcroissant`` validates and loads it in
``tests/test_croissant.py``.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from datasets import ClassLabel, Features, List, Value

from dprkmedia import __version__
from dprkmedia.build.features import FEATURES
from dprkmedia.corpus.repo import Repo
from dprkmedia.model.schemas import SPLITS, document_schema
from dprkmedia.model.taxonomy import load_taxonomy
from dprkmedia.publish.card import CARD_FIELDS
from dprkmedia.publish.croissant_facts import (
    Corpus,
    capital,
    count,
    enumeration,
    missing_values,
    outlets_text,
    pass_coverage,
    passes_per_article,
    publication_dates,
    read_corpus,
    words,
    year_range,
)
from dprkmedia.publish.summary import summary_markdown

JSON = dict[str, Any]

CONFORMS_TO = "http://mlcommons.org/croissant/1.1"
PARQUET = "application/x-parquet"
DATE_PUBLISHED = "2026-11-23"

CONTEXT: JSON = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "description": {"@container": "@language"},
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "name": {"@container": "@language"},
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}
"""The Croissant 1.1 JSON-LD context, exactly as ``mlcroissant`` writes it (``rai:`` included)."""

LICENSES = [
    {
        "@type": "sc:CreativeWork",
        "name": "CC BY 4.0",
        "description": "Annotations, metadata and documentation.",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    },
    {
        "@type": "sc:CreativeWork",
        "name": "Source texts: no licence",
        "description": (
            "The article texts are works of DPRK state outlets, which state 'All rights reserved'; no "
            "licence accompanies them. They are included unmodified for research and teaching, and "
            "users are responsible for their use under the law that applies to them."
        ),
    },
]

CREATOR = {"@type": "sc:Organization", "name": "DPRK–Russia State Media Corpus contributors"}


def description(c: Corpus) -> str:
    """The dataset's ``description``."""
    return (
        f"English-language articles by DPRK state media ({outlets_text(c)}) on DPRK–Russia relations, with "
        "span annotations for entities (OntoNotes 5.0 types plus TITLE), dates (TimeML TIMEX3) and "
        "persuasion techniques (SemEval-2023 Task 3), and document-level frames and genre. Made for "
        "media-literacy and NLP teaching: the texts are state propaganda, studied, not endorsed. One "
        f"record set per config of the dataset card ({', '.join(FEATURES)}), each with a "
        f"split field ({' or '.join(SPLITS)}) read from the Parquet file's path. Licence: the annotations, "
        "metadata and documentation are CC BY 4.0; the article texts are works of DPRK state outlets, "
        "redistributed unmodified for research and teaching without a licence from them (see "
        "DATASHEET.md). No public URL has been assigned yet: url and every contentUrl are relative to "
        "the folder holding this croissant.json, the repository root."
    )


def responsible_ai(c: Corpus) -> JSON:
    """The ``rai:`` fields; the corpus facts in them come from ``c``."""
    return {
        "rai:dataCollection": (
            f"{capital(count(c.pages, 'web page'))} republishing English-language DPRK state-media articles "
            f"{'were' if c.pages != 1 else 'was'} scraped before "
            "this project by a scraper of unknown configuration and handed to it as seed files. The "
            "project fetched nothing: a rule-based parser (src/dprkmedia/corpus/pages.py) reads text and "
            f"metadata from the pages and leaves null what a page does not state. {publication_dates(c)}; the "
            "pages were scraped up to early 2026; annotation took place in November 2026."
        ),
        "rai:dataCollectionType": ["Web Scraping", "Document analysis"],
        "rai:dataCollectionRawData": (
            "dataset/sources/ keeps every raw page byte-for-byte; each document records its file name "
            "and SHA-256 (source_file, source_sha256)."
        ),
        "rai:dataCollectionMissingData": (
            f"Missing values stay null rather than guessed{missing_values(c)}. Original URLs are not in the "
            "pages and are not recorded."
        ),
        "rai:dataPreprocessingProtocol": (
            "The parser separates header, body and boilerplate; the body keeps its paragraphs, is NFC "
            "normalized and each paragraph is stripped of surrounding whitespace; nothing inside a "
            "paragraph is changed. The tokens and sentences configs use spaCy's rule-based blank "
            "English tokenizer and sentencizer."
        ),
        "rai:dataAnnotationProtocol": (
            "Written guidelines (annotations/GUIDELINES.md). Pass A: three AI language-model agent "
            f"sessions annotated {pass_coverage(c, 'A')} (entities, dates, rhetoric, frames, genre). Pass B: a "
            f"fourth session annotated {pass_coverage(c, 'B')} independently. A fifth session adjudicated every "
            "disagreement by the guidelines, with seven rulings by the lead engineer, and harmonized "
            "the single-annotated articles. The rules were then reconciled with the SemEval-2023 Task 3 "
            f"guidelines, and pass C, a blind pass by one session per article, annotated {pass_coverage(c, 'C')} "
            "from the guidelines alone; one adjudicator session per article decided every disagreement and a "
            "lead-adjudicator session swept the articles for consistency (annotations/ADJUDICATION.md). Each "
            "gold rhetoric span records its confidence: core where at least two independent passes had it. "
            "Spans were written as exact text and anchored to offsets by a script that refuses any mismatch; "
            "the validator checks offsets, labels and TIMEX3 syntax. No human has reviewed the gold annotations."
        ),
        "rai:dataAnnotationPlatform": (
            "No annotation platform: the agent sessions wrote JSONL annotation files directly. A Label "
            "Studio configuration (schema/labelstudio.xml) exists for students and future annotators; "
            "it was not used for the gold."
        ),
        "rai:annotationsPerItem": (
            f"One adjudicated gold annotation per article; {passes_per_article(c)}; no human labels."
        ),
        "rai:annotatorDemographics": (
            "Not applicable: the annotators were AI language-model agent sessions (Claude models), not "
            "people, so there are no human annotator demographics to report."
        ),
        "rai:machineAnnotationTools": [
            "AI language-model agent sessions (Claude models): annotation passes A, B and C and the adjudications",
            "scripts/anchor_spans.py: anchors span text to character offsets",
            "spaCy blank English tokenizer and sentencizer (rule-based, no statistical model)",
            "dprkmedia validate and dprkmedia score",
        ],
        "rai:dataBiases": (
            f"A non-random sample of {words(len(c.documents))} commemorative {enumeration(c.genres)} "
            f"{'pieces' if len(c.documents) != 1 else 'piece'} from {count(len(c.outlets), 'outlet')} on one theme "
            f"(DPRK–Russia anniversaries{year_range(c)}); English translations by the state outlets only. "
            "The annotations were made and adjudicated by AI models and may carry their biases."
        ),
        "rai:dataLimitations": (
            f"{capital(count(len(c.documents), 'document'))}, {count(len(c.genres), 'genre')} and "
            f"{count(len(c.outlets), 'outlet')}: every statistic is anecdotal and no benchmark "
            "score generalizes. The rhetoric layer is the least reliable. Not a source of facts: "
            "nothing in the annotations judges a statement true."
        ),
        "rai:dataUseCases": (
            "Classroom exercises in recognizing persuasion techniques, comparing student annotations "
            "with the gold, provenance and temporal normalization (Juche calendar); a toy token-"
            "classification baseline; a small cross-domain evaluation set. Not for training systems "
            "that generate, amplify or imitate state propaganda, not as evidence of facts asserted in "
            "the articles, not for profiling or targeting people."
        ),
        "rai:dataSocialImpact": (
            "Supports media literacy about state propaganda. The texts glorify leaders, label opponents "
            "and endorse Russia's war against Ukraine; instructors should frame this before class."
        ),
        "rai:personalSensitiveInformation": (
            "No private persons and no demographic data. Heads of state and officials are named as "
            "public figures in published state media; the political opinions are those of states."
        ),
        "rai:dataReleaseMaintenancePlan": (
            "Maintained in this repository by the project's maintainers: new articles and corrections "
            "arrive through pull requests checked by dprkmedia validate; each release bumps the version "
            "and CHANGELOG.md. Older versions stay available as Git tags; only the newest is maintained."
        ),
    }


_DATA_TYPES = {"string": "sc:Text", "bool": "sc:Boolean", "float32": "sc:Float", "float64": "sc:Float"}
_CITATION = re.compile(r"```bibtex\n(.*?)```", re.DOTALL)


def data_type(feature: Any) -> str:
    """Croissant ``dataType`` of a scalar feature: strings are ``sc:Text``, integers ``sc:Integer``."""
    if isinstance(feature, ClassLabel):
        return "sc:Integer"
    if isinstance(feature, Value) and feature.dtype.startswith(("int", "uint")):
        return "sc:Integer"
    if isinstance(feature, Value) and feature.dtype in _DATA_TYPES:
        return _DATA_TYPES[feature.dtype]
    raise TypeError(f"no Croissant dataType for feature {feature!r}")


def class_names(feature: Any) -> str | None:
    """``0 O, 1 B-PERSON, ...`` for a (list of) ``ClassLabel``, else None."""
    inner = feature.feature if isinstance(feature, List) else feature
    if not isinstance(inner, ClassLabel):
        return None
    return "ClassLabel ids: " + ", ".join(f"{i} {name}" for i, name in enumerate(inner.names))


def field(field_id: str, name: str, feature: Any, source: JSON, described: dict[str, str]) -> JSON:
    """A ``cr:Field`` for one column (or struct member); lists are arrays, structs get subFields."""
    node: JSON = {"@type": "cr:Field", "@id": field_id, "name": name}
    description = described.get(field_id) or class_names(feature)
    if description:
        node["description"] = description
    inner = feature
    if isinstance(feature, List):
        node["isArray"], node["arrayShape"], inner = True, "-1", feature.feature
    if isinstance(inner, dict):
        node["subField"] = [
            field(f"{field_id}/{key}", key, sub, {**source, "transform": {"jsonPath": key}}, described)
            for key, sub in inner.items()
        ]
    else:
        node["dataType"] = data_type(inner)
        node["source"] = source
    return node


def split_field(config: str) -> JSON:
    """The ``split`` field: read from the Parquet file's path (``dataset/<config>/<split>.parquet``)."""
    return {
        "@type": "cr:Field",
        "@id": f"{config}/split",
        "name": "split",
        "description": "The split (train or test), from the name of the Parquet file.",
        "dataType": "sc:Text",
        "source": {
            "fileSet": {"@id": f"{config}-parquet"},
            "extract": {"fileProperty": "fullpath"},
            "transform": {"regex": f"^dataset/{config}/([^/]+)\\.parquet$"},
        },
    }


def record_set(config: str, features: Features, described: dict[str, str]) -> JSON:
    """One ``cr:RecordSet`` per config: the split plus a field for every column of its features."""
    if "split" in features:
        raise ValueError(f"config {config} has a column 'split', which the split field would hide")
    fields = [split_field(config)]
    for column, feature in features.items():
        source = {"fileSet": {"@id": f"{config}-parquet"}, "extract": {"column": column}}
        fields.append(field(f"{config}/{column}", column, feature, source, described))
    doc = (FEATURES[config].__doc__ or "").replace("``", "`")
    return {"@type": "cr:RecordSet", "@id": config, "name": config, "description": doc, "field": fields}


def schema_descriptions(schema: JSON, prefix: str) -> dict[str, str]:
    """Field id → description from a JSON Schema's properties (and their array items)."""
    found: dict[str, str] = {}
    for key, prop in schema.get("properties", {}).items():
        if "description" in prop:
            found[f"{prefix}/{key}"] = prop["description"]
        items = prop.get("items")
        if isinstance(items, dict):
            found.update(schema_descriptions(items, f"{prefix}/{key}"))
    return found


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes (read in pieces: a shard can be hundreds of megabytes)."""
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def distribution(repo: Repo, config: str) -> list[JSON]:
    """The config's Parquet files (with their SHA-256) and the FileSet its record set reads."""
    files: list[JSON] = []
    for path in sorted((repo.dataset_dir / config).glob("*.parquet")):
        rel = path.relative_to(repo.root).as_posix()
        files.append(
            {
                "@type": "cr:FileObject",
                "@id": rel,
                "name": rel,
                "description": f"The {path.stem} split of the {config} config.",
                "contentUrl": rel,
                "contentSize": f"{path.stat().st_size} B",
                "encodingFormat": PARQUET,
                "sha256": sha256(path),
            }
        )
    fileset = {
        "@type": "cr:FileSet",
        "@id": f"{config}-parquet",
        "name": f"{config}-parquet",
        "description": f"The Parquet files of the {config} config, one per split (FileObjects above, with SHA-256).",
        "encodingFormat": PARQUET,
        "includes": f"dataset/{config}/*.parquet",
    }
    return [*files, fileset]


def citation(repo: Repo) -> JSON:
    """``citeAs``: the BibTeX entry of the README's Citation section, where there is one."""
    readme = repo.root / "README.md"
    match = _CITATION.search(readme.read_text(encoding="utf-8")) if readme.is_file() else None
    return {"citeAs": match.group(1).strip()} if match else {}


def annotation_analysis(repo: Repo) -> JSON:
    """``rai:dataAnnotationAnalysis``: sizes and pass agreement, as in the README summary."""
    if not (repo.dataset_dir / "jsonl").is_dir():
        return {}
    return {
        "rai:dataAnnotationAnalysis": summary_markdown(repo)
        + " Every disagreement and its resolution is logged in annotations/ADJUDICATION.md."
    }


def croissant_metadata(repo: Repo) -> JSON:
    """The Croissant 1.1 JSON-LD of the repository's dataset."""
    tax = load_taxonomy(repo.schema_dir)
    described = schema_descriptions(document_schema(tax), "documents")
    corpus = read_corpus(repo)
    return {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "name": CARD_FIELDS["pretty_name"],
        "description": description(corpus),
        "conformsTo": CONFORMS_TO,
        **citation(repo),
        "creator": CREATOR,
        "datePublished": DATE_PUBLISHED,
        "version": __version__,
        "license": LICENSES,
        "url": "./",
        "inLanguage": CARD_FIELDS["language"],
        "keywords": [*CARD_FIELDS["task_categories"], *CARD_FIELDS["task_ids"], *CARD_FIELDS["tags"]],
        **responsible_ai(corpus),
        **annotation_analysis(repo),
        "distribution": [node for config in FEATURES for node in distribution(repo, config)],
        "recordSet": [record_set(config, make(tax), described) for config, make in FEATURES.items()],
    }


def croissant_text(repo: Repo) -> str:
    """``croissant.json`` as written: indented JSON, UTF-8 kept, final newline."""
    return json.dumps(croissant_metadata(repo), indent=2, ensure_ascii=False) + "\n"
