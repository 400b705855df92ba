"""Exam dates through the service and the command line: setting, listing, clearing, the errors,
the raised new-card limit, and readiness in ``quizapp due --json`` on a hand-checked deck."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from quizapp import scheduling
from quizapp.cli import cli
from quizapp.errors import OptionError, UnknownDeck
from quizapp.review import ReviewService
from quizapp.scheduling import SchedState
from quizapp.store.models import CardRow
from tests.store.util import Clock, qa_deck, utc_local_time, write_deck

pytestmark = pytest.mark.usefixtures("utc_local_time")
__all__ = ["utc_local_time"]

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # local time is UTC here: the day starts at 04:00


def _service(tmp_path: Path, deck_dir: Path, clock: Clock) -> ReviewService:
    service = ReviewService(
        tmp_path / "q.sqlite3", [deck_dir], config_path=tmp_path / "none.toml", clock=clock
    )
    assert service.sync().errors == []
    return service


def _decks(deck_dir: Path, n: int = 60) -> None:
    write_deck(deck_dir, "a.md", qa_deck("a", [(f"A{i}?", f"a{i}") for i in range(n)]))
    write_deck(deck_dir, "b.md", qa_deck("b", [(f"B{i}?", f"b{i}") for i in range(5)]))


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args))


# --- the service --------------------------------------------------------------------------


def test_new_cards_are_raised_for_the_exam_and_back_when_cleared(
    tmp_path: Path, deck_dir: Path
) -> None:
    _decks(deck_dir)
    clock = Clock(T0)
    service = _service(tmp_path, deck_dir, clock)
    assert {c.deck: c.new for c in service.deck_counts()} == {"a": 20, "b": 5}

    # 4 days left: the 60 new cards over the first 2, so 30 today.
    (status,) = service.set_exam_date(date(2026, 3, 6), ["a"])
    assert (status.deck, status.days_left, status.new_per_day, status.raised) == ("a", 4, 30, True)
    counts = {c.deck: c for c in service.deck_counts()}
    assert counts["a"].new == 30 and counts["a"].exam == status
    assert counts["b"].new == 5 and counts["b"].exam is None

    session = service.start("a")
    for _ in range(10):  # ten new cards learnt (Easy: straight to review)
        card = session.next_card()
        assert card is not None and card.state == "new"
        session.answer(card, 4, 1000)
    counts = {c.deck: c for c in service.deck_counts()}
    assert counts["a"].new == 20 and counts["a"].exam is not None
    assert counts["a"].exam.new_per_day == 30  # counted from the start of the day

    clock.advance(days=1)  # 3 days left, 50 new: all today
    assert {c.deck: c.new for c in service.deck_counts()}["a"] == 50

    assert service.clear_exam_dates(["a"]) == ["a"]
    counts = {c.deck: c for c in service.deck_counts()}
    assert counts["a"].new == 20 and counts["a"].exam is None
    assert service.exam_dates() == []
    service.close()


def test_after_the_date_the_limit_is_the_decks_own(tmp_path: Path, deck_dir: Path) -> None:
    _decks(deck_dir)
    clock = Clock(T0)
    service = _service(tmp_path, deck_dir, clock)
    service.set_exam_date(date(2026, 3, 3), ["a"])
    assert {c.deck: c.new for c in service.deck_counts()}["a"] == 60  # the day before: all
    clock.advance(days=1)  # the exam day: normal, and still shown
    (counts,) = [c for c in service.deck_counts() if c.deck == "a"]
    assert counts.new == 20 and counts.exam is not None and counts.exam.days_left == 0
    clock.advance(days=1)  # after it: normal, not shown, still listed as passed
    (counts,) = [c for c in service.deck_counts() if c.deck == "a"]
    assert counts.new == 20 and counts.exam is None
    (passed,) = service.exam_dates()
    assert (passed.days_left, passed.ready, passed.raised) == (-1, None, False)
    service.close()


def test_setting_checks_the_date_the_target_and_the_decks(tmp_path: Path, deck_dir: Path) -> None:
    _decks(deck_dir)
    clock = Clock(datetime(2026, 3, 2, 3, 0, tzinfo=UTC))  # 03:00: still the study day 1 Mar
    service = _service(tmp_path, deck_dir, clock)
    assert service.today() == date(2026, 3, 1)
    (today,) = service.set_exam_date(date(2026, 3, 1), ["b"])  # an exam today is allowed
    assert today.days_left == 0
    with pytest.raises(OptionError, match=r"^2026-02-28 is in the past \(today is 2026-03-01\)$"):
        service.set_exam_date(date(2026, 2, 28))
    with pytest.raises(OptionError, match=r"target must be a recall from 0\.70 to 0\.99"):
        service.set_exam_date(date(2026, 4, 1), target=1.2)
    with pytest.raises(UnknownDeck, match=r"unknown deck 'c' \(known: a, b\)"):
        service.set_exam_date(date(2026, 4, 1), ["a", "c"])
    assert [e.deck for e in service.exam_dates()] == ["b"]  # nothing else was set
    statuses = service.set_exam_date(date(2026, 4, 1), target=0.95)  # every deck
    assert [(e.deck, e.day, e.target) for e in statuses] == [
        ("a", date(2026, 4, 1), 0.95),
        ("b", date(2026, 4, 1), 0.95),
    ]
    assert service.clear_exam_dates() == ["a", "b"]
    service.close()


# --- the command line ---------------------------------------------------------------------


def test_exam_date_commands(tmp_path: Path, deck_dir: Path) -> None:
    _decks(deck_dir)
    base = ("--db", str(tmp_path / "q.sqlite3"), "--decks", str(deck_dir), "exam-date")
    result = _run(*base)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("No exam dates")

    day = scheduling.study_day(datetime.now(UTC)) + timedelta(days=400)
    result = _run(*base, day.isoformat(), "--deck", "a", "--target", "0.95")
    assert result.exit_code == 0, result.output
    head, row = result.stdout.splitlines()
    assert head.split() == ["deck", "exam", "left", "target", "ready", "new", "a", "day"]
    assert row.split()[:6] == ["a", f"{day:%a}", day.isoformat(), "400", "days", "0.95"]

    result = _run(*base)
    assert result.stdout.splitlines()[1] == row  # the listing shows the same
    with sqlite3.connect(tmp_path / "q.sqlite3") as con:
        assert con.execute("SELECT deck, day, target FROM exam_dates").fetchall() == [
            ("a", day.isoformat(), 0.95)
        ]

    result = _run(*base, "--clear", "--deck", "a")
    assert (result.exit_code, result.stdout) == (0, "Cleared the exam date of a.\n")
    result = _run(*base, "--clear")
    assert (result.exit_code, result.stdout) == (0, "No exam date to clear.\n")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("2020-01-01",), 2, "Error: 2020-01-01 is in the past (today is "),
        (("2026-02-30",), 2, "Error: bad date '2026-02-30': give it as YYYY-MM-DD"),
        (("next friday",), 2, "Error: bad date 'next friday': give it as YYYY-MM-DD"),
        (("2099-01-01", "--target", "1.5"), 2, "Error: --target must be a recall from 0.70"),
        (("2099-01-01", "--target", "high"), 2, "Error: --target must be a recall from 0.70"),
        (
            ("2099-01-01", "--deck", "nope"),
            1,
            "Error: unknown deck 'nope' (known: a, b, keras-basics)",
        ),
        (
            ("--clear", "--deck", "nope"),
            1,
            "Error: unknown deck 'nope' (known: a, b, keras-basics)",
        ),
        (("--deck", "nope"), 1, "Error: unknown deck 'nope' (known: a, b, keras-basics)"),
        (("2099-01-01", "--clear"), 2, "Error: give a DATE or --clear, not both"),
        (("--target", "0.9"), 2, "Error: --target goes with a DATE"),
    ],
)
def test_exam_date_errors_are_one_line(
    tmp_path: Path, deck_dir: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    _decks(deck_dir)
    db = tmp_path / "q.sqlite3"
    result = _run("--db", str(db), "--decks", str(deck_dir), "exam-date", *args)
    assert result.exit_code == code, result.output
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output
    if db.exists():  # a bad option is refused before the database is opened
        with sqlite3.connect(db) as con:
            assert con.execute("SELECT count(*) FROM exam_dates").fetchone() == (0,)


def test_due_json_readiness_on_a_hand_checked_deck(tmp_path: Path, deck_dir: Path) -> None:
    """Six cards, the exam 14 study days ahead, the reviewed cards last seen when today's study
    day began (04:00), exactly 14 days before the exam day begins: stability 100 gives
    R(14, 100) = 0.980, 30 gives 0.944, 5 gives 0.816. One more, of stability 14.2, was last
    seen 12 hours earlier, at 16:00 the day before: R(14.5, 14.2) = 0.899, below 0.9 (in whole
    days it would have counted 14, R(14, 14.2) = 0.901). A new card is at 0, and a suspended
    card does not count. Two of the five at or above 0.9: ready 0.4."""
    write_deck(deck_dir, "c.md", qa_deck("c", [(f"C{i}?", f"c{i}") for i in range(6)]))
    db = tmp_path / "q.sqlite3"
    base = ("--db", str(db), "--decks", str(deck_dir))
    now = datetime.now(UTC)
    today = scheduling.study_day(now)
    exam = today + timedelta(days=14)
    assert _run(*base, "exam-date", exam.isoformat()).exit_code == 0
    day_began = scheduling.study_day_start(today, 4)
    assert day_began <= now and scheduling.study_day_start(exam, 4) - day_began == timedelta(14)

    def sql_time(at: datetime) -> str:
        return at.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")

    due = sql_time(now + timedelta(days=60))
    earlier = day_began - timedelta(hours=12)
    with sqlite3.connect(db) as con:
        for prompt, stability, last, suspended in (
            ("C0?", 100, day_began, 0),
            ("C1?", 30, day_began, 0),
            ("C2?", 5, day_began, 0),
            ("C5?", 14.2, earlier, 0),
        ):
            con.execute(
                "UPDATE cards SET state = 'review', stability = ?, difficulty = 5, reps = 3,"
                " last_review = ?, due = ?, suspended = ? WHERE prompt = ?",
                (stability, sql_time(last), due, suspended, prompt),
            )
        con.execute("UPDATE cards SET suspended = 1 WHERE prompt = 'C4?'")
    result = _run(*base, "due", "--deck", "c", "--json")
    assert result.exit_code == 0, result.output
    (deck,) = json.loads(result.stdout)["decks"]
    assert deck["exam"] == {
        "date": exam.isoformat(),
        "days_left": 14,
        "target": 0.9,
        "ready": 0.4,
        "new_per_day": 20,
    }
    assert set(deck) == {"deck", "new", "learning", "review", "exam"}

    table = _run(*base, "due", "--deck", "c")
    assert table.stdout.splitlines()[-1] == (
        f"c: exam on {exam:%a} {exam.day} {exam:%b %Y}, 14 days left, 40% ready for 0.90"
    )
    assert _run(*base, "exam-date", "--clear").exit_code == 0
    (deck,) = json.loads(_run(*base, "due", "--deck", "c", "--json").stdout)["decks"]
    assert "exam" not in deck


# --- the review session: the queue and the grade buttons ------------------------------------


def _set_state(service: ReviewService, prompt: str, state: SchedState) -> None:
    with service.db.session(write=True) as s:
        row = s.scalar(select(CardRow).where(CardRow.prompt == prompt))
        assert row is not None
        state.copy_to(row)


def _at(month: int, day: int, hour: int = 12) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def _review_state(stability: float, last: datetime, due: datetime) -> SchedState:
    return SchedState("review", None, stability, 5.0, due, last, reps=3)


def test_two_days_before_the_exam_the_queue_brings_a_card_forward(
    tmp_path: Path, deck_dir: Path
) -> None:
    """Exam on 15 Mar. Card C0 (stability 12, last seen 1 Mar) would be at 0.891 on the day and
    FSRS has it due on 16 Mar: it comes on 13 Mar (tests/test_exam_plan.py works out why);
    recalled then, it is ready and does not come on 14 Mar. C1 (stability 30: 0.945 on the
    day) is left alone, due on 31 Mar."""
    write_deck(deck_dir, "c.md", qa_deck("c", [("C0?", "c0"), ("C1?", "c1")]))
    clock = Clock(_at(3, 5))
    service = _service(tmp_path, deck_dir, clock)
    _set_state(service, "C0?", _review_state(12.0, _at(3, 1), _at(3, 16)))
    _set_state(service, "C1?", _review_state(30.0, _at(3, 1), _at(3, 31)))
    service.set_exam_date(date(2026, 3, 15), ["c"])

    (counts,) = [c for c in service.deck_counts() if c.deck == "c"]
    assert counts.review == 0 and counts.exam is not None and counts.exam.ready == 0.5
    step = service.start("c").step()
    assert step.summary is not None and step.summary.next_due == _at(3, 13)

    clock.now = _at(3, 13, hour=8)
    (counts,) = [c for c in service.deck_counts() if c.deck == "c"]
    assert counts.review == 1
    assert service.clear_exam_dates(["c"]) == ["c"]  # cleared: due on 16 Mar again
    assert [c.review for c in service.deck_counts() if c.deck == "c"] == [0]
    assert service.start("c").step().summary is not None
    service.set_exam_date(date(2026, 3, 15), ["c"])

    session = service.start("c")
    step = session.step()
    assert step.card is not None and step.card.prompt == "C0?"
    before = _review_state(12.0, _at(3, 1), _at(3, 16))
    fsrs_due = scheduling.review(
        service.config.for_deck("c"), step.card.card_id, before, 3, clock.now
    ).due
    after = session.answer(step.card, 3, 2000)
    assert after.summary is not None  # C1 never came
    with sqlite3.connect(tmp_path / "q.sqlite3") as con:
        (due_after,) = con.execute("SELECT due_after FROM review_log").fetchone()
    assert datetime.fromisoformat(due_after).replace(tzinfo=UTC) == fsrs_due  # FSRS's own
    clock.now = _at(3, 14, hour=8)  # the day before: C0 is ready now, nothing comes
    (counts,) = [c for c in service.deck_counts() if c.deck == "c"]
    assert counts.review == 0 and counts.exam is not None and counts.exam.ready == 1.0

    clock.now = _at(3, 15, hour=8)  # the exam day: nothing is brought forward any more
    _set_state(service, "C0?", before)
    assert [c.review for c in service.deck_counts() if c.deck == "c"] == [0]
    service.close()


def test_grade_buttons_show_the_interval_used_and_why(tmp_path: Path, deck_dir: Path) -> None:
    """The card of tests/test_exam_plan.py's grade preview test (stability 5, answered 6 days
    after its last review on 5 Mar): with a target of 0.95, Hard and Good are brought forward
    to 13 Mar; clearing the date gives FSRS's intervals back."""
    write_deck(deck_dir, "c.md", qa_deck("c", [("C0?", "c0")]))
    (tmp_path / "none.toml").write_text("fuzz = false\n", encoding="utf-8")
    clock = Clock(_at(3, 5))
    service = _service(tmp_path, deck_dir, clock)
    _set_state(service, "C0?", _review_state(5.0, _at(2, 27), _at(3, 4)))

    def buttons() -> list[tuple[str, str, str | None]]:
        step = service.start("c").step()
        assert step.card is not None
        return [(p.label, p.interval, p.reason) for p in step.previews]

    normal = [("Again", "10m", None), ("Hard", "13d", None), ("Good", "19d", None)]
    normal.append(("Easy", "1mo", None))
    assert buttons() == normal
    service.set_exam_date(date(2026, 3, 15), ["c"], target=0.95)
    why = "before your exam on 15 Mar"
    capped = [("Again", "10m", None), ("Hard", "8d", why), ("Good", "8d", why)]
    assert buttons() == [*capped, ("Easy", "1mo", None)]
    service.clear_exam_dates()
    assert buttons() == normal
    service.set_exam_date(date(2026, 3, 15), ["c"], target=0.95)
    clock.now = _at(3, 15)  # the exam day: FSRS's own intervals for that day
    state = _review_state(5.0, _at(2, 27), _at(3, 4))
    (card_id,) = [c.card_id for c in [service.start("c").step().card] if c is not None]
    settings = service.config.for_deck("c")
    assert buttons() == [
        (label, interval, None)
        for _, label, interval in scheduling.previews(settings, card_id, state, clock.now)
    ]
    service.close()


