"""Help: the keys of every screen, read from the screens' own bindings and their tooltips."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

Section = tuple[str, Sequence[BindingType]]


def key_rows(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
    """(keys, what they do), one row per action: ``("Space / Enter", "show the answer")``.

    Bindings of one action (``grade(1)`` … ``grade(4)`` count as one) share a row, described
    by the first tooltip among them; an action without a tooltip is left out.
    """
    groups: dict[str, tuple[list[str], list[str]]] = {}
    for binding in Binding.make_bindings(bindings):
        keys, tips = groups.setdefault(binding.action.split("(")[0], ([], []))
        keys.append(binding.key_display or binding.key)
        if binding.tooltip:
            tips.append(binding.tooltip)
    return [
        ((" " if all(len(k) == 1 for k in keys) else " / ").join(keys), tips[0])
        for keys, tips in groups.values()
        if tips
    ]


def help_table(sections: Iterable[Section]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for title, bindings in sections:
        table.add_row(Text(title, style="bold underline"), "")
        for keys, what in key_rows(bindings):
            table.add_row(Text(keys), Text(what))
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("q", "close", "Close", show=False),
        Binding("question_mark", "close", "Close", show=False),
    ]

    def __init__(self, sections: Sequence[Section]) -> None:
        super().__init__()
        self.sections = list(sections)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(help_table(self.sections), id="help-keys", markup=False)

    def action_close(self) -> None:
        self.app.pop_screen()
