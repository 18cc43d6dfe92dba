"""The class report (``dprkmedia class-report``): a synthetic class of students made from perturbed
gold goes through the whole loop, as the viewer's answer files and as a Label Studio export with
many annotators; every student's numbers are cross-checked against ``dprkmedia score``."""

from __future__ import annotations

import base64
import hashlib
import json
import random
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dprkmedia.cli.main import main
from dprkmedia.corpus.tokens import flatten_spans, text_to_sentences
from dprkmedia.evaluate.agreement import NONE, Sides, _token_labels, gamma
from dprkmedia.evaluate.answers import student_name
from dprkmedia.evaluate.class_agreement import sampled_pairs
from dprkmedia.evaluate.score import read_side, score

from .classroom_fixture import answer_folder, label_studio_export, student_folder, synthetic_class, texts_of
from .conftest import ROOT, Repo

STUDENTS = 6
DOC = "003_ffbef9be4e76c7d4"


@pytest.fixture(scope="module")
def klass(repo: Repo) -> dict[str, dict[str, list[dict[str, Any]]]]:
    return synthetic_class(repo, STUDENTS, seed=0)


def class_report(tmp_path: Path, *args: str, code: int = 0) -> dict[str, Any]:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    html, data = out / "report.html", out / "report.json"
    got = main(["--root", str(ROOT), "class-report", *args, "-o", str(html), "--json", str(data)])
    assert got == code
    assert html.is_file()
    return dict(json.loads(data.read_text(encoding="utf-8")))


def score_json(gold: Path, pred: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["score", str(gold), str(pred), "--json", *extra]) == 0
    return dict(json.loads(capsys.readouterr().out))


# --- the synthetic class -------------------------------------------------------------------------


def test_classroom_synthetic_students_are_seeded_perturbed_and_valid(repo: Repo, tmp_path: Path) -> None:
    again = synthetic_class(repo, STUDENTS, seed=0)
    assert again == synthetic_class(repo, STUDENTS, seed=0)
    assert again != synthetic_class(repo, STUDENTS, seed=1)
    files = answer_folder(tmp_path, again)
    _, problems = read_side(files[0])
    assert not problems
    gold, _ = read_side(repo.annotations_dir)
    texts = texts_of(repo)
    f1 = []
    for name, lines_by_doc in again.items():
        folder = student_folder(tmp_path / name, lines_by_doc)
        mine, problems = read_side(folder)
        assert not problems, problems
        for doc_id, doc in mine.items():
            assert all(texts[doc_id][s.start : s.end] == s.text for spans in doc.spans.values() for s in spans)
        f1.append(score(gold, mine)["layers"]["rhetoric"]["partial"]["f1"])
    assert all(0.2 < value < 0.99 for value in f1), f1  # perturbed: neither perfect nor noise
    assert len(set(f1)) == len(f1)  # students differ


# --- answer files -> class report, cross-checked against dprkmedia score -------------------------


