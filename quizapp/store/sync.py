"""Deck files → card rows. The notes are the source of the cards; the database keeps the history.

- new cards are added; cards whose text changed are updated in place (scheduling and review
  log kept); cards that disappeared are retired (hidden, history kept); a retired card whose
  key reappears comes back with its history;
- a deck file whose size and mtime match its last sync is not read at all; one whose content
  hash matches is not parsed;
- a deck file with errors is reported and its cards are left exactly as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from quizapp.notes.files import library_files
from quizapp.notes.model import LoadResult
from quizapp.paths import bundled_decks_dir
from quizapp.store.db import Database

Loader = Callable[..., LoadResult]


@dataclass
class SyncReport:
    """What a sync did. ``errors`` are one-line ``path:line: message`` strings."""

    added: int = 0
    updated: int = 0
    retired: int = 0
    restored: int = 0
    parsed_files: int = 0
    unchanged_files: int = 0
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.retired} retired, "
            f"{self.restored} restored ({self.parsed_files} files parsed, "
            f"{self.unchanged_files} unchanged, {len(self.errors)} errors)"
        )


class _Fingerprint(NamedTuple):
    """A deck file as it was last synced."""

    path: str
    id: int
    size: int
    mtime_ns: int
    content_hash: str


def deck_file_paths(deck_dirs: Sequence[Path]) -> list[Path]:
    """The deck files in ``deck_dirs`` as the notes loader finds them, duplicates dropped, and a
    bundled deck left out where the user has a copy of it (the copy is the one synced)."""
    return [f for f, _ in library_files(deck_dirs, yielding=[bundled_decks_dir()])]


def file_hash(data: bytes) -> str:
    """A deck file's content hash. ``hashlib`` (OpenSSL, about 3 ms to load) is imported here,
    for a file whose size or modification time changed: an unchanged sync never needs it."""
    import hashlib

    return hashlib.sha256(data).hexdigest()


def sync_library(db: Database, deck_dirs: Sequence[Path], loader: Loader) -> SyncReport:
    """Sync every deck file in ``deck_dirs``, parsing only the files that changed.

    ``loader(deck_dirs, files=...)`` parses the changed files into complete card specs (computed
    answers filled in): the deck library's ``load_library``. The store itself never parses.
    """
    files = deck_file_paths(deck_dirs)
    with db.plain_read() as raw:  # the fingerprints: an unchanged library needs no more
        rows = raw.execute("SELECT path, id, size, mtime_ns, content_hash FROM deck_files")
        known = {r[0]: _Fingerprint(*r) for r in rows}
    changed: list[Path] = []
    touched: list[dict[str, Any]] = []
    unchanged = 0
    present: set[str] = set()
    for f in files:
        key = str(f.resolve())
        present.add(key)
        try:
            st = f.stat()
        except OSError:  # removed since it was listed
            continue
        row = known.get(key)
        if row is not None and row.size == st.st_size and row.mtime_ns == st.st_mtime_ns:
            unchanged += 1
            continue
        if row is not None and row.content_hash == file_hash(f.read_bytes()):
            touched.append({"id": row.id, "size": st.st_size, "mtime_ns": st.st_mtime_ns})
            unchanged += 1
            continue
        changed.append(f)
    vanished = [r for p, r in known.items() if p not in present]
    if not changed and not touched and not vanished:
        return SyncReport(unchanged_files=unchanged)
    result = LoadResult()
    if changed:
        result = loader(list(deck_dirs), files=changed)
    report = _write(db, result, vanished_paths={r.path for r in vanished}, touched=touched)
    report.unchanged_files = unchanged
    return report


def sync_decks(db: Database, result: LoadResult) -> SyncReport:
    """Sync a complete :class:`LoadResult`: deck files it does not mention are retired."""
    present = {str(Path(d.path).resolve()) for d in result.decks}
    present |= {str(Path(e.path).resolve()) for e in result.errors}
    with db.read() as conn:
        known = {path for (path,) in conn.exec_driver_sql("SELECT path FROM deck_files")}
    return _write(db, result, vanished_paths=known - present, touched=[], skip_unchanged=True)


def _write(
    db: Database,
    result: LoadResult,
    *,
    vanished_paths: Iterable[str],
    touched: list[dict[str, Any]],
    skip_unchanged: bool = False,
) -> SyncReport:
    """Write what changed into the rows: the one place the sync imports its writer (and the
    ORM with it), once a deck file changed, appeared or vanished."""
    from quizapp.store.sync_rows import write_changes

    return write_changes(
        db, result, vanished_paths=vanished_paths, touched=touched, skip_unchanged=skip_unchanged
    )
