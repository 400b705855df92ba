"""Help: the keys of every screen, read from the screens' own bindings and their tooltips.

Each screen's keys are a table of their own. The tables are packed side by side where they fit
(each into the first line of tables with room for it, so a short one fills the space beside a
wide one), which keeps the keys of the screens of what is going on on one 80×24 screen; what
does not fit (a smaller terminal) scrolls, with ↓ / PageDown / End.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.console import Console
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

Section = tuple[str, Sequence[BindingType]]

#: Cells between two tables side by side.
GAP = 2
#: The help box's widest (``#help`` in ``app.tcss``) and what its border and padding take.
MAX_WIDTH = 120
FRAME = 4


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


def natural_width(section: Section) -> int:
    """The cells a section's table takes with no row wrapped."""
    console = Console(width=1000, file=io.StringIO())
    return console.measure(help_table([section])).maximum


def pack(sections: Sequence[Section], width: int) -> list[list[tuple[Section, int]]]:
    """Lines of (section, its width): each section, in order, into the first line with room
    for it beside the others (``GAP`` between), or a line of its own."""
    lines: list[list[tuple[Section, int]]] = []
    used: list[int] = []
    for section in sections:
        w = min(natural_width(section), width)
        for i, line in enumerate(lines):
            if used[i] + GAP + w <= width:
                line.append((section, w))
                used[i] += GAP + w
                break
        else:
            lines.append([(section, w)])
            used.append(w)
    return lines


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
        width = max(min(self.app.size.width, MAX_WIDTH) - FRAME, 20)
        with VerticalScroll(id="help"):
            for line in pack(self.sections, width):
                with Horizontal(classes="help-line"):
                    for section, w in line:
                        keys = Static(help_table([section]), classes="help-keys", markup=False)
                        keys.styles.width = w
                        yield keys

    def action_close(self) -> None:
        self.app.pop_screen()
