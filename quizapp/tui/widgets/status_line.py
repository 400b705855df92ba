"""One line for errors and notices; text is always literal."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from quizapp.errors import one_line


class StatusLine(Static):
    """A single line under the main content: an error (red) or a notice."""

    def __init__(self, *, id: str | None = "status") -> None:
        super().__init__("", id=id, markup=False)
        self.message = ""

    def error(self, message: object) -> None:
        self._show(one_line(message), "error")

    def info(self, message: object) -> None:
        self._show(one_line(message), "info")

    def clear(self) -> None:
        self.message = ""
        self.remove_class("error", "info")
        self.update(Text(""))

    def _show(self, text: str, kind: str) -> None:
        self.message = text
        self.remove_class("error", "info")
        self.add_class(kind)
        self.update(Text(text, no_wrap=True, overflow="ellipsis"))
