"""The review service: queue order, limits, siblings, learning steps, log rows, undo, bury."""

from __future__ import annotations

import csv
import sqlite3
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fsrs
import pytest

from quizapp.review import CardView, Remaining, ReviewService, ReviewSession, ReviewStep
from tests.store.util import Clock, qa_deck, require_josh_csv, utc_local_time, write_deck

pytestmark = pytest.mark.usefixtures("utc_local_time")
__all__ = ["utc_local_time"]

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # local time is UTC here: day starts 04:00


def _questions(prefix: str, n: int) -> list[tuple[str, str]]:
    return [(f"{prefix} question {i}?", f"{prefix} answer {i}.") for i in range(n)]


def _service(tmp_path: Path, deck_dir: Path, clock: Clock, config: str = "") -> ReviewService:
    cfg = tmp_path / "config.toml"
    cfg.write_text(config, encoding="utf-8")
    service = ReviewService(tmp_path / "q.sqlite3", [deck_dir], config_path=cfg, clock=clock)
    assert service.sync().errors == []
    return service


def _drain(session: ReviewSession, rating: int = 3, limit: int = 200) -> list[CardView]:
    shown = []
    while (card := session.next_card()) is not None and len(shown) < limit:
        shown.append(card)
        session.answer(card, rating, 1500)
    return shown


def _undone(session: ReviewSession) -> CardView | None:
    """Undo; the card the step shows again (None when there was nothing to undo)."""
    step = session.undo()
    return None if step is None else step.card


def _db(tmp_path: Path) -> sqlite3.Connection:
    """A separate, plain connection: it sees only what was committed."""
    return sqlite3.connect(tmp_path / "q.sqlite3")


def _make_reviews(tmp_path: Path, deck_dir: Path, clock: Clock, config: str = "") -> ReviewService:
    """A deck whose cards all graduated to review (Easy) on day 0."""
    service = _service(tmp_path, deck_dir, clock, config)
    _drain(service.start(), rating=4)
    return service


def test_counts_and_session_for_new_cards(tmp_path: Path, deck_dir: Path) -> None:
    write_deck(deck_dir, "a.md", qa_deck("a", _questions("A", 3), "Deck A"))
    write_deck(deck_dir, "b.md", qa_deck("b", _questions("B", 2), "Deck B"))
    service = _service(tmp_path, deck_dir, Clock(T0))
    counts = {c.deck: c for c in service.deck_counts()}
    assert (counts["a"].title, counts["a"].new, counts["a"].learning, counts["a"].review) == (
        "Deck A",
        3,
        0,
        0,
    )
    assert counts["b"].new == 2
    session = service.start("a")
    card = session.next_card()
    assert card is not None and card.deck == "a" and card.state == "new"
    assert card.prompt == "A question 0?" and card.answer == "A answer 0."
    assert card.file_path == (deck_dir / "a.md").resolve()
    assert card.context.endswith("Notes") and card.line > 0
    assert session.next_card() == card  # asking again shows the same card
    assert session.remaining().new == 3
    labels = [(p.rating, p.label, p.interval) for p in session.step().previews]
    assert labels[0] == (1, "Again", "1m") and labels[2] == (3, "Good", "10m")


def test_unknown_deck_is_a_one_line_error(tmp_path: Path, deck_dir: Path) -> None:
    from quizapp.store import StoreError

    write_deck(deck_dir, "a.md", qa_deck("a", _questions("A", 1)))
    service = _service(tmp_path, deck_dir, Clock(T0))
    with pytest.raises(StoreError, match="unknown deck 'zzz'"):
        service.start("zzz")


def test_answer_writes_a_log_row_committed_with_the_card(tmp_path: Path, deck_dir: Path) -> None:
    write_deck(deck_dir, "a.md", qa_deck("a", _questions("A", 2)))
    clock = Clock(T0)
    service = _service(tmp_path, deck_dir, clock)
    session = service.start()
    card = session.next_card()
    assert card is not None
    session.answer(card, 3, 4200)
    with _db(tmp_path) as con:
        logs = con.execute(
            "SELECT card_id, rating, reviewed_at, duration_ms, state_before, state_after,"
            " due_before, due_after FROM review_log"
        ).fetchall()
        state, due = con.execute(
            "SELECT state, due FROM cards WHERE id = ?", (card.card_id,)
        ).fetchone()
    assert len(logs) == 1
    card_id, rating, at, duration, before, after, due_before, due_after = logs[0]
    assert (card_id, rating, duration, before, after) == (card.card_id, 3, 4200, "new", "learning")
    assert datetime.fromisoformat(at).replace(tzinfo=UTC) == T0
    assert due_before is None and due_after == due
    assert datetime.fromisoformat(due).replace(tzinfo=UTC) == T0 + timedelta(minutes=10)
    assert state == "learning"