def test_the_day_before_the_exam_a_forgotten_card_is_relearnt_until_it_lasts_the_night(
    tmp_path: Path, deck_dir: Path
) -> None:
    """Exam on 15 Mar; on 14 Mar at noon C0 (stability 2, last seen 12 Mar) is due and
    forgotten. FSRS would let it go after one relearning step, with a stability too small for
    the 16 hours to the exam day (tests/test_exam_plan.py works the numbers); the exam keeps it
    at its relearning step, every 10 minutes, the Good button saying why, until it is at the
    target on the day. Every answer is in the review log."""
    write_deck(deck_dir, "c.md", qa_deck("c", [("C0?", "c0")]))
    (tmp_path / "none.toml").write_text("fuzz = false\n", encoding="utf-8")
    clock = Clock(_at(3, 14))
    service = _service(tmp_path, deck_dir, clock)
    _set_state(service, "C0?", SchedState("review", None, 2.0, 8.0, _at(3, 14), _at(3, 12), 3))
    service.set_exam_date(date(2026, 3, 15), ["c"])
    session = service.start("c")
    step = session.step()
    assert step.card is not None
    step = session.answer(step.card, 1, 1000)  # forgotten
    shown, why = 1, "before your exam on 15 Mar"
    while step.summary is None:
        if step.card is None:
            assert step.wait_until is not None and step.wait_until < _at(3, 15, hour=4)
            clock.now = step.wait_until
            step = session.step()
            continue
        good = next(p for p in step.previews if p.label == "Good")
        shown += 1
        step = session.answer(step.card, 3, 1000)
        (counts,) = [c for c in service.deck_counts() if c.deck == "c"]
        assert counts.exam is not None
        if counts.exam.ready == 0.0:  # held: the button said so
            assert (good.interval, good.reason) == ("10m", why)
        else:
            assert good.reason is None and step.summary is not None
    assert shown == 4  # Again, then three Goods: held twice
    (counts,) = [c for c in service.deck_counts() if c.deck == "c"]
    assert counts.exam is not None and counts.exam.ready == 1.0
    with sqlite3.connect(tmp_path / "q.sqlite3") as con:
        states = [r[0] for r in con.execute("SELECT state_after FROM review_log ORDER BY id")]
    assert len(states) == shown and states[-1] == "review"
    assert set(states[:-1]) == {"relearning"}
    service.close()


