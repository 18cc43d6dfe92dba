"""Benchmark the commands users run at archive scale; write the results into docs/PERFORMANCE.md.

For each N the real corpus is scaled to N documents (benchmarks/scale.py) in a temporary
folder outside the repository, and each command runs as its own process, exactly as a user
types it (start-up included), several times; the table shows medians:

  validate        dprkmedia validate --no-cache         every check of every document
                                                          vs. floor: parse every annotation file with json
  build           dprkmedia build                       the dataset and every generated block (README
                                                          front matter, summary and baseline, DATASHEET
                                                          blocks, croissant.json); records the check cache
                                                          vs. floor: parse the same inputs and write the
                                                          same Parquet tables with pyarrow
  validate warm   dprkmedia validate                    right after the build (its check cache)
  validate 1 file dprkmedia validate                    after one annotation file changed
  preannotate     dprkmedia preannotate --evaluate      the leave-one-out baseline on its own

Per-document costs are net of start-up: the same command on a corpus of 5 documents. Peak
memory is the largest resident set of the command's processes (wait4). The load of the machine
(/proc/loadavg) is recorded before and after each N: the machine is shared.

Usage: python -m benchmarks.run [--n 1000 10000 100000] [--repeat 3] ...   (or: make bench)
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
STARTUP_N = 5

PARSE_ANNOTATIONS = """
for path in sorted((root / "annotations").glob("*.jsonl")):
    for line in path.read_bytes().split(b"\\n"):
        if line.strip():
            json.loads(line)
"""
FLOOR_VALIDATE = "import json, sys\nfrom pathlib import Path\nroot = Path(sys.argv[1])\n" + PARSE_ANNOTATIONS
FLOOR_BUILD = (
    """
import json, sys, tempfile, time
from pathlib import Path
import pyarrow.parquet as pq
root = Path(sys.argv[1])
"""
    + PARSE_ANNOTATIONS
    + """
for path in sorted((root / "dataset" / "sources").iterdir()):
    path.read_bytes().decode("utf-8")
excluded = 0.0
with tempfile.TemporaryDirectory() as out:
    for number, path in enumerate(sorted((root / "dataset").glob("*/*.parquet"))):
        source, writer = pq.ParquetFile(path), None
        for group in range(source.num_row_groups):
            start = time.perf_counter()
            table = source.read_row_group(group)
            excluded += time.perf_counter() - start
            if writer is None:
                writer = pq.ParquetWriter(f"{out}/{number}.parquet", table.schema, compression="zstd",
                                          write_statistics=False)
            writer.write_table(table)
        writer.close()