def test_answers_keep_the_cards_interval_and_the_days_since_its_last_review(
    tmp_path: Path, deck_dir: Path
) -> None:
    write_deck(deck_dir, "a.md", qa_deck("a", _questions("A", 1)))
    clock = Clock(T0)
    service = _service(tmp_path, deck_dir, clock, "fuzz = false\n")
    session = service.start()
    card = session.next_card()
    assert card is not None
    session.answer(card, 3, 1000)  # new -> learning, the next step in 10 minutes
    clock.advance(minutes=12)
    card = session.next_card()
    assert card is not None
    session.answer(card, 3, 1000)  # learning -> review
    with _db(tmp_path) as con:
        rows = con.execute(
            "SELECT state_before, interval_before, elapsed_before FROM review_log ORDER BY id"
        ).fetchall()
        due, last = con.execute("SELECT due, last_review FROM cards").fetchone()
    assert rows[0] == ("new", None, None)
    assert rows[1][0] == "learning"
    assert rows[1][1] == pytest.approx(10 / 1440) and rows[1][2] == pytest.approx(12 / 1440)
    interval = datetime.fromisoformat(due) - datetime.fromisoformat(last)
    assert interval >= timedelta(days=1)


def test_learning_card_comes_back_when_its_step_is_due(tmp_path: Path, deck_dir: Path) -> None:
    write_deck(deck_dir, "a.md", qa_deck("a", _questions("A", 1)))
    clock = Clock(T0)
    service = _service(tmp_path, deck_dir, clock, "learn_ahead_minutes = 0\n")
    session = service.start()
    card = session.next_card()
    assert card is not None
    session.answer(card, 1, 1000)  # Again: back in 1 minute
    assert session.next_card() is None
    assert session.next_due_at() == T0 + timedelta(minutes=1)
    assert session.remaining().learning == 0
    clock.advance(minutes=1)
    again = session.next_card()
    assert again is not None and again.card_id == card.card_id and again.state == "learning"
    assert session.remaining().learning == 1


def test_learning_due_first_then_reviews_with_new_spread(tmp_path: Path, deck_dir: Path) -> None:
    write_deck(deck_dir, "a.md", qa_deck("a", _questions("A", 4)))
    clock = Clock(T0)
    _make_reviews(tmp_path, deck_dir, clock).close()
    write_deck(deck_dir, "a.md", qa_deck("a", _questions("A", 4) + _questions("Fresh", 2)))
    clock.advance(days=60)  # every review is due
    service = _service(tmp_path, deck_dir, clock, "learn_ahead_minutes = 0\n")
    assert [(c.new, c.review) for c in service.deck_counts()] == [(2, 4)]
    session = service.start()
    first = session.next_card()
    assert first is not None and first.state == "review"
    session.answer(first, 1, 1000)  # forgotten: relearning, due in 10 minutes
    order = []
    for _ in range(2):
        card = session.next_card()
        assert card is not None
        order.append(card.state)
        session.answer(card, 3, 1000)
        clock.advance(minutes=6)
    clock.advance(minutes=1)  # the relearning step is due now
    back = session.next_card()
    assert back is not None and back.card_id == first.card_id and back.state == "relearning"
    session.answer(back, 3, 1000)
    order += [c.state for c in _drain(session)]
    mixed = [s for s in ["review", *order] if s in ("review", "new")]
    assert mixed.count("new") == 2 and mixed.count("review") >= 4
    new_at = [i for i, s in enumerate(mixed) if s == "new"]
    assert new_at[0] > 0 and new_at[1] - new_at[0] > 1  # spread among reviews, not bunched


