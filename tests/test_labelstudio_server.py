"""Against a real Label Studio server started on a free loopback port.

`make test` installs `label-studio` into .venv-labelstudio (its own environment, so its pins
never constrain ours) and sets DPRKMEDIA_LABEL_STUDIO and DPRKMEDIA_REQUIRE_LABEL_STUDIO, so
there this test can never be skipped. Run by hand without them, it is skipped.
"""

from __future__ import annotations

import json
import os
import secrets
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dprkmedia.adapters.labelstudio.format import records_to_results
from dprkmedia.adapters.labelstudio.importing import read_export_file
from dprkmedia.adapters.labelstudio.server import (
    QUIET,
    LabelStudioError,
    connect,
    free_port,
    pull,
    push,
    start_server,
    stop_server,
    wait_until_up,
)
from dprkmedia.adapters.labelstudio.tasks import make_tasks
from dprkmedia.cli.main import main
from dprkmedia.corpus.jsonl import Record, read_records
from dprkmedia.corpus.repo import Repo
from dprkmedia.model.taxonomy import Taxonomy

pytestmark = pytest.mark.integration
EDITED, CANCELLED = "003_ffbef9be4e76c7d4", "004_ae8d796d95327752"


def label_studio_command() -> str:
    command = os.environ.get("DPRKMEDIA_LABEL_STUDIO") or shutil.which("label-studio")
    if not command:
        if os.environ.get("DPRKMEDIA_REQUIRE_LABEL_STUDIO"):
            pytest.fail("DPRKMEDIA_REQUIRE_LABEL_STUDIO is set but no label-studio command was found")
        pytest.skip("label-studio is not installed (make test installs it)")
    return command


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    command = label_studio_command()
    data = tmp_path_factory.mktemp("labelstudio")
    token = secrets.token_hex(20)
    port = free_port()
    password = "-" + secrets.token_urlsafe(12)  # a leading "-" once broke the server's argument parsing
    process = start_server(command, data, port, "tester@example.org", password, token)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process, 600, data / "server.log")
        yield url, token
    finally:
        stop_server(process, 60)


def gold(repo: Repo, doc: str) -> list[dict[str, Any]]:
    records, _ = read_records(repo.annotation_file(doc), doc)
    return [record.data for record in records]


def annotate(url: str, token: str, project: int, results_by_doc: dict[str, list[tuple[list[Any], bool]]]) -> None:
    """Post annotations the way the labeling page does (POST /api/tasks/{id}/annotations)."""
    with connect(url, token) as ls:
        for task in ls.tasks.list(project=project, fields="all"):
            for result, cancelled in results_by_doc[task.data["doc_id"]]:
                ls.annotations.create(id=task.id, result=result, was_cancelled=cancelled)


def prediction_versions(url: str, token: str, project: int) -> list[str]:
    versions = []
    with connect(url, token) as ls:
        for task in ls.tasks.list(project=project, fields="all"):
            prediction = ls.tasks.get(id=str(task.id)).predictions[0]
            versions.append(prediction["model_version"] if isinstance(prediction, dict) else prediction.model_version)
    return versions


