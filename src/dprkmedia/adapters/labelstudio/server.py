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
PROJECT_FILE = "project.json"
"""Where ``serve`` keeps Label Studio's SQLite store, token, login and project id (git-ignored)."""
QUIET = {
    "LABEL_STUDIO_SENTRY_DSN": "",
    "LABEL_STUDIO_FRONTEND_SENTRY_DSN": "",
    "LABEL_STUDIO_LATEST_VERSION_CHECK": "false",
    "LABEL_STUDIO_COLLECT_ANALYTICS": "false",
}
"""Label Studio 1.23's own settings (``core/settings/base.py`` and ``label_studio.py``; a setting
NAME is read from ``LABEL_STUDIO_NAME`` first) that keep it from calling out: error reports to
Heartex's Sentry from the server and from the browser (both on by default), the version check
against PyPI at start, and usage analytics (``tele.labelstud.io``, Google Analytics on the login
page). Classrooms care; tasks hold no media, so nothing else is fetched."""
HANDLED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class LabelStudioError(DprkMediaError, RuntimeError):
    """A server problem, with a one-line message that says what to do."""


class LabelStudioSetupError(LabelStudioError):
    """What ``serve`` needs is missing or taken (the SDK, the server program, the port): exit 2."""


def require_sdk() -> None:
    """Fail at once, with what to install, when the SDK is missing (before any server starts)."""
    try:  # the optional 'labelstudio' extra (label-studio-sdk, httpx): only when a server is used
        import httpx  # noqa: F401
        import label_studio_sdk  # noqa: F401
    except ImportError as error:
        raise LabelStudioSetupError(
            f"label-studio-sdk is not installed ({error.name} is missing): "
            "pip install 'dprk-russia-media[labelstudio]' (make test and make labelstudio install it)"
        ) from error


@contextmanager
def connect(url: str | None, api_key: str | None) -> Iterator[Any]:
    """An SDK client whose HTTP connections are closed on exit; a one-line LabelStudioError
    when the server or key is missing or the SDK is not installed."""
    if not url or not api_key:
        raise LabelStudioError("no server: pass --url and --api-key or set LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY")
    require_sdk()
    import httpx
    from label_studio_sdk import LabelStudio

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
    if status is not None:  # the server answered: say what it said (not its headers)
        body = getattr(error, "body", None)
        detail = body.get("validation_errors") or body.get("detail") if isinstance(body, dict) else body
        return LabelStudioError(f"{url} answered HTTP {status}: {detail}")
    text = str(error)
    if "Connection refused" in text or "Connect" in type(error).__name__:
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
    if tasks:  # Label Studio refuses an import of no tasks
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


def find_program(command: str) -> str:
    """The label-studio program ``command`` names, or a LabelStudioSetupError that says how to get it."""
    found = shutil.which(command) or (command if Path(command).is_file() and os.access(command, os.X_OK) else None)
    if found is None:
        raise LabelStudioSetupError(
            f"'{command}' not found: pip install label-studio (in a venv of its own; make labelstudio does it), "
            "or pass --label-studio PATH"
        )
    return found


