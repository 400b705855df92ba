"""Anki packages (.apkg), written with the official ``anki`` package.

The only module of quizapp that imports ``anki``. It builds a throwaway collection in a
temporary directory, adds the two quizapp note types (with fixed ids, so notes land on the
same note types on every import), the decks, the notes and, when asked, each card's
scheduling and review log; then Anki's own exporter writes the package.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

# anki.collection first: importing anki.cards before it is a circular import.
from anki.collection import AddNoteRequest, Collection, ExportAnkiPackageOptions

# isort: split
from anki.cards import Card, FSRSMemoryState
from anki.consts import (
    CARD_TYPE_LRN,
    CARD_TYPE_RELEARNING,
    CARD_TYPE_REV,
    MODEL_CLOZE,
    QUEUE_TYPE_DAY_LEARN_RELEARN,
    QUEUE_TYPE_LRN,
    QUEUE_TYPE_REV,
    QUEUE_TYPE_SUSPENDED,
)
from anki.errors import AnkiException

from quizapp.export.model import (
    BASIC_FIELDS,
    BASIC_NAME,
    CLOZE_FIELDS,
    CLOZE_NAME,
    ExportError,
    ExportNote,
)
from quizapp.export.progress import CardProgress, ReviewEntry

BASIC_NOTETYPE_ID = 1_700_000_000_501
CLOZE_NOTETYPE_ID = 1_700_000_000_502
# The note types' modification time. Bump it whenever the templates or CSS change, so
# importing updates the note types; otherwise a learner's own tweaks to them are kept.
NOTETYPE_MTIME = 1_767_225_600  # 2026-01-01

CSS = """\
.card {
  font-family: -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans KR",
    "Apple SD Gothic Neo", "Malgun Gothic", sans-serif;
  font-size: 20px;
  line-height: 1.55;
  text-align: left;
  color: #1d1d1f;
  background: #ffffff;
  max-width: 42em;
  margin: 0 auto;
  padding: 0 0.6em;
  word-break: keep-all;
  overflow-wrap: anywhere;
}
.qz-context { font-size: 0.68em; color: #777; margin-bottom: 0.7em; }
.qz-explanation { margin-top: 0.9em; font-size: 0.9em; color: #333; }
.qz-source { margin-top: 1.2em; font-size: 0.62em; color: #999; }
pre {
  background: #f5f5f5;
  padding: 0.6em 0.8em;
  border-radius: 4px;
  overflow-x: auto;
  white-space: pre;
  word-break: normal;
  overflow-wrap: normal;
}
code {
  font-family: "JetBrains Mono", "D2Coding", Menlo, Consolas, "Noto Sans Mono CJK KR", monospace;
  font-size: 0.88em;
}
:not(pre) > code { background: #f0f0f0; padding: 0.05em 0.25em; border-radius: 3px; }
.cloze { font-weight: bold; color: #1565c0; }
.nightMode .qz-context, .nightMode .qz-source { color: #9a9a9a; }
.nightMode .qz-explanation { color: #d0d0d0; }
.nightMode pre, .nightMode :not(pre) > code { background: #2b2b2b; }
.nightMode .cloze { color: #64b5f6; }
"""

_CONTEXT = '{{#Context}}<div class="qz-context">{{Context}}</div>{{/Context}}\n'
_SOURCE = '{{#Source}}<div class="qz-source">{{Source}}</div>{{/Source}}'
BASIC_QFMT = _CONTEXT + '<div class="qz-front">{{Front}}</div>'
BASIC_AFMT = (
    "{{FrontSide}}\n<hr id=answer>\n"
    '<div class="qz-back">{{Back}}</div>\n'
    '{{#Explanation}}<div class="qz-explanation">{{Explanation}}</div>{{/Explanation}}\n' + _SOURCE
)
CLOZE_QFMT = _CONTEXT + '<div class="qz-text">{{cloze:Text}}</div>'
CLOZE_AFMT = (
    _CONTEXT
    + '<div class="qz-text">{{cloze:Text}}</div>\n'
    + '{{#Extra}}<div class="qz-explanation">{{Extra}}</div>{{/Extra}}\n'
    + _SOURCE
)

_NOTE_CHUNK = 500
_REVLOG_CHUNK = 3000  # rows per INSERT (9 values each stays under SQLite's variable limit)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_REVLOG_TYPE = {"new": 0, "learning": 0, "review": 1, "relearning": 2}


@dataclass(frozen=True)
class PackageStats:
    notes: int
    cards: int
    reviews: int


def package_steps(notes: Sequence[ExportNote], progress: Mapping[str, CardProgress] | None) -> int:
    """How many progress-bar steps :func:`write_package` reports for these notes."""
    steps = len(notes) + 1
    if progress is not None:
        steps += sum(len(n.cards) for n in notes)
    return steps


def write_package(
    notes: Sequence[ExportNote],
    out_path: Path,
    progress: Mapping[str, CardProgress] | None = None,
    advance: Callable[[int], None] | None = None,
    now: datetime | None = None,
) -> PackageStats:
    """Write ``notes`` to an .apkg at ``out_path`` (replaced atomically).

    With ``progress`` (card key → progress), cards carry their due dates, FSRS memory state
    and review log, and the package is written with scheduling; without it, cards arrive new.
    ``advance(n)`` is called as work is done (see :func:`package_steps`).
    """
    step = advance or (lambda n: None)
    now = now or datetime.now(UTC)
    out_path = Path(out_path)
    part = _claim_output(out_path)
    try:
        with tempfile.TemporaryDirectory(prefix="quizapp-export-") as tmp:
            col = Collection(str(Path(tmp) / "collection.anki2"))
            try:
                basic, cloze = _add_notetypes(col)
                card_ids = _add_notes(col, notes, basic, cloze, step)
                reviews = 0
                if progress is not None:
                    reviews = _apply_progress(col, card_ids, progress, now, step)
                    # A card Anki did not generate still counts as a done step.
                    step(sum(len(n.cards) for n in notes) - len(card_ids))
                with _library_stderr_held():
                    col.export_anki_package(
                        out_path=str(part),
                        options=ExportAnkiPackageOptions(
                            with_scheduling=progress is not None,
                            with_deck_configs=False,
                            with_media=False,
                            legacy=False,
                        ),
                        limit=None,
                    )
                n_cards = col.card_count()
            finally:
                col.close()
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(part, 0o666 & ~umask)
        os.replace(part, out_path)
    except AnkiException as exc:
        raise ExportError(anki_failure(out_path, exc)) from None
    except OSError as exc:
        raise ExportError(f"cannot write {out_path}: {exc.strerror or exc}") from None
    finally:
        part.unlink(missing_ok=True)
    step(1)
    return PackageStats(notes=len(notes), cards=n_cards, reviews=reviews)


@contextlib.contextmanager
def _library_stderr_held() -> Iterator[None]:
    """Hold back what the Anki library prints on stderr itself (on a full disk its Rust zip
    writer prints ``ZipWriter drop failed: Io(...)`` with no newline, glued to quizapp's own
    line): dropped when the call fails, since the failure is reported; passed on otherwise."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no usable stderr (an embedded interpreter): nothing to hold
        yield
        return
    failed = True
    with tempfile.TemporaryFile() as held:
        os.dup2(held.fileno(), 2)
        try:
            yield
            failed = False
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            if not failed:
                held.seek(0)
                text = held.read()
                if text:
                    os.write(2, text)


_RUST_OS_ERROR = re.compile(r"\(os error (\d+)\)")
_RUST_IO = re.compile(r"Os \{ code: (\d+)[^}]*?(?:message: \"([^\"]*)\")?[^}]*\}")


def anki_failure(out_path: Path, exc: BaseException) -> str:
    """One line for an error of the Anki library: an I/O failure (Rust's ``Io(Os { code: 28,
    kind: StorageFull, message: "No space left on device" })``) speaks like any other write
    failure; anything else says Anki failed, in its first line."""
    text = str(exc)
    m = _RUST_IO.search(text)
    if m is not None:
        words = m.group(2) or os.strerror(int(m.group(1)))
        return f"cannot write {out_path}: {words}"
    m = _RUST_OS_ERROR.search(text)
    if m is not None:  # "No space left on device (os error 28)"
        return f"cannot write {out_path}: {os.strerror(int(m.group(1)))}"
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), type(exc).__name__)
    return f"Anki could not write the package: {first}"


def _claim_output(out_path: Path) -> Path:
    """Check that ``out_path`` can be written; return a temporary file beside it."""
    if out_path.is_dir():
        raise ExportError(f"cannot write {out_path}: it is a directory")
    parent = out_path.parent
    if not parent.is_dir():
        raise ExportError(f"cannot write {out_path}: no such directory {parent}")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".part", dir=parent)
    except OSError as exc:
        raise ExportError(f"cannot write {out_path}: {exc.strerror or exc}") from None
    os.close(fd)
    return Path(name)


# ------------------------------------------------------------------------------ note types
def _add_notetypes(col: Collection) -> tuple[dict[str, Any], dict[str, Any]]:
    basic = _add_notetype(
        col,
        BASIC_NAME,
        BASIC_NOTETYPE_ID,
        BASIC_FIELDS,
        "Card 1",
        BASIC_QFMT,
        BASIC_AFMT,
        cloze=False,
    )
    cloze = _add_notetype(
        col,
        CLOZE_NAME,
        CLOZE_NOTETYPE_ID,
        CLOZE_FIELDS,
        "Cloze",
        CLOZE_QFMT,
        CLOZE_AFMT,
        cloze=True,
    )
    return basic, cloze


def _fixed_id(notetype_id: int, what: str, index: int) -> int:
    """A stable 63-bit id for a note type's field or template.

    Anki compares note types by these ids when importing; random ones (Anki's default) would
    make every export look like a changed note type and duplicate it on import.
    """
    digest = hashlib.sha256(f"{notetype_id}:{what}:{index}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def _add_notetype(
    col: Collection,
    name: str,
    fixed_id: int,
    fields: Sequence[str],
    template: str,
    qfmt: str,
    afmt: str,
    cloze: bool,
) -> dict[str, Any]:
    mm = col.models
    nt = mm.new(name)
    if cloze:
        nt["type"] = MODEL_CLOZE
    nt["css"] = CSS
    for i, name_ in enumerate(fields):
        fld = mm.new_field(name_)
        fld["id"] = _fixed_id(fixed_id, "field", i)
        mm.add_field(nt, fld)
    tmpl = mm.new_template(template)
    tmpl["qfmt"] = qfmt
    tmpl["afmt"] = afmt
    tmpl["id"] = _fixed_id(fixed_id, "template", 0)
    mm.add_template(nt, tmpl)
    assigned = mm.add_dict(nt).id
    # Anki assigns ids on add; the collection is brand new and empty, so moving the note
    # type to its fixed id touches nothing else.
    col.db.execute(
        "update notetypes set id = ?, mtime_secs = ? where id = ?",
        fixed_id,
        NOTETYPE_MTIME,
        assigned,
    )
    col.db.execute("update fields set ntid = ? where ntid = ?", fixed_id, assigned)
    col.db.execute(
        "update templates set ntid = ?, mtime_secs = ? where ntid = ?",
        fixed_id,
        NOTETYPE_MTIME,
        assigned,
    )
    out = mm.get(fixed_id)  # type: ignore[arg-type]
    if out is None:  # pragma: no cover - would mean Anki changed its schema
        raise ExportError(f"could not create the note type {name!r}")
    return out


# ----------------------------------------------------------------------------------- notes
def _add_notes(
    col: Collection,
    notes: Sequence[ExportNote],
    basic: dict[str, Any],
    cloze: dict[str, Any],
    step: Callable[[int], None],
) -> dict[str, int]:
    """Add the notes; return card key → Anki card id."""
    deck_ids: dict[str, int] = {}
    added: list[tuple[ExportNote, int]] = []
    for start in range(0, len(notes), _NOTE_CHUNK):
        chunk = notes[start : start + _NOTE_CHUNK]
        requests: list[AddNoteRequest] = []
        for en in chunk:
            did = deck_ids.get(en.deck_name)
            if did is None:
                did = deck_ids[en.deck_name] = int(col.decks.id(en.deck_name) or 1)
            note = col.new_note(basic if en.kind == "basic" else cloze)
            note.fields = list(en.fields)
            note.guid = en.guid
            note.tags = list(en.tags)
            requests.append(AddNoteRequest(note=note, deck_id=did))  # type: ignore[arg-type]
        col.add_notes(requests)
        added.extend((en, int(req.note.id)) for en, req in zip(chunk, requests, strict=True))
        step(len(chunk))
    by_note_ord = {
        (nid, ord_): cid for nid, ord_, cid in col.db.all("select nid, ord, id from cards")
    }
    out: dict[str, int] = {}
    for en, nid in added:
        for card in en.cards:
            cid = by_note_ord.get((nid, card.ord))
            if cid is not None:
                out[card.key] = cid
    return out


# ------------------------------------------------------------------------------- progress
def _study_date(moment: datetime, rollover_hour: int) -> date:
    """The local study day a moment belongs to (days start at the rollover hour)."""
    # Every time zone offset is a multiple of 15 minutes, so the study day is the same for
    # a whole 15-minute slot of UTC time; the cache spares 100,000s of local-time lookups.
    return _slot_study_date(int(moment.timestamp()) // 900, rollover_hour)


@functools.lru_cache(maxsize=65536)
def _slot_study_date(slot: int, rollover_hour: int) -> date:
    moment = datetime.fromtimestamp(slot * 900, UTC)
    return (moment.astimezone() - timedelta(hours=rollover_hour)).date()


def _apply_progress(
    col: Collection,
    card_ids: Mapping[str, int],
    progress: Mapping[str, CardProgress],
    now: datetime,
    step: Callable[[int], None],
) -> int:
    """Give the cards their scheduling and review log; return the number of reviews."""
    rollover = int(col.get_config("rollover", 4) or 4)
    today = col.sched.today
    today_date = _study_date(now, rollover)

    def day_number(moment: datetime) -> int:
        return today + (_study_date(moment, rollover) - today_date).days

    cards: list[Card] = []
    revlog: list[tuple[int, ...]] = []
    used_ids: set[int] = set()
    done = 0
    for key, cid in card_ids.items():
        prog = progress.get(key)
        done += 1
        if prog is None:
            continue
        card = col.get_card(cid)  # type: ignore[arg-type]
        if _schedule(card, prog, day_number, now):
            cards.append(card)
        revlog.extend(_revlog_rows(cid, prog.reviews, rollover, used_ids))
        if done % _NOTE_CHUNK == 0:
            step(_NOTE_CHUNK)
    step(done % _NOTE_CHUNK)
    if cards:
        col.update_cards(cards, skip_undo_entry=True)
    for start in range(0, len(revlog), _REVLOG_CHUNK):
        chunk = revlog[start : start + _REVLOG_CHUNK]
        col.db.execute(
            "insert into revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) values "
            + ",".join(["(?,?,?,?,?,?,?,?,?)"] * len(chunk)),
            *[v for row in chunk for v in row],
        )
    return len(revlog)


def _schedule(
    card: Card, prog: CardProgress, day_number: Callable[[datetime], int], now: datetime
) -> bool:
    """Copy quizapp's scheduling onto an Anki card; False when it stays a new card."""
    st = prog.schedule
    if st.state == "new" or st.due is None:
        if prog.suspended:
            card.queue = QUEUE_TYPE_SUSPENDED
            return True
        return False
    card.reps = st.reps
    card.lapses = st.lapses
    if st.stability is not None and st.difficulty is not None:
        card.memory_state = FSRSMemoryState(
            stability=float(st.stability), difficulty=float(st.difficulty)
        )
    if st.last_review is not None:
        card.last_review_time = int(st.last_review.timestamp())
    if st.state == "review":
        card.type = CARD_TYPE_REV
        card.queue = QUEUE_TYPE_REV
        card.due = day_number(st.due)
        if st.last_review is not None:
            card.ivl = max(1, day_number(st.due) - day_number(st.last_review))
        else:
            card.ivl = max(1, round(st.stability or 1))
        card.factor = 2500
    else:  # learning / relearning
        card.type = CARD_TYPE_RELEARNING if st.state == "relearning" else CARD_TYPE_LRN
        card.left = 1
        start = st.last_review or now
        if st.due - start < timedelta(days=1):
            card.queue = QUEUE_TYPE_LRN
            card.due = int(st.due.timestamp())
        else:
            card.queue = QUEUE_TYPE_DAY_LEARN_RELEARN
            card.due = day_number(st.due)
        if st.state == "relearning":
            card.ivl = max(1, round(st.stability or 1))
            card.factor = 2500
    if prog.suspended:
        card.queue = QUEUE_TYPE_SUSPENDED
    return True


def _revlog_rows(
    cid: int, reviews: Sequence[ReviewEntry], rollover: int, used_ids: set[int]
) -> list[tuple[int, ...]]:
    rows: list[tuple[int, ...]] = []
    last_ivl = 0
    for r in reviews:
        rid = (r.reviewed_at - _EPOCH) // timedelta(milliseconds=1)  # exact, no float
        while rid in used_ids:  # revlog ids are millisecond timestamps and must be unique
            rid += 1
        used_ids.add(rid)
        if r.state_after == "review":
            days = (_study_date(r.due_after, rollover) - _study_date(r.reviewed_at, rollover)).days
            ivl = max(1, days)
        else:
            ivl = -max(1, int((r.due_after - r.reviewed_at).total_seconds()))
        kind = _REVLOG_TYPE.get(r.state_before, 1)
        factor = 0 if kind == 0 else 2500
        ms = max(0, min(int(r.duration_ms), 2**31 - 1))
        rows.append((rid, cid, -1, int(r.rating), ivl, last_ivl, factor, ms, kind))
        last_ivl = ivl
    return rows