def test_labelstudio_server_round_trip(server: tuple[str, str], repo_copy: Repo, tax: Taxonomy, tmp_path: Path) -> None:
    url, token = server
    tasks = make_tasks(repo_copy, [EDITED, CANCELLED], "predictions", "gold-v1", None)
    project = push(repo_copy, url, token, tasks, None, "integration test")  # the server must accept our config

    edited = gold(repo_copy, EDITED)
    removed = edited.pop(5)
    # The annotator relabels Vladivostok: the gold's GPE region goes and a LOC region with a new id
    # comes (two entity labels on one extent would break the guidelines' nesting rule).
    edited = [line for line in edited if not (line.get("layer") == "entities" and line.get("text") == "Vladivostok")]
    text = tasks[0]["data"]["text"]
    start = text.index("Vladivostok")
    new_region = [
        {
            "id": "n3wR3g10n",
            "from_name": "entities",
            "to_name": "text",
            "type": "labels",
            "value": {"start": start, "end": start + len("Vladivostok"), "text": "Vladivostok", "labels": ["LOC"]},
        },
        {
            "id": "n3wR3g10n",
            "from_name": "norm",
            "to_name": "text",
            "type": "textarea",
            "value": {"start": start, "end": start + len("Vladivostok"), "text": ["Vladivostok"]},
        },
    ]
    edited_results = records_to_results([Record(i, line) for i, line in enumerate(edited, start=1)], tax) + new_region
    full = records_to_results([Record(i, line) for i, line in enumerate(gold(repo_copy, CANCELLED), start=1)], tax)
    annotate(url, token, project, {EDITED: [(edited_results, False)], CANCELLED: [([], True), (full, False)]})

    export = tmp_path / "export.json"
    data = pull(url, token, project)
    export.write_text(json.dumps(data), encoding="utf-8")
    assert [len(t["predictions"]) for t in data] == [1, 1]  # the export lists prediction ids
    assert prediction_versions(url, token, project) == ["gold-v1", "gold-v1"]
    reading = read_export_file(repo_copy, export)
    assert reading.issues == []
    assert len(reading.notes) == 1 and "cancelled" in reading.notes[0]

    out = tmp_path / "passes"
    assert main(["--root", str(repo_copy.root), "labelstudio", "import", str(export), "--out", str(out)]) == 0
    (folder,) = out.iterdir()
    assert folder.name == "ls-1"  # the export names annotators by user id (the first user is 1)
    got = [json.loads(line) for line in (folder / f"{EDITED}.jsonl").read_text(encoding="utf-8").splitlines()]
    spans = [line for line in got[1:] if line["layer"] == "entities"]
    assert removed not in got
    assert spans[-1] == {
        "layer": "entities",
        "id": "e30",
        "start": start,
        "end": start + len("Vladivostok"),
        "text": "Vladivostok",
        "label": "LOC",
        "norm": "Vladivostok",
    }
    assert [line for line in got if line not in spans[-1:]][1:] == edited[1:]
    assert got[0]["frames"] == edited[0]["frames"] and got[0]["genre"] == edited[0]["genre"]
    unchanged = [json.loads(line) for line in (folder / f"{CANCELLED}.jsonl").read_text(encoding="utf-8").splitlines()]
    assert unchanged[1:] == gold(repo_copy, CANCELLED)[1:]
    shutil.copytree(out, repo_copy.annotations_dir / "passes", dirs_exist_ok=True)
    assert main(["--root", str(repo_copy.root), "validate"]) == 0


def test_labelstudio_server_errors_are_one_line(server: tuple[str, str]) -> None:
    url, token = server
    with pytest.raises(LabelStudioError, match="refused the API key"):
        pull(url, "0" * 40, 1)
    with pytest.raises(LabelStudioError, match="project not found"):
        pull(url, token, 987654)
    with pytest.raises(LabelStudioError, match="cannot connect"):
        pull(f"http://127.0.0.1:{free_port()}", token, 1)


def ignore_sigint() -> None:
    """What a shell does to a job it starts in the background (nohup, CI runners)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def processes_using(folder: Path) -> list[str]:
    """Command lines of live processes that name ``folder`` (Label Studio runs with --data-dir)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if entry.name.isdigit() and str(folder) in cmdline:
            found.append(cmdline)
    return found