# --- the day before the exam: no card the exam needs is held back ---------------------------


def test_the_review_limit_holds_back_no_card_the_exam_needs(tmp_path: Path, deck_dir: Path) -> None:
    """A review limit of 2 on the day before a 15 Mar exam. C0–C3 (stability 12, last seen
    1 Mar: 0.891 on the day) are brought forward: all four come, beyond the limit. C4–C6
    (stability 100: 0.982 on the day) are due that day anyway but not needed: the limit's two
    come (the earliest due), C6 waits (it is ready for the exam anyway). The limit shows as
    raised to 6."""
    write_deck(deck_dir, "c.md", qa_deck("c", [(f"C{i}?", f"c{i}") for i in range(7)]))
    (tmp_path / "none.toml").write_text("maximum_reviews_per_day = 2\n", encoding="utf-8")
    clock = Clock(_at(3, 14, hour=8))
    service = _service(tmp_path, deck_dir, clock)
    for i in range(4):
        _set_state(service, f"C{i}?", _review_state(12.0, _at(3, 1), _at(3, 16)))
    for i, hour in ((4, 9), (5, 10), (6, 11)):
        _set_state(service, f"C{i}?", _review_state(100.0, _at(3, 1), _at(3, 14, hour=hour)))
    assert [c.review for c in service.deck_counts() if c.deck == "c"] == [2]  # no exam: 2

    service.set_exam_date(date(2026, 3, 15), ["c"])
    (counts,) = [c for c in service.deck_counts() if c.deck == "c"]
    assert counts.review == 6 and counts.exam is not None and counts.exam.ready == 3 / 7
    assert (counts.exam.reviews_per_day, counts.exam.usual_reviews_per_day) == (6, 2)
    assert counts.exam.reviews_raised and not counts.exam.raised
    (listed,) = service.exam_dates(["c"])
    assert listed == counts.exam

    shown = [c.prompt for c in _drain(service.start("c"))]
    assert sorted(shown) == ["C0?", "C1?", "C2?", "C3?", "C4?", "C5?"]
    (counts,) = [c for c in service.deck_counts() if c.deck == "c"]
    assert counts.review == 0 and counts.exam is not None and counts.exam.ready == 1.0
    assert counts.exam.reviews_per_day == 6  # the reviews done today count towards it
    clock.now = _at(3, 15, hour=8)  # the exam day: the deck's own limit again
    (counts,) = [c for c in service.deck_counts() if c.deck == "c"]
    assert counts.review == 1 and counts.exam is not None and not counts.exam.reviews_raised
    service.close()


