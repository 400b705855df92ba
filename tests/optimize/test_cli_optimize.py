"""`quizapp optimize`: fitting the review log, applying, --show, config.toml winning, --revlog and
--anki files, too little history, the retention, and the options that do not go together."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quizapp.cli import cli
from quizapp.config import DeckSettings
from quizapp.review import ReviewService, ReviewStep
from quizapp.scheduling import SchedState, previews
from quizapp.store.db import open_database
from quizapp.store.deck_scheduling import load_all
from quizapp.store.models import CardRow
from tests.optimize.played import CONFIG, END, T0, play
from tests.optimize.synthetic import write_history_csv
from tests.store.util import Clock, qa_deck, write_deck

JSON_KEYS = {
    "reviews", "cards", "items", "log_loss", "rmse_bins", "time_series", "parameters",
    "applied", "seconds",
}  # fmt: skip


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A deck of 30 cards reviewed through the review service for 45 days (built once)."""
    db, decks, _config = play(tmp_path_factory.mktemp("played"))
    return db, decks


@pytest.fixture
def env(tmp_path: Path, played: tuple[Path, Path]) -> Iterator[dict[str, Path]]:
    """A copy of the played database, its decks and a config.toml of the test's own."""
    src, decks = played
    db = tmp_path / "q.sqlite3"
    with closing(sqlite3.connect(src)) as a, closing(sqlite3.connect(db)) as b:
        a.backup(b)
    cfg = tmp_path / "config.toml"
    cfg.write_text(CONFIG, encoding="utf-8")
    yield {"db": db, "decks": decks, "config": cfg}


def run(env: dict[str, Path], *args: str) -> Result:
    return CliRunner().invoke(
        cli,
        ["--db", str(env["db"]), "--decks", str(env["decks"]), "optimize", *args],
        env={"QUIZAPP_CONFIG": str(env["config"])},
    )


def stored(db: Path) -> dict[str, object]:
    d = open_database(db)
    try:
        return dict(load_all(d))
    finally:
        d.close()


