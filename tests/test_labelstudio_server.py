"""Against a real Label Studio server started on a free loopback port.

`make test` installs `label-studio` into .venv-labelstudio (its own environment, so its pins
never constrain ours) and sets DPRKMEDIA_LABEL_STUDIO and DPRKMEDIA_REQUIRE_LABEL_STUDIO, so
there this test can never be skipped. Run by hand without them, it is skipped.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dprkmedia.adapters.labelstudio.format import records_to_results
from dprkmedia.adapters.labelstudio.importing import read_export_file
from dprkmedia.adapters.labelstudio.server import (
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


def test_labelstudio_serve_starts_a_ready_project(repo_copy: Repo) -> None:
    """Also started as CI starts it, with SIGINT ignored: Ctrl-C must still stop serve and the server."""
    command = label_studio_command()
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dprkmedia.cli",
            "--root",
            str(repo_copy.root),
            "labelstudio",
            "serve",
            "--port",
            str(port),
            "--label-studio",
            command,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        preexec_fn=ignore_sigint,
    )
    try:
        assert process.stdout is not None
        printed = [process.stdout.readline() for _ in range(3)]
        assert printed[0].startswith(f"Label Studio: http://127.0.0.1:{port}/projects/"), printed
        assert printed[1].startswith("login: ") and "password: " in printed[1]
        key = printed[2].removeprefix("API key: ").strip()
        project = int(printed[0].rsplit("/", 1)[1])
        with connect(f"http://127.0.0.1:{port}", key) as ls:
            tasks = list(ls.tasks.list(project=project, fields="all"))
        assert sorted(task.data["doc_id"] for task in tasks) == sorted(
            p.stem for p in repo_copy.annotations_dir.glob("0*.jsonl")
        )
        assert (repo_copy.root / ".labelstudio" / "server.log").is_file()
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=120) == 0
        if process.stdout:
            process.stdout.close()
    assert port_is_free(port), "Label Studio outlived serve"


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
