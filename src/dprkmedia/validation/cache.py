"""What the last validation or build found, so that the next one redoes only what changed.

The cache is an SQLite file, ``build/.cache/checks.sqlite3`` (``build/`` is ignored by git). It
holds, for every document, the **content hashes** (SHA-256) of its files (raw page, gold and pass
annotation files) and its metadata record, the key made of them, and the issues its checks gave;
and, for the metadata file, its hash and what parsing it gave. A document whose key is unchanged
is not checked again: its recorded issues are reported.

It is never trusted beyond what it can prove:

* Every key includes a **fingerprint** of everything else a check depends on: the format of the
  cache, the package's own source files, the versions of Python, spaCy and the schema library,
  the files of ``schema/``, and the metadata's outlets and date-line format. Any change there
  and no recorded result is used.
* A file's recorded hash is reused without reading the file only when its size, modification and
  change times (nanoseconds) and inode are those recorded, and it was last modified more than
  :data:`RACY_NS` before the run that recorded it (git's "racily clean" rule: a file changed in
  the same instant as it was hashed is hashed again). Otherwise it is read and hashed.
* A file that cannot be read, a database that does not open or answer, a format of another
  version: the cache is discarded (and rebuilt), never half used. Every row carries its own
  checksum; a row whose checksum does not match is treated as missing.

``--no-cache`` turns it off. Nothing in it is needed: deleting it only costs time.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from dprkmedia.corpus.metadata import Inferred, Metadata, Outlet, Source
from dprkmedia.corpus.repo import Repo
from dprkmedia.model.catalogue import Code
from dprkmedia.model.issues import Issue

FORMAT = 1
"""Bumped whenever what the cache holds changes meaning."""
RACY_NS = 2_000_000_000
CACHE_FILE = Path("build") / ".cache" / "checks.sqlite3"
LIBRARIES = ("spacy", "jsonschema", "jsonschema-rs")

Stat = tuple[int, int, int, int]
"""``(size, mtime_ns, ctime_ns, inode)`` of a file."""


def stat_of(path: str) -> Stat | None:
    """A regular file's :data:`Stat`; None when it does not exist or is not a regular file."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def sha256_file(path: str) -> str | None:
    """SHA-256 of a file's bytes (None when it cannot be read)."""
    try:
        with open(path, "rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError:
        return None


def code_fingerprint() -> str:
    """What the checks are: this package's source files and the libraries they run."""
    digest = hashlib.sha256(f"format {FORMAT} python {sys.version}".encode())
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in LIBRARIES:
        try:
            digest.update(f"{name} {metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} -\0".encode())
    return digest.hexdigest()


def schema_fingerprint(repo: Repo) -> str:
    """The files of ``schema/`` (taxonomy and generated schemas)."""
    digest = hashlib.sha256()
    if repo.schema_dir.is_dir():
        for path in sorted(p for p in repo.schema_dir.rglob("*") if p.is_file()):
            digest.update(path.relative_to(repo.schema_dir).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def source_json(source: Source) -> str:
    """A metadata record as the checks see it (its line number included: issues name it)."""
    return json.dumps(asdict(source), sort_keys=True, ensure_ascii=False)


def source_from_json(text: str) -> Source:
    data = json.loads(text)
    data["inferred"] = {key: Inferred(**value) for key, value in data["inferred"].items()}
    return Source(**data)


def metadata_context(meta: Metadata) -> str:
    """What every document's checks read of the metadata besides its own record."""
    outlets = [asdict(outlet) for outlet in meta.outlets]
    return json.dumps({"outlets": outlets, "order": meta.date_line_order}, sort_keys=True, ensure_ascii=False)


def context_from_json(text: str) -> Metadata:
    data = json.loads(text)
    outlets = [Outlet(o["name"], tuple(o["aliases"]), tuple(o["domains"]), o["line"]) for o in data["outlets"]]
    return Metadata(outlets=outlets, date_line_order=data["order"])


def issues_to_json(issues: list[Issue]) -> str:
    return json.dumps([asdict(issue) for issue in issues], ensure_ascii=False)


def issues_from_json(text: str) -> list[Issue]:
    return [Issue(**{**data, "code": Code(data["code"])}) for data in json.loads(text)]


@dataclass(frozen=True)
class FileState:
    """A file of a document as last seen: its path (relative to the repository), its stat and its
    content hash (None: absent)."""

    path: str
    stat: Stat | None
    sha256: str | None


def signature(stats: list[Stat | None]) -> str:
    """The stats of a document's files as one string (compared as a whole)."""
    return ";".join("-" if st is None else f"{st[0]}:{st[1]}:{st[2]}:{st[3]}" for st in stats)


def newest(stats: list[Stat | None]) -> int:
    """The latest modification time among the files (0 when none exists)."""
    return max((st[1] for st in stats if st is not None), default=0)


@dataclass(frozen=True)
class Entry:
    """What the cache recorded of one document (its row)."""

    seq: int
    doc_id: str
    file: str
    source: str
    paths: str
    """The document's file paths, one a line."""
    files: str
    """JSON of the :class:`FileState` of each path."""
    key: str
    issues: str
    recorded: int
    """When the run that hashed its files began (ns since the epoch)."""
    signature: str
    newest: int

    def row(self) -> tuple[Any, ...]:
        fields = (self.doc_id, self.file, self.source, self.paths, self.files, self.key, self.issues)
        rest = (self.recorded, self.signature, self.newest)
        return (self.seq, *fields, *rest, _checksum(*fields, *rest))

    def proven(self, now: str) -> bool:
        """Whether the files' stats now (:func:`signature`) prove them unchanged since hashed."""
        return now == self.signature and self.newest < self.recorded - RACY_NS

    def states(self) -> tuple[FileState, ...]:
        return tuple(FileState(p, tuple(st) if st else None, h) for p, st, h in json.loads(self.files))

    def known(self, stats: list[Stat | None]) -> tuple[str | None, ...]:
        """Per file, the recorded hash when its stat proves it unchanged (else None)."""
        return tuple(
            state.sha256 if stat is not None and state.stat == stat and stat[1] < self.recorded - RACY_NS else None
            for state, stat in zip(self.states(), stats, strict=True)
        )


def make_entry(
    seq: int, doc_id: str, file: str, source: str, files: tuple[FileState, ...], key: str, issues: str, recorded: int
) -> Entry:
    """The row of a document whose files were just hashed."""
    stats = [state.stat for state in files]
    encoded = json.dumps([[f.path, f.stat, f.sha256] for f in files])
    paths = "\n".join(state.path for state in files)
    return Entry(seq, doc_id, file, source, paths, encoded, key, issues, recorded, signature(stats), newest(stats))


def doc_key(context: str, source: str, files: list[FileState]) -> str:
    """The key of a document's checks: every content they read."""
    digest = hashlib.sha256(context.encode() + b"\0" + source.encode() + b"\0")
    for state in files:
        digest.update(f"{state.path}\0{state.sha256}\0".encode())
    return digest.hexdigest()


def _checksum(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]


COLUMNS = (
    "seq INTEGER PRIMARY KEY, id TEXT, file TEXT, source TEXT, paths TEXT, files TEXT, key TEXT, issues TEXT,"
    " recorded INTEGER, signature TEXT, newest INTEGER, checksum TEXT"
)


class CheckCache:
    """The cache of one repository (see the module docstring). Use :meth:`open`."""

    def __init__(self, connection: sqlite3.Connection, fingerprint: str) -> None:
        self.db = connection
        self.fingerprint = fingerprint
        self.started = time.time_ns()
        self.broken = False
        self.table = "docs"

    @classmethod
    def open(cls, repo: Repo) -> CheckCache | None:
        """The repository's cache, emptied if it is of another format or fingerprint; None when
        it cannot be used at all (a read-only repository)."""
        path = repo.root / CACHE_FILE
        fingerprint = hashlib.sha256((code_fingerprint() + schema_fingerprint(repo)).encode()).hexdigest()
        for attempt in range(2):
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(path, timeout=30)
                cache = cls(db, fingerprint)
                cache._prepare()
                return cache
            except (sqlite3.Error, OSError):
                if attempt == 0:
                    path.unlink(missing_ok=True)  # corrupt: start over
        return None

    def _prepare(self) -> None:
        db = self.db
        db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute(f"CREATE TABLE IF NOT EXISTS docs ({COLUMNS})")
        db.execute("CREATE INDEX IF NOT EXISTS docs_id ON docs (id)")
        if db.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise sqlite3.DatabaseError("the cache does not pass its integrity check")
        if self.get_meta("fingerprint") != self.fingerprint:
            with db:
                db.execute("DELETE FROM docs")
                db.execute("DELETE FROM meta")
                db.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (self.fingerprint,))

    def get_meta(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    # --- reading ------------------------------------------------------------------------------

    def metadata(self, repo: Repo) -> tuple[Metadata, list[Issue], int] | None:
        """``(outlets and date-line format, issues, number of source records)`` of the metadata
        file, when it is the one recorded (then :meth:`rows` gives its sources)."""
        try:
            recorded = self.get_meta("metadata")
            if recorded is None:
                return None
            data = json.loads(recorded)
            parts = (data["state"], data["context"], data["issues"], data["count"], data["recorded"])
            if data["checksum"] != _checksum(*parts):
                return None
            recorded_stat, sha = data["state"]
            now = stat_of(str(repo.metadata_file))
            trusted = now is not None and list(now) == recorded_stat and now[1] < data["recorded"] - RACY_NS
            if not trusted and sha256_file(str(repo.metadata_file)) != sha:
                return None
            return context_from_json(data["context"]), issues_from_json(data["issues"]), int(data["count"])
        except (sqlite3.Error, ValueError, KeyError, TypeError):
            return None

    def rows(self) -> Iterator[Entry | None]:
        """Every recorded document, in the metadata file's order (None: a row that fails its checksum)."""
        try:
            for row in self.db.execute("SELECT * FROM docs ORDER BY seq"):
                yield self._entry(row)
        except sqlite3.Error as error:
            raise CacheBroken from error

    def lookup(self, doc_id: str) -> Entry | None:
        """What was recorded of document ``doc_id`` (None: nothing usable)."""
        try:
            row = self.db.execute("SELECT * FROM docs WHERE id = ? ORDER BY seq DESC", (doc_id,)).fetchone()
            return None if row is None else self._entry(row)
        except sqlite3.Error:
            return None

    @staticmethod
    def _entry(row: tuple[Any, ...]) -> Entry | None:
        entry = Entry(*row[:-1])
        return entry if entry.row()[-1] == row[-1] else None

    # --- recording ----------------------------------------------------------------------------

    def begin(self, rewrite: bool) -> None:
        """Start recording this run: in place (``rewrite`` False: the metadata file is the one
        recorded, rows of unchanged documents stay), or into a new table that replaces the old."""
        try:
            if rewrite:
                self.db.execute("DROP TABLE IF EXISTS docs_new")
                self.db.execute(f"CREATE TABLE docs_new ({COLUMNS})")
                self.table = "docs_new"
        except sqlite3.Error:
            self.broken = True

    def put(self, entry: Entry) -> None:
        """Record a document of this run."""
        if self.broken:
            return
        try:
            self.db.execute(f"INSERT OR REPLACE INTO {self.table} VALUES ({', '.join('?' * 12)})", entry.row())
        except sqlite3.Error:
            self.broken = True

    def finish(self, repo: Repo, context: str, issues: list[Issue], count: int) -> None:
        """Make this run's records the cache's, with the metadata file's hash, context and issues."""
        if self.broken:
            return
        now = stat_of(str(repo.metadata_file))
        state = [list(now) if now else None, sha256_file(str(repo.metadata_file))]
        found = issues_to_json(issues)
        data: dict[str, Any] = {"state": state, "context": context, "issues": found, "count": count}
        data["recorded"] = self.started
        data["checksum"] = _checksum(state, context, found, count, self.started)
        try:
            with self.db:
                if self.table == "docs_new":
                    self.db.execute("DROP TABLE docs")
                    self.db.execute("ALTER TABLE docs_new RENAME TO docs")
                    self.db.execute("CREATE INDEX IF NOT EXISTS docs_id ON docs (id)")
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('metadata', ?)", (json.dumps(data),))
        except sqlite3.Error:
            self.broken = True

    def reset(self) -> None:
        """Forget everything recorded."""
        try:
            self.db.rollback()
            with self.db:
                self.db.execute("DELETE FROM docs")
                self.db.execute("DELETE FROM meta WHERE name = 'metadata'")
        except sqlite3.Error:
            self.broken = True

    def close(self) -> None:
        """Close the database (what :meth:`finish` did not make the cache's is dropped)."""
        try:
            self.db.rollback()
            self.db.execute("DROP TABLE IF EXISTS docs_new")
        except sqlite3.Error:
            pass
        self.db.close()


class CacheBroken(Exception):
    """The cache failed while being read: the caller starts again without it."""


__all__ = [
    "CACHE_FILE",
    "CacheBroken",
    "CheckCache",
    "Entry",
    "FileState",
    "doc_key",
    "issues_from_json",
    "issues_to_json",
    "make_entry",
    "metadata_context",
    "sha256_file",
    "signature",
    "source_json",
    "stat_of",
]