def test_fits_the_review_log_and_reports_before_and_after(env: dict[str, Path]) -> None:
    r = run(env, "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert set(out) == JSON_KEYS
    assert out["reviews"] > 300 and out["cards"] == 30 and out["items"] > 200
    assert set(out["log_loss"]) == set(out["rmse_bins"]) == {"before", "after"}
    assert set(out["time_series"]) == {"log_loss", "rmse_bins"}
    assert out["rmse_bins"]["after"] < out["rmse_bins"]["before"]
    assert len(out["parameters"]) == 21 and out["applied"] is False and out["seconds"] > 0
    assert stored(env["db"]) == {}  # nothing applied

    text = run(env, "--deck", "pets")
    assert text.exit_code == 0, text.output
    lines = text.stdout.splitlines()
    assert lines[0].startswith("Fitted FSRS-6 to the review log of pets in ")
    assert lines[2].split()[:4] == ["in", "force", "(FSRS-6", "defaults)"]
    assert lines[3].split()[0] == "fitted" and lines[4].startswith("  time-series split")
    assert "Run with --apply to use them for pets." in text.stdout


def session_at_a_review_card(service: ReviewService) -> ReviewStep:
    """A session of pets, its learning cards answered Good until a review card shows."""
    session = service.start("pets")
    step = session.step()
    while step.card is not None and step.card.state != "review":
        step = session.answer(step.card, 3, 1000)
    return step


def _review_card_previews(env: dict[str, Path]) -> tuple[str, list[tuple[str, str]]]:
    """The grade buttons of the next review card due at the end of the history."""
    service = ReviewService(
        env["db"], [env["decks"]], config_path=env["config"], clock=Clock(END + timedelta(30))
    )
    try:
        step = session_at_a_review_card(service)
        assert step.card is not None
        return step.card.key, [(p.label, p.interval) for p in step.previews]
    finally:
        service.close()


def test_applied_parameters_schedule_the_next_review_and_survive_a_restart(
    env: dict[str, Path],
) -> None:
    key, before = _review_card_previews(env)
    r = run(env, "--deck", "pets", "--apply", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["applied"] is True
    row = stored(env["db"])["pets"]
    assert row.parameters == pytest.approx(out["parameters"])  # type: ignore[attr-defined]
    assert row.reviews == out["reviews"] and row.source == "review log"  # type: ignore[attr-defined]
    # A new service (a restart) schedules the same card with the fitted parameters.
    key_after, after = _review_card_previews(env)
    assert key_after == key and after != before
    service = ReviewService(env["db"], [env["decks"]], config_path=env["config"])
    try:
        assert service.config.for_deck("pets").parameters == pytest.approx(out["parameters"])
    finally:
        service.close()

    show = run(env, "--show")
    assert show.exit_code == 0, show.output
    assert "parameters: fitted for pets on " in show.stdout
    assert f"to {out['reviews']:,} reviews (review log)" in show.stdout
    assert show.stdout.splitlines()[1].strip() == "desired retention: 0.90 (default)"
    data = json.loads(run(env, "--show", "--json", "--deck", "pets").stdout)
    assert data["decks"][0]["deck"] == "pets"
    assert data["decks"][0]["parameters"] == pytest.approx(out["parameters"])


def test_the_previews_follow_the_applied_parameters_from_the_next_card_on(
    env: dict[str, Path],
) -> None:
    clock = Clock(END + timedelta(30))
    service = ReviewService(env["db"], [env["decks"]], config_path=env["config"], clock=clock)
    try:
        session = service.start("pets")
        step = session.step()
        while step.card is not None and step.card.state != "review":
            step = session.answer(step.card, 3, 1000)
        card, before = step.card, step.previews
        assert card is not None
        assert run(env, "--deck", "pets", "--apply").exit_code == 0
        service.reload_settings()  # what the app does after applying
        again = session.step()
        assert again.card == card
        after = again.previews
        assert after != before
        settings = service.config.for_deck("pets")
        with service.db.session() as s:
            row = s.get(CardRow, card.card_id)
            assert row is not None
            state = SchedState.of(row)
        want = [(lbl, ivl) for _, lbl, ivl in previews(settings, row.id, state, clock())]
        assert [(p.label, p.interval) for p in after] == want
    finally:
        service.close()


def test_config_toml_parameters_still_win_and_the_output_says_so(env: dict[str, Path]) -> None:
    mine = [round(x, 4) for x in DeckSettings().parameters]
    mine[0] = 0.5
    env["config"].write_text(
        CONFIG + f"\n[decks.pets]\nparameters = {json.dumps(mine)}\n", encoding="utf-8"
    )
    key, before = _review_card_previews(env)
    r = run(env, "--deck", "pets", "--apply", "--force")
    assert r.exit_code == 0, r.output
    said = " ".join(r.stdout.split())
    assert (
        "for pets; but config.toml sets parameters for it (config.toml [decks.pets]), and" in said
    )
    assert "those stay in force over stored ones." in said
    assert stored(env["db"])["pets"].parameters is not None  # type: ignore[attr-defined]
    assert "in force (config.toml [decks.pets])" in r.stdout
    note = " ".join(run(env, "--deck", "pets").stdout.split())
    assert (
        "Note: config.toml sets parameters for pets (config.toml [decks.pets]); they stay" in note
    )
    assert _review_card_previews(env) == (key, before)  # still scheduled by config.toml
    show = [line.split() for line in run(env, "--show").stdout.splitlines()]
    assert ["pets", "parameters:", "config.toml", "[decks.pets]"] in show


def test_parameters_that_do_not_win_are_kept_out_unless_forced(env: dict[str, Path]) -> None:
    first = json.loads(run(env, "--apply", "--json").stdout)  # for every deck
    assert first["applied"] is True and set(stored(env["db"])) == {""}
    again = run(env, "--apply")  # the same fit does not beat itself
    assert again.exit_code == 0, again.output
    assert "The fitted parameters do not beat those in force: RMSE (bins)" in again.stdout
    assert "Kept the parameters in force; --apply --force would store" in again.stdout
    assert "in force (fitted for every deck)" in again.stdout
    forced = json.loads(run(env, "--apply", "--force", "--json").stdout)
    assert forced["applied"] is True
    assert "fitted for every deck on" in run(env, "--show", "--deck", "pets").stdout


def test_too_little_history_says_so_and_changes_nothing(tmp_path: Path, deck_dir: Path) -> None:
    write_deck(deck_dir, "few.md", qa_deck("few", [(f"Q{i}?", f"a{i}") for i in range(3)]))
    clock = Clock(T0)
    cfg = tmp_path / "config.toml"
    cfg.write_text("", encoding="utf-8")
    service = ReviewService(tmp_path / "q.sqlite3", [deck_dir], config_path=cfg, clock=clock)
    service.sync()
    for day in (0, 2, 9):
        clock.now = T0 + timedelta(days=day)
        session = service.start()
        while (card := session.next_card()) is not None:
            session.answer(card, 3, 1000)
    service.close()
    env = {"db": tmp_path / "q.sqlite3", "decks": deck_dir, "config": cfg}
    r = run(env, "--apply")
    assert r.exit_code == 1
    assert r.output.startswith("Error: too little history to fit: ")
    assert "; fsrs-rs needs at least 8. Nothing was changed." in r.output
    assert len(r.output.strip().splitlines()) == 1
    assert stored(env["db"]) == {}


def test_revlog_fits_a_csv_file_and_leaves_the_database_alone(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    write_history_csv(log)
    env = {"db": tmp_path / "none.sqlite3", "decks": tmp_path, "config": tmp_path / "c.toml"}
    env["config"].write_text("", encoding="utf-8")
    r = run(env, "--revlog", str(log), "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert set(out) == JSON_KEYS and out["cards"] == 150 and out["applied"] is False
    assert not env["db"].exists()  # not even created
    text = run(env, "--revlog", str(log))
    assert text.stdout.startswith("Fitted FSRS-6 to log.csv in ")
    applied = json.loads(run(env, "--revlog", str(log), "--apply", "--json").stdout)
    assert applied["applied"] is True
    assert stored(env["db"])[""].source == "log.csv"  # type: ignore[attr-defined]


def test_bad_history_files_are_one_line_errors(tmp_path: Path) -> None:
    env = {"db": tmp_path / "q.sqlite3", "decks": tmp_path, "config": tmp_path / "c.toml"}
    env["config"].write_text("", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("card_id,review_rating,review_time\n1,9,2024-01-01T00:00:00Z\n")
    r = run(env, "--revlog", str(bad))
    assert r.exit_code == 1
    assert r.output.strip() == (
        f"Error: {bad}:2: unknown rating '9' (expected 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy))"
    )
    notanki = tmp_path / "x.apkg"
    notanki.write_text("hello")
    r = run(env, "--anki", str(notanki))
    assert r.exit_code == 1
    assert r.output.strip() == f"Error: {notanki}: not an Anki package (not a zip file)"
    assert not env["db"].exists()


def test_anki_fits_an_anki_collection(tmp_path: Path) -> None:
    from tests.optimize.test_anki_log import DAY0, anki_collection  # made with Anki's scheduler

    path = tmp_path / "collection.anki2"
    col = anki_collection(path)
    basic = col.models.by_name("Basic")
    assert basic is not None
    for i in range(20):  # Anki's default: 20 new cards a day
        note = col.new_note(basic)
        note["Front"], note["Back"] = f"front {i}", "back"
        col.add_note(note, col.decks.id("Default"))
    answered = 0
    while (card := col.sched.getCard()) is not None:  # every card learnt today: Good, Good
        col.sched.answerCard(card, 3)
        answered += 1
    assert answered == 40
    ids = [r[0] for r in col.db.all("select id from revlog order by id")]
    base = int(DAY0.timestamp() * 1000)
    for i, old in enumerate(ids):  # the learning steps on day 0 ...
        col.db.execute("update revlog set id = ? where id = ?", base + i, old)
    cids = col.find_cards("")
    for day in (3, 9, 20, 41):  # ... then reviews on later days, through the scheduler
        col.sched.set_due_date(cids, "0")
        n = 0
        while (card := col.sched.getCard()) is not None:
            col.sched.answerCard(card, (3, 3, 1, 3, 4, 2)[n % 6])
            n += 1
        recent = col.db.all("select id from revlog where id > ?", base + 100 * 86_400_000)
        for i, (old,) in enumerate(recent):
            col.db.execute(
                "update revlog set id = ? where id = ?", base + day * 86_400_000 + i, old
            )
    relearned = col.db.scalar("select count() from revlog where type = 2")
    assert relearned > 0 and col.db.scalar("select count() from revlog where type = 4") == 80
    col.close()
    env = {"db": tmp_path / "q.sqlite3", "decks": tmp_path, "config": tmp_path / "c.toml"}
    env["config"].write_text("", encoding="utf-8")
    r = run(env, "--anki", str(path), "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    # One item per card and review day (3, 9, 20, 41); the "set due date" entries left out.
    assert (out["cards"], out["items"], out["applied"]) == (20, 80, False)
    assert out["reviews"] == 40 + 4 * 20 + relearned  # every graded answer, none manual


def test_the_retention_is_simulated_and_applied(env: dict[str, Path]) -> None:
    r = run(env, "--retention", "--deck", "pets", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["cards"] == 30 and len(out["retentions"]) == 28
    assert out["retentions"][0]["desired_retention"] == 0.7
    assert out["retentions"][-1]["desired_retention"] == 0.97
    assert 0.7 <= out["optimal"] <= 0.95 and out["applied"] is False
    assert out["parameters_from"].startswith("fitted now to the review log")
    assert stored(env["db"]) == {}
    text = run(env, "--retention", "--deck", "pets")
    assert "◀ in force" in text.stdout and "Optimal retention" in text.stdout
    applied = json.loads(run(env, "--retention", "--deck", "pets", "--apply", "--json").stdout)
    assert applied["applied"] is True
    service = ReviewService(env["db"], [env["decks"]], config_path=env["config"])
    try:
        assert service.config.for_deck("pets").desired_retention == applied["optimal"]
    finally:
        service.close()
    assert "desired retention: " + f"{applied['optimal']:.2f} (chosen for pets on" in (
        run(env, "--show", "--deck", "pets").stdout
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--revlog", "a.csv", "--anki", "b.apkg"], "--revlog and --anki cannot be used together"),
        (["--show", "--apply"], "--show goes only with --deck and --json"),
        (["--force"], "--force only goes with --apply"),
        (["--retention", "--apply", "--force"], "it does not go with --retention"),
    ],
)
def test_options_that_do_not_go_together(
    env: dict[str, Path], args: list[str], message: str
) -> None:
    r = run(env, *args)
    assert r.exit_code == 2 and message in r.output


def test_an_unknown_deck_is_a_one_line_error(env: dict[str, Path]) -> None:
    r = run(env, "--deck", "nope")
    assert r.exit_code == 1 and r.output.strip() == "Error: unknown deck 'nope' (known: pets)"


def test_without_apply_the_database_is_only_read(env: dict[str, Path]) -> None:
    import hashlib

    def digest() -> str:
        return hashlib.sha256(env["db"].read_bytes()).hexdigest()

    before = digest()
    for args in (["--json"], ["--deck", "pets"], ["--retention", "--json"], ["--show"]):
        assert run(env, *args).exit_code == 0
    assert digest() == before
    wal = env["db"].with_name(env["db"].name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # nothing waiting to be written either


def test_without_a_database_fitting_the_review_log_says_so(tmp_path: Path) -> None:
    env = {"db": tmp_path / "none.sqlite3", "decks": tmp_path, "config": tmp_path / "c.toml"}
    env["config"].write_text("", encoding="utf-8")
    r = run(env)
    assert r.exit_code == 1 and r.output.strip() == f"Error: no quizapp database at {env['db']}"
    assert not env["db"].exists()
