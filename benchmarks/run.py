"""Benchmark validate, build and loading at archive scale; write docs/PERFORMANCE.md.

For each N the real corpus is scaled to N documents (benchmarks/scale.py) in a temporary
folder outside the repository, checked to validate clean, and then, side by side on the same
files, each program runs as its own process (interpreter start-up included on both sides of
every ratio), several times; the table shows medians:

  validate   dprkmedia validate                 vs. floor: parse every annotation file with json
                                                vs. peer: jsonschema Draft202012Validator.iter_errors
                                                    on every record, against schema/*.schema.json
  build      build_dataset + README front matter vs. floor: parse the same inputs and
             (what dprkmedia build does, less    pyarrow.parquet.write_table the same tables
             the release docs)
  load       datasets.load_dataset, every config, cold (empty cache) and warm, vs.
             pyarrow.parquet.read_table of the same files (timed inside the process, after imports)

Peak resident memory comes from wait4() of each process. Per-document costs are net of a
measured start-up (importing the program and loading the tokenizer).

Usage: python -m benchmarks.run [--n 1000 10000] [--repeat 3] ...   (or: make bench)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from benchmarks.scale import scale_corpus
from dprkmedia.corpus.fileio import atomic_write_bytes
from dprkmedia.corpus.repo import Repo

ROOT = Path(__file__).resolve().parents[1]
RESULTS_START, RESULTS_END = "<!-- bench:results -->", "<!-- /bench:results -->"

PARSE_ANNOTATIONS = """
for path in sorted((root / "annotations").glob("*.jsonl")):
    for line in path.read_bytes().split(b"\\n"):
        if line.strip():
            json.loads(line)
"""
FLOOR_VALIDATE = "import json, sys\nfrom pathlib import Path\nroot = Path(sys.argv[1])\n" + PARSE_ANNOTATIONS
PEER_JSONSCHEMA = """
import json, sys
from pathlib import Path
from jsonschema import Draft202012Validator
root = Path(sys.argv[1])
schema = lambda name: Draft202012Validator(json.loads((root / "schema" / name).read_text(encoding="utf-8")))
annotation, sources = schema("annotation.schema.json"), schema("sources.schema.json")
errors = 0
for path in sorted((root / "annotations").glob("*.jsonl")):
    validator = sources if path.name == "sources.jsonl" else annotation
    for line in path.read_bytes().split(b"\\n"):
        if line.strip():
            errors += sum(1 for _ in validator.iter_errors(json.loads(line)))
print(errors)
"""
BUILD = """
import sys
from pathlib import Path
from dprkmedia.build.writer import atomic_write_bytes, build_dataset
from dprkmedia.publish.card import card_with_front_matter, front_matter
from dprkmedia.corpus.fileio import atomic_write_bytes
from dprkmedia.corpus.repo import Repo
from dprkmedia.model.taxonomy import load_taxonomy
repo = Repo(Path(sys.argv[1]))
result = build_dataset(repo, progress=lambda line: None)
card = card_with_front_matter("", front_matter(load_taxonomy(repo.schema_dir), result.rows, result.nbytes))
atomic_write_bytes(repo.root / "README.md", card.encode("utf-8"))
"""
FLOOR_BUILD = (
    """
import json, sys, tempfile, time
from pathlib import Path
import pyarrow.parquet as pq
root = Path(sys.argv[1])
start = time.perf_counter()
tables = [pq.read_table(path) for path in sorted((root / "dataset").glob("*/*.parquet"))]
excluded = time.perf_counter() - start
"""
    + PARSE_ANNOTATIONS
    + """
for path in sorted((root / "dataset" / "sources").iterdir()):
    path.read_bytes().decode("utf-8")
with tempfile.TemporaryDirectory() as out:
    for number, table in enumerate(tables):
        pq.write_table(table, f"{out}/{number}.parquet", compression="zstd", write_statistics=False)
print(json.dumps({"excluded": excluded}))
"""
)
LOAD = """
import json, sys, time
from pathlib import Path
root, mode = Path(sys.argv[1]).resolve(), sys.argv[2]
import pyarrow.parquet as pq
from datasets import load_dataset
from datasets.utils.logging import disable_progress_bar
disable_progress_bar()
def load_all():
    for config in ("documents", "spans", "tokens", "sentences"):
        load_dataset(str(root), config)
if mode == "warm":
    load_all()
start = time.perf_counter()
if mode == "read_table":
    for path in sorted((root / "dataset").glob("*/*.parquet")):
        pq.read_table(path)
else:
    load_all()