print(json.dumps({"excluded": excluded}))
"""
)
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
COMMANDS = {
    "validate": ["validate", "--no-cache"],
    "build": ["build"],
    "validate warm": ["validate"],
    "validate 1 file": ["validate"],
    "preannotate": ["preannotate", "--evaluate"],
}


@dataclass
class Run:
    """One process: wall time, peak resident memory and what it printed."""

    seconds: float
    max_rss_mb: float
    stdout: str


def run_process(argv: list[str]) -> Run:
    """Run ``argv`` to its end, detached from the terminal; raise with its stderr if it fails."""
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL, env=env)
        assert process.stdout is not None
        out = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise RuntimeError(f"{' '.join(argv[:6])} ... failed:\n{err.read().decode(errors='replace')[-3000:]}")
    return Run(seconds, usage.ru_maxrss / 1024, out.decode("utf-8", errors="replace"))


def dprkmedia(root: Path, *args: str) -> Run:
    """The command line, as a user runs it (``python -m dprkmedia.cli``: the console script's code)."""
    return run_process([sys.executable, "-m", "dprkmedia.cli", "--root", str(root), *args])


def python(code: str, *args: str) -> Run:
    """Python code in a fresh interpreter of this environment (the floors)."""
    return run_process([sys.executable, "-c", code, *args])


def median_of(repeat: int, make: Callable[[], Run], adjust: Callable[[Run], float] = lambda r: r.seconds) -> Run:
    """The run of median time among ``repeat`` runs (its time adjusted by ``adjust``), with the
    largest peak memory of them."""
    runs = [make() for _ in range(repeat)]
    times = [adjust(run) for run in runs]
    middle = statistics.median(times)
    chosen = min(range(len(runs)), key=lambda i: abs(times[i] - middle))
    return Run(middle, max(run.max_rss_mb for run in runs), runs[chosen].stdout)


def loadavg() -> str:
    """The 1-, 5- and 15-minute load averages."""
    path = Path("/proc/loadavg")
    return " ".join(path.read_text().split()[:3]) if path.is_file() else "unknown"


@dataclass
class Row:
    """Every measurement at one N."""

    n: int
    seconds: dict[str, float] = field(default_factory=dict)
    rss: dict[str, float] = field(default_factory=dict)
    load: tuple[str, str] = ("", "")


def generate(n: int, work: Path, perturb: bool, say: Callable[[str], None], reuse: bool = False) -> Path:
    """A fresh corpus of ``n`` documents under ``work`` (with ``reuse``, the one a previous run
    generated there, when it was complete)."""
    folder = work / f"n{n}"
    marker = folder / ".bench-corpus"
    wanted = json.dumps({"n": n, "perturb": perturb})
    if reuse and marker.is_file() and marker.read_text(encoding="utf-8") == wanted:
        say(f"N={n:,}: reusing the corpus in {folder}")
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    say(f"N={n:,}: generating the corpus in {folder} ({'perturbed' if perturb else 'exact'} copies) ...")
    scale_corpus(Repo(ROOT), folder, n, perturb=perturb, progress=say)
    marker.write_text(wanted, encoding="utf-8")
    return folder


def touch_one(folder: Path) -> None:
    """Change one annotation file (a blank line more: still valid, another content hash)."""
    path = sorted((folder / "annotations").glob("c*.jsonl"))[0]
    path.write_bytes(path.read_bytes() + b"\n")


def measure(n: int, args: argparse.Namespace, work: Path, say: Callable[[str], None], startup: Row | None) -> Row:
    """Generate the corpus of ``n`` documents and measure every command and floor on it."""
    row = Row(n)
    folder = generate(n, work, args.perturb, say, args.reuse)
    root = str(folder)
    repeat = args.repeat if n <= args.full_max_n else args.large_repeat
    row.load = (loadavg(), "")
    say(f"N={n:,}: load average {row.load[0]}")

    def timed(name: str, make: Callable[[], Run], times: int, adjust: Callable[[Run], float] | None = None) -> Run:
        say(f"N={n:,}: {name} x{times} ...")
        result = median_of(times, make, adjust) if adjust else median_of(times, make)
        row.seconds[name], row.rss[name] = result.seconds, result.max_rss_mb
        say(f"N={n:,}: {name}: {result.seconds:.2f} s, peak {result.max_rss_mb:.0f} MB")
        return result

    validate = timed("validate", lambda: dprkmedia(folder, *COMMANDS["validate"]), repeat)
    if "*** PASSED ***" not in validate.stdout:
        raise RuntimeError(f"the generated corpus does not validate clean:\n{validate.stdout[-3000:]}")
    if startup is None:  # this is the start-up corpus: the commands only
        for name in ("build", "validate warm", "preannotate"):
            timed(name, lambda name=name: dprkmedia(folder, *COMMANDS[name]), repeat)
        row.seconds["validate 1 file"] = row.seconds["validate warm"]
        shutil.rmtree(folder)
        return row
    timed("validate floor", lambda: python(FLOOR_VALIDATE, root), repeat)
    if args.peer:
        timed("jsonschema peer", lambda: python(PEER_JSONSCHEMA, root), 1)
    timed("build", lambda: dprkmedia(folder, *COMMANDS["build"]), repeat)
    timed(
        "build floor",
        lambda: python(FLOOR_BUILD, root),
        repeat,
        adjust=lambda r: r.seconds - float(json.loads(r.stdout)["excluded"]),
    )
    time.sleep(2.5)  # the check cache trusts a file's stat only outside git's racy window
    timed("validate warm", lambda: dprkmedia(folder, *COMMANDS["validate warm"]), repeat)

    def one_change() -> Run:
        touch_one(folder)
        return dprkmedia(folder, *COMMANDS["validate 1 file"])

    timed("validate 1 file", one_change, repeat)
    timed("preannotate", lambda: dprkmedia(folder, *COMMANDS["preannotate"]), repeat)
    row.load = (row.load[0], loadavg())
    say(f"N={n:,}: load average {row.load[1]}")
    if not args.keep:
        shutil.rmtree(folder)
    return row


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
    names = ("spacy", "jsonschema", "jsonschema-rs", "pyarrow", "datasets", "dprk-russia-media")
    versions = []
    for name in names:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory} RAM; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; {', '.join(versions)}"
    )


def num(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.1f}×" if a is not None and b else "—"


def per_doc_ms(row: Row, startup: Row, name: str) -> float | None:
    """Milliseconds per document, net of the command's start-up (the 5-document corpus)."""
    if name not in row.seconds:
        return None
    return (row.seconds[name] - startup.seconds[name]) / (row.n - startup.n) * 1000


def verdict(value: float, limit: float) -> str:
    """``met`` or ``missed by x×`` for a value that must be at most ``limit``."""
    return "**met**" if value <= limit else f"**missed** (by {value / limit:.1f}×)"


