"""Writing files safely (a module of its own: light to import, unlike :mod:`dprkmedia.build.writer`).

Every file the package writes (the dataset, README and DATASHEET, imports, exports, the site, generated
files) goes through :func:`atomic_write_bytes`: a temporary file beside the target, then a rename, so that a
reader never sees half a file and a failure leaves the old one as it was. The temporary file is created with
the mode any new file gets (``0o666`` less the umask, as ``open()`` does: 0644 under the usual umask 022,
0640 under 027), not with :func:`tempfile.mkstemp`'s private 0600: on a shared class server the other users
must be able to read README.md and the Parquet files.

Several files are written as one transaction by :func:`write_files` (stage every file, then rename;
on any failure nothing changes).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import tempfile
from collections.abc import Mapping
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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def stage_bytes(path: Path, data: bytes) -> Path:
    """A temporary file holding ``data`` beside ``path`` (same folder, so that renaming it onto
    ``path`` is atomic), with the mode a newly created file gets (0644 under the usual umask;
    ``mkstemp`` alone would leave 0600)."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fchmod(stream.fileno(), 0o666 & ~_umask())
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return Path(temp)


def _backup(path: Path) -> Path:
    """A second name for an existing file, to put it back if a later rename fails."""
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".bak")
    os.close(handle)
    backup = Path(name)
    backup.unlink()
    try:
        os.link(path, backup)  # no copy: the same file under a second name
    except OSError:
        shutil.copy2(path, backup)
    return backup


def write_files(files: Mapping[Path, bytes]) -> None:
    """Write all ``files`` or none of them: every file is first staged in a temporary file in
    its own folder, then all are renamed into place. When anything fails (a folder on the path
    is a file, the disk is full, a rename is refused), the files already renamed are put back
    as they were, the temporary files and the folders this call made are removed, and the
    error is raised: the tree is as before."""
    made: list[Path] = []
    staged: dict[Path, Path] = {}
    backups: dict[Path, Path] = {}
    done: list[Path] = []
    try:
        for path, data in files.items():
            _make_folders(path.parent, made)
            staged[path] = stage_bytes(path, data)
        for path in staged:
            if path.is_file():
                backups[path] = _backup(path)
        for path, temp in staged.items():
            os.replace(temp, path)
            done.append(path)
    except BaseException:
        _undo(done, staged, backups, made)
        raise
    for backup in backups.values():
        backup.unlink(missing_ok=True)


def _make_folders(folder: Path, made: list[Path]) -> None:
    """Create ``folder`` and its missing parents, noting each one made (for :func:`_undo`)."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for each in reversed(missing):
        each.mkdir()
        made.append(each)


def _undo(done: list[Path], staged: dict[Path, Path], backups: dict[Path, Path], made: list[Path]) -> None:
    """Put back what :func:`write_files` changed, as far as the file system lets it."""
    for path in reversed(done):
        with contextlib.suppress(OSError):
            if path in backups:
                os.replace(backups.pop(path), path)
            else:
                path.unlink()
    for path in [*staged.values(), *backups.values()]:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
    for folder in reversed(made):
        with contextlib.suppress(OSError):
            folder.rmdir()