def start_serve(repo: Repo, port: int, log: Path, **popen: Any) -> subprocess.Popen[bytes]:
    """``dprkmedia labelstudio serve`` in a child, stderr to ``log``, unbuffered output not forced
    (the URL must be flushed, also when stdout is a pipe)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    command = [sys.executable, "-m", "dprkmedia.cli", "--root", str(repo.root), "labelstudio", "serve"]
    with log.open("ab") as stderr:
        return subprocess.Popen(
            [*command, "--port", str(port), "--label-studio", label_studio_command()],
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=env,
            **popen,
        )


def close(process: subprocess.Popen[bytes]) -> None:
    if process.stdout is not None:
        process.stdout.close()


def read_lines(process: subprocess.Popen[bytes], count: int, timeout: float = 600) -> list[str]:
    """The first ``count`` lines serve prints, waiting at most ``timeout`` seconds for them."""
    assert process.stdout is not None
    fd, data, deadline = process.stdout.fileno(), b"", time.monotonic() + timeout
    while data.count(b"\n") < count:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(fd, 4096) if ready else b""
        assert chunk, f"serve printed {data!r} and no more (exit code {process.poll()})"
        data += chunk
    return data.decode("utf-8").splitlines()[:count]


def test_labelstudio_serve_reuses_its_project_and_always_stops_label_studio(repo_copy: Repo, tmp_path: Path) -> None:
    """Started as CI starts it (SIGINT ignored), Ctrl-C stops serve and the server; the next run
    reuses the project instead of pushing a copy, and survives a double SIGTERM; when the
    remembered project is gone it makes a new one and says so; and when serve fails (its output
    closed under it), Label Studio is stopped too."""
    data_dir, log, port = repo_copy.root / ".labelstudio", tmp_path / "serve.log", free_port()
    docs = sorted(p.stem for p in repo_copy.annotations_dir.glob("0*.jsonl"))

    process = start_serve(repo_copy, port, log, preexec_fn=ignore_sigint)
    try:
        printed = read_lines(process, 3)
        assert printed[0].startswith(f"Label Studio: http://127.0.0.1:{port}/projects/"), printed
        assert printed[1].startswith("login: ") and "password: " in printed[1]
        key = printed[2].removeprefix("API key: ").strip()
        project = int(printed[0].rsplit("/", 1)[1])
        with connect(f"http://127.0.0.1:{port}", key) as ls:
            assert sorted(task.data["doc_id"] for task in ls.tasks.list(project=project, fields="all")) == docs
        assert (data_dir / "server.log").is_file()
        assert json.loads((data_dir / "project.json").read_text(encoding="utf-8")) == {"project": project}
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=120) == 0
        close(process)
    assert port_is_free(port) and processes_using(data_dir) == [], "Label Studio outlived serve"

    process = start_serve(repo_copy, port, log)
    try:
        assert read_lines(process, 1) == [f"Label Studio: http://127.0.0.1:{port}/projects/{project}"]
        with connect(f"http://127.0.0.1:{port}", key) as ls:
            assert sorted(task.data["doc_id"] for task in ls.tasks.list(project=project, fields="all")) == docs
            assert [p.id for p in ls.projects.list()] == [project]  # no second copy
            ls.projects.delete(id=project)
    finally:
        process.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        process.send_signal(signal.SIGTERM)  # a second signal must not cut the stop short
        assert process.wait(timeout=120) == 0
        close(process)
    assert f"Reusing project {project} ({len(docs)} tasks kept)." in log.read_text(encoding="utf-8")
    assert port_is_free(port) and processes_using(data_dir) == [], "Label Studio outlived serve"

    process = start_serve(repo_copy, port, log)
    assert process.stdout is not None
    process.stdout.close()  # `serve | head -0`, a closed terminal: printing the URL fails
    assert process.wait(timeout=600) == 1
    said = log.read_text(encoding="utf-8")
    assert f"The project {project} remembered in .labelstudio/project.json is gone; created project" in said
    assert "Traceback" not in said
    assert port_is_free(port) and processes_using(data_dir) == [], "Label Studio outlived serve"


def test_labelstudio_serve_checks_before_it_starts(
    repo_copy: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A port in use, a missing program or SDK: exit 2 at once, nothing started (before: the SDK
    was found missing only after waiting for the server, and a busy port got a second server)."""
    root = ["--root", str(repo_copy.root), "labelstudio", "serve", "--label-studio", label_studio_command()]
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main([*root, "--port", str(port)]) == 2
    assert f"port {port} on 127.0.0.1 cannot be used (Address already in use)" in capsys.readouterr().err
    assert main([*root[:-1], str(repo_copy.root / "no-label-studio"), "--port", str(free_port())]) == 2
    assert "no-label-studio' not found: pip install label-studio" in capsys.readouterr().err
    monkeypatch.setitem(sys.modules, "label_studio_sdk", None)  # as if the SDK were not installed
    assert main([*root, "--port", str(free_port())]) == 2
    assert "label-studio-sdk is not installed" in capsys.readouterr().err
    assert not (repo_copy.root / ".labelstudio").exists()  # nothing started, nothing written