def test_daily_new_limit_and_the_day_boundary(tmp_path: Path, deck_dir: Path) -> None:
    write_deck(deck_dir, "a.md", qa_deck("a", _questions("A", 10)))
    write_deck(deck_dir, "b.md", qa_deck("b", _questions("B", 10)))
    config = "new_cards_per_day = 3\n[decks.b]\nnew_cards_per_day = 1\n"
    clock = Clock(datetime(2026, 3, 2, 4, 0, tzinfo=UTC))  # the study day has just begun
    service = _service(tmp_path, deck_dir, clock, config)
    assert {c.deck: c.new for c in service.deck_counts()} == {"a": 3, "b": 1}
    shown = _drain(service.start(), rating=4)  # Easy: straight to review
    assert sorted(c.deck for c in shown) == ["a", "a", "a", "b"]
    assert {c.deck: c.new for c in service.deck_counts()} == {"a": 0, "b": 0}
    clock.now = datetime(2026, 3, 3, 3, 59, tzinfo=UTC)  # still the same study day
    assert {c.deck: c.new for c in service.deck_counts()} == {"a": 0, "b": 0}
    assert service.start().next_card() is None
    clock.now = datetime(2026, 3, 3, 4, 0, tzinfo=UTC)  # a new study day
    assert {c.deck: c.new for c in service.deck_counts()} == {"a": 3, "b": 1}


def test_daily_review_limit(tmp_path: Path, deck_dir: Path) -> None:
    write_deck(deck_dir, "a.md", qa_deck("a", _questions("A", 5)))
    clock = Clock(T0)
    _make_reviews(tmp_path, deck_dir, clock).close()
    clock.advance(days=90)
    service = _service(tmp_path, deck_dir, clock, "maximum_reviews_per_day = 2\n")
    assert [c.review for c in service.deck_counts()] == [2]
    assert len(_drain(service.start(), rating=3)) == 2
    assert [c.review for c in service.deck_counts()] == [0]


def _cloze_deck() -> str:
    return "\n".join(
        [
            "---",
            "id: c",
            "---",
            "# Cloze",
            "",
            "An {{c1::LSTM}} has {{c2::four}} gates' worth of weights.",
            "",
            "Q: Lone question?",
            "A: Lone answer.",
            "",
        ]
    )


def test_siblings_are_not_shown_on_the_same_day(tmp_path: Path, deck_dir: Path) -> None:
    write_deck(deck_dir, "c.md", _cloze_deck())
    clock = Clock(T0)
    service = _service(tmp_path, deck_dir, clock)
    assert [c.new for c in service.deck_counts()] == [2]  # one cloze sibling waits
    shown = _drain(service.start(), rating=4)
    clozes = [c for c in shown if c.kind == "cloze"]
    assert len(clozes) == 1 and len(shown) == 2
    assert service.deck_counts()[0].new == 0
    clock.advance(days=1)
    nxt = [c for c in _drain(service.start(), rating=4) if c.kind == "cloze"]
    assert len(nxt) == 1 and nxt[0].key != clozes[0].key


def test_undo_is_repeatable_and_restores_state(tmp_path: Path, deck_dir: Path) -> None:
    write_deck(deck_dir, "a.md", qa_deck("a", _questions("A", 3)))
    clock = Clock(T0)
    service = _service(tmp_path, deck_dir, clock, "learn_ahead_minutes = 0\n")
    session = service.start()
    answered = []
    for rating in (3, 1, 4):
        card = session.next_card()
        assert card is not None
        session.answer(card, rating, 1000)
        answered.append(card)
        clock.advance(seconds=10)
    assert session.summary().reviewed == 3
    with _db(tmp_path) as con:
        assert con.execute("SELECT count(*) FROM review_log").fetchone()[0] == 3
    for card in reversed(answered):
        back = _undone(session)
        assert back is not None and back.card_id == card.card_id and back.state == "new"
        assert session.next_card() == back  # shown again
    assert session.undo() is None
    with _db(tmp_path) as con:
        assert con.execute("SELECT count(*) FROM review_log").fetchone()[0] == 0
        rows = con.execute("SELECT state, due, reps, stability FROM cards").fetchall()
    assert rows == [("new", None, 0, None)] * 3
    assert session.summary().reviewed == 0
    assert session.remaining().new == 3


