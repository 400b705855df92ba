"""Home: the decks with today's New / Learning / Due counts, and the totals; for decks with an
exam date ahead, an Exam column (the day, the days left, how ready the deck is) and a line
saying when the exam raised a deck's new-card or review limit."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from quizapp.errors import QuizappError
from quizapp.exam_plan import exam_words
from quizapp.tui.messages import (
    Optimized,
    OptimizeFailed,
    ShowStats,
    StartExamSetup,
    StartReview,
)
from quizapp.tui.screens.base import AppScreen
from quizapp.tui.widgets.key_bar import KeyBar
from quizapp.tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from quizapp.review import DeckCounts, ExamStatus

ALL_DECKS = "\0all"  # the totals row; no deck id can be this
COUNTS_WIDTH = 32  # margins, cell padding and the New / Learning / Due columns


def _count(n: int, style: str) -> Text:
    return Text(str(n), style=style if n else "dim", justify="right")


def exam_cell(e: ExamStatus) -> Text:
    """``15 Mar · 14d · 42%``: the exam's day, the days left and the share of the deck ready
    for it (at or above the target on the day as things stand)."""
    today = e.day - timedelta(days=e.days_left)
    left = "today" if e.days_left == 0 else f"{e.days_left}d"
    ready = "—" if e.ready is None else f"{e.ready:.0%}"
    return Text(f"{exam_words(e.day, today)} · {left} · {ready}", no_wrap=True)


def raised_words(counts: list[DeckCounts]) -> str | None:
    """``New cards raised for the exam: Demo deck 52 a day (from 20).``, so that every card is
    learnt in time; and ``Reviews raised for the exam: Demo deck 240 today (from 200).`` on the
    day before the exam, so that no card the exam needs is held back; or None."""
    lines = []
    raised = [c.exam for c in counts if c.exam is not None and c.exam.raised]
    if raised:
        decks = "; ".join(
            f"{_title(counts, e.deck)} {e.new_per_day} a day (from {e.usual_new_per_day})"
            for e in raised
        )
        lines.append(f"New cards raised for the exam: {decks}.")
    raised = [c.exam for c in counts if c.exam is not None and c.exam.reviews_raised]
    if raised:
        decks = "; ".join(
            f"{_title(counts, e.deck)} {e.reviews_per_day} today (from {e.usual_reviews_per_day})"
            for e in raised
        )
        lines.append(f"Reviews raised for the exam: {decks}.")
    return "\n".join(lines) or None


def _title(counts: list[DeckCounts], deck: str) -> str:
    return next((c.title or c.deck for c in counts if c.deck == deck), deck)


class HomeScreen(AppScreen):
    HELP_TITLE = "Decks"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "review_selected",
            "Review deck",
            key_display="Enter",
            priority=True,
            tooltip="review the selected deck (All: every deck)",
        ),
        Binding("a", "review_all", "Review all", tooltip="review all decks"),
        # "Exam" is the exam date's column.
        Binding("x", "exam", "Quiz", tooltip="take an exam (setup first)"),
        # Short: the footer has to fit 80 columns.
        Binding("s", "stats", "Stats", tooltip="the statistics (of every deck on All)"),
        Binding("r", "refresh", "Sync decks", tooltip="sync the deck files again"),
        Binding(
            "o",
            "optimize",
            "Optimize",
            show=False,
            tooltip="fit FSRS to the deck's reviews, y to apply",
        ),
        Binding("q", "app.quit", "Quit", tooltip="quit"),
    ]

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#decks", DataTable)

    def compose(self) -> ComposeResult:
        yield Static(Text("quizapp · today's cards", style="bold"), id="title", markup=False)
        yield DataTable(id="decks", cursor_type="row", zebra_stripes=False)
        yield Static("", id="exam-note", markup=False)
        yield Static(
            Text(
                "No decks found. Add Markdown decks to a deck directory "
                "(see `quizapp --help`, option --decks)."
            ),
            id="no-decks",
            markup=False,
        )
        yield StatusLine()
        yield KeyBar()

    def on_mount(self) -> None:
        # Under a screen opened at launch (`quizapp review`, `quiz`, `stats`) the counts wait
        # until this screen is shown (on_screen_resume): counting first delays that screen.
        if self.is_active:
            self.load_counts()
        if self.host.startup_error:
            self.status.error(self.host.startup_error)
        else:
            self.show_sync_errors()
        self.table.focus()

    def on_screen_resume(self) -> None:
        if self.is_active:
            self.load_counts()

    def on_resize(self) -> None:
        if self.is_active:
            self.load_counts()

    def _label_width(self, exam_width: int = 0) -> int:
        """Room for a deck's name so the three counts (and the exam column) fit beside it."""
        return max(16, self.app.size.width - COUNTS_WIDTH - exam_width)

    def show_sync_errors(self) -> None:
        errors = self.host.sync_errors
        if errors:
            more = len(errors) - 1
            hint = f" (+{more} more; see `quizapp decks check`)" if more else ""
            self.status.error(errors[0] + hint)

    def load_counts(self) -> None:
        table = self.table
        selected = self.selected_deck()
        with self.host.reporting():
            counts = self.service.deck_counts()
            exams = {c.deck: exam_cell(c.exam) for c in counts if c.exam is not None}
            exam_header = Text("Exam · left · ready")
            exam_width = (
                max(exam_header.cell_len, *(t.cell_len for t in exams.values())) + 2 if exams else 0
            )
            rows: list[tuple[str, list[Text]]] = []
            totals = [0, 0, 0]
            for c in counts:
                label = Text(c.title or c.deck, no_wrap=True, overflow="ellipsis")
                if c.title and c.title != c.deck:
                    label.append(f"  {c.deck}", style="dim")
                label.truncate(self._label_width(exam_width), overflow="ellipsis")
                cells = [
                    label,
                    _count(c.new, "bold blue"),
                    _count(c.learning, "bold red"),
                    _count(c.review, "bold green"),
                ]
                if exams:
                    cells.append(exams.get(c.deck, Text("")))
                rows.append((c.deck, cells))
                totals[0] += c.new
                totals[1] += c.learning
                totals[2] += c.review
            if counts:
                total_cells = [
                    Text("All decks", style="bold"),
                    *(Text(str(n), style="bold", justify="right") for n in totals),
                ]
                if exams:
                    total_cells.append(Text(""))
                rows.append((ALL_DECKS, total_cells))
            # Columns are made afresh with the widths of these rows: a DataTable column only
            # ever widens, so after the terminal shrinks the counts would be off the screen.
            table.clear(columns=True)
            headers = [
                ("deck", Text("Deck")),
                ("new", Text("New", justify="right")),
                ("learning", Text("Learning", justify="right")),
                ("review", Text("Due", justify="right")),
            ]
            if exams:
                headers.append(("exam", exam_header))
            for i, (key, header) in enumerate(headers):
                width = max([header.cell_len, *(cells[i].cell_len for _, cells in rows)])
                table.add_column(header, key=key, width=width)
            for key, cells in rows:
                table.add_row(*cells, key=key)
            note = raised_words(counts)
            self.query_one("#exam-note", Static).update(Text(note or ""))
            self.query_one("#exam-note").display = note is not None
            self.query_one("#no-decks").display = not counts
            table.display = bool(counts)
            if selected is not None and selected in table.rows:
                table.move_cursor(row=table.get_row_index(selected))

    def selected_deck(self) -> str | None:
        """The row key under the cursor (a deck id, or ``ALL_DECKS``), if any."""
        table = self.table
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return cast("str | None", key.value)

    def _start(self, row_key: str | None) -> None:
        if row_key is None:
            self.status.error("no decks to review")
            return
        self.post_message(StartReview(None if row_key == ALL_DECKS else row_key))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._start(cast("str | None", event.row_key.value))

    def action_review_selected(self) -> None:
        self._start(self.selected_deck())

    def action_review_all(self) -> None:
        if self.table.row_count == 0:
            self.status.error("no decks to review")
            return
        self.post_message(StartReview(None))

    def action_exam(self) -> None:
        selected = self.selected_deck()
        self.post_message(StartExamSetup(None if selected in (None, ALL_DECKS) else selected))

    def action_stats(self) -> None:
        row = self.selected_deck()
        self.post_message(ShowStats(None if row in (None, ALL_DECKS) else row))

    def action_refresh(self) -> None:
        self.status.clear()
        if self.host.resync():
            self.load_counts()
            if not self.host.sync_errors:
                self.status.info("Decks synced.")

    def action_optimize(self) -> None:
        row = self.selected_deck()
        if row is None:
            self.status.error("no decks to fit")
            return
        deck = None if row == ALL_DECKS else row
        self.status.info(f"Fitting FSRS to the reviews of {deck or 'every deck'}…")
        self._fit(deck)

    @work(thread=True, exclusive=True, exit_on_error=True, group="optimize")
    def _fit(self, deck: str | None) -> None:
        """In a thread: reading the review log and fitting take up to seconds."""
        try:
            outcome = self.host.optimize(deck)
        except QuizappError as err:
            self.post_message(OptimizeFailed(err))
        else:
            self.post_message(Optimized(outcome))

    def on_optimize_failed(self, message: OptimizeFailed) -> None:
        message.stop()
        self.host.report(message.error)

    def on_optimized(self, message: Optimized) -> None:
        self.status.clear()  # the app shows the outcome (the message goes on to it)
