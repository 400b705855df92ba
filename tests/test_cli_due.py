"""`quizapp due`, and `quizapp cards --json` with state and due; none of it (nor review, sync,
exams or statistics) imports TensorFlow."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from click.testing import CliRunner

from quizapp.cli import cli
from quizapp.review import ReviewService
from tests.optimize.synthetic import write_history_csv
from tests.store.util import qa_deck, write_deck


def _run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), env=env)


def _deck(deck_dir: Path) -> None:
    write_deck(deck_dir, "rnn.md", qa_deck("rnn", [(f"Q{i}?", f"A{i}.") for i in range(5)]))


def test_due_json_counts(tmp_path: Path, deck_dir: Path) -> None:
    _deck(deck_dir)
    db = tmp_path / "q.sqlite3"
    result = _run("--db", str(db), "--decks", str(deck_dir), "due", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    rnn = next(d for d in data["decks"] if d["deck"] == "rnn")
    assert rnn == {"deck": "rnn", "new": 5, "learning": 0, "review": 0}
    assert data["total"]["new"] == sum(d["new"] for d in data["decks"])
    assert set(data["total"]) == {"new", "learning", "review"}

    service = ReviewService(db, [deck_dir], config_path=tmp_path / "none.toml")
    session = service.start("rnn")
    card = session.next_card()
    assert card is not None
    session.answer(card, 1, 1000)  # Again: learning, back within the learn-ahead window
    service.close()

    result = _run("--db", str(db), "--decks", str(deck_dir), "due", "--deck", "rnn", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "decks": [{"deck": "rnn", "new": 4, "learning": 1, "review": 0}],
        "total": {"new": 4, "learning": 1, "review": 0},
    }


def test_due_table(tmp_path: Path, deck_dir: Path) -> None:
    _deck(deck_dir)
    result = _run(
        "--db", str(tmp_path / "q.sqlite3"), "--decks", str(deck_dir), "due", "--deck", "rnn"
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["deck", "new", "learn", "due"]
    assert lines[1].split() == ["rnn", "5", "0", "0"]
    assert lines[-1].split() == ["total", "5", "0", "0"]


def test_due_errors_are_one_line(tmp_path: Path, deck_dir: Path) -> None:
    _deck(deck_dir)
    db = tmp_path / "q.sqlite3"
    result = _run("--db", str(db), "--decks", str(deck_dir), "due", "--deck", "nope")
    assert result.exit_code == 1
    assert (
        result.stderr.strip().splitlines() == [result.stderr.strip()]
        and "unknown deck 'nope'" in result.stderr
    )

    not_db = tmp_path / "notes.txt"
    not_db.write_text("hello\n" * 100)
    result = _run("--db", str(not_db), "due")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.strip() == f"Error: {not_db} is not a SQLite database"
    assert not_db.read_text() == "hello\n" * 100

    config = tmp_path / "config.toml"
    config.write_text("desired_retention = 2\n")
    result = _run("--db", str(db), "due", env={"QUIZAPP_CONFIG": str(config)})
    assert result.exit_code == 1
    assert "desired_retention" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_cards_json_has_state_and_due(tmp_path: Path, deck_dir: Path) -> None:
    _deck(deck_dir)
    db = tmp_path / "q.sqlite3"
    args = ("--db", str(db), "--decks", str(deck_dir), "cards", "--deck", "rnn", "--json")
    first = [json.loads(line) for line in _run(*args).stdout.splitlines()]
    assert len(first) == 5 and all(c["state"] == "new" and c["due"] is None for c in first)

    service = ReviewService(db, [deck_dir], config_path=tmp_path / "none.toml")
    session = service.start("rnn")
    card = session.next_card()
    assert card is not None
    session.answer(card, 4, 1000)  # Easy: a review card due in some days
    service.close()

    cards = {c["key"]: c for c in (json.loads(x) for x in _run(*args).stdout.splitlines())}
    answered = cards[card.key]
    assert answered["state"] == "review"
    due = datetime.fromisoformat(answered["due"])
    assert due.tzinfo is not None and due.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert sum(c["state"] == "new" for c in cards.values()) == 4


def test_review_due_sync_quiz_optimize_and_stats_never_import_tensorflow(
    tmp_path: Path, deck_dir: Path
) -> None:
    _deck(deck_dir)
    revlog = tmp_path / "log.csv"
    write_history_csv(revlog, cards=100)
    code = f"""
import sys
from pathlib import Path
from click.testing import CliRunner
from quizapp import paths
from quizapp.cli import cli
from quizapp.review import ReviewService

db = Path({str(tmp_path / "q.sqlite3")!r})
dirs = paths.deck_dirs([Path({str(deck_dir)!r})])  # the bundled Keras deck included
service = ReviewService(db, dirs)
report = service.sync()
assert report.added > 5, report
session = service.start()
card = session.next_card()
session.step()
session.answer(card, 3, 1000)
session.undo()
service.sync()
service.close()
r = CliRunner().invoke(cli, ["--db", str(db), "--decks", {str(deck_dir)!r}, "due", "--json"])
assert r.exit_code == 0, r.output
# An exam (computed questions and their Keras line included) and its paper form.
from quizapp.quiz import ExamOptions, QuizService
quiz, _ = QuizService.open(db, dirs)
run = quiz.start(quiz.build(ExamOptions(seed=1, count=30)))
assert any(q.type == "computed" for q in run.questions)
while (q := run.current()) is not None:
    run.answer(0 if q.format == "choice" else "x" if q.format == "typed" else [0])
run.finish()
quiz.history()
quiz.close()
for extra in (["--print", "--json"], ["--print", "--markdown"], ["--history"]):
    r = CliRunner().invoke(cli, ["--db", str(db), "--decks", {str(deck_dir)!r}, "quiz", *extra])
    assert r.exit_code == 0, r.output
# Personal scheduling: fitting, showing, simulating the retention.
base = ["--db", str(db), "--decks", {str(deck_dir)!r}, "optimize"]
r = CliRunner().invoke(cli, [*base, "--json"])  # one answer, undone: too little history
assert r.exit_code == 1 and "too little history" in r.output, r.output
for extra in (["--revlog", {str(revlog)!r}, "--json"], ["--show"],
              ["--retention", "--revlog", {str(revlog)!r}, "--json"]):
    r = CliRunner().invoke(cli, [*base, *extra])
    assert r.exit_code == 0, r.output
# Statistics: text and JSON, every deck and one.
for extra in ([], ["--json"], ["--deck", "rnn", "--json"]):
    r = CliRunner().invoke(cli, ["--db", str(db), "--decks", {str(deck_dir)!r}, "stats", *extra])
    assert r.exit_code == 0, r.output
print(sorted(m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras")))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_due_refuses_a_newer_database_and_leaves_it_alone(tmp_path: Path, deck_dir: Path) -> None:
    import hashlib
    import sqlite3

    _deck(deck_dir)
    db = tmp_path / "q.sqlite3"
    assert _run("--db", str(db), "--decks", str(deck_dir), "due").exit_code == 0
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("UPDATE alembic_version SET version_num = 'ffff0001'")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    before = hashlib.sha256(db.read_bytes()).hexdigest(), db.stat().st_mtime_ns
    result = _run("--db", str(db), "--decks", str(deck_dir), "due", "--json")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.strip() == (
        f"Error: {db} was written by a newer quizapp (schema revision ffff0001); "
        "upgrade quizapp to open it"
    )
    assert (hashlib.sha256(db.read_bytes()).hexdigest(), db.stat().st_mtime_ns) == before
