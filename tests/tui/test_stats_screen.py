"""The statistics screen, driven by keys: `s` on the decks opens it, it paints at once and fills
in from its worker, and every number it shows is the JSON's (`quizapp stats --json`) for the
same moment; `d` switches deck / all, `q` goes back. Deck text is never markup."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widget import Widget

from quizapp.store import exams
from quizapp.tui.app import QuizApp, make_app
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.stats import StatsScreen
from quizapp.tui.widgets.calendar import CalendarHeatmap
from quizapp.tui.widgets.charts import BarChart
from tests.stats.test_stats import NOW, _october
from tests.stats.util import Store, berlin_local_time
from tests.tui.helpers import screen_lines, screen_text, wait_until

pytestmark = pytest.mark.usefixtures("berlin_local_time")
__all__ = ["berlin_local_time"]


def _app(tmp_path: Path, **kw: Any) -> QuizApp:
    return make_app(
        db_path=tmp_path / "q.sqlite3",
        deck_dirs=[tmp_path / "decks"],
        config_path=tmp_path / "none.toml",
        clock=lambda: NOW,
        **kw,
    )


def _with_exam(st: Store) -> None:
    base = NOW - timedelta(days=2)
    exam = exams.start_exam(
        st.db, started_at=base, deck_ids=["alpha"], options={}, seed=1, questions=2
    )
    for n, credit in ((1, 1.0), (2, 0.5)):
        record = exams.AnswerRecord(
            n=n,
            qtype="mcq",
            card_key=f"alpha:q{n}",
            deck="alpha",
            section=("Notes",),
            prompt="q",
            options=(),
            answer="a",
            given="a",
            result="right",
            credit=credit,
            override=False,
            seconds=2.0,
            missed=(),
        )
        exams.record_answer(st.db, exam, record, base + timedelta(minutes=n))
    exams.finish_exam(st.db, exam, base + timedelta(minutes=5), 300)


def _stats_screen(app: QuizApp) -> StatsScreen:
    assert isinstance(app.screen, StatsScreen), app.screen
    return app.screen


async def _counted(pilot: Pilot[Any]) -> StatsScreen:
    screen = _stats_screen(pilot.app)  # type: ignore[arg-type]
    await wait_until(pilot, lambda: screen.stats is not None and screen.query("#stats-exams"))
    await pilot.pause()
    return screen


async def _shown(pilot: Pilot[Any], widget: Widget) -> str:
    """The text of ``widget`` as the screen shows it, scrolled into view first."""
    widget.scroll_visible(animate=False, immediate=True)
    await pilot.pause()
    r = widget.region
    lines = screen_lines(pilot.app)
    return "\n".join(line[r.x : r.right].rstrip() for line in lines[r.y : r.bottom])


def _ints(text: str) -> list[int]:
    return [int(x.replace(",", "")) for x in re.findall(r"(?<![\d.])\d[\d,]*(?![\d.%])", text)]


async def _assert_shows(pilot: Pilot[Any], screen: StatsScreen, j: dict[str, Any]) -> None:
    """Every number of the screen against the JSON of the same statistics."""

    def w(widget_id: str) -> Widget:
        return screen.query_one(f"#{widget_id}")

    today = await _shown(pilot, w("stats-today"))
    t = j["today"]
    assert f"{t['reviews']:,} reviews ({t['new']:,} new)" in today
    assert f"Again {t['again']:,}" in today
    assert f"Streak {j['streak']['current']:,} " in today
    assert f"(longest {j['streak']['longest']:,})" in today

    calendar = w("stats-calendar")
    assert isinstance(calendar, CalendarHeatmap)
    assert {d.isoformat(): n for d, n in calendar.days if n} == j["heatmap"]
    grid = await _shown(pilot, calendar)
    assert grid.splitlines()[1].startswith("Mon") and len(grid.splitlines()) == 8
    cal_text = await _shown(pilot, w("stats-calendar-text"))
    assert f"{sum(j['heatmap'].values()):,} reviews on {len(j['heatmap']):,} of 365 days" in (
        cal_text
    )

    future = w("chart-future")
    assert isinstance(future, BarChart) and list(future.series[0]) == j["forecast"]
    due = await _shown(pilot, w("stats-future"))
    f = j["forecast"]
    assert due.startswith(f"Overdue {j['overdue']:,} · today {f[0]:,} · tomorrow {f[1]:,}")
    assert f"30 days {sum(f):,} · daily load {j['daily_load']:,.1f}" in due

    reviews = w("chart-reviews")
    assert isinstance(reviews, BarChart)
    kinds = ("learning", "review", "relearning")
    assert [list(s) for s in reviews.series] == [[d[k] for d in j["reviews"]] for k in kinds]
    line = await _shown(pilot, w("stats-reviews"))
    for k in kinds:
        assert f"{k} {sum(d[k] for d in j['reviews']):,}" in line

    cards = await _shown(pilot, w("stats-cards"))
    shown_cards = {k: int(n.replace(",", "")) for k, n in re.findall(r"([a-z]+) ([\d,]+)", cards)}
    assert shown_cards == {k: v for k, v in j["cards"].items() if k != "review"}

    m = j["memory"]
    memory = await _shown(pilot, w("stats-memory"))
    assert f"{m['cards']:,} cards studied" in memory.replace("\n", " ")
    assert f"total knowledge {m['total_knowledge']:,.0f} cards" in memory.replace("\n", " ")
    for name in ("retrievability", "stability", "difficulty", "interval"):
        chart = w(f"chart-{name}")
        assert isinstance(chart, BarChart)
        assert list(chart.series[0]) == [b["cards"] for b in m[name]], name

    table = (await _shown(pilot, w("stats-retention"))).splitlines()
    labels = {"today": "today", "yesterday": "yesterday", "7d": "7 days", "30d": "30 days"}
    labels["365d"] = "365 days"
    tr = j["true_retention"]
    for period, label in labels.items():
        row = next(r for r in table if r.strip().startswith(label))
        numbers = _ints(row.split(label, 1)[1])
        expected = [
            x for cls in ("young", "mature", "total") for x in (
                tr[cls][period]["passed"], tr[cls][period]["failed"])
        ]  # fmt: skip
        assert numbers == expected, (period, row)
        for cls in ("young", "mature", "total"):
            share = tr[cls][period]["retention"]
            if share is not None:
                assert f"{100 * share:.1f}%" in row
    assert f"desired retention {100 * j['desired_retention']:.1f}%" in "\n".join(table)

    hours = w("chart-hours")
    assert isinstance(hours, BarChart)
    assert list(hours.series[0]) == [h["reviews"] for h in j["hours"]]
    success = w("chart-success")
    assert isinstance(success, BarChart)
    assert list(success.series[0]) == pytest.approx(
        [100 * (h["success"] or 0) for h in j["hours"]], abs=0.01
    )

    buttons = (await _shown(pilot, w("stats-buttons"))).splitlines()
    for name in ("learning", "young", "mature"):
        row = next(r for r in buttons if r.strip().startswith(name))
        assert _ints(row) == j["buttons"][name], row

    shown_exams = await _shown(pilot, w("stats-exams"))
    for e in j["exams"]:
        assert e["title"] in shown_exams
        scores = " · ".join(f"{100 * x['score']:.0f}%" for x in e["scores"])
        assert scores in shown_exams

    shown_dates = (await _shown(pilot, w("stats-exam-dates"))).splitlines()
    if not j["exam_dates"]:
        assert shown_dates[0].strip().startswith("None (quizapp exam-date YYYY-MM-DD sets one)")
    assert len(shown_dates) == max(1, len(j["exam_dates"]))
    for line, x in zip(shown_dates, j["exam_dates"], strict=False):
        assert f" · {100 * x['ready']:.1f}% ready for {x['target']:.2f}" in line, line
        assert x["deck"] in line and x["date"][:4] in line


async def test_s_opens_the_statistics_and_they_are_the_jsons(tmp_path: Path) -> None:
    st = _october(tmp_path)
    _with_exam(st)
    app = _app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("s")  # on the first row: a deck's own statistics
        screen = _stats_screen(app)
        assert screen.deck == "alpha"
        await pilot.pause()
        assert "quizapp · statistics · Deck alpha" in screen_text(app)
        screen = await _counted(pilot)
        await _assert_shows(pilot, screen, st.json(NOW, "alpha"))
        assert all(len(line) == 80 for line in screen_lines(app))

        await pilot.press("d")  # the next deck
        await wait_until(pilot, lambda: screen.stats is not None and screen.stats.deck == "beta")
        assert screen_lines(app)[0].strip().startswith("quizapp · statistics · Deck beta")
        await _assert_shows(pilot, screen, st.json(NOW, "beta"))

        await pilot.press("d")  # then every deck
        await wait_until(pilot, lambda: screen.stats is not None and screen.stats.deck is None)
        assert "statistics · All decks" in screen_lines(app)[0]
        await _assert_shows(pilot, screen, st.json(NOW))

        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_the_statistics_paint_before_they_are_counted(tmp_path: Path) -> None:
    """The screen is there at once ("Counting…"); the worker's message fills it."""
    _october(tmp_path)
    app = _app(tmp_path, stats=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = _stats_screen(app)
        assert screen.deck is None
        counting = screen.query("#stats-counting")
        if screen.stats is None:  # the worker may already be done on a fast machine
            assert counting and "Counting…" in screen_text(app)
        screen = await _counted(pilot)
        assert not screen.query("#stats-counting")
        await pilot.press("end")
        await pilot.pause()
        assert "Exams · the last scores per deck" in screen_text(app)
        await pilot.press("home")
        await pilot.pause()
        assert "Today" in screen_text(app)


async def test_deck_titles_are_never_markup(tmp_path: Path) -> None:
    st = _october(tmp_path)
    deck = (tmp_path / "decks" / "beta.md").read_text(encoding="utf-8")
    (tmp_path / "decks" / "beta.md").write_text(
        deck.replace("title: Deck beta", "title: '[red]Beta[/'"), encoding="utf-8"
    )
    base = NOW - timedelta(days=1)
    exam = exams.start_exam(
        st.db, started_at=base, deck_ids=["beta"], options={}, seed=1, questions=1
    )
    exams.record_answer(
        st.db,
        exam,
        exams.AnswerRecord(
            1, "tf", "beta:q", "beta", (), "[b]q", (), "a", "a", "right", 1.0, False, 1.0, ()
        ),
        base,
    )
    exams.finish_exam(st.db, exam, base + timedelta(minutes=1), 60)
    app = _app(tmp_path, stats=True, deck="beta")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _counted(pilot)
        assert "statistics · [red]Beta[/  beta" in screen_lines(app)[0]
        shown = await _shown(pilot, screen.query_one("#stats-exams"))
        assert "[red]Beta[/  beta  100%" in shown


async def test_an_empty_database_has_statistics_too(tmp_path: Path, deck_dir: Path) -> None:
    app = make_app(
        db_path=tmp_path / "q.sqlite3",
        deck_dirs=[deck_dir],
        config_path=tmp_path / "none.toml",
        clock=lambda: NOW,
        stats=True,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _counted(pilot)
        assert screen.stats is not None and screen.stats.today.reviews == 0
        shown = await _shown(pilot, screen.query_one("#stats-today"))
        assert shown.startswith("0 reviews (0 new) in 0s · Again 0 (— correct)")


async def test_the_help_tells_the_statistics_keys(tmp_path: Path) -> None:
    """On the statistics, `?` lists their keys and the decks' (`s` included), on one screen."""
    from quizapp.tui.app import STATS_KEY
    from quizapp.tui.screens.help import HelpScreen, key_rows

    _october(tmp_path)
    app = _app(tmp_path, stats=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await _counted(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for title in ("Decks", "Statistics", "Anywhere"):
            assert title in text
        for screen_keys in (HomeScreen.BINDINGS, StatsScreen.BINDINGS, [STATS_KEY]):
            for keys, what in key_rows(screen_keys):
                assert f"{keys}  " in text and " ".join(what.split()[:4]) in text, (keys, what)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)


async def test_p_switches_the_period_of_the_hours_and_buttons(tmp_path: Path) -> None:
    """`p` goes 1 month → 3 months → 1 year → all time → 1 month: the hours and the answer
    buttons are the JSON's of that period, and their headings say which; the footer shows p."""
    st = _october(tmp_path)
    app = _app(tmp_path, stats=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _counted(pilot)
        assert "p Period" in screen_lines(app)[-1]
        heading = screen.query_one("#stats-hours-heading")
        assert (await _shown(pilot, heading)).strip() == "Hours · the last 30 days"
        for name, words in (
            ("3m", "the last 90 days"),
            ("1y", "the last 365 days"),
            ("all", "all time (101 days)"),
            ("1m", "the last 30 days"),
        ):
            await pilot.press("p")
            await wait_until(
                pilot,
                lambda name=name: screen.stats is not None and screen.stats.period.name == name,
            )
            await pilot.pause()
            j = st.json(NOW, period=name)
            await _assert_shows(pilot, screen, j)
            assert (await _shown(pilot, heading)).strip() == f"Hours · {words}"
            buttons = screen.query_one("#stats-buttons-heading")
            assert (await _shown(pilot, buttons)).strip() == f"Answer buttons · {words}"
            if name == "1y":  # a2's Again of 19 July, 100 days ago: only in the year and all
                assert j["buttons"]["young"] == [2, 0, 2, 0] and j["hours"][12]["reviews"] == 2


async def test_the_statistics_open_in_the_period_asked_for(tmp_path: Path) -> None:
    st = _october(tmp_path)
    app = _app(tmp_path, stats=True, period="1y")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _counted(pilot)
        assert screen.stats is not None and screen.stats.period.name == "1y"
        await _assert_shows(pilot, screen, st.json(NOW, period="1y"))


async def test_the_statistics_show_each_exam_dates_readiness(tmp_path: Path) -> None:
    """A deck with an exam date ahead: its day, the days left, the share ready and the target,
    as `quizapp due` computes them; with `d`, each deck its own."""
    from datetime import date

    from quizapp.review import ReviewService

    st = _october(tmp_path)
    service = ReviewService(
        tmp_path / "q.sqlite3",
        [tmp_path / "decks"],
        config_path=tmp_path / "none.toml",
        clock=lambda: NOW,
    )
    service.set_exam_date(date(2026, 11, 3), ["alpha"], 0.9)
    service.close()
    app = _app(tmp_path, stats=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _counted(pilot)
        j = st.json(NOW, exam_dates=app.service.exam_dates())
        assert [x["deck"] for x in j["exam_dates"]] == ["alpha"]
        await _assert_shows(pilot, screen, j)
        shown = await _shown(pilot, screen.query_one("#stats-exam-dates"))
        assert (
            shown.strip()
            == "Deck alpha  alpha  Tue 3 Nov 2026 · 7 days left · 16.7% ready for 0.90"
        )
        await pilot.press("d")  # alpha
        await wait_until(pilot, lambda: screen.stats is not None and screen.stats.deck == "alpha")
        assert [x.deck for x in screen.stats.exam_dates] == ["alpha"]
        await pilot.press("d")  # beta: no exam date
        await wait_until(pilot, lambda: screen.stats is not None and screen.stats.deck == "beta")
        assert screen.stats.exam_dates == ()
        await _assert_shows(pilot, screen, st.json(NOW, "beta"))
