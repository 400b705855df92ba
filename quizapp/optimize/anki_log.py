"""The review log of an Anki collection, read through the official ``anki`` package.

With :mod:`quizapp.export.anki`, the only module of quizapp that imports ``anki``. The file is
never opened in place: an ``.anki2`` is copied into a temporary directory first, and a
``.colpkg`` or ``.apkg`` is imported into a throwaway collection there, so the learner's Anki
files are left exactly as they were.

Anki's revlog ``type`` and ``ease`` give each entry its kind (:mod:`quizapp.optimize.items`):
0 learning, 1 review, 2 relearning, 3 filtered deck (``factor`` 0: cram, left out), 4 manual
(``factor`` 0: reset to new, else set due date), 5 rescheduled; ``ease`` 0 is no grade.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import zipfile
from contextlib import closing
from pathlib import Path

# anki.collection first: importing other anki modules before it is a circular import.
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from quizapp.errors import one_line
from quizapp.optimize import items as k
from quizapp.optimize.errors import OptimizeError
from quizapp.optimize.items import Entry, History, StudyDays

SUFFIXES = (".anki2", ".anki21", ".colpkg", ".apkg")
_TYPE_KIND = {0: k.LEARN, 1: k.REVIEW, 2: k.RELEARN, 3: k.FILTERED}
_SQLITE_MAGIC = b"SQLite format 3\x00"


def entry_kind(revlog_type: int, ease: int, factor: int) -> str:
    """The kind of one Anki revlog entry (the rules of Anki's ``reviews_for_fsrs``)."""
    if revlog_type == 3 and factor == 0:
        return k.CRAM
    if revlog_type == 4:
        return k.RESET if factor == 0 else k.MANUAL
    if revlog_type == 5:
        return k.RESCHEDULE
    if not 1 <= ease <= 4:
        return k.MANUAL
    return _TYPE_KIND.get(revlog_type, k.MANUAL)


def from_anki(path: Path, days: StudyDays) -> History:
    """Every card's revlog in an Anki collection (``.anki2``), a collection package
    (``.colpkg``) or a deck package exported with scheduling (``.apkg``).

    Raises :class:`OptimizeError` naming the file when it is not one of these.
    """
    name = str(path)
    if path.is_dir():
        raise OptimizeError(f"{name}: is a directory, not an Anki collection")
    if not path.is_file():
        raise OptimizeError(f"{name}: no such file")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise OptimizeError(
            f"{name}: not an Anki collection (expected a .anki2, .colpkg or .apkg file)"
        )
    with tempfile.TemporaryDirectory(prefix="quizapp-anki-") as tmp:
        target = Path(tmp) / "collection.anki2"
        try:
            col = _open(path, suffix, target)
        except OptimizeError:
            raise
        except Exception as err:  # the anki package raises many kinds; all mean "not usable"
            raise OptimizeError(f"{name}: not an Anki collection ({one_line(err)})") from None
        try:
            rows = col.db.all(
                "select cid, id, ease, type, factor, time from revlog order by cid, id"
            )
        except Exception as err:
            raise OptimizeError(f"{name}: not an Anki collection ({one_line(err)})") from None
        finally:
            col.close(downgrade=False)
    cards: dict[int, list[Entry]] = {}
    for cid, rid, ease, rtype, factor, taken in rows:
        at = rid / 1000
        kind = entry_kind(rtype, ease, factor)
        rating = ease if 1 <= ease <= 4 else 0
        cards.setdefault(cid, []).append((at, days(at), rating, kind, max(0, int(taken))))
    return History(cards, name)


def _open(path: Path, suffix: str, target: Path) -> Collection:
    name = str(path)
    if suffix in (".anki2", ".anki21"):
        with path.open("rb") as fh:
            if fh.read(16) != _SQLITE_MAGIC:
                raise OptimizeError(f"{name}: not an Anki collection (not an SQLite file)")
        shutil.copyfile(path, target)
        wal = path.with_name(path.name + "-wal")
        if wal.is_file():
            shutil.copyfile(wal, target.with_name(target.name + "-wal"))
        # Anki would turn any other SQLite file into a new, empty collection.
        with closing(sqlite3.connect(target)) as con:
            tables = {r[0] for r in con.execute("select name from sqlite_master")}
        if not {"col", "cards", "revlog"} <= tables:
            raise OptimizeError(f"{name}: not an Anki collection (no col, cards and revlog tables)")
        return Collection(str(target))
    if not zipfile.is_zipfile(path):
        raise OptimizeError(f"{name}: not an Anki package (not a zip file)")
    if suffix == ".colpkg":
        col = Collection(str(target))
        col.close(downgrade=False)
        media = target.parent / "media"
        col._backend.import_collection_package(
            col_path=str(target),
            backup_path=str(path),
            media_folder=str(media),
            media_db=str(target.parent / "media.db"),
        )
        col.reopen()
        return col
    col = Collection(str(target))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(path),
                options=ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False),
            )
        )
    except Exception:
        col.close(downgrade=False)
        raise
    return col
