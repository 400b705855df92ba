"""Summary: shown when nothing is left to review."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from quizapp.timefmt import duration, until
from quizapp.tui.messages import ReviewAgain
from quizapp.tui.screens.base import AppScreen
from quizapp.tui.widgets.key_bar import KeyBar
from quizapp.tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from quizapp.review import ReviewSession, Summary


class SummaryScreen(AppScreen):
    HELP_TITLE = "Summary"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "done", "Back to decks", key_display="Enter", tooltip="back to the decks"),
        Binding("q", "done", "Back", show=False),
        Binding("escape", "done", "Back", show=False, key_display="Escape"),
        Binding(
            "u",
            "undo",
            "Undo last answer",
            tooltip="undo the last answer and review that card again",
        ),
    ]

    def __init__(self, summary: Summary, *, session: ReviewSession, deck: str | None) -> None:
        super().__init__()
        self.summary = summary
        self.session = session
        self.deck = deck

    def compose(self) -> ComposeResult:
        s = self.summary
        title = "Done for now." if s.reviewed else "Nothing to review right now."
        table = Table.grid(padding=(0, 2))
        table.add_column(style="dim")
        table.add_column()
        table.add_row("Reviewed", f"{s.reviewed} card{'s' if s.reviewed != 1 else ''}")
        table.add_row("Time", duration(s.seconds))
        table.add_row("Forgotten", f"{s.forgotten} (answered Again)")
        if s.next_due is None:
            next_due = "no cards scheduled"
        else:
            local = s.next_due.astimezone()
            next_due = f"{until(s.next_due, self.host.clock())} ({local:%Y-%m-%d %H:%M})"
        table.add_row("Next due", next_due)
        deck = "all decks" if self.deck is None else self.deck
        yield Static(Text(f"quizapp · {deck}", style="bold"), id="title", markup=False)
        with Vertical(id="summary"):
            yield Static(Text(title, style="bold"), id="summary-title", markup=False)
            yield Static(table, id="summary-table", markup=False)
        yield StatusLine()
        yield KeyBar()

    def action_done(self) -> None:
        self.app.pop_screen()

    def action_undo(self) -> None:
        if not self.session.can_undo:
            self.status.info("Nothing to undo.")
            return
        self.post_message(ReviewAgain(self.session, self.deck))