def test_classroom_report_of_answer_files_equals_score_per_student(
    repo: Repo, klass: dict[str, dict[str, list[dict[str, Any]]]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answer_folder(tmp_path / "answers", klass)
    report = class_report(tmp_path, str(tmp_path / "answers"), "--gamma-pairs", "0")
    assert report["generator"] == "dprkmedia class-report"
    assert [s["name"] for s in report["students"]] == sorted(klass)
    assert report["unused"] == []
    for student in report["students"]:
        folder = student_folder(tmp_path / "one" / student["name"], klass[student["name"]])
        expected = score_json(repo.annotations_dir, folder, capsys)
        assert student["score"] == expected
        assert student["documents"] == sorted(klass[student["name"]])
        assert student["attempted"] == {"entities": True, "dates": False, "rhetoric": True}
    assert report["layers"] == ["entities", "rhetoric"]


def test_classroom_pooled_class_figures_add_up_from_the_students(
    klass: dict[str, dict[str, list[dict[str, Any]]]], tmp_path: Path
) -> None:
    answer_folder(tmp_path / "answers", klass)
    report = class_report(tmp_path, str(tmp_path / "answers"), "--gamma-pairs", "0")
    for layer in report["layers"]:
        pooled = report["class"][layer]
        for label, data in pooled["labels"].items():
            rows = [s["score"]["layers"][layer]["labels"].get(label) for s in report["students"]]
            gold = sum(r["exact"]["gold"] for r in rows if r)
            chosen = sum(r["exact"]["predicted"] for r in rows if r)
            found = sum(r["partial"]["recall"] * r["exact"]["gold"] for r in rows if r)
            assert (data["exact"]["gold"], data["exact"]["predicted"]) == (gold, chosen)
            if gold:
                assert data["partial"]["recall"] == pytest.approx(found / gold)
    # the confusion table: every gold technique span once per student who did its article
    confusion = report["confusion"]
    for label, row in confusion["counts"].items():
        assert sum(row.values()) == report["class"]["rhetoric"]["labels"][label]["exact"]["gold"]


def test_classroom_missed_and_added_spans_are_counted_and_quoted(
    repo: Repo, klass: dict[str, dict[str, list[dict[str, Any]]]], tmp_path: Path
) -> None:
    answer_folder(tmp_path / "answers", klass)
    report = class_report(tmp_path, str(tmp_path / "answers"), "--gamma-pairs", "0")
    texts = texts_of(repo)
    missed = report["spans"]["rhetoric"]["missed"]
    added = report["spans"]["rhetoric"]["added"]
    assert missed and added
    shares = [m["missed"] / m["students"] for m in missed]
    assert shares == sorted(shares, reverse=True)
    for item in missed + added:
        assert texts[item["doc"]][item["start"] : item["end"]] == item["span"]
        before = texts[item["doc"]][: item["start"]].replace("\n", " ")  # quoted on one line
        assert before.endswith(item["before"].lstrip("…"))
    top = missed[0]
    students_missing = 0
    for lines_by_doc in klass.values():
        spans = [line for line in lines_by_doc[top["doc"]][1:] if line["layer"] == "rhetoric"]
        hit = any(s["label"] == top["label"] and s["start"] < top["end"] and top["start"] < s["end"] for s in spans)
        students_missing += not hit
    assert top["missed"] == students_missing
    first = added[0]
    marked = sum(
        any(
            (s["start"], s["end"], s["label"]) == (first["start"], first["end"], first["label"])
            for s in lines_by_doc[first["doc"]][1:]
        )
        for lines_by_doc in klass.values()
    )
    assert first["students"] == marked


def test_classroom_passage_counts_only_the_spans_inside(
    repo: Repo, klass: dict[str, dict[str, list[dict[str, Any]]]], tmp_path: Path
) -> None:
    texts = texts_of(repo)
    start = texts[DOC].index("Kim Jong Un met Putin")
    end = texts[DOC].index("\n", start)
    one = {name: {DOC: docs[DOC]} for name, docs in klass.items()}
    answer_folder(tmp_path / "answers", one)
    report = class_report(tmp_path, str(tmp_path / "answers"), "--passage", f"003:{start}-{end}", "--gamma-pairs", "0")
    assert report["passages"] == {DOC: {"start": start, "end": end}}
    gold, _ = read_side(repo.annotations_dir / f"{DOC}.jsonl")
    inside = [s for s in gold[DOC].spans["rhetoric"] if start <= s.start and s.end <= end]
    for student in report["students"]:
        assert student["score"]["layers"]["rhetoric"]["exact"]["gold"] == len(inside)
        mine = [s for s in one[student["name"]][DOC][1:] if s["layer"] == "rhetoric"]
        assert student["score"]["layers"]["rhetoric"]["exact"]["predicted"] == sum(
            start <= s["start"] and s["end"] <= end for s in mine
        )


def test_classroom_answers_for_articles_outside_the_gold_are_named(
    repo: Repo, klass: dict[str, dict[str, list[dict[str, Any]]]], tmp_path: Path
) -> None:
    answer_folder(tmp_path / "answers", {name: klass[name] for name in sorted(klass)[:2]})
    gold = str(repo.annotations_dir / f"{DOC}.jsonl")
    report = class_report(tmp_path, str(tmp_path / "answers"), "--gold", gold, "--gamma-pairs", "0")
    assert all(student["documents"] == [DOC] for student in report["students"])
    assert len(report["not_in_gold"]) == 2 * (len(texts_of(repo)) - 1)
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "Left out, because the gold given has no such article" in html


def test_classroom_core_grading_equals_score_core(
    repo: Repo, klass: dict[str, dict[str, list[dict[str, Any]]]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = sorted(klass)[0]
    answer_folder(tmp_path / "answers", {name: klass[name]})
    report = class_report(tmp_path, str(tmp_path / "answers"), "--core", "--gamma-pairs", "0")
    folder = student_folder(tmp_path / "one", klass[name])
    assert report["core"] is True
    assert report["students"][0]["score"] == score_json(repo.annotations_dir, folder, capsys, "--core")


# --- bad input: reported by name, the rest intact --------------------------------------------------


def test_classroom_unreadable_files_are_reported_by_name_and_the_rest_is_intact(
    klass: dict[str, dict[str, list[dict[str, Any]]]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answer_folder(tmp_path / "good", klass)
    clean = class_report(tmp_path, str(tmp_path / "good"), "--gamma-pairs", "0")
    broken = tmp_path / "broken"
    answer_folder(broken, klass)
    (broken / f"zoe_{DOC}.answers.jsonl").write_bytes(b'{"doc": "003_ffbef9be4e76c7d4", "frames": [], "genre": \n')
    (broken / f"yann_{DOC}.answers.jsonl").write_bytes(b"\xff\xfe not utf-8\n")
    (broken / "xavier_999_0123456789abcdef.answers.jsonl").write_text(
        '{"doc": "999_0123456789abcdef", "frames": [], "genre": "opinion"}\n', encoding="utf-8"
    )
    offsets = json.dumps({"layer": "rhetoric", "id": "r1", "start": 0, "end": 5, "text": "xxxxx", "label": "Doubt"})
    (broken / f"will_{DOC}.answers.jsonl").write_text(
        '{"doc": "' + DOC + '", "frames": [], "genre": "opinion"}\n' + offsets + "\n", encoding="utf-8"
    )
    capsys.readouterr()
    report = class_report(tmp_path, str(broken), "--gamma-pairs", "0", code=1)
    err = capsys.readouterr().err
    unused = {item["student"]: item for item in report["unused"]}
    assert set(unused) == {"zoe", "yann", "xavier", "will"}
    assert "json-invalid" in unused["zoe"]["problems"][0]
    assert "encoding-invalid" in unused["yann"]["problems"][0]
    assert "doc-unknown" in unused["xavier"]["problems"][0]
    assert "span-text-mismatch" in unused["will"]["problems"][0]
    for name, item in unused.items():
        assert f"not used: {name}: {item['source']}" in err
    without_sources = [{**s, "sources": None} for s in report["students"]]
    assert without_sources == [{**s, "sources": None} for s in clean["students"]]
    assert report["class"] == clean["class"]
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert html.count("<strong>zoe</strong>") == 1 and "Answers not used (4)" in html


def test_classroom_second_answer_for_an_article_is_reported_and_the_latest_download_kept(
    klass: dict[str, dict[str, list[dict[str, Any]]]], tmp_path: Path
) -> None:
    name = sorted(klass)[0]
    folder = tmp_path / "answers"
    answer_folder(folder, {name: {DOC: klass[name][DOC]}})
    later = klass[sorted(klass)[1]][DOC]
    (folder / f"{name}_{DOC}.answers (1).jsonl").write_text(
        "".join(json.dumps(line) + "\n" for line in later), encoding="utf-8"
    )
    report = class_report(tmp_path, str(folder), "--gamma-pairs", "0", code=1)
    assert [s["name"] for s in report["students"]] == [name]
    assert report["students"][0]["sources"][0].endswith(".answers (1).jsonl")
    assert "handed in a second answer" in report["unused"][0]["problems"][0]


def test_classroom_cli_usage_errors_exit_2_and_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.html"
    assert main(["--root", str(ROOT), "class-report", str(tmp_path / "nowhere"), "-o", str(out)]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    (tmp_path / "answers").mkdir()
    out.write_text("my own notes", encoding="utf-8")
    assert main(["--root", str(ROOT), "class-report", str(tmp_path / "answers"), "-o", str(out)]) == 2
    assert "is not a class report" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "my own notes"
    args = ["--root", str(ROOT), "class-report", str(tmp_path / "answers"), "-o", str(tmp_path / "r.html")]
    assert main([*args, "--passage", "003:10-5"]) == 2
    assert "START < END" in capsys.readouterr().err
    assert main([*args, "--passage", "00:1-5"]) == 2
    assert "names 5 documents" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize(
    ("path", "name"),
    [
        (f"class/alice_{DOC}.answers.jsonl", "alice"),
        (f"class/Bob Smith - {DOC}.answers (2).jsonl", "Bob Smith"),
        (f"class/carol/{DOC}.answers.jsonl", "carol"),
        (f"class/dave/{DOC}.jsonl", "dave"),
        ("class/eve-notes.jsonl", "eve-notes"),
        (f"class/alice-bob_{DOC}.answers.jsonl", "alice-bob"),
        ("class/frank_999_0123456789abcdef.answers.jsonl", "frank"),
    ],
)
def test_classroom_student_names_come_from_file_or_folder(path: str, name: str) -> None:
    assert student_name(Path(path), [DOC, "004_ae8d796d95327752"]) == name


# --- Label Studio export with many annotators -> class report -------------------------------------


def test_classroom_label_studio_export_gives_the_same_report_as_the_answer_files(
    repo: Repo, klass: dict[str, dict[str, list[dict[str, Any]]]], tmp_path: Path
) -> None:
    export = label_studio_export(repo, klass, tmp_path / "work")
    assert all(len(task["annotations"]) == STUDENTS for task in export)
    (tmp_path / "export.json").write_text(json.dumps(export), encoding="utf-8")
    from_export = class_report(tmp_path, str(tmp_path / "export.json"), "--gamma-pairs", "0")
    answer_folder(tmp_path / "answers", klass)
    from_files = class_report(tmp_path, str(tmp_path / "answers"), "--gamma-pairs", "0")
    assert [s["name"] for s in from_export["students"]] == [f"ls-{name}@example.org" for name in sorted(klass)]
    for a, b in zip(from_export["students"], from_files["students"], strict=True):
        assert a["score"] == b["score"]
    assert from_export["class"] == from_files["class"]
    assert from_export["confusion"] == from_files["confusion"]
    assert from_export["unused"] == []


def test_classroom_label_studio_bad_annotation_is_reported_by_annotator(
    repo: Repo, klass: dict[str, dict[str, list[dict[str, Any]]]], tmp_path: Path
) -> None:
    export = label_studio_export(repo, klass, tmp_path / "work")
    bad = export[0]["annotations"][2]
    region = next(r for r in bad["result"] if r["from_name"] == "rhetoric")
    region["value"]["text"] = "not what the text says"
    (tmp_path / "export.json").write_text(json.dumps(export), encoding="utf-8")
    report = class_report(tmp_path, str(tmp_path / "export.json"), "--gamma-pairs", "0", code=1)
    who = bad["completed_by"]["email"]
    assert [item["student"] for item in report["unused"]] == [f"ls-{who}"]
    assert "$[0].annotations[2]" in report["unused"][0]["source"]
    student = next(s for s in report["students"] if s["name"] == f"ls-{who}")
    assert export[0]["data"]["doc_id"] not in student["documents"]
    assert len(student["documents"]) == len(export) - 1


# --- agreement among the students ------------------------------------------------------------------


def test_classroom_agreement_uses_the_gold_agreement_code(
    repo: Repo, klass: dict[str, dict[str, list[dict[str, Any]]]], tmp_path: Path
) -> None:
    three = {name: {DOC: klass[name][DOC]} for name in sorted(klass)[:3]}
    answer_folder(tmp_path / "answers", three)
    report = class_report(tmp_path, str(tmp_path / "answers"), "--gamma-pairs", "1", "--seed", "3")
    agreement = report["agreement"]
    assert agreement["available"] is True
    assert 0 < agreement["alpha"]["rhetoric"] < 1
    texts = texts_of(repo)
    docs = {name: read_side(student_folder(tmp_path / "s" / name, lines))[0] for name, lines in three.items()}
    [(doc_id, a, b)] = sampled_pairs(docs, 1, 3)
    assert doc_id == DOC
    expected = gamma(Sides(docs[a], docs[b], texts), "rhetoric")
    assert expected is not None
    assert agreement["gamma"]["rhetoric"] == {
        "mean": round(expected, 3),
        "min": round(expected, 3),
        "max": round(expected, 3),
        "pairs": 1,
        "undefined": 0,
    }


def test_classroom_pair_sample_is_seeded_and_within_each_article() -> None:
    docs: dict[str, dict[str, Any]] = {f"s{n}": {"a": None, "b": None} for n in range(6)}
    docs["s9"] = {"a": None}
    first, again = sampled_pairs(docs, 3, 0), sampled_pairs(docs, 3, 0)  # type: ignore[arg-type]
    assert first == again and len(first) == 6
    assert all(x != y and doc in docs[x] and doc in docs[y] for doc, x, y in first)
    assert sampled_pairs(docs, 100, 0) and len(sampled_pairs(docs, 100, 0)) == 21 + 15  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_classroom_token_labels_by_bisection_equal_the_definition(data: st.DataObject) -> None:
    text = "The respected Comrade met Putin. A historic, eternal friendship!\nIt lasts through generations."
    bound = len(text)
    units = data.draw(
        st.lists(
            st.tuples(st.integers(0, bound - 1), st.integers(1, 40), st.sampled_from("ABC")).map(
                lambda t: (t[0], min(bound, t[0] + t[1]), t[2])
            ),
            max_size=12,
        )
    )
    tokens = [token for sentence in text_to_sentences(text) for token in sentence.tokens]
    flat = flatten_spans(units)
    expected_flat = []
    for start, end in tokens:
        names = [name for s, e, name in flat if s <= start and end <= e]
        expected_flat.append(names[-1] if names else "O")
    expected_sets = [frozenset(n for s, e, n in units if s < end and start < e) or NONE for start, end in tokens]
    expected_yes = ["yes" if any(s < end and start < e for s, e, _ in units) else "no" for start, end in tokens]
    assert _token_labels(text, units, "entities", None) == expected_flat
    assert _token_labels(text, units, "rhetoric", None) == expected_sets
    assert _token_labels(text, units, "rhetoric", "A") == expected_yes


# --- the HTML ----------------------------------------------------------------------------------------


def test_classroom_html_is_self_contained_escaped_and_its_style_allowed_by_hash(
    klass: dict[str, dict[str, list[dict[str, Any]]]], tmp_path: Path
) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    answer_folder(tmp_path / "answers", {hostile: klass[sorted(klass)[0]], **dict(list(klass.items())[1:3])})
    report = class_report(tmp_path, str(tmp_path / "answers"), "--gamma-pairs", "0", "--title", "Class 9b <Monday>")
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "<img" not in html and "&lt;img" in html
    assert "Class 9b &lt;Monday&gt;" in html
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", html), "the report refers to the network"
    assert "<script" not in html
    css = re.search(r"<style>(.*?)</style>", html, re.DOTALL)
    assert css is not None
    digest = base64.b64encode(hashlib.sha256(css.group(1).encode("utf-8")).digest()).decode("ascii")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    assert policy is not None
    assert f"style-src 'sha256-{digest}'" in unescape(policy.group(1))
    assert "default-src 'none'" in unescape(policy.group(1))
    assert html.count("<svg") == 2 * len(report["layers"])  # per student and per label, each layer
    assert "@media print" in css.group(1)


def test_classroom_agreement_without_the_extra_says_so(
    klass: dict[str, dict[str, list[dict[str, Any]]]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins

    real_import = builtins.__import__

    def without_extra(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.split(".")[0] in {"nltk", "pygamma_agreement", "pyannote"}:
            raise ModuleNotFoundError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_extra)
    answer_folder(tmp_path / "answers", dict(list(klass.items())[:2]))
    report = class_report(tmp_path, str(tmp_path / "answers"))
    assert report["agreement"]["available"] is False
    assert "pip install 'dprk-russia-media[agreement]'" in report["agreement"]["missing"]
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "Agreement not computed: pygamma-agreement and nltk are not installed" in html
    assert report["students"]  # the rest of the report is there


def test_classroom_random_class_sizes_never_break_the_report(repo: Repo, tmp_path: Path) -> None:
    rng = random.Random(7)
    klass = synthetic_class(repo, 3, seed=5)
    some = {name: {d: lines for d, lines in docs.items() if rng.random() < 0.5} for name, docs in klass.items()}
    some = {name: docs for name, docs in some.items() if docs}
    answer_folder(tmp_path / "answers", some)
    report = class_report(tmp_path, str(tmp_path / "answers"), "--gamma-pairs", "0")
    for student in report["students"]:
        assert student["documents"] == sorted(some[student["name"]])