def test_the_day_before_the_exam_siblings_do_not_hold_each_other_back(
    tmp_path: Path, deck_dir: Path
) -> None:
    """A cloze with two deletions and another with three: on other days one card of a note a
    day. The day before the exam the two reviews below the target both come, and all three
    new siblings are introduced (every card learnt in time)."""
    text = "\n".join(
        [
            "---",
            "id: s",
            "---",
            "# Cloze",
            "",
            "An {{c1::LSTM}} has {{c2::four}} gates' worth of weights.",
            "",
            "A {{c1::GRU}} has {{c2::three}} gates and {{c3::no}} cell state.",
            "",
        ]
    )
    write_deck(deck_dir, "s.md", text)
    clock = Clock(_at(3, 14, hour=8))
    service = _service(tmp_path, deck_dir, clock)
    with service.db.session(write=True) as s:
        rows = list(s.scalars(select(CardRow).order_by(CardRow.position, CardRow.id)))
        lstm = [r for r in rows if "LSTM" in r.prompt or "four" in r.answer]
        assert len(rows) == 5 and len({r.note_key for r in lstm}) == 1 and len(lstm) == 2
        for row in lstm:
            _review_state(12.0, _at(3, 1), _at(3, 16)).copy_to(row)
    assert [c.review + c.new for c in service.deck_counts() if c.deck == "s"] == [1]

    service.set_exam_date(date(2026, 3, 15), ["s"])
    (counts,) = [c for c in service.deck_counts() if c.deck == "s"]
    assert (counts.review, counts.new) == (2, 3)
    shown = _drain(service.start("s"), rating=4)
    assert len(shown) == 5 and len({c.card_id for c in shown}) == 5
    (counts,) = [c for c in service.deck_counts() if c.deck == "s"]
    assert counts.exam is not None and counts.exam.ready == 1.0
    service.close()


