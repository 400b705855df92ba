"""Syncing deck files into the store: add, edit in place, retire, restore, skip unchanged."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import select

from quizapp.library import load_library
from quizapp.notes.model import LoadResult
from quizapp.review import ReviewService
from quizapp.store.db import Database, open_database
from quizapp.store.models import CardRow, DeckFile, ReviewLogRow
from quizapp.store.sync import sync_decks, sync_library
from tests.store.util import Clock, qa_deck, write_deck

QUESTIONS = [
    ("What does LSTM stand for?", "Long short-term memory."),
    ("What does GRU stand for?", "Gated recurrent unit."),
    ("What is a tensor's rank?", "Its number of axes."),
]


class CountingLoader:
    """The real library loader, counting which files it was asked to parse."""

    def __init__(self) -> None:
        self.calls: list[list[Path]] = []

    def __call__(self, deck_dirs: list[Path], files: list[Path] | None = None) -> LoadResult:
        self.calls.append(list(files or []))
        return load_library(deck_dirs, files=files)


@pytest.fixture
def db(tmp_path: Path):
    database = open_database(tmp_path / "q.sqlite3")
    yield database
    database.close()


def _cards(db: Database) -> dict[str, CardRow]:
    with db.session() as s:
        return {c.key: c for c in s.scalars(select(CardRow))}


def _by_prompt(db: Database) -> dict[str, CardRow]:
    return {c.prompt: c for c in _cards(db).values()}


def test_first_sync_adds_every_card(db: Database, deck_dir: Path) -> None:
    write_deck(deck_dir, "rnn.md", qa_deck("rnn", QUESTIONS, "Recurrent nets"))
    report = sync_library(db, [deck_dir], load_library)
    assert (report.added, report.updated, report.retired, report.errors) == (3, 0, 0, [])
    cards = _by_prompt(db)
    assert set(cards) == {q for q, _ in QUESTIONS}
    card = cards["What does GRU stand for?"]
    assert card.answer == "Gated recurrent unit."
    assert card.state == "new" and card.due is None and card.deck == "rnn"
    assert json.loads(card.section) == ["Notes"] or json.loads(card.section)[-1] == "Notes"
    with db.session() as s:
        files = list(s.scalars(select(DeckFile)))
    assert [Path(f.path) for f in files] == [(deck_dir / "rnn.md").resolve()]


def test_unchanged_files_are_not_parsed(db: Database, deck_dir: Path) -> None:
    path = write_deck(deck_dir, "rnn.md", qa_deck("rnn", QUESTIONS))
    write_deck(deck_dir, "cnn.md", qa_deck("cnn", [("What is a kernel?", "A filter.")]))
    loader = CountingLoader()
    sync_library(db, [deck_dir], loader=loader)
    assert len(loader.calls) == 1 and len(loader.calls[0]) == 2
    report = sync_library(db, [deck_dir], loader=loader)
    assert len(loader.calls) == 1  # size and mtime match: nothing read, nothing parsed
    assert report.unchanged_files == 2 and report.added == 0
    # Touched but identical: the content hash matches, still no parse.
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    report = sync_library(db, [deck_dir], loader=loader)
    assert len(loader.calls) == 1 and report.unchanged_files == 2
    # ... and the new mtime is remembered, so the next sync does not even hash it.
    with db.session() as s:
        row = s.scalar(select(DeckFile).where(DeckFile.path == str(path.resolve())))
        assert row is not None and row.mtime_ns == path.stat().st_mtime_ns
    # Changed: only that file is parsed.
    write_deck(deck_dir, "rnn.md", qa_deck("rnn", [*QUESTIONS, ("New?", "Yes.")]))
    report = sync_library(db, [deck_dir], loader=loader)
    assert loader.calls[-1] == [path.resolve()]
    assert report.added == 1 and report.parsed_files == 1 and report.unchanged_files == 1


def _answer_all(db_path: Path, deck_dir: Path, clock: Clock) -> None:
    service = ReviewService(
        db_path, [deck_dir], config_path=db_path.parent / "none.toml", clock=clock
    )
    session = service.start()
    while (card := session.next_card()) is not None and card.state == "new":
        session.answer(card, 3, 2000)
        clock.advance(seconds=5)
    service.close()


def test_edited_answer_keeps_history_and_schedule(tmp_path: Path, deck_dir: Path) -> None:
    db_path = tmp_path / "q.sqlite3"
    write_deck(deck_dir, "rnn.md", qa_deck("rnn", QUESTIONS))
    db = open_database(db_path)
    sync_library(db, [deck_dir], load_library)
    _answer_all(db_path, deck_dir, Clock())
    before = _by_prompt(db)["What does GRU stand for?"]
    assert before.reps >= 1 and before.state != "new"

    edited = [
        (q, "Gated recurrent unit (Cho et al., 2014).") if "GRU" in q else (q, a)
        for q, a in QUESTIONS
    ]
    write_deck(deck_dir, "rnn.md", qa_deck("rnn", edited))
    report = sync_library(db, [deck_dir], load_library)
    assert (report.added, report.updated, report.retired) == (0, 1, 0)
    after = _by_prompt(db)["What does GRU stand for?"]
    assert after.id == before.id and after.key == before.key
    assert after.answer == "Gated recurrent unit (Cho et al., 2014)."
    assert (after.state, after.due, after.stability, after.reps) == (
        before.state,
        before.due,
        before.stability,
        before.reps,
    )
    with db.session() as s:
        logs = s.scalars(select(ReviewLogRow).where(ReviewLogRow.card_id == after.id)).all()
    assert len(logs) == before.reps
    db.close()


def test_vanished_card_is_retired_then_restored_with_history(
    tmp_path: Path, deck_dir: Path
) -> None:
    db_path = tmp_path / "q.sqlite3"
    write_deck(deck_dir, "rnn.md", qa_deck("rnn", QUESTIONS))
    db = open_database(db_path)
    sync_library(db, [deck_dir], load_library)
    _answer_all(db_path, deck_dir, Clock())
    lstm = _by_prompt(db)["What does LSTM stand for?"]

    write_deck(deck_dir, "rnn.md", qa_deck("rnn", QUESTIONS[1:]))
    report = sync_library(db, [deck_dir], load_library)
    assert report.retired == 1
    retired = _cards(db)[lstm.key]
    assert retired.retired and retired.reps == lstm.reps
    service = ReviewService(db_path, [deck_dir], config_path=tmp_path / "none.toml", clock=Clock())
    assert all(c.prompt != lstm.prompt for c in _session_cards(service))
    service.close()

    write_deck(deck_dir, "rnn.md", qa_deck("rnn", QUESTIONS))
    report = sync_library(db, [deck_dir], load_library)
    assert (report.restored, report.added) == (1, 0)
    back = _cards(db)[lstm.key]
    assert not back.retired and back.id == lstm.id
    assert (back.state, back.due, back.reps) == (lstm.state, lstm.due, lstm.reps)
    with db.session() as s:
        assert (
            len(s.scalars(select(ReviewLogRow).where(ReviewLogRow.card_id == lstm.id)).all())
            == lstm.reps
        )
    db.close()


def _session_cards(service: ReviewService) -> list:
    session = service.start()
    seen = []
    while (card := session.next_card()) is not None and len(seen) < 50:
        seen.append(card)
        session.bury(card)
    return seen


def test_deck_file_with_errors_leaves_its_cards_alone(db: Database, deck_dir: Path) -> None:
    write_deck(deck_dir, "rnn.md", qa_deck("rnn", QUESTIONS))
    sync_library(db, [deck_dir], load_library)
    before = {k: (c.answer, c.retired) for k, c in _cards(db).items()}
    # An unclosed code fence: the whole file is reported and skipped.
    broken = qa_deck("rnn", QUESTIONS[:1]) + "\n```python\nprint('never closed')\n"
    write_deck(deck_dir, "rnn.md", broken)
    report = sync_library(db, [deck_dir], load_library)
    assert report.errors and "rnn.md" in report.errors[0]
    assert {k: (c.answer, c.retired) for k, c in _cards(db).items()} == before
    # Still reported next time (the file was not recorded as synced).
    assert sync_library(db, [deck_dir], load_library).errors
    # Fixed: the cards that really went away are retired now.
    write_deck(deck_dir, "rnn.md", qa_deck("rnn", QUESTIONS[:1]))
    report = sync_library(db, [deck_dir], load_library)
    assert report.errors == [] and report.retired == 2


def test_removed_deck_file_retires_its_cards(db: Database, deck_dir: Path) -> None:
    write_deck(deck_dir, "rnn.md", qa_deck("rnn", QUESTIONS))
    cnn = write_deck(deck_dir, "cnn.md", qa_deck("cnn", [("What is a kernel?", "A filter.")]))
    sync_library(db, [deck_dir], load_library)
    cnn.unlink()
    report = sync_library(db, [deck_dir], load_library)
    assert report.retired == 1
    cards = _by_prompt(db)
    assert cards["What is a kernel?"].retired
    assert not cards["What is a tensor's rank?"].retired


def test_renamed_deck_file_keeps_its_cards(db: Database, deck_dir: Path) -> None:
    old = write_deck(deck_dir, "rnn.md", qa_deck("rnn", QUESTIONS))
    sync_library(db, [deck_dir], load_library)
    ids = {k: c.id for k, c in _cards(db).items()}
    old.rename(deck_dir / "recurrent.md")
    report = sync_library(db, [deck_dir], load_library)
    assert report.retired == 0 and report.added == 0
    assert {k: c.id for k, c in _cards(db).items()} == ids
    assert not any(c.retired for c in _cards(db).values())


def test_sync_decks_with_a_full_load_result(db: Database, deck_dir: Path) -> None:
    write_deck(deck_dir, "rnn.md", qa_deck("rnn", QUESTIONS))
    report = sync_decks(db, load_library([deck_dir]))
    assert report.added == 3
    report = sync_decks(db, load_library([deck_dir]))
    assert report.added == 0 and report.unchanged_files == 1 and report.parsed_files == 0


def test_full_and_incremental_syncs_agree(db: Database, tmp_path: Path, deck_dir: Path) -> None:
    """`cards --json` syncs a full load, the review app an incremental one: through a
    symlinked deck directory neither sees the other's cards as changed."""
    write_deck(deck_dir, "rnn.md", qa_deck("rnn", QUESTIONS))
    link = tmp_path / "linked-decks"
    link.symlink_to(deck_dir, target_is_directory=True)
    assert sync_decks(db, load_library([link])).added == 3
    write_deck(link, "rnn.md", qa_deck("rnn", [*QUESTIONS, ("Extra?", "Yes.")]))
    report = sync_library(db, [link], load_library)
    assert (report.added, report.updated) == (1, 0)
    write_deck(link, "rnn.md", qa_deck("rnn", QUESTIONS))
    report = sync_decks(db, load_library([link]))
    assert (report.added, report.updated, report.retired) == (0, 0, 1)
    assert len({c.source for c in _cards(db).values()}) == 1