def targets(rows: list[Row], startup: Row) -> list[str]:
    """Each target of the issue, with the numbers that decide it."""
    out = []
    by_n = {r.n: r for r in rows}
    small, large = rows[0], rows[-1]
    for name in ("build", "validate", "preannotate"):
        a, b = per_doc_ms(small, startup, name), per_doc_ms(large, startup, name)
        if a and b and large.n > small.n:
            out.append(
                f"Linear: `{' '.join(COMMANDS[name])}` per document {a:.2f} ms at N={small.n:,}, {b:.2f} ms at "
                f"N={large.n:,}: {b / a:.2f}× {verdict(b / a, 1.2)} (at most 1.2×)."
            )
    mid = by_n.get(10_000)
    if mid is not None and large.n > mid.n:
        for name in ("build", "validate"):
            g = large.rss[name] / mid.rss[name]
            out.append(
                f"Memory flat: `{' '.join(COMMANDS[name])}` peak {mid.rss[name]:.0f} MB at N=10,000, "
                f"{large.rss[name]:.0f} MB at N={large.n:,}: {g:.2f}× {verdict(g, 1.2)} (at most 1.2×)."
            )
    for r in rows:
        v = r.seconds["validate"] / r.seconds["validate floor"]
        b = r.seconds["build"] / r.seconds["build floor"]
        out.append(
            f"Floors at N={r.n:,}: validate {v:.1f}× its floor {verdict(v, 2)} (at most 2×); "
            f"build {b:.1f}× its floor {verdict(b, 3)} (at most 3×)."
        )
    one = large.seconds["validate 1 file"]
    out.append(
        f"Incremental: one changed file in N={large.n:,} documents validated in {one:.2f} s "
        f"{'**met**' if one < 5 else '**missed**'} (under 5 s; warm, nothing changed: "
        f"{large.seconds['validate warm']:.2f} s)."
    )
    return out


def results_markdown(rows: list[Row], startup: Row, args: argparse.Namespace, started: str, minutes: float) -> str:
    """The generated part of docs/PERFORMANCE.md: machine, command, tables, targets."""
    sizes = " ".join(str(r.n) for r in rows)
    lines = [
        f"Measured {started} in {minutes:.0f} min with `make bench BENCH_N='{sizes}'` (`python -m benchmarks.run "
        f"--n {sizes} --repeat {args.repeat} --full-max-n {args.full_max_n} --large-repeat {args.large_repeat}`), "
        f"{'perturbed' if args.perturb else 'exact'} copies, default `--workers` (all cores).",
        "",
        f"Machine: {machine()}. Load average (1, 5, 15 min) before → after each N: "
        + "; ".join(f"N={r.n:,}: {r.load[0]} → {r.load[1]}" for r in rows)
        + ".",
        "",
        "Seconds: medians of the runs, wall time of the whole command (start-up included). "
        f"ms/doc: net of the same command on {STARTUP_N} documents "
        f"({', '.join(f'{name} {startup.seconds[name]:.2f} s' for name in COMMANDS if name in startup.seconds)}).",
        "",
        "| N | validate s | floor s | validate / floor | build s | floor s | build / floor "
        "| validate warm s | validate 1 file s | preannotate s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        s = r.seconds.get
        lines.append(
            f"| {r.n:,} | {num(s('validate'))} | {num(s('validate floor'))} "
            f"| {ratio(s('validate'), s('validate floor'))} | {num(s('build'))} | {num(s('build floor'))} "
            f"| {ratio(s('build'), s('build floor'))} | {num(s('validate warm'))} | {num(s('validate 1 file'))} "
            f"| {num(s('preannotate'))} |"
        )
    lines += [
        "",
        "| N | validate ms/doc | build ms/doc | preannotate ms/doc | validate peak MB | build peak MB "
        "| validate warm peak MB | preannotate peak MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r.n:,} | {num(per_doc_ms(r, startup, 'validate'))} | {num(per_doc_ms(r, startup, 'build'))} "
            f"| {num(per_doc_ms(r, startup, 'preannotate'))} | {num(r.rss.get('validate'), 0)} "
            f"| {num(r.rss.get('build'), 0)} | {num(r.rss.get('validate warm'), 0)} "
            f"| {num(r.rss.get('preannotate'), 0)} |"
        )
    if any("jsonschema peer" in r.seconds for r in rows):
        lines += [
            "",
            "jsonschema peer (`--peer`): "
            + "; ".join(f"N={r.n:,}: {num(r.seconds.get('jsonschema peer'), 1)} s" for r in rows)
            + ".",
        ]
    lines += ["", "Targets:", ""]
    lines += [f"- {line}" for line in targets(rows, startup)]
    return "\n".join(lines)


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
    main.add_argument("--full-max-n", type=int, default=10_000, metavar="N", help="above it, --large-repeat runs")
    main.add_argument("--large-repeat", type=int, default=1, help="runs per measurement above --full-max-n")
    main.add_argument("--peer", action="store_true", help="also run the per-record jsonschema peer (slow)")
    main.add_argument(
        "--exact-copies",
        dest="perturb",
        action="store_false",
        help="copy pages byte for byte (default: replace free words by other words of the corpus, "
        "so no two copies share a text)",
    )
    main.add_argument("--workdir", type=Path, default=None, help="where corpora go (default: a new temp folder)")
    main.add_argument("--keep", action="store_true", help="keep the generated corpora")
    main.add_argument(
        "--reuse", action="store_true", help="with --workdir: reuse the corpora a previous run generated (and kept)"
    )
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

    startup = measure(STARTUP_N, args, work, say, None)
    rows = [measure(n, args, work, say, startup) for n in args.n]
    generated = results_markdown(rows, startup, args, started, (time.perf_counter() - t0) / 60)
    print(generated)
    if not args.no_report:
        write_report(args.report, generated)
        say(f"wrote {args.report}")
    if args.workdir is None and not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
