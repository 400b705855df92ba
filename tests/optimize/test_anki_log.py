"""Reading an Anki collection's review log: a real collection made with the ``anki`` package,
its reviews answered through Anki's own scheduler, read as .anki2, .apkg and .colpkg."""

from __future__ import annotations

import sqlite3
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

# anki.collection first: importing other anki modules before it is a circular import.
from anki.collection import Collection, ExportAnkiPackageOptions

from quizapp.optimize import OptimizeError
from quizapp.optimize import items as k
from quizapp.optimize.anki_log import entry_kind, from_anki
from quizapp.optimize.items import StudyDays, training_set
from tests.optimize.test_sources import expected_items

DAYS = StudyDays(4, UTC)
DAY0 = datetime(2025, 2, 3, 12, 0, tzinfo=UTC)


class Plan:
    """Answers given now through Anki's scheduler, each recorded with the day it stands for.

    Anki's scheduler answers at the current time, so the review log's times are moved to the
    planned days afterwards (a revlog entry's id is its time in milliseconds).
    """

    def __init__(self, col: Collection) -> None:
        self.col = col
        self.rows: list[int] = []  # the planned day of every revlog entry, in order
        self.answers: list[tuple[int, int, int]] = []  # (card, day, ease)

    def answer_all(self, day: int, ease_of: dict[int, list[int]] | None = None) -> None:
        seen: dict[int, int] = {}
        while (card := self.col.sched.getCard()) is not None:
            n = seen[card.id] = seen.get(card.id, -1) + 1
            eases = (ease_of or {}).get(card.id, [])
            ease = eases[n] if n < len(eases) else 3
            self.col.sched.answerCard(card, ease)  # type: ignore[arg-type]
            self.rows.append(day)
            self.answers.append((card.id, day, ease))

    def set_due_today(self, day: int, cids: list[int]) -> None:
        self.col.sched.set_due_date(cids, "0")
        self.rows += [day] * len(cids)

    def reset(self, day: int, cid: int) -> None:
        self.col.sched.schedule_cards_as_new([cid], restore_position=False, reset_counts=False)
        self.rows.append(day)

    def move_to_planned_days(self) -> None:
        ids = [r[0] for r in self.col.db.all("select id from revlog order by id")]
        assert len(ids) == len(self.rows)
        base = int(DAY0.timestamp() * 1000)
        for i, (old, day) in enumerate(zip(ids, self.rows, strict=True)):
            self.col.db.execute(
                "update revlog set id = ? where id = ?", base + day * 86_400_000 + i * 1000, old
            )


def anki_collection(path: Path) -> Collection:
    """A new Anki collection whose day ends half a day from now: Anki's day ends at its
    rollover hour (4 am by default), and a learning step due past it is not shown today, so
    a test answering steps near that hour would see fewer cards."""
    col = Collection(str(path))
    prefs = col.get_preferences()
    prefs.scheduling.rollover = (datetime.now().hour + 12) % 24
    col.set_preferences(prefs)
    return col


@pytest.fixture(scope="module")
def anki_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Path], Plan]:
    d = tmp_path_factory.mktemp("anki")
    col = anki_collection(d / "collection.anki2")
    basic = col.models.by_name("Basic")
    assert basic is not None
    for front in ("capital of France", "capital of Korea"):
        note = col.new_note(basic)
        note["Front"], note["Back"] = front, "?"
        col.add_note(note, col.decks.id("Default"))
    a, b = sorted(col.find_cards(""))
    plan = Plan(col)
    plan.answer_all(0, {a: [1, 3, 3], b: [3, 3]})  # learning steps: Again, Good, Good
    plan.set_due_today(3, [a, b])  # "set due date": manual entries
    plan.answer_all(3)
    plan.reset(5, b)  # "reset": b is new again
    plan.answer_all(6)  # b learnt anew (a is not due)
    plan.set_due_today(10, [a, b])
    plan.answer_all(10, {a: [1, 3]})  # a lapses (review Again) and relearns (Good)
    plan.move_to_planned_days()
    kinds = [r[0] for r in col.db.all("select type from revlog order by id")]
    assert set(kinds) == {0, 1, 2, 4}  # learning, review, relearning, manual
    files = {
        ".anki2": d / "collection.anki2",
        ".apkg": d / "deck.apkg",
        ".colpkg": d / "all.colpkg",
    }
    col.export_anki_package(
        out_path=str(files[".apkg"]),
        options=ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=False, with_media=False, legacy=False
        ),
        limit=None,
    )
    col.close()
    col = Collection(str(files[".anki2"]))
    col.export_collection_package(str(files[".colpkg"]), include_media=False, legacy=False)
    col.close()
    return files, plan


