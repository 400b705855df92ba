"""Optimize: what fitting FSRS to a deck's reviews gave, and a confirmation before applying."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from quizapp.optimize.report import optimize_text, whom

if TYPE_CHECKING:
    from quizapp.optimize.service import OptimizeOutcome


class OptimizeScreen(ModalScreen[bool]):
    """The fit's figures; ``y`` applies parameters that beat those in force, ``f`` applies
    them anyway, ``n`` or ``Escape`` closes. Dismissed with True to apply."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "apply", "Apply", show=False),
        Binding("f", "force", "Apply anyway", show=False),
        Binding("n", "close", "Close", show=False),
        Binding("escape", "close", "Close", show=False),
    ]

    def __init__(self, outcome: OptimizeOutcome) -> None:
        super().__init__()
        self.outcome = outcome

    def compose(self) -> ComposeResult:
        o = self.outcome
        text = Text("\n".join(optimize_text(o, actions=False)))
        if o.result.better:
            question = f"Apply them to {whom(o.deck)}?  y yes · n no"
        else:
            question = "Keep the parameters in force?  n keep · f apply the fitted ones anyway"
        with VerticalScroll(id="optimize"):
            yield Static(text, id="optimize-report", markup=False)
            yield Static(Text(question, style="bold"), id="optimize-question", markup=False)

    def action_apply(self) -> None:
        if self.outcome.result.better:
            self.dismiss(True)

    def action_force(self) -> None:
        if not self.outcome.result.better:
            self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)
