"""Writing files safely (a module of its own: light to import, unlike :mod:`dprkmedia.build.writer`):
one file through a temporary file and a rename, or several files as one transaction."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


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