print(json.dumps({"seconds": time.perf_counter() - start}))
"""
STARTUP_VALIDATE = "import dprkmedia.cli.main, dprkmedia.corpus.tokens; dprkmedia.corpus.tokens.pipeline()"
STARTUP_BUILD = (
    "import dprkmedia.build.writer, dprkmedia.publish.card, dprkmedia.corpus.tokens; dprkmedia.corpus.tokens.pipeline()"
)


@dataclass
class Run:
    """One process: wall time, peak resident memory and what it printed."""

    seconds: float
    max_rss_mb: float
    stdout: str


def run_process(argv: list[str], env: dict[str, str] | None = None) -> Run:
    """Run ``argv`` to its end; raise with its stderr if it fails."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err, env=env)
        assert process.stdout is not None
        out = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"{' '.join(argv[:4])} ... failed:\n{err.read().decode(errors='replace')[-3000:]}")
    return Run(seconds, usage.ru_maxrss / 1024, out.decode("utf-8", errors="replace"))


def python(code: str, *args: str, env: dict[str, str] | None = None) -> Run:
    """Run Python code in a fresh interpreter of this environment."""
    return run_process([sys.executable, "-c", code, *args], env)


def median_of(repeat: int, make: Callable[[], Run], adjust: Callable[[Run], float] = lambda r: r.seconds) -> Run:
    """The run of median time among ``repeat`` runs (its time adjusted by ``adjust``)."""
    runs = [make() for _ in range(repeat)]
    times = [adjust(run) for run in runs]
    middle = statistics.median(times)
    chosen = min(range(len(runs)), key=lambda i: abs(times[i] - middle))
    peak = max(run.max_rss_mb for run in runs)
    return Run(middle, peak, runs[chosen].stdout)


@dataclass
class Row:
    """Every measurement at one N."""

    n: int
    seconds: dict[str, float] = field(default_factory=dict)
    rss: dict[str, float] = field(default_factory=dict)


def measure(n: int, args: argparse.Namespace, work: Path, say: Callable[[str], None]) -> Row:
    """Generate the corpus of ``n`` documents and measure everything on it."""
    row = Row(n)
    folder = work / f"n{n}"
    shutil.rmtree(folder, ignore_errors=True)
    say(f"N={n:,}: generating the corpus in {folder} ({'perturbed' if args.perturb else 'exact'} copies) ...")
    scale_corpus(Repo(ROOT), folder, n, perturb=args.perturb, progress=say)
    root = str(folder)
    cli = [sys.executable, "-m", "dprkmedia.cli", "--root", root]

    def timed(name: str, make: Callable[[], Run], repeat: int, adjust: Callable[[Run], float] | None = None) -> Run:
        say(f"N={n:,}: {name} x{repeat} ...")
        result = median_of(repeat, make, adjust) if adjust else median_of(repeat, make)
        row.seconds[name], row.rss[name] = result.seconds, result.max_rss_mb
        say(f"N={n:,}: {name}: {result.seconds:.2f} s, peak {result.max_rss_mb:.0f} MB")
        return result

    full = n <= args.full_max_n
    repeat = args.repeat if full else args.large_repeat
    validate = timed("validate", lambda: run_process([*cli, "validate"]), repeat)
    if "*** PASSED ***" not in validate.stdout:
        raise RuntimeError(f"the generated corpus does not validate clean:\n{validate.stdout[-3000:]}")
    timed("validate floor", lambda: python(FLOOR_VALIDATE, root), repeat)
    timed("start-up validate", lambda: python(STARTUP_VALIDATE), repeat)
    if not full:
        say(f"N={n:,}: above --full-max-n: only validate is measured")
        shutil.rmtree(folder)
        return row
    peer = timed("jsonschema peer", lambda: python(PEER_JSONSCHEMA, root), args.peer_repeat)
    if peer.stdout.strip() != "0":
        raise RuntimeError(f"jsonschema found {peer.stdout.strip()} errors in the generated corpus")
    timed("build", lambda: python(BUILD, root), args.repeat)
    timed(
        "build floor",
        lambda: python(FLOOR_BUILD, root),
        args.repeat,
        adjust=lambda r: r.seconds - float(json.loads(r.stdout)["excluded"]),
    )
    for mode in ("cold", "warm", "read_table"):
        timed(f"load {mode}", lambda mode=mode: load_run(folder, mode, work), args.repeat, adjust=inside_seconds)
    timed("start-up build", lambda: python(STARTUP_BUILD), args.repeat)
    if not args.keep:
        shutil.rmtree(folder)
    return row


def inside_seconds(run: Run) -> float:
    """The time a load script measured inside its process."""
    return float(json.loads(run.stdout.strip().splitlines()[-1])["seconds"])


