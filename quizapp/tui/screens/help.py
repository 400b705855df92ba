"""Help: the keys of every screen."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Decks",
        [
            ("Enter", "review the selected deck (All decks: every deck)"),
            ("a", "review all decks"),
            ("r", "sync the deck files again"),
            ("q", "quit"),
        ],
    ),
    (
        "Review",
        [
            ("Space / Enter", "show the answer"),
            ("1 2 3 4", "Again / Hard / Good / Easy (shown with their intervals)"),
            ("u", "undo the last answer, suspend or bury (repeatable)"),
            ("!", "suspend the card"),
            ("-", "bury the card until tomorrow"),
            ("e", "edit the card's source in $EDITOR, then re-sync"),
            ("v", "check a computed or Keras-checked card with real Keras (in the background)"),
            ("q / Escape", "back to the decks"),
        ],
    ),
    (
        "Summary",
        [
            ("Enter / q", "back to the decks"),
            ("u", "undo the last answer and review that card again"),
        ],
    ),
    ("Anywhere", [("?", "this help"), ("Ctrl+C", "quit")]),
]


def help_table() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for i, (title, keys) in enumerate(KEYS):
        if i:
            table.add_row("", "")
        table.add_row(Text(title, style="bold underline"), "")
        for key, what in keys:
            table.add_row(key, what)
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("q", "close", "Close", show=False),
        Binding("question_mark", "close", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(help_table(), id="help-keys", markup=False)

    def action_close(self) -> None:
        self.app.pop_screen()