def _drain(session, rating: int = 3) -> list:  # type: ignore[no-untyped-def]
    """Answer every card the session shows (learning steps too: the clock waits for them)."""
    shown = []
    step = session.step()
    while step.summary is None:
        if step.card is None:
            session.service.clock.now = step.wait_until
            step = session.step()
            continue
        shown.append(step.card)
        step = session.answer(step.card, rating, 1000)
    return shown


def test_due_says_when_the_exam_raised_the_review_limit(
    tmp_path: Path, deck_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The exam tomorrow, a review limit of 1 and two cards below the target on the day (last
    seen 60 days ago, stability 2, due after the exam): both are due today, and ``quizapp due``
    says the limit was raised."""
    write_deck(deck_dir, "c.md", qa_deck("c", [("C0?", "c0"), ("C1?", "c1")]))
    config = tmp_path / "config.toml"
    config.write_text("maximum_reviews_per_day = 1\n", encoding="utf-8")
    monkeypatch.setenv("QUIZAPP_CONFIG", str(config))
    db = tmp_path / "q.sqlite3"
    base = ("--db", str(db), "--decks", str(deck_dir))
    now = datetime.now(UTC)
    exam = scheduling.study_day(now) + timedelta(days=1)
    assert _run(*base, "exam-date", exam.isoformat()).exit_code == 0
    stamp = (now - timedelta(days=60)).replace(tzinfo=None).isoformat(sep=" ")
    due = (now + timedelta(days=5)).replace(tzinfo=None).isoformat(sep=" ")
    with sqlite3.connect(db) as con:
        con.execute(
            "UPDATE cards SET state = 'review', stability = 2, difficulty = 5, reps = 3,"
            " last_review = ?, due = ?",
            (stamp, due),
        )
    result = _run(*base, "due", "--deck", "c")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        f"c: exam on {exam:%a} {exam.day} {exam:%b %Y}, 1 day left, 0% ready for 0.90;"
        " 2 reviews today (raised from 1)"
    )
    (deck,) = json.loads(_run(*base, "due", "--deck", "c", "--json").stdout)["decks"]
    assert deck["review"] == 2