def load_run(folder: Path, mode: str, work: Path) -> Run:
    """One load process with an empty, private, offline Hugging Face cache."""
    cache = Path(tempfile.mkdtemp(dir=work, prefix="hf-"))
    env = {
        **os.environ,
        "HF_HOME": str(cache),
        "HF_DATASETS_CACHE": str(cache / "datasets"),
        "HF_DATASETS_OFFLINE": "1",
        "HF_HUB_OFFLINE": "1",
    }
    try:
        return python(LOAD, str(folder), mode, env=env)
    finally:
        shutil.rmtree(cache, ignore_errors=True)


# --- the report --------------------------------------------------------------------------


def machine() -> str:
    """CPU model, cores, memory, Python and the versions that matter."""
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        models = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if "model name" in line]
        cpu = models[0] if models else cpu
    memory = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        kb = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    names = ("spacy", "jsonschema", "pyarrow", "datasets", "dprk-russia-media")
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in names)
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory} RAM; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; {versions}"
    )


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.1f}×" if a is not None and b else "—"


def num(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def per_doc_ms(row: Row, name: str) -> float | None:
    """Milliseconds per document, net of the program's start-up."""
    if name not in row.seconds:
        return None
    startup = row.seconds[f"start-up {name}"]
    return (row.seconds[name] - startup) / row.n * 1000


def results_markdown(rows: list[Row], args: argparse.Namespace, started: str, minutes: float) -> str:
    """The generated part of docs/PERFORMANCE.md: machine, command, tables, targets."""
    command = "make bench BENCH_N=" + repr(" ".join(str(row.n) for row in rows))
    lines = [
        f"Measured {started} in {minutes:.0f} min with `{command}` (`python -m benchmarks.run --n "
        f"{' '.join(str(r.n) for r in rows)} --repeat {args.repeat} --peer-repeat {args.peer_repeat} "
        f"--full-max-n {args.full_max_n} --large-repeat {args.large_repeat}"
        f"{'' if args.perturb else ' --exact-copies'}`), {'perturbed' if args.perturb else 'exact'} copies.",
        "",
        f"Machine: {machine()}.",
        "",
        "Seconds are medians of the repetitions (wall time of a whole process, start-up included, "
        "except the loads: timed inside the process after imports).",
        "",
        "| N | validate s | floor s | validate / floor | jsonschema peer s | peer / validate "
        "| build s | floor s | build / floor |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        s = r.seconds.get
        lines.append(
            f"| {r.n:,} | {num(s('validate'))} | {num(s('validate floor'))} "
            f"| {ratio(s('validate'), s('validate floor'))} "
            f"| {num(s('jsonschema peer'), 1)} | {ratio(s('jsonschema peer'), s('validate'))} "
            f"| {num(s('build'))} | {num(s('build floor'))} | {ratio(s('build'), s('build floor'))} |"
        )
    lines += [
        "",
        "| N | load cold s | load warm s | read_table s | cold / read_table | warm / read_table "
        "| validate peak MB | build peak MB | validate ms/doc | build ms/doc |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        s = r.seconds.get
        lines.append(
            f"| {r.n:,} | {num(s('load cold'))} | {num(s('load warm'))} | {num(s('load read_table'), 3)} "
            f"| {ratio(s('load cold'), s('load read_table'))} | {ratio(s('load warm'), s('load read_table'))} "
            f"| {num(r.rss.get('validate'), 0)} | {num(r.rss.get('build'), 0)} "
            f"| {num(per_doc_ms(r, 'validate'))} | {num(per_doc_ms(r, 'build'))} |"
        )
    startups = "; ".join(
        f"N={r.n:,}: validate {num(r.seconds.get('start-up validate'))} s"
        + (f", build {num(r.seconds['start-up build'])} s" if "start-up build" in r.seconds else "")
        for r in rows
    )
    partial = [f"{r.n:,}" for r in rows if "build" not in r.seconds]
    if partial:
        startups += (
            f". At N={', '.join(partial)} (above --full-max-n {args.full_max_n:,}) only validate and its floor "
            f"were measured, {args.large_repeat} time(s) each; — marks what was not measured"
        )
    lines += ["", f"Start-up subtracted for ms/doc ({startups}).", "", "Targets:", ""]
    lines += [f"- {line}" for line in targets(rows)]
    return "\n".join(lines)


def verdict(value: float, limit: float, better: str) -> str:
    """``met`` or ``missed by x×`` for a value that must be ``better`` (below/above) ``limit``."""
    ok = value <= limit if better == "below" else value >= limit
    return "**met**" if ok else f"**missed** by {value / limit if better == 'below' else limit / value:.1f}×"


def targets(rows: list[Row]) -> list[str]:
    """Each target of the issue, checked on the largest N measured (and on every N)."""
    out = []
    for r in rows:
        s = r.seconds
        v_floor = s["validate"] / s["validate floor"]
        line = f"N={r.n:,}: validate within 2× its floor: {v_floor:.1f}× {verdict(v_floor, 2, 'below')}"
        if "build" in s:
            peer = s["jsonschema peer"] / s["validate"]
            b_floor = s["build"] / s["build floor"]
            line += (
                f"; ≥10× faster than the jsonschema peer: {peer:.1f}× {verdict(peer, 10, 'above')}; "
                f"build within 3× its floor: {b_floor:.1f}× {verdict(b_floor, 3, 'below')}"
            )
        out.append(line + ".")
    first, last = rows[0], rows[-1]
    growth = last.rss["validate"] / first.rss["validate"]
    out.append(
        f"validate peak memory flat in N: {first.rss['validate']:.0f} MB at N={first.n:,}, "
        f"{last.rss['validate']:.0f} MB at N={last.n:,} ({growth:.2f}×) {verdict(growth, 1.2, 'below')} "
        "(taken as: at most 1.2× over the range)."
    )
    by_n = {r.n: r for r in rows}
    if 10_000 in by_n and 100_000 in by_n:
        for name in ("validate", "build"):
            large, small = per_doc_ms(by_n[100_000], name), per_doc_ms(by_n[10_000], name)
            if large is None or small is None:
                out.append(f"{name} per-document cost at 100,000 vs 10,000: not measured at 100,000.")
                continue
            g = large / small
            out.append(f"{name} per-document cost at 100,000 vs 10,000: {g:.2f}× {verdict(g, 1.2, 'below')}.")
    else:
        out.append("per-document cost at 100,000 vs 10,000: not measured in this run (N=100,000 not requested).")
    return out


def write_report(path: Path, generated: str) -> None:
    """Replace the generated block of ``path`` (create the file around it if needed)."""
    text = path.read_text(encoding="utf-8") if path.is_file() else f"# Performance\n\n{RESULTS_START}\n{RESULTS_END}\n"
    head, _, rest = text.partition(RESULTS_START)
    _, _, tail = rest.partition(RESULTS_END)
    atomic_write_bytes(path, f"{head}{RESULTS_START}\n{generated}\n{RESULTS_END}{tail}".encode())


def parser() -> argparse.ArgumentParser:
    """The command line of the benchmark."""
    main = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        epilog=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    main.add_argument("--n", type=int, nargs="+", default=[1000, 10000], metavar="N", help="corpus sizes")
    main.add_argument("--repeat", type=int, default=3, help="runs per measurement (the median is shown)")
    main.add_argument("--peer-repeat", type=int, default=1, help="runs of the (slow) jsonschema peer")
    main.add_argument(
        "--full-max-n",
        type=int,
        default=10_000,
        metavar="N",
        help="above this N only validate and its floor are measured (the build holds the whole "
        "dataset in memory, and the peer takes hours)",
    )
    main.add_argument("--large-repeat", type=int, default=1, help="runs per measurement above --full-max-n")
    main.add_argument(
        "--exact-copies",
        dest="perturb",
        action="store_false",
        help="copy pages byte for byte (default: replace free words by other words of the corpus, "
        "so no two copies share a text)",
    )
    main.add_argument("--workdir", type=Path, default=None, help="where corpora go (default: a new temp folder)")
    main.add_argument("--keep", action="store_true", help="keep the generated corpora")
    main.add_argument("--report", type=Path, default=ROOT / "docs" / "PERFORMANCE.md", help="file to update")
    main.add_argument("--no-report", action="store_true", help="print the table, do not update the report")
    return main


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print the table and update the report."""
    args = parser().parse_args(argv)
    started = time.strftime("%Y-%m-%d %H:%M")
    t0 = time.perf_counter()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="dprkmedia-bench-"))
    work.mkdir(parents=True, exist_ok=True)

    def say(line: str) -> None:
        print(f"[{time.perf_counter() - t0:7.1f} s] {line}", file=sys.stderr, flush=True)

    rows = [measure(n, args, work, say) for n in args.n]
    generated = results_markdown(rows, args, started, (time.perf_counter() - t0) / 60)
    print(generated)
    if not args.no_report:
        write_report(args.report, generated)
        say(f"wrote {args.report}")
    if args.workdir is None and not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