def test_labelstudio_server_makes_no_outbound_calls(server: tuple[str, str], tmp_path: Path) -> None:
    """Label Studio's own settings, read by its own code with the environment serve gives it:
    no Sentry (server or browser), no version check, no analytics; the login page loads no
    Google Analytics. Without that environment all of them are on (the check can fail)."""
    url, _ = server
    import httpx

    page = httpx.get(f"{url}/user/login/", follow_redirects=True).text
    assert "googletagmanager" not in page and "collect_analytics = false" in page
    program = Path(label_studio_command())
    python = program.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0].removeprefix("#!").strip()
    if not Path(python).is_file():
        pytest.skip(f"cannot tell the Python of {program}")
    probe = (
        "import os, sys, label_studio; sys.path.insert(0, os.path.dirname(label_studio.__file__)); import django; "
        "django.setup(); from django.conf import settings as s; import sentry_sdk; "
        "print(bool(s.SENTRY_DSN), bool(s.FRONTEND_SENTRY_DSN), s.LATEST_VERSION_CHECK, s.COLLECT_ANALYTICS, "
        "sentry_sdk.get_client().is_active())"
    )
    base = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "LABEL_STUDIO_BASE_DATA_DIR": str(tmp_path)}
    base["DJANGO_SETTINGS_MODULE"] = "core.settings.label_studio"
    runs = {
        quiet: subprocess.run(
            [python, "-c", probe], env={**base, **(QUIET if quiet else {})}, capture_output=True, text=True, timeout=300
        )
        for quiet in (True, False)
    }
    assert runs[True].stdout.split() == ["False"] * 5, runs[True].stderr[-2000:]
    assert runs[False].stdout.split() == ["True"] * 5, runs[False].stderr[-2000:]


def test_labelstudio_server_new_page_flows_to_a_valid_build(
    server: tuple[str, str], repo_copy: Repo, tmp_path: Path
) -> None:
    url, token = server
    page = Path(__file__).parent / "fixtures" / "synthetic_page.txt"
    root = ["--root", str(repo_copy.root)]
    assert main([*root, "add-source", str(page)]) == 0  # pre-annotated by the rules
    new = page.stem
    tasks = make_tasks(repo_copy, [new], "predictions", "rules-0.1", None)
    project = push(repo_copy, url, token, tasks, None, "new page")
    predicted = tasks[0]["predictions"][0]["result"]
    genre_only = [r for r in predicted if r["from_name"] != "frames"]
    frames = {
        "id": "frames",
        "from_name": "frames",
        "to_name": "text",
        "type": "choices",
        "value": {"choices": ["Political"]},
    }
    annotate(url, token, project, {new: [([*genre_only, frames], False)]})  # the annotator corrects the frames
    export = tmp_path / "export.json"
    export.write_text(json.dumps(pull(url, token, project)), encoding="utf-8")
    assert main([*root, "labelstudio", "import", str(export), "--gold", "--force"]) == 0
    header = json.loads(repo_copy.annotation_file(new).read_text(encoding="utf-8").splitlines()[0])
    assert header["frames"] == ["Political"] and header["annotators"] == ["ls-1"]
    assert main([*root, "validate"]) == 0
    assert main([*root, "build"]) == 0
    train = (repo_copy.dataset_dir / "jsonl" / "train.jsonl").read_text(encoding="utf-8")
    assert any(json.loads(line)["id"] == new for line in train.splitlines())


