"""The remaining counts (New / Learning / Due), always visible while reviewing."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class RemainingBar(Static):
    def __init__(self, *, id: str | None = "remaining") -> None:
        super().__init__("", id=id, markup=False)
        self.counts: tuple[int, int, int] = (0, 0, 0)

    def show(self, new: int, learning: int, review: int) -> None:
        self.counts = (new, learning, review)
        text = Text(no_wrap=True, justify="right")
        text.append("New ", "dim")
        text.append(str(new), "bold blue")
        text.append("  Learning ", "dim")
        text.append(str(learning), "bold red")
        text.append("  Due ", "dim")
        text.append(str(review), "bold green")
        self.update(text)
