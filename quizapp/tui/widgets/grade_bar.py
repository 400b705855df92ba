"""The four answer buttons' labels: key, grade and the interval each will give (underlined
when a deck's exam shortened it; the card says why: :func:`exam_reason`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static


class Preview(Protocol):
    @property
    def rating(self) -> int: ...
    @property
    def label(self) -> str: ...
    @property
    def interval(self) -> str: ...
    @property
    def reason(self) -> str | None: ...


class GradeBar(Horizontal):
    """Before the answer is shown: a hint. Afterwards: ``1 Again 10m`` … ``4 Easy 8d``."""

    def __init__(self, *, id: str | None = "grades") -> None:
        super().__init__(id=id)
        self.labels: dict[int, str] = {}

    def compose(self) -> ComposeResult:
        yield Static(Text("Space / Enter  show answer"), id="reveal-hint")
        for rating in (1, 2, 3, 4):
            yield Static("", id=f"grade-{rating}", classes=f"grade grade-{rating}", markup=False)

    def on_mount(self) -> None:
        self.show_hint()

    def show_hint(self) -> None:
        self.labels = {}
        self.query_one("#reveal-hint").display = True
        for grade in self.query(".grade"):
            grade.display = False

    def show_grades(self, previews: Sequence[Preview]) -> None:
        self.query_one("#reveal-hint").display = False
        by_rating = {p.rating: p for p in previews}
        self.labels = {}
        for rating in (1, 2, 3, 4):
            widget = self.query_one(f"#grade-{rating}", Static)
            preview = by_rating.get(rating)
            if preview is None:
                widget.display = False
                continue
            text = Text(no_wrap=True, justify="center")
            text.append(f"{rating} ", "bold reverse")
            text.append(f" {preview.label} ")
            text.append(preview.interval, "bold underline" if preview.reason else "bold")
            widget.update(text)
            self.labels[rating] = text.plain
            widget.display = True


def exam_reason(previews: Sequence[Preview]) -> str | None:
    """What the card says when the exam shortened some grades' intervals:
    ``Hard 8d, Good 8d: before your exam on 15 Mar`` (None when it shortened none)."""
    capped = [p for p in previews if p.reason]
    if not capped:
        return None
    grades = ", ".join(f"{p.label} {p.interval}" for p in capped)
    return f"{grades}: {capped[0].reason}"