# --- import, fed with exports of a real server (issue 18) ------------------------------------


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` with its bytes (None for a folder)."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None) for p in folder.rglob("*")}


def gold_results(repo: Repo, tax: Taxonomy, doc: str) -> list[dict[str, Any]]:
    return records_to_results([Record(i, line) for i, line in enumerate(gold(repo, doc), start=1)], tax)


def second_user(url: str, token: str) -> int:
    """A second annotator on the server (the first user is the one of the token)."""
    with connect(url, token) as ls:
        for user in ls.users.list():
            if user.email == "second@example.org":
                return int(user.id)
        return int(ls.users.create(username="second", email="second@example.org", password=secrets.token_hex(8)).id)


def server_export(
    url: str, token: str, repo: Repo, tmp_path: Path, annotations: dict[str, list[tuple[list[Any], int | None]]]
) -> tuple[Path, int]:
    """Push tasks for the documents of ``annotations``, post each (results, user id or None for
    the token's user) as Label Studio's labeling page does, pull the export into a file."""
    project = push(repo, url, token, make_tasks(repo, sorted(annotations), "none", "gold", None), None, "issue 18")
    with connect(url, token) as ls:
        for task in ls.tasks.list(project=project, fields="all"):
            for result, user in annotations[task.data["doc_id"]]:
                extra = {} if user is None else {"completed_by": user}
                ls.annotations.create(id=task.id, result=result, was_cancelled=False, **extra)
    export = tmp_path / f"export-{project}.json"
    export.write_text(json.dumps(pull(url, token, project)), encoding="utf-8")
    return export, project


def region(region_id: str, layer: str, start: int, text: str, label: str, field: str | None) -> list[dict[str, Any]]:
    value = {"start": start, "end": start + len(text), "text": text}
    results = [
        {
            "id": region_id,
            "from_name": layer,
            "to_name": "text",
            "type": "labels",
            "value": {**value, "labels": [label]},
        }
    ]
    control = {"entities": "norm", "dates": "timex_value"}.get(layer)
    if field is not None and control:
        results.append(
            {
                "id": region_id,
                "from_name": control,
                "to_name": "text",
                "type": "textarea",
                "value": {**value, "text": [field]},
            }
        )
    return results


def test_labelstudio_server_regions_sharing_an_id_lose_no_span(
    server: tuple[str, str], repo_copy: Repo, tax: Taxonomy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A real server stores two regions with one id; the old importer kept one of them (exit 0)."""
    url, token = server
    text = make_tasks(repo_copy, [EDITED], "none", "gold", None)[0]["data"]["text"]
    first, second = text.index("Kim Jong Un"), text.rindex("Kim Jong Un")
    results = [r for r in gold_results(repo_copy, tax, EDITED) if r["id"] not in ("e18", "e22")]
    results += region("dup1", "entities", first, "Kim Jong Un", "PERSON", "Kim Jong Un")
    results += region("dup1", "entities", second, "Kim Jong Un", "PERSON", "Kim Jong Un (2019)")
    export, _ = server_export(url, token, repo_copy, tmp_path, {EDITED: [(results, None)]})
    stored = json.loads(export.read_text(encoding="utf-8"))[0]["annotations"][0]["result"]
    assert [r["id"] for r in stored].count("dup1") == 4  # the server kept both regions and both norms

    out = tmp_path / "passes"
    assert main(["--root", str(repo_copy.root), "labelstudio", "import", str(export), "--out", str(out)]) == 0
    assert "region id 'dup1' is used by 2 entities regions" in capsys.readouterr().err
    lines = [json.loads(line) for line in (out / "ls-1" / f"{EDITED}.jsonl").read_text(encoding="utf-8").splitlines()]
    kims = [(line["start"], line["norm"]) for line in lines[1:] if line.get("text") == "Kim Jong Un"]
    assert kims == [(first, "Kim Jong Un"), (second, "Kim Jong Un (2019)")]

    clash = [*results, *region("dup1", "entities", first, "Kim Jong Un", "NORP", None)]  # same id AND offsets
    export, _ = server_export(url, token, repo_copy, tmp_path, {EDITED: [(clash, None)]})
    again = tmp_path / "again"
    assert main(["--root", str(repo_copy.root), "labelstudio", "import", str(export), "--out", str(again)]) == 1
    assert "[ls-region-duplicate] Region id 'dup1' also labels the same entities offsets" in capsys.readouterr().out
    assert not again.exists()


def test_labelstudio_server_import_is_all_or_nothing(
    server: tuple[str, str], repo_copy: Repo, tax: Taxonomy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One annotator with two annotations of a task: before, --gold --force wrote (overwrote) the
    other gold files, then said 'refused' without a code and exited 1."""
    url, token = server
    edited, full = gold_results(repo_copy, tax, EDITED), gold_results(repo_copy, tax, CANCELLED)
    export, _ = server_export(
        url, token, repo_copy, tmp_path, {EDITED: [(edited, None), (edited, None)], CANCELLED: [(full, None)]}
    )
    before = tree(repo_copy.root)
    assert main(["--root", str(repo_copy.root), "labelstudio", "import", str(export), "--gold", "--force"]) == 1
    out, err = capsys.readouterr()
    assert f"(task {json.loads(export.read_text())[0]['id']}, doc {EDITED}, annotation " in out
    assert "[ls-annotation-duplicate] ls-1 also annotated this document in task" in out
    assert "Nothing was imported" in err
    assert tree(repo_copy.root) == before  # not one file written, nothing overwritten


def test_labelstudio_server_every_problem_at_once_and_skip_invalid(
    server: tuple[str, str], repo_copy: Repo, tax: Taxonomy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing norm, a span with a trailing space and a duplicate span, in one annotation, are
    reported in one run, each by task, annotation, annotator and region (before: one per round,
    the later ones at a line of a file that did not exist). --skip-invalid imports the others."""
    url, token = server
    text = make_tasks(repo_copy, [EDITED], "none", "gold", None)[0]["data"]["text"]
    good = gold_results(repo_copy, tax, EDITED)
    at = text.index("Vladivostok")
    slips = [r for r in good if not (r["id"] == "e3" and r["from_name"] == "norm")]  # e3: norm left empty
    slips += region("space1", "entities", at, "Vladivostok,", "GPE", "Vladivostok")  # trailing comma, fine
    slips[-2]["value"]["text"] = "Vladivostok, "
    slips[-2]["value"]["end"] = slips[-1]["value"]["end"] = at + len("Vladivostok, ")  # ... and a trailing space
    e4 = next(r for r in good if r["id"] == "e4" and r["from_name"] == "entities")
    slips += region("twin4", "entities", e4["value"]["start"], e4["value"]["text"], "GPE", "USSR")  # e4 twice
    student = second_user(url, token)
    export, _ = server_export(url, token, repo_copy, tmp_path, {EDITED: [(good, None), (slips, student)]})
    task_id, annotation_id = (lambda t: (t["id"], t["annotations"][1]["id"]))(json.loads(export.read_text())[0])
    out = tmp_path / "passes"
    args = ["--root", str(repo_copy.root), "labelstudio", "import", str(export), "--out", str(out)]
    assert main(args) == 1
    printed = capsys.readouterr().out
    where = f"(task {task_id}, doc {EDITED}, annotation {annotation_id} by ls-{student}, region "
    assert f"{where}'e3'): [ls-region-incomplete]" in printed
    assert f"{where}'space1'): [span-edge-whitespace]" in printed
    assert (
        f"{where}'twin4'): [span-duplicate] Same span and label as region 'e4' ($[0].annotations[1].result[" in printed
    )
    assert printed.count(f"{where}'space1')") == 1  # only its whitespace: its norm is there
    assert ".jsonl:" not in printed and "as line" not in printed  # no line of a file that does not exist
    assert not out.exists()
    assert main([*args, "--skip-invalid"]) == 1
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.jsonl")) == [f"ls-1/{EDITED}.jsonl"]
    assert f"skipped 1 with problems:\n  {out / f'ls-{student}' / f'{EDITED}.jsonl'}" in capsys.readouterr().err


def test_labelstudio_server_drafts_and_empty_exports_are_reported(
    server: tuple[str, str], repo_copy: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: an export with no annotations printed nothing and exited 0, drafts were skipped unsaid."""
    url, token = server
    export, project = server_export(url, token, repo_copy, tmp_path, {EDITED: [], CANCELLED: []})
    with connect(url, token) as ls:
        task = next(iter(ls.tasks.list(project=project, fields="all")))
    genre = [{"id": "g", "from_name": "genre", "to_name": "text", "type": "choices", "value": {"choices": ["opinion"]}}]
    import httpx

    response = httpx.post(
        f"{url}/api/tasks/{task.id}/drafts", headers={"Authorization": f"Token {token}"}, json={"result": genre}
    )
    assert response.status_code == 201, response.text
    export.write_text(json.dumps(pull(url, token, project)), encoding="utf-8")
    before = tree(repo_copy.root)
    assert main(["--root", str(repo_copy.root), "labelstudio", "import", str(export)]) == 1
    out, err = capsys.readouterr()
    assert "[ls-export-empty] No submitted annotation in the export (2 tasks, 0 cancelled, 1 unsubmitted drafts)" in out
    assert (
        f"note: task {task.id}, doc {task.data['doc_id']}: 1 unsubmitted draft left out (by tester@example.org" in err
    )
    assert tree(repo_copy.root) == before

    empty = push(repo_copy, url, token, [], None, "no tasks")
    export.write_text(json.dumps(pull(url, token, empty)), encoding="utf-8")
    assert export.read_text(encoding="utf-8") == "[]"
    assert main(["--root", str(repo_copy.root), "labelstudio", "import", str(export)]) == 1
    assert "[ls-export-empty] No submitted annotation in the export (0 tasks" in capsys.readouterr().out