@pytest.mark.parametrize("suffix", [".anki2", ".apkg", ".colpkg"])
def test_an_anki_collection_gives_the_items_of_its_answers(
    anki_files: tuple[dict[str, Path], Plan], suffix: str
) -> None:
    files, plan = anki_files
    before = files[".anki2"].read_bytes()
    history = from_anki(files[suffix], DAYS)
    assert files[".anki2"].read_bytes() == before  # read from a copy, never in place
    a, b = sorted(history.cards)
    assert [e[k.KIND] for e in history.cards[b]] == [
        k.LEARN, k.LEARN, k.MANUAL, k.REVIEW, k.RESET, k.LEARN, k.LEARN, k.MANUAL, k.REVIEW,
    ]  # fmt: skip
    assert history.reviews == len(plan.answers)
    # a's whole history; b's from its reset on; the manual entries left out.
    answers = [x for x in plan.answers if x[0] == a or x[1] >= 6]
    assert training_set(history).items() == expected_items(answers)
    assert sorted(training_set(history).items()) == [
        ((1, 0), (3, 0), (3, 0), (3, 3)),  # a on day 3
        ((1, 0), (3, 0), (3, 0), (3, 3), (1, 7)),  # a on day 10: the lapse
        ((3, 0), (3, 0), (3, 4)),  # b on day 10, learnt anew on day 6
    ]


def test_revlog_kinds_follow_anki() -> None:
    assert entry_kind(0, 3, 2500) == k.LEARN
    assert entry_kind(1, 1, 2500) == k.REVIEW
    assert entry_kind(2, 3, 2500) == k.RELEARN
    assert entry_kind(3, 3, 2500) == k.FILTERED
    assert entry_kind(3, 3, 0) == k.CRAM
    assert entry_kind(4, 0, 0) == k.RESET
    assert entry_kind(4, 0, 2500) == k.MANUAL
    assert entry_kind(5, 0, 2500) == k.RESCHEDULE
    assert entry_kind(1, 0, 2500) == k.MANUAL


def test_files_that_are_not_anki_collections_are_one_line_errors(tmp_path: Path) -> None:
    text = tmp_path / "notes.anki2"
    text.write_text("not a database", encoding="utf-8")
    other = tmp_path / "other.anki2"
    with sqlite3.connect(other) as con:
        con.execute("create table things (x)")
    con.close()
    not_zip = tmp_path / "deck.apkg"
    not_zip.write_text("hello", encoding="utf-8")
    empty_zip = tmp_path / "empty.colpkg"
    with zipfile.ZipFile(empty_zip, "w") as z:
        z.writestr("readme.txt", "nothing here")
    wrong = tmp_path / "log.txt"
    wrong.write_text("x", encoding="utf-8")
    cases = {
        text: "not an Anki collection (not an SQLite file)",
        other: "not an Anki collection",
        not_zip: "not an Anki package (not a zip file)",
        empty_zip: "not an Anki collection",
        wrong: "not an Anki collection (expected a .anki2, .colpkg or .apkg file)",
        tmp_path / "missing.apkg": "no such file",
    }
    for path, message in cases.items():
        with pytest.raises(OptimizeError) as err:
            from_anki(path, DAYS)
        assert str(err.value).startswith(f"{path}: {message}"), str(err.value)
        assert "\n" not in str(err.value)