def check_port(port: int) -> None:
    """Refuse a port that something listens on (or that cannot be used), before starting anything.
    Binds as Label Studio's server will (SO_REUSEADDR: closed connections do not count)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as error:
            raise LabelStudioSetupError(
                f"port {port} on 127.0.0.1 cannot be used ({error.strerror}): something else listens there "
                "(another 'dprkmedia labelstudio serve'?); stop it, or pass --port with a free port"
            ) from error
        except OverflowError as error:
            raise LabelStudioSetupError(f"port {port} is not a port number (1-65535)") from error


def start_server(
    command: str, data_dir: Path, port: int, email: str, password: str, token: str
) -> subprocess.Popen[bytes]:
    """Start ``label-studio`` on 127.0.0.1 with its data in ``data_dir`` and its outbound calls
    off (:data:`QUIET`); logs go to data_dir/server.log."""
    command = find_program(command)
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        **QUIET,
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

    received: list[int] = []

    def interrupt(signum: int, frame: object) -> None:
        received.append(signum)
        raise KeyboardInterrupt(signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, interrupt) for sig in HANDLED}
    try:
        yield
    finally:
        # Once a signal asked us to stop, we are on the way out: a second one (an impatient Ctrl-C,
        # a supervisor repeating SIGTERM) stays ignored rather than killing us between the server's
        # stop and our exit, so that the exit status says the stop went through.
        if not received:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def stop_for_sure(process: subprocess.Popen[bytes]) -> None:
    """Stop the server whatever comes meanwhile: further SIGINT, SIGTERM and SIGHUP are ignored
    until it is down (a second Ctrl-C must not cut the stop short and leave it running), and a
    signal that arrives before they are ignored only starts the stop again."""
    while True:
        try:
            for sig in HANDLED:
                signal.signal(sig, signal.SIG_IGN)
            stop_server(process)
            return
        except KeyboardInterrupt:
            continue


def login(data_dir: Path) -> dict[str, str]:
    """The local server's login, made once and kept in data_dir/login.json (readable by its
    owner only: it holds the password and the API key)."""
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


def remembered_project(data_dir: Path) -> int | None:
    """The id of the project ``serve`` made last time (data_dir/project.json), if any."""
    path = data_dir / PROJECT_FILE
    if not path.exists():
        return None
    try:
        project = json.loads(path.read_text(encoding="utf-8")).get("project")
    except (OSError, UnicodeDecodeError, ValueError, AttributeError) as error:
        raise LabelStudioSetupError(f"cannot read {path} ({error}); delete it to start a new project") from error
    return project if isinstance(project, int) else None


def serve(repo: Repo, port: int, command: str, spans: str) -> int:
    """Start a local server (the ``command`` program on ``port``) with the corpus project and
    tasks with ``spans``; runs until interrupted. Everything it needs (the SDK, the program, the
    port, the tasks) is checked before anything starts, and the server is stopped on every way
    out: a signal, an error, an exception."""
    require_sdk()
    program = find_program(command)
    check_port(port)
    tasks = make_tasks(repo, [], spans, "gold", None)
    data_dir = repo.root / SERVE_DIR
    remembered = remembered_project(data_dir)
    who = login(data_dir)
    url = f"http://127.0.0.1:{port}"
    with interruptible():
        process = start_server(program, data_dir, port, who["email"], who["password"], who["token"])
        try:
            _run(repo, process, url, data_dir, who, tasks, remembered)
        except KeyboardInterrupt:
            pass
        finally:
            stop_for_sure(process)
    return 0


def _run(
    repo: Repo,
    process: subprocess.Popen[bytes],
    url: str,
    data_dir: Path,
    who: dict[str, str],
    tasks: list[dict[str, Any]],
    remembered: int | None,
) -> None:
    """Wait for the server, reuse or create the project, then wait until the server ends or a signal comes."""
    print(f"Starting Label Studio at {url} (log: {data_dir / 'server.log'}) ...", file=sys.stderr, flush=True)
    wait_until_up(url, process, 300, data_dir / "server.log")
    project, done = ensure_project(repo, url, who["token"], tasks, remembered)
    atomic_write_bytes(data_dir / PROJECT_FILE, json.dumps({"project": project}).encode("utf-8"))
    print(done, file=sys.stderr, flush=True)
    print(
        f"Label Studio: {url}/projects/{project}\nlogin: {who['email']}  password: {who['password']}\n"
        f"API key: {who['token']}\nPress Ctrl-C to stop.",
        flush=True,
    )
    process.wait()


def ensure_project(
    repo: Repo, url: str, token: str, tasks: list[dict[str, Any]], remembered: int | None
) -> tuple[int, str]:
    """The project ``serve`` made before when it is still there (its config brought up to date,
    tasks added for new documents only), else a new one; and a line that says which."""
    try:
        with connect(url, token) as ls:
            gone = ""
            if remembered is not None:
                try:
                    project = ls.projects.get(id=remembered)
                except Exception as error:
                    if getattr(error, "status_code", None) != 404:
                        raise
                    gone = f"The project {remembered} remembered in {SERVE_DIR / PROJECT_FILE} is gone; "
                else:
                    return remembered, _update(ls, repo, project, tasks, url)
            created = _push(ls, repo, tasks, None, DEFAULT_TITLE)
            return created, f"{gone}{'created' if gone else 'Created'} project {created} with {len(tasks)} tasks."
    except LabelStudioError:
        raise
    except Exception as error:  # the SDK raises its own and httpx's errors
        raise explain(error, url) from error


def _update(ls: Any, repo: Repo, project: Any, tasks: list[dict[str, Any]], url: str) -> str:
    """Bring a reused project up to date: the config of the current taxonomy, and a task for
    each document it has none for (existing tasks and their annotations stay as they are)."""
    config = labeling_config(load_taxonomy(repo.schema_dir))
    said = ""
    if project.label_config != config:
        try:
            ls.projects.update(id=project.id, label_config=config)
            said = " Its labeling config was brought up to date."
        except Exception as error:
            said = f" It keeps its old labeling config: {explain(error, url)}"
    have = {task.data.get("doc_id") for task in ls.tasks.list(project=project.id, fields="all")}
    new = [task for task in tasks if task["data"]["doc_id"] not in have]
    if new:
        ls.projects.import_tasks(id=project.id, request=new)
    added = f", {len(new)} added for new documents" if new else ""
    return f"Reusing project {project.id} ({len(have)} tasks kept{added}).{said}"