def test_undo_of_a_review_restores_schedule(tmp_path: Path, deck_dir: Path) -> None:
    write_deck(deck_dir, "a.md", qa_deck("a", _questions("A", 1)))
    clock = Clock(T0)
    _make_reviews(tmp_path, deck_dir, clock).close()
    clock.advance(days=30)
    service = _service(tmp_path, deck_dir, clock)
    with _db(tmp_path) as con:
        before = con.execute(
            "SELECT state, due, stability, difficulty, reps, lapses FROM cards"
        ).fetchone()
    session = service.start()
    card = session.next_card()
    assert card is not None
    session.answer(card, 1, 1000)
    with _db(tmp_path) as con:
        assert con.execute("SELECT state, lapses FROM cards").fetchone() == ("relearning", 1)
    session.undo()
    with _db(tmp_path) as con:
        after = con.execute(
            "SELECT state, due, stability, difficulty, reps, lapses FROM cards"
        ).fetchone()
    assert after == before


def test_suspend_and_unsuspend(tmp_path: Path, deck_dir: Path) -> None:
    write_deck(deck_dir, "a.md", qa_deck("a", _questions("A", 2)))
    service = _service(tmp_path, deck_dir, Clock(T0))
    session = service.start()
    card = session.next_card()
    assert card is not None
    session.suspend(card)
    assert service.deck_counts()[0].new == 1
    rest = _drain(session, rating=4)
    assert [c.card_id for c in rest] != [] and card.card_id not in [c.card_id for c in rest]
    assert service.unsuspend([card.key]) == []
    assert service.deck_counts()[0].new == 1  # the other one was introduced today
    assert [c.card_id for c in _drain(service.start(), 4)] == [card.card_id]


def test_undo_suspend(tmp_path: Path, deck_dir: Path) -> None:
    write_deck(deck_dir, "a.md", qa_deck("a", _questions("A", 2)))
    service = _service(tmp_path, deck_dir, Clock(T0))
    session = service.start()
    card = session.next_card()
    assert card is not None
    session.suspend(card)
    back = _undone(session)
    assert back is not None and back.card_id == card.card_id
    assert session.next_card() == back
    assert service.deck_counts()[0].new == 2


def test_bury_until_the_next_study_day(tmp_path: Path, deck_dir: Path) -> None:
    write_deck(deck_dir, "a.md", qa_deck("a", _questions("A", 2)))
    clock = Clock(T0)
    service = _service(tmp_path, deck_dir, clock)
    session = service.start()
    card = session.next_card()
    assert card is not None
    session.bury(card)
    assert all(c.card_id != card.card_id for c in _drain(session, rating=4))
    clock.now = datetime(2026, 3, 3, 3, 59, tzinfo=UTC)
    assert all(c.card_id != card.card_id for c in _drain(service.start(), rating=4))
    clock.now = datetime(2026, 3, 3, 4, 0, tzinfo=UTC)
    assert [c.card_id for c in _drain(service.start(), rating=4)] == [card.card_id]


def test_summary(tmp_path: Path, deck_dir: Path) -> None:
    write_deck(deck_dir, "a.md", qa_deck("a", _questions("A", 2)))
    clock = Clock(T0)
    service = _service(tmp_path, deck_dir, clock, "learn_ahead_minutes = 0\n")
    session = service.start()
    first = session.next_card()
    assert first is not None
    session.answer(first, 1, 3000)  # forgotten: learning again in 1 minute
    second = session.next_card()
    assert second is not None
    session.answer(second, 4, 2500)  # Easy: a review in some days
    assert session.next_card() is None
    summary = session.summary()
    assert (summary.reviewed, summary.forgotten, summary.seconds) == (2, 1, 5.5)
    assert summary.next_due == T0 + timedelta(minutes=1)


def test_two_sessions_do_not_lose_an_answer(tmp_path: Path, deck_dir: Path) -> None:
    """Two sessions that both showed the same card: the second answer, given to the card as it
    was before the first, is not recorded; the card is shown afresh, and that answer is logged
    after the first, computed from the state the first left."""
    write_deck(deck_dir, "a.md", qa_deck("a", _questions("A", 1)))
    clock = Clock(T0)
    s1 = _service(tmp_path, deck_dir, clock)
    s2 = ReviewService(
        tmp_path / "q.sqlite3", [deck_dir], config_path=tmp_path / "config.toml", clock=clock
    )
    a, b = s1.start(), s2.start()
    card_a, card_b = a.next_card(), b.next_card()
    assert card_a is not None and card_b is not None and card_a.card_id == card_b.card_id
    a.answer(card_a, 3, 1000)
    clock.advance(minutes=11)
    stale = b.answer(card_b, 3, 1000)  # B still shows the card as it was before A's answer
    assert stale.notice == f"Not recorded: {card_b.key} was answered elsewhere since it showed."
    assert stale.card is not None and stale.card.card_id == card_b.card_id
    assert stale.card.state == "learning"  # refreshed: as A's answer left it
    b.answer(stale.card, 3, 1000)  # computed from the state the first answer left
    with _db(tmp_path) as con:
        states = con.execute(
            "SELECT state_before, state_after FROM review_log ORDER BY id"
        ).fetchall()
    assert states == [("new", "learning"), ("learning", "review")]


