"""Home: the decks with today's New / Learning / Due counts, and the totals."""

from __future__ import annotations

from typing import ClassVar, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Static

from quizapp.errors import QuizappError
from quizapp.tui.messages import Optimized, OptimizeFailed, StartReview
from quizapp.tui.screens.base import AppScreen
from quizapp.tui.widgets.status_line import StatusLine

ALL_DECKS = "\0all"  # the totals row; no deck id can be this
COUNTS_WIDTH = 32  # margins, cell padding and the New / Learning / Due columns


def _count(n: int, style: str) -> Text:
    return Text(str(n), style=style if n else "dim", justify="right")


class HomeScreen(AppScreen):
    HELP_TITLE = "Decks"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "review_selected",
            "Review deck",
            key_display="Enter",
            priority=True,
            tooltip="review the selected deck (All decks: every deck)",
        ),
        Binding("a", "review_all", "Review all", tooltip="review all decks"),
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
        yield Static(
            Text(
                "No decks found. Add Markdown decks to a deck directory "
                "(see `quizapp --help`, option --decks)."
            ),
            id="no-decks",
            markup=False,
        )
        yield StatusLine()
        yield Footer()

    def on_mount(self) -> None:
        self.load_counts()
        if self.host.startup_error:
            self.status.error(self.host.startup_error)
        else:
            self.show_sync_errors()
        self.table.focus()

    def on_screen_resume(self) -> None:
        self.load_counts()

    def on_resize(self) -> None:
        self.load_counts()

    def _label_width(self) -> int:
        """Room for a deck's name so the three counts always fit beside it."""
        return max(16, self.app.size.width - COUNTS_WIDTH)

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
            rows: list[tuple[str, list[Text]]] = []
            totals = [0, 0, 0]
            for c in counts:
                label = Text(c.title or c.deck, no_wrap=True, overflow="ellipsis")
                if c.title and c.title != c.deck:
                    label.append(f"  {c.deck}", style="dim")
                label.truncate(self._label_width(), overflow="ellipsis")
                rows.append(
                    (
                        c.deck,
                        [
                            label,
                            _count(c.new, "bold blue"),
                            _count(c.learning, "bold red"),
                            _count(c.review, "bold green"),
                        ],
                    )
                )
                totals[0] += c.new
                totals[1] += c.learning
                totals[2] += c.review
            if counts:
                rows.append(
                    (
                        ALL_DECKS,
                        [
                            Text("All decks", style="bold"),
                            *(Text(str(n), style="bold", justify="right") for n in totals),
                        ],
                    )
                )
            # Columns are made afresh with the widths of these rows: a DataTable column only
            # ever widens, so after the terminal shrinks the counts would be off the screen.
            table.clear(columns=True)
            headers = [
                ("deck", Text("Deck")),
                ("new", Text("New", justify="right")),
                ("learning", Text("Learning", justify="right")),
                ("review", Text("Due", justify="right")),
            ]
            for i, (key, header) in enumerate(headers):
                width = max([header.cell_len, *(cells[i].cell_len for _, cells in rows)])
                table.add_column(header, key=key, width=width)
            for key, cells in rows:
                table.add_row(*cells, key=key)
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
