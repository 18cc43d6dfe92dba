"""Writing files safely (a module of its own: light to import, unlike :mod:`dprkmedia.build.writer`).

Every file the package writes (the dataset, README and DATASHEET, imports, exports, the site, generated
files) goes through :func:`atomic_write_bytes`: a temporary file beside the target, then a rename, so that a
reader never sees half a file and a failure leaves the old one as it was. The temporary file is created with
the mode any new file gets (``0o666`` less the umask, as ``open()`` does: 0644 under the usual umask 022,
0640 under 027), not with :func:`tempfile.mkstemp`'s private 0600: on a shared class server the other users
must be able to read README.md and the Parquet files.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from dprkmedia.model.issues import DprkMediaError

TRIES = 100
"""Random temporary names to try before giving up (a clash needs another writer in the same folder)."""


class WriteError(DprkMediaError, OSError):
    """A file or folder that cannot be written: says which, why, and what to check (exit 2: environment)."""

    def __init__(self, path: Path, error: OSError) -> None:
        reason = error.strerror or str(error)
        blocking = next((p for p in reversed(path.parents) if p.exists() and not p.is_dir()), None)
        if blocking is not None:
            reason = f"{blocking} is a file, not a folder"
        elif path.is_dir():
            reason = "it is a folder; name a file"
        super().__init__(
            f"cannot write {path}: {reason}. Nothing was changed there. Check that every folder on the way "
            "exists (and is a folder, not a file), that the target is not a folder, that you may write "
            "there, and that the disk is not full."
        )
        self.path = path
        self.reason = reason


def _temp_path(folder: Path, name: str) -> Path:
    return folder / f".{name}.{secrets.token_hex(6)}.tmp"


def atomic_write_bytes(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, with the umask's mode.

    The mode follows the umask also when ``path`` already exists (a file that an older version wrote
    private becomes readable again); folders that are missing are made, with the umask's mode too.
    ``private`` is for secrets (a password, an API token): the file is 0600 whatever the umask.
    """
    try:
        _write(path, data, 0o600 if private else 0o666)
    except OSError as error:
        raise WriteError(path, error) from error


def _write(path: Path, data: bytes, mode: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(TRIES):
        temp = _temp_path(path.parent, path.name)
        try:
            handle = os.open(temp, flags, mode)  # the kernel applies the umask
        except FileExistsError:
            continue
        break
    else:
        raise FileExistsError(f"{path.parent}: no free temporary file name after {TRIES} tries")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def make_staging_dir(target: Path) -> Path:
    """A new empty folder beside ``target`` (hidden, ``.tmp``), to fill and then rename onto it.

    Made with the umask's mode (0755 under umask 022), unlike :func:`tempfile.mkdtemp`'s private 0700:
    the folder becomes ``target`` and must be as readable as any folder the user makes.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(TRIES):
            temp = _temp_path(target.parent, target.name)
            try:
                temp.mkdir(0o777)  # the kernel applies the umask
            except FileExistsError:
                continue
            return temp
        raise FileExistsError(f"{target.parent}: no free temporary folder name after {TRIES} tries")
    except OSError as error:
        raise WriteError(target, error) from error
