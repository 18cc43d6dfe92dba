"""Label Studio servers: ``serve`` (a local one) and ``push`` / ``pull`` (any one, via the SDK)."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dprkmedia.adapters.labelstudio.format import labeling_config
from dprkmedia.adapters.labelstudio.tasks import make_tasks
from dprkmedia.corpus.fileio import atomic_write_bytes
from dprkmedia.corpus.repo import Repo
from dprkmedia.model.issues import DprkMediaError
from dprkmedia.model.taxonomy import load_taxonomy

DEFAULT_TITLE = "DPRK–Russia State Media Corpus"
SERVE_DIR = Path(".labelstudio")
"""Where ``serve`` keeps Label Studio's SQLite store, token and login (git-ignored)."""


class LabelStudioError(DprkMediaError, RuntimeError):
    """A server problem, with a one-line message that says what to do."""


@contextmanager
def connect(url: str | None, api_key: str | None) -> Iterator[Any]:
    """An SDK client whose HTTP connections are closed on exit; a one-line LabelStudioError
    when the server or key is missing or the SDK is not installed."""
    if not url or not api_key:
        raise LabelStudioError("no server: pass --url and --api-key or set LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY")
    try:  # the optional 'labelstudio' extra (label-studio-sdk, httpx): only when a server is used
        import httpx
        from label_studio_sdk import LabelStudio
    except ImportError as error:
        raise LabelStudioError(
            "label-studio-sdk is not installed: pip install 'dprk-russia-media[labelstudio]'"
        ) from error
    with httpx.Client(timeout=120) as http:
        yield LabelStudio(base_url=url, api_key=api_key, httpx_client=http)  # type: ignore[no-untyped-call]


def explain(error: Exception, url: str) -> LabelStudioError:
    """Turn an SDK or network error into a one-line message that says what to do."""
    status = getattr(error, "status_code", None)
    if status in (401, 403):
        return LabelStudioError(
            f"{url} refused the API key (HTTP {status}): copy a valid token from Account & Settings"
        )
    if status == 404:
        return LabelStudioError(f"{url}: project not found (HTTP 404): check --project against the server's projects")
    text = str(error)
    if "Connection refused" in text or "ConnectError" in type(error).__name__ or "connect" in text.lower():
        return LabelStudioError(
            f"cannot connect to {url}: is Label Studio running there? (start one: dprkmedia labelstudio serve)"
        )
    return LabelStudioError(f"{url}: {type(error).__name__}: {text.splitlines()[0] if text else ''}")


def push(repo: Repo, url: str, api_key: str, tasks: list[dict[str, Any]], project: int | None, title: str) -> int:
    """Create (or reuse) a project with the corpus config and import ``tasks``; return its id."""
    try:
        with connect(url, api_key) as ls:
            project = _push(ls, repo, tasks, project, title)
    except LabelStudioError:
        raise
    except Exception as error:  # the SDK raises its own and httpx's errors
        raise explain(error, url) from error
    return project


def _push(ls: Any, repo: Repo, tasks: list[dict[str, Any]], project: int | None, title: str) -> int:
    if project is None:
        created = ls.projects.create(title=title, label_config=labeling_config(load_taxonomy(repo.schema_dir)))
        project = int(created.id)
    else:
        ls.projects.get(id=project)
    ls.projects.import_tasks(id=project, request=tasks)
    return project


def pull(url: str, api_key: str, project: int) -> list[Any]:
    """The project's JSON export (all tasks)."""
    try:
        with connect(url, api_key) as ls:
            ls.projects.get(id=project)
            chunks = ls.projects.exports.download_sync(project, export_type="JSON", download_all_tasks=True)
            data = json.loads(b"".join(chunks).decode("utf-8"))
    except LabelStudioError:
        raise
    except Exception as error:
        raise explain(error, url) from error
    if not isinstance(data, list):
        raise LabelStudioError(f"{url}: the export of project {project} is not a list of tasks")
    return data


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float, log: Path) -> None:
    """Poll ``url/health`` until it answers, the process dies, or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LabelStudioError(f"Label Studio exited with code {process.returncode}; see {log}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(1)
    raise LabelStudioError(f"Label Studio did not answer at {url} within {timeout:.0f}s; see {log}")


def start_server(
    command: str, data_dir: Path, port: int, email: str, password: str, token: str
) -> subprocess.Popen[bytes]:
    """Start ``label-studio`` on 127.0.0.1 with its data in ``data_dir``; logs go to data_dir/server.log."""
    if shutil.which(command) is None and not Path(command).is_file():
        raise LabelStudioError(
            f"'{command}' not found: pip install label-studio (in a venv of its own), or pass --label-studio PATH"
        )
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
        "HOME": str(data_dir),
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
    }
    with (data_dir / "server.log").open("ab") as log:  # the child keeps its own copy of the handle
        return subprocess.Popen(
            [
                command,
                "start",
                "--no-browser",
                "--internal-host",
                "127.0.0.1",
                "--port",
                str(port),
                "--data-dir",
                str(data_dir),
                # "--opt=value": a generated password may start with "-"
                f"--username={email}",
                f"--password={password}",
                f"--user-token={token}",
                "--enable-legacy-api-token",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,  # its own process group: stopped as a whole, see stop_server
        )


def stop_server(process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """Stop Label Studio and every process it started (its process group): SIGTERM, then SIGKILL."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=timeout)
            return
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def interruptible() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP raise KeyboardInterrupt while the block runs, whatever this
    process inherited: a shell that starts a job in the background (nohup, CI runners) makes it
    ignore SIGINT, and then neither Ctrl-C nor ``kill -INT`` would stop the server."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(signal.Signals(signum).name)

    handled = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {sig: signal.signal(sig, interrupt) for sig in handled}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def login(data_dir: Path) -> dict[str, str]:
    """The local server's login, made once and kept in data_dir/login.json."""
    path = data_dir / "login.json"
    if path.is_file():
        loaded: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
        return loaded
    made = {
        "email": "annotator@localhost.localdomain",
        "password": secrets.token_urlsafe(12),
        "token": secrets.token_hex(20),
    }
    atomic_write_bytes(path, json.dumps(made).encode("utf-8"), private=True)  # a password and a token
    return made


def serve(repo: Repo, port: int, command: str, spans: str) -> int:
    """Start a local server (the ``command`` program on ``port``) with the project, tasks with
    ``spans``; runs until interrupted."""
    data_dir = repo.root / SERVE_DIR
    who = login(data_dir)
    url = f"http://127.0.0.1:{port}"
    with interruptible():
        process = start_server(command, data_dir, port, who["email"], who["password"], who["token"])
        try:
            _run(repo, process, url, data_dir, who, spans)
        except KeyboardInterrupt:
            pass
        finally:
            stop_server(process)
    return 0


def _run(
    repo: Repo, process: subprocess.Popen[bytes], url: str, data_dir: Path, who: dict[str, str], spans: str
) -> None:
    """Wait for the server, push the project, then wait until the server ends or a signal comes."""
    print(f"Starting Label Studio at {url} (log: {data_dir / 'server.log'}) ...", file=sys.stderr)
    wait_until_up(url, process, 300, data_dir / "server.log")
    project = push(repo, url, who["token"], make_tasks(repo, [], spans, "gold", None), None, DEFAULT_TITLE)
    print(
        f"Label Studio: {url}/projects/{project}\nlogin: {who['email']}  password: {who['password']}\n"
        f"API key: {who['token']}\nPress Ctrl-C to stop."
    )
    process.wait()
