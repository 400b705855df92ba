"""Statistics: today, the calendar, cards coming due, reviews, card counts, FSRS memory, true
retention, hours, answer buttons, exam scores and exam dates' readiness, for one deck or every
deck.

The screen paints at once with "Counting…"; a thread worker counts (``StatsReader`` through
the app) and posts ``StatsCounted``, and the sections fill in. ``d`` switches between the decks
and all of them, ``p`` the period of the hours and the answer buttons (1 month, 3 months, 1
year, all), each switch counted afresh in the worker. The chart library is imported by the
worker too, so pressing ``s`` never waits for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from quizapp.errors import QuizappError
from quizapp.stats.model import (
    BREAKDOWN_PERIODS,
    DEFAULT_BREAKDOWN,
    GRADES,
    PERIODS,
    Bin,
    Breakdown,
    Cell,
    ratio,
)
from quizapp.stats.text import (
    BREAKDOWN_LABELS,
    PERIOD_LABELS,
    days_left_words,
    duration,
    percent,
)
from quizapp.tui.messages import StatsCounted, StatsFailed
from quizapp.tui.screens.base import AppScreen
from quizapp.tui.widgets.calendar import CalendarHeatmap, legend
from quizapp.tui.widgets.key_bar import KeyBar
from quizapp.tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from quizapp.stats import Stats
    from quizapp.tui.widgets.charts import BarChart

WIDE = 110  # from this width, charts two by two
KIND_STYLES = {"learning": "#5fafff", "review": "#5fd75f", "relearning": "#ff8700"}
MEMORY = (
    ("retrievability", "Retrievability (now)", "#5fd75f"),
    ("stability", "Stability (days)", "#5fafff"),
    ("difficulty", "Difficulty", "#ff8700"),
    ("interval", "Interval (days)", "#d7af5f"),
)


def _n(x: int) -> str:
    return f"{x:,}"


def bin_label(b: Bin, unit: str) -> str:
    """A bin's short name on a chart: ``30%`` (from 30 % on), ``8`` (days, from 8 on)."""
    if unit == "%":
        return f"{round(100 * b.lo)}%"
    return f"{b.lo:g}+" if b.hi is None else f"{b.lo:g}"


def period_heading(period: Breakdown) -> str:
    """``the last 30 days``, ``all time (412 days)``: the hours' and buttons' headings."""
    if period.name == "all":
        return f"all time ({period.days:,} {'day' if period.days == 1 else 'days'})"
    return f"the last {period.days} days"


def _cell(c: Cell) -> Text:
    text = Text(f"{percent(c.retention):>6}", style="bold" if c.retention is not None else "dim")
    text.append(f"  {_n(c.passed)} / {_n(c.failed)}", style="dim")
    return text