def test_replaying_real_reviews_matches_fsrs(tmp_path: Path, deck_dir: Path) -> None:
    """Real review history (ratings and times) through the service equals fsrs's own replay."""
    path = require_josh_csv()
    history: dict[str, list[tuple[int, datetime, int]]] = defaultdict(list)
    with path.open(newline="") as fh:
        for row in csv.DictReader(fh):
            when = datetime.fromisoformat(row["review_time"]).astimezone(UTC)
            history[row["card_id"]].append(
                (int(row["review_rating"]), when, int(row["review_duration"]))
            )
    chosen = sorted(history, key=lambda k: -len(history[k]))[:5]
    write_deck(deck_dir, "r.md", qa_deck("r", [(f"Card {k}?", "A.") for k in chosen]))
    clock = Clock(T0)
    service = _service(tmp_path, deck_dir, clock, "fuzz = false\n")
    template = service.start().next_card()
    assert template is not None
    with _db(tmp_path) as con:
        ids = dict(con.execute("SELECT prompt, id FROM cards").fetchall())
    session = service.start()
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    for k in chosen:
        # A replay, not a card on screen: no schedule stamp, so no answer is refused as stale.
        view = template._replace(card_id=ids[f"Card {k}?"], schedule="")
        expected = fsrs.Card(card_id=1, due=history[k][0][1])
        for rating, when, duration in history[k]:
            clock.now = when
            step = session.answer(view, rating, duration)
            assert step.notice == ""
            expected, _ = scheduler.review_card(expected, fsrs.Rating(rating), when)
        with _db(tmp_path) as con:
            state, due, stab, diff, reps = con.execute(
                "SELECT state, due, stability, difficulty, reps FROM cards WHERE id = ?",
                (view.card_id,),
            ).fetchone()
        assert reps == len(history[k])
        assert state == expected.state.name.lower()
        assert datetime.fromisoformat(due).replace(tzinfo=UTC) == expected.due
        assert stab == pytest.approx(expected.stability, rel=1e-9)
        assert diff == pytest.approx(expected.difficulty, rel=1e-9)


def test_learning_step_of_a_day_is_due_all_day(tmp_path: Path, deck_dir: Path) -> None:
    """A learning step of a day or more works by study day, as in Anki: the card is due from
    the start of the day it falls on, not only from the hour of the previous answer."""
    write_deck(deck_dir, "a.md", qa_deck("a", _questions("A", 1)))
    clock = Clock(datetime(2026, 3, 2, 15, 0, tzinfo=UTC))
    config = 'learning_steps = ["1d", "3d"]\nlearn_ahead_minutes = 0\n'
    service = _service(tmp_path, deck_dir, clock, config)
    session = service.start()
    card = session.next_card()
    assert card is not None
    session.answer(card, 1, 1000)  # Again: the first step, 1 day, so 15:00 tomorrow
    clock.now = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)  # the next study day, before 15:00
    assert [c.learning for c in service.deck_counts()] == [1]
    again = service.start().next_card()
    assert again is not None and again.card_id == card.card_id and again.state == "learning"


