"""--with-progress: due dates, FSRS memory state and the review log reach Anki intact.

The progress comes from real reviews: the review service answers the cards over several
simulated days into a real SQLite file; the export is imported with scheduling into a fresh
Anki collection and compared with the quizapp database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from anki.collection import Collection
from sqlalchemy import select

from quizapp.export import prepare_anki
from quizapp.export.model import guid_for
from quizapp.library import load_library
from quizapp.review import CardView, ReviewService
from quizapp.store.db import open_database
from quizapp.store.models import CardRow, ReviewLogRow
from tests.export.helpers import import_package

NewCollection = Callable[[str], Collection]
ROLLOVER = 4  # Anki's default day start (hours after midnight)


def study_date(moment: datetime) -> date:
    return (moment.astimezone() - timedelta(hours=ROLLOVER)).date()


@pytest.fixture
def studied_db(tricky_dir: Path, tmp_path: Path) -> Path:
    """A quizapp database in which the tricky deck has been studied over three days."""
    db_path = tmp_path / "quizapp.sqlite3"
    now = datetime.now(UTC).replace(microsecond=0)
    start = now - timedelta(days=3, minutes=30)
    # The first three sessions share one study day (it begins at 4 o'clock local time): a
    # start a few minutes before 4 would put the third into the next day, with its own limits.
    day_of = lambda t: (t.astimezone() - timedelta(hours=4)).date()  # noqa: E731
    if day_of(start) != day_of(start + timedelta(minutes=26)):
        start -= timedelta(hours=1)
    clock = [start]
    svc = ReviewService(db_path, [tricky_dir], clock=lambda: clock[0])
    svc.sync()
    keys = [c.key for c in load_library([tricky_dir]).cards]
    suspended_key, lapsing_key, hard_key = keys[3], keys[1], keys[4]

    def session(at: datetime, rate: Callable[[CardView], int]) -> None:
        """Answer every card the session offers, each at most once."""
        clock[0] = at
        s = svc.start()
        seen: set[int] = set()
        while (card := s.next_card()) is not None and card.card_id not in seen:
            seen.add(card.card_id)
            if card.key == suspended_key:
                s.suspend(card)
                continue
            clock[0] += timedelta(seconds=5)
            s.answer(card, rate(card), duration_ms=4000 + 100 * card.card_id)

    def good(card: CardView) -> int:
        return 2 if card.key == hard_key else 3

    session(start, good)
    session(start + timedelta(minutes=11), good)
    session(start + timedelta(minutes=25), good)
    # Three days later, a few minutes ago: one card lapses and is relearning right now.
    session(now - timedelta(minutes=3), lambda c: 1 if c.key == lapsing_key else good(c))
    svc.close()
    return db_path


def anki_cards_by_key(col: Collection, tricky_dir: Path) -> dict[str, int]:
    """quizapp card key → Anki card id, through the note GUIDs and card ordinals."""
    by_guid = {col.get_note(n).guid: n for n in col.find_notes("")}
    out: dict[str, int] = {}
    for spec in load_library([tricky_dir]).cards:
        if spec.kind == "cloze":
            nid = by_guid[guid_for(spec.note_key)]
            ord_ = (spec.cloze_number or 1) - 1
        else:
            nid = by_guid[guid_for(spec.key)]
            ord_ = 0
        cid = col.db.scalar("select id from cards where nid = ? and ord = ?", nid, ord_)
        out[spec.key] = int(cid)
    return out


def quizapp_state(db_path: Path) -> tuple[dict[str, CardRow], Counter[str]]:
    db = open_database(db_path)
    try:
        with db.session() as s:
            rows = {r.key: r for r in s.scalars(select(CardRow))}
            by_id = {r.id: r.key for r in rows.values()}
            counts = Counter(by_id[cid] for cid in s.scalars(select(ReviewLogRow.card_id)))
    finally:
        db.close()
    return rows, counts


def test_progress_arrives_in_anki_with_due_dates_memory_state_and_review_log(
    studied_db: Path, tricky_dir: Path, tmp_path: Path, new_collection: NewCollection
) -> None:
    job, _ = prepare_anki([tricky_dir], (), tmp_path / "progress.apkg", studied_db)
    report = job.run()
    rows, review_counts = quizapp_state(studied_db)
    assert report.reviews == sum(review_counts.values()) > 0

    col = new_collection("anki")
    import_package(col, tmp_path / "progress.apkg", with_scheduling=True)
    cards = anki_cards_by_key(col, tricky_dir)
    states = Counter(r.state for r in rows.values())
    assert states["review"] >= 2 and states["learning"] >= 1
    assert states["relearning"] == 1 and states["new"] == 1
    assert col.db.scalar("select count() from revlog") == sum(review_counts.values())

    today = col.sched.today
    now = datetime.now(UTC)
    for key, row in rows.items():
        card = col.get_card(cards[key])  # type: ignore[arg-type]
        stats = col.card_stats_data(card.id)
        assert stats.reviews == review_counts[key] == row.reps, key
        assert card.lapses == row.lapses
        assert (card.queue == -1) == row.suspended
        if row.state == "new":
            assert card.type == 0 and not card.memory_state
            continue
        # Anki keeps the memory state as 32-bit floats, rounded to a few decimals.
        assert card.memory_state.stability == pytest.approx(row.stability, abs=1e-3)
        assert card.memory_state.difficulty == pytest.approx(row.difficulty, abs=1e-3)
        assert stats.memory_state.difficulty == card.memory_state.difficulty
        assert row.due is not None
        if row.state == "review":
            assert card.type == 2 and card.queue == 2
            # Anki's due day, counted from its today, is the quizapp due date's study day.
            assert card.due - today == (study_date(row.due) - study_date(now)).days
        else:
            assert card.type == (3 if row.state == "relearning" else 1)
            assert card.queue == 1 and card.due == int(row.due.timestamp())
            assert stats.due_date == int(row.due.timestamp())


def test_review_log_entries_keep_time_rating_and_duration(
    studied_db: Path, tricky_dir: Path, tmp_path: Path, new_collection: NewCollection
) -> None:
    job, _ = prepare_anki([tricky_dir], (), tmp_path / "progress.apkg", studied_db)
    job.run()
    col = new_collection("anki")
    import_package(col, tmp_path / "progress.apkg", with_scheduling=True)
    cards = anki_cards_by_key(col, tricky_dir)
    db = open_database(studied_db)
    with db.session() as s:
        log = s.execute(
            select(
                CardRow.key, ReviewLogRow.reviewed_at, ReviewLogRow.rating, ReviewLogRow.duration_ms
            ).join(CardRow, CardRow.id == ReviewLogRow.card_id)
        ).all()
    db.close()
    expected = sorted(
        (cards[k], int(at.timestamp()) * 1000 + at.microsecond // 1000, rating, ms)
        for k, at, rating, ms in log
    )
    got = sorted(tuple(r) for r in col.db.all("select cid, id, ease, time from revlog"))
    assert got == expected


def test_without_progress_cards_arrive_new(
    studied_db: Path, tricky_dir: Path, tmp_path: Path, new_collection: NewCollection
) -> None:
    job, _ = prepare_anki([tricky_dir], (), tmp_path / "plain.apkg")
    assert job.progress is None
    job.run()
    col = new_collection("anki")
    import_package(col, tmp_path / "plain.apkg", with_scheduling=True)
    assert col.card_count() == 6
    assert col.db.list("select distinct type from cards") == [0]
    assert col.db.scalar("select count() from revlog") == 0


def test_progress_bar_steps_add_up(studied_db: Path, tricky_dir: Path, tmp_path: Path) -> None:
    for db in (None, studied_db):
        job, _ = prepare_anki([tricky_dir], (), tmp_path / "p.apkg", db)
        seen: list[int] = []
        job.run(seen.append)
        assert sum(seen) == job.steps and all(n >= 0 for n in seen)
        assert len(seen) >= 2  # it moves before the package is written, not only at the end


def test_progress_is_read_for_the_exported_cards_only(studied_db: Path, tricky_dir: Path) -> None:
    from quizapp.export.progress import read_progress

    rows, review_counts = quizapp_state(studied_db)
    studied = [k for k, n in review_counts.items() if n > 0]
    chosen = [studied[0], studied[-1], "tricky:not-a-card"]
    progress = read_progress(studied_db, chosen)
    assert set(progress) == {studied[0], studied[-1]}  # a card never synced is left out
    for key, prog in progress.items():
        row = rows[key]
        assert len(prog.reviews) == review_counts[key]
        assert [r.reviewed_at for r in prog.reviews] == sorted(r.reviewed_at for r in prog.reviews)
        assert (prog.schedule.state, prog.schedule.due, prog.schedule.reps) == (
            row.state,
            row.due,
            row.reps,
        )
        assert prog.suspended == row.suspended
    assert read_progress(studied_db, []) == {}