class StatsScreen(AppScreen):
    HELP_TITLE = "Statistics"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "switch_deck", "Deck / all", tooltip="the next deck, then all decks"),
        Binding(
            "p",
            "switch_period",
            "Period",
            tooltip="hours and answer buttons over 1 month, 3 months, 1 year or all time",
        ),
        Binding("r", "recount", "Recount", tooltip="count again"),
        Binding("q", "back", "Back", tooltip="back to the decks"),
        Binding("escape", "back", "Back", show=False, key_display="Escape"),
    ]

    def __init__(self, deck: str | None = None, period: str = DEFAULT_BREAKDOWN) -> None:
        super().__init__()
        self.deck = deck
        self.period = period  # of the hours and the answer buttons
        self.stats: Stats | None = None
        self._request = 0
        self._decks: list[tuple[str | None, str]] = [(None, "All decks")]
        self._built = False

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="title", markup=False)
        with VerticalScroll(id="stats-body"):
            yield Static(Text("Counting…", style="dim"), id="stats-counting", markup=False)
        yield StatusLine()
        yield KeyBar()

    def on_mount(self) -> None:
        from quizapp.stats import deck_titles

        with self.host.reporting():
            self._decks += deck_titles(self.service.db)
        self._show_title()
        self._set_width_class()
        self.query_one("#stats-body").focus()
        # Counted once the screen is painted: the worker's imports and counting share the
        # interpreter with the painting.
        self.call_after_refresh(self.count)

    def on_resize(self) -> None:
        self._set_width_class()

    def _set_width_class(self) -> None:
        self.set_class(self.app.size.width >= WIDE, "wide")

    def _title_of(self, deck: str | None) -> str:
        return next((title for d, title in self._decks if d == deck), deck or "All decks")

    def _show_title(self) -> None:
        title = Text("quizapp · statistics · ", style="bold")
        title.append(self._title_of(self.deck), style="bold")  # deck text: never markup
        if self.deck is not None and self._title_of(self.deck) != self.deck:
            title.append(f"  {self.deck}", style="dim")
        self.query_one("#title", Static).update(title)

    def _build(self) -> list[Static | Vertical | CalendarHeatmap | BarChart]:
        """The sections' widgets, empty; :meth:`_fill` puts the numbers in."""
        from quizapp.tui.widgets.charts import BarChart

        def heading(text: str, widget_id: str | None = None) -> Static:
            return Static(
                Text(text, style="bold"), id=widget_id, classes="stats-heading", markup=False
            )

        def box(chart_id: str, title: str) -> Vertical:
            return Vertical(
                Static(Text(title, style="bold dim"), classes="chart-title", markup=False),
                BarChart(id=chart_id, classes="chart"),
                classes="chart-box",
            )

        def text(widget_id: str) -> Static:
            return Static(id=widget_id, classes="stats-text", markup=False)

        return [
            heading("Today"),
            text("stats-today"),
            heading("Calendar · the last 365 days"),
            CalendarHeatmap(id="stats-calendar"),
            text("stats-calendar-text"),
            heading("Future due · the next 30 days"),
            BarChart(id="chart-future", classes="chart"),
            text("stats-future"),
            heading("Reviews · the last 30 days"),
            BarChart(id="chart-reviews", classes="chart"),
            text("stats-reviews"),
            heading("Cards"),
            text("stats-cards"),
            heading("Memory (FSRS)"),
            text("stats-memory"),
            Vertical(
                *(box(f"chart-{name}", title) for name, title, _ in MEMORY),
                id="memory-charts",
                classes="chart-grid",
            ),
            heading("True retention"),
            text("stats-retention"),
            heading("Hours", "stats-hours-heading"),
            Vertical(
                box("chart-hours", "Reviews by hour of the day"),
                box("chart-success", "Correct (%) by hour of the day"),
                id="hour-charts",
                classes="chart-grid",
            ),
            text("stats-hours"),
            heading("Answer buttons", "stats-buttons-heading"),
            text("stats-buttons"),
            heading("Exams · the last scores per deck, newest first"),
            text("stats-exams"),
            heading("Exam dates · the cards ready: at the target recall on the day"),
            text("stats-exam-dates"),
        ]

    # -- counting -----------------------------------------------------------------------------

    def count(self) -> None:
        self._request += 1
        self._count(self.deck, self.period, self._request)

    @work(thread=True, exclusive=True, exit_on_error=False, group="stats")
    def _count(self, deck: str | None, period: str, request: int) -> None:
        """In a thread: a million answers take a fraction of a second to count; the chart
        library's import is done here too."""
        import quizapp.tui.widgets.charts  # noqa: F401

        try:
            stats = self.host.stats(deck, period)
        except QuizappError as err:
            self.post_message(StatsFailed(err, request))
        else:
            self.post_message(StatsCounted(stats, request))

    async def on_stats_counted(self, message: StatsCounted) -> None:
        message.stop()
        if message.request != self._request:
            return  # counted for a deck no longer asked for
        self.stats = message.stats
        if not self._built:
            self._built = True
            await self.query_one("#stats-counting").remove()
            await self.query_one("#stats-body").mount_all(self._build())
        self._fill(message.stats)
        self.status.clear()

    def on_stats_failed(self, message: StatsFailed) -> None:
        message.stop()
        if message.request == self._request:
            self.host.report(message.error)

    # -- the numbers ----------------------------------------------------------------------------

    def _text(self, widget_id: str, content: Text | Table) -> None:
        self.query_one(f"#{widget_id}", Static).update(content)

    def _chart(self, widget_id: str) -> BarChart:
        from quizapp.tui.widgets.charts import BarChart

        return self.query_one(f"#{widget_id}", BarChart)

    def _fill(self, st: Stats) -> None:
        t, streak = st.today, st.streak
        today = Text(f"{_n(t.reviews)} reviews", style="bold")
        today.append(f" ({_n(t.new)} new) in {duration(t.seconds)} · Again {_n(t.again)}")
        today.append(f" ({percent(ratio(t.correct, t.reviews))} correct)")
        days = "day" if streak.current == 1 else "days"
        today.append(f"\nStreak {_n(streak.current)} {days} (longest {_n(streak.longest)})")
        self._text("stats-today", today)

        cal = st.calendar
        self.query_one("#stats-calendar", CalendarHeatmap).show(
            [(d.day, d.reviews) for d in cal.days], cal.busiest
        )
        total = sum(d.reviews for d in cal.days)
        line = legend()
        line.append(
            f"   {_n(total)} reviews on {_n(cal.days_studied)} of {len(cal.days)} days"
            f" · busiest day {_n(cal.busiest)}"
        )
        self._text("stats-calendar-text", line)

        f = st.future
        self._chart("chart-future").show_bars(
            list(range(len(f.days))),
            [(f.days, "#5fd7ff")],
            xlabel="study days from today",
            xticks=list(range(0, len(f.days), 5)),
        )
        self._text(
            "stats-future",
            Text(
                f"Overdue {_n(f.overdue)} · today {_n(f.days[0] if f.days else 0)}"
                f" · tomorrow {_n(f.days[1] if len(f.days) > 1 else 0)}"
                f" · 7 days {_n(sum(f.days[:7]))} · 30 days {_n(sum(f.days))}"
                f" · daily load {f.daily_load:,.1f}"
            ),
        )

        r = st.reviews
        self._chart("chart-reviews").show_bars(
            [k - len(r) + 1 for k in range(len(r))],
            [
                ([d.learning for d in r], KIND_STYLES["learning"]),
                ([d.review for d in r], KIND_STYLES["review"]),
                ([d.relearning for d in r], KIND_STYLES["relearning"]),
            ],
            xlabel="study days from today",
            xticks=list(range(-25, 1, 5)),
        )
        kinds = {
            "learning": sum(d.learning for d in r),
            "review": sum(d.review for d in r),
            "relearning": sum(d.relearning for d in r),
        }
        line = Text(f"{_n(sum(kinds.values()))} reviews in {duration(sum(d.seconds for d in r))}: ")
        for n, (kind, count) in enumerate(kinds.items()):
            line.append("█ ", style=KIND_STYLES[kind])
            line.append(f"{kind} {_n(count)}" + (", " if n < 2 else ""))
        self._text("stats-reviews", line)

        c = st.cards
        cards = Table.grid(padding=(0, 3))
        for _ in range(4):
            cards.add_column()
        first = ("new", c.new), ("learning", c.learning), ("young", c.young), ("mature", c.mature)
        second = (
            ("relearning", c.relearning),
            ("suspended", c.suspended),
            ("buried", c.buried),
            ("retired", c.retired),
        )
        for row in (first, second):
            cards.add_row(*(f"{name} {_n(n)}" for name, n in row))
        cards.add_row(Text(f"total {_n(c.total)}", style="bold"), "", "", "")
        self._text("stats-cards", cards)

        m = st.memory
        self._text(
            "stats-memory",
            Text(
                f"{_n(m.cards)} cards studied · estimated total knowledge"
                f" {m.total_knowledge:,.0f} cards · average retrievability"
                f" {percent(m.average_retrievability)}"
            ),
        )
        for name, _, style in MEMORY:
            bins: tuple[Bin, ...] = getattr(m, name)
            unit = "%" if name in ("retrievability", "difficulty") else "d"
            self._chart(f"chart-{name}").show_bars(
                [bin_label(b, unit) for b in bins], [([b.cards for b in bins], style)]
            )

        tr = st.true_retention
        table = Table(box=None, padding=(0, 1), show_edge=False)
        table.add_column("")
        for name in ("young", "mature", "total"):
            table.add_column(name, justify="right")
        total_cells = tr.total
        for p in PERIODS:
            table.add_row(
                PERIOD_LABELS[p], _cell(tr.young[p]), _cell(tr.mature[p]), _cell(total_cells[p])
            )
        table.caption = f"retention  passed / failed · desired retention {percent(tr.desired)}"
        table.caption_justify = "left"
        self._text("stats-retention", table)

        words = period_heading(st.period)
        self._text("stats-hours-heading", Text(f"Hours · {words}", style="bold"))
        self._text("stats-buttons-heading", Text(f"Answer buttons · {words}", style="bold"))
        hours = st.hours
        self._chart("chart-hours").show_bars(
            [h.hour for h in hours],
            [([h.reviews for h in hours], "#af87ff")],
            xlabel="hour",
            xticks=list(range(0, 24, 3)),
        )
        self._chart("chart-success").show_bars(
            [h.hour for h in hours],
            [([100 * (h.success or 0.0) for h in hours], "#5fd75f")],
            xlabel="hour",
            xticks=list(range(0, 24, 3)),
        )
        busiest = max(hours, key=lambda h: h.reviews)
        line = Text(f"Busiest hour {busiest.hour:02d}h ({_n(busiest.reviews)} reviews)")
        measured = [h for h in hours if h.success is not None]
        if measured:
            best = max(measured, key=lambda h: (h.success or 0.0, h.reviews))
            line.append(f" · most correct {best.hour:02d}h ({percent(best.success)})")
        self._text("stats-hours", line)

        b = st.buttons
        table = Table(box=None, padding=(0, 1), show_edge=False)
        table.add_column("")
        for grade in GRADES:
            table.add_column(grade.capitalize(), justify="right")
        table.add_column("correct", justify="right")
        for name in ("learning", "young", "mature"):
            counts = getattr(b, name)
            n = sum(counts)
            cells = [Text(f"{_n(x)} {percent(ratio(x, n)):>6}") for x in counts]
            table.add_row(name, *cells, percent(ratio(n - counts[0], n)))
        self._text("stats-buttons", table)

        exams = Text()
        if not st.exams:
            exams.append("None yet (x on the decks takes one).", style="dim")
        for k, e in enumerate(st.exams):
            exams.append(e.title, style="bold")  # deck text: never markup
            if e.title != e.deck:
                exams.append(f"  {e.deck}", style="dim")
            exams.append("  " + " · ".join(f"{100 * x.score:.0f}%" for x in e.scores))
            if k < len(st.exams) - 1:
                exams.append("\n")
        self._text("stats-exams", exams)

        dates = Text()
        if not st.exam_dates:
            dates.append("None (quizapp exam-date YYYY-MM-DD sets one).", style="dim")
        for k, x in enumerate(st.exam_dates):
            title = self._title_of(x.deck)
            dates.append(title, style="bold")  # deck text: never markup
            if title != x.deck:
                dates.append(f"  {x.deck}", style="dim")
            dates.append(
                f"  {x.day:%a} {x.day.day} {x.day:%b %Y} · {days_left_words(x.days_left)}"
                f" · {percent(x.ready)} ready for {x.target:.2f}"
            )
            if k < len(st.exam_dates) - 1:
                dates.append("\n")
        self._text("stats-exam-dates", dates)

    # -- keys ---------------------------------------------------------------------------------

    def action_switch_deck(self) -> None:
        ids = [d for d, _ in self._decks]
        at = ids.index(self.deck) if self.deck in ids else 0
        self.deck = ids[(at + 1) % len(ids)]
        self._show_title()
        self.status.info(f"Counting {self._title_of(self.deck)}…")
        self.count()

    def action_switch_period(self) -> None:
        at = BREAKDOWN_PERIODS.index(self.period) if self.period in BREAKDOWN_PERIODS else -1
        self.period = BREAKDOWN_PERIODS[(at + 1) % len(BREAKDOWN_PERIODS)]
        self.status.info(
            f"Counting the hours and answer buttons of {BREAKDOWN_LABELS[self.period]}…"
        )
        self.count()

    def action_recount(self) -> None:
        self.status.info("Counting…")
        self.count()

    def action_back(self) -> None:
        self.app.pop_screen()