def test_each_step_comes_from_one_call(tmp_path: Path, deck_dir: Path) -> None:
    """Starting, answering, undoing, suspending and burying each hand back the whole next step:
    the card with its grade previews, or the wait for a learning card, or the summary."""
    write_deck(deck_dir, "a.md", qa_deck("a", _questions("A", 3)))
    clock = Clock(T0)
    service = _service(tmp_path, deck_dir, clock, "learn_ahead_minutes = 0\nfuzz = false\n")
    session = service.start()
    first = session.step()
    assert first.card is not None and first.card.prompt == "A question 0?"
    assert [(p.label, p.interval) for p in first.previews] == [
        ("Again", "1m"),
        ("Hard", "6m"),
        ("Good", "10m"),
        ("Easy", "8d"),
    ]
    assert (first.remaining.new, first.wait_until, first.summary) == (3, None, None)

    second = session.answer(first.card, 1, 2000)  # Again: back in 1 minute
    assert second.card is not None and second.card.prompt == "A question 1?"
    assert second.remaining == Remaining(new=2, learning=0, review=0)
    assert len(second.previews) == 4

    third = session.suspend(second.card)
    assert third.card is not None and third.card.prompt == "A question 2?"
    waiting = session.bury(third.card)
    assert waiting.card is None and waiting.previews == () and waiting.summary is None
    assert waiting.wait_until == T0 + timedelta(minutes=1)

    back = session.undo()  # the bury
    assert back is not None and back.card is not None and back.card.card_id == third.card.card_id
    assert back.remaining.new == 1 and len(back.previews) == 4
    session.bury(third.card)

    clock.advance(minutes=1)
    again = session.step()  # the learning card is due now
    assert again.card is not None and again.card.card_id == first.card.card_id
    assert again.card.state == "learning" and again.remaining.learning == 1
    done = session.answer(again.card, 4, 1000)
    assert done.card is None and done.wait_until is None
    assert done.summary is not None and (done.summary.reviewed, done.summary.forgotten) == (2, 1)
    assert done.remaining == Remaining(new=0, learning=0, review=0)


def test_undo_with_nothing_to_undo(tmp_path: Path, deck_dir: Path) -> None:
    write_deck(deck_dir, "a.md", qa_deck("a", _questions("A", 1)))
    session = _service(tmp_path, deck_dir, Clock(T0)).start()
    assert not session.can_undo and session.undo() is None
    step = session.step()
    assert step.card is not None
    session.answer(step.card, 3, 1000)
    assert session.can_undo


def test_session_counts_as_the_home_screen_after_suspend_and_bury(
    tmp_path: Path, deck_dir: Path
) -> None:
    """A suspended or buried card leaves today's counts, and the next new card within the
    day's limit takes its place, in the session as in ``deck_counts`` (home and ``due``)."""
    write_deck(deck_dir, "a.md", qa_deck("a", _questions("A", 5)))
    service = _service(tmp_path, deck_dir, Clock(T0), "new_cards_per_day = 3\n")
    session = service.start()

    def agree(step: ReviewStep) -> int:
        (counts,) = service.deck_counts()
        assert (step.remaining.new, step.remaining.learning, step.remaining.review) == (
            counts.new,
            counts.learning,
            counts.review,
        )
        return counts.new

    step = session.step()
    assert agree(step) == 3 and step.card is not None
    hidden = [step.card.card_id]
    step = session.suspend(step.card)
    assert agree(step) == 3 and step.card is not None
    hidden.append(step.card.card_id)
    step = session.bury(step.card)
    assert agree(step) == 3
    shown = _drain(session, rating=4)
    assert len(shown) == 3 and not {c.card_id for c in shown} & set(hidden)
    assert agree(session.step()) == 0
    back = session.undo()  # the last answer
    assert back is not None and agree(back) == 1


def test_a_cloze_card_tells_what_its_answer_reveals_also_after_an_upgrade(
    tmp_path: Path, deck_dir: Path
) -> None:
    """The answer's revealed ranges come from the passage kept on the card's row; a database
    from before it was kept gets it at the next sync, history untouched."""
    from quizapp.store.db import downgrade

    write_deck(
        deck_dir,
        "c.md",
        "---\nid: c\ntitle: C\n---\n\n# C\n\nThe {{c1::mitochondria}} is the {{c2::powerhouse}}.\n",
    )
    service = _service(tmp_path, deck_dir, Clock(T0))
    card = service.start().next_card()
    assert card is not None and card.kind == "cloze"
    assert [card.answer[a:b] for a, b in card.revealed] == ["mitochondria"]
    service.start().answer(card, 4, 1000)  # Easy: due again in days
    service.close()

    downgrade(tmp_path / "q.sqlite3", "0009")  # as it was before the passage was kept
    later = Clock(T0 + timedelta(days=60))
    service = _service(tmp_path, deck_dir, later)  # upgraded on opening, then synced
    again = service.start().next_card()
    assert again is not None and again.key == card.key and again.state == "review"
    assert [again.answer[a:b] for a, b in again.revealed] == ["mitochondria"]
    with _db(tmp_path) as con:
        assert con.execute("SELECT count(*) FROM review_log").fetchone() == (1,)
