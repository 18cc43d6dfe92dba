"""Benchmark ``dprkmedia class-report``: a class of synthetic students (benchmarks/students.py) on
every article, the whole command as its own process (interpreter start-up included), and where
the time goes inside one process.

    python -m benchmarks.class_report [--students 30] [--repeat 3] [--gamma-pairs 0 2]

Prints a Markdown table (medians of ``--repeat`` runs) for docs/PERFORMANCE.md. No timing is
asserted anywhere in the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.students import gold_lines, make_class, write_answer_files

ROOT = Path(__file__).resolve().parents[1]

PHASES = """
import sys, time
from pathlib import Path
marks = [("start", time.perf_counter())]
from dprkmedia.corpus.loading import load_repo
from dprkmedia.corpus.repo import Repo
from dprkmedia.evaluate.answers import read_answer_files
from dprkmedia.evaluate.class_agreement import class_agreement
from dprkmedia.evaluate.classroom import class_report
from dprkmedia.evaluate.score import read_side
from dprkmedia.adapters.report.html import render_report
marks.append(("import the package", time.perf_counter()))
repo = Repo(Path(sys.argv[1]))
ctx = load_repo(repo)[0]
texts = {d: l.page.text for d, l in ctx.sources.items()}
gold, _ = read_side(repo.annotations_dir)
marks.append(("load the corpus and the gold", time.perf_counter()))
answers = read_answer_files([Path(sys.argv[2])], texts)
marks.append(("read the answer files", time.perf_counter()))
import nltk.metrics.agreement, pygamma_agreement
marks.append(("import nltk and pygamma-agreement", time.perf_counter()))
from dprkmedia.corpus.tokens import text_to_sentences
text_to_sentences("Load the tokenizer.")
marks.append(("load spaCy's tokenizer", time.perf_counter()))
report = class_report(gold, answers, texts, ctx.tax, gamma_pairs=0)
marks.append(("scores, missed/added, confusion, α (all students)", time.perf_counter()))
html = render_report(report, gold="annotations")
marks.append(("render the HTML", time.perf_counter()))
from dprkmedia.evaluate.classroom import _pairs
scored = {s.name: _pairs(gold, s, {}, False)[1] for s in answers.students.values()}
class_agreement(scored, texts, report["layers"], int(sys.argv[3]), 0)
marks.append((f"γ: {sys.argv[3]} pair(s) per article, both layers, and α again", time.perf_counter()))
print(json.dumps([(name, round(t - marks[i][1], 3)) for i, (name, t) in enumerate(marks[1:])]))
""".replace("import sys, time", "import json, sys, time")


def run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one run of ``args`` as its own process. CPU time
    is what the machine's other load does not inflate (the benchmark machine is shared)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run(args, check=False, env=env, capture_output=True, cwd=ROOT)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--gamma-pairs", type=int, nargs="+", default=[0, 2])
    options = parser.parse_args()
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
    from dprkmedia.corpus.loading import load_repo
    from dprkmedia.corpus.repo import Repo

    repo = Repo(ROOT)
    texts = {d: loaded.page.text for d, loaded in load_repo(repo)[0].sources.items()}
    taxonomy = json.loads((repo.schema_dir / "taxonomy.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "answers"
        klass = make_class(gold_lines(repo.annotations_dir), texts, taxonomy, options.students)
        files = write_answer_files(folder, klass)
        print(f"{options.students} students × {len(texts)} articles = {len(files)} answer files; ", end="")
        print(f"median of {options.repeat} runs; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}")
        print()
        print("| command | wall seconds | CPU seconds |")
        print("|---|---|---|")
        for pairs in options.gamma_pairs:
            command = [sys.executable, "-m", "dprkmedia.cli.main", "class-report", str(folder)]
            command += ["-o", str(Path(work) / "r.html"), "--gamma-pairs", str(pairs)]
            runs = [run(command, env) for _ in range(options.repeat)]
            wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
            print(f"| `dprkmedia class-report` (--gamma-pairs {pairs}) | {wall:.1f} | {cpu:.1f} |")
        print()
        print("| phase (one process) | seconds |")
        print("|---|---|")
        pairs = str(max(options.gamma_pairs))
        out = subprocess.run(
            [sys.executable, "-c", PHASES, str(ROOT), str(folder), pairs],
            check=True,
            env=env,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        for name, seconds in json.loads(out.stdout.strip().splitlines()[-1]):
            print(f"| {name} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
