"""Review: context, prompt, answer on Space/Enter, and the four grades with their intervals."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Rule, Static
from textual.worker import get_current_worker

from quizapp.tui.messages import KerasChecked
from quizapp.tui.timefmt import until
from quizapp.tui.widgets.card_text import CardText
from quizapp.tui.widgets.grade_bar import GradeBar
from quizapp.tui.widgets.keras_line import keras_line
from quizapp.tui.widgets.remaining import RemainingBar
from quizapp.tui.widgets.status_line import StatusLine, one_line
from quizapp.verify.model import NOT_VERIFIED, Verification

if TYPE_CHECKING:
    from quizapp.review import CardView, GradePreview, ReviewSession
    from quizapp.tui.app import QuizApp

CONTEXT_SEPARATOR = " › "
LOADING_KERAS = "Loading TensorFlow… checking this card with Keras (keep reviewing)"
SHOW_FIRST = "Show the answer first (Space or Enter)."


class ReviewScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "reveal", "Show", key_display="Space"),
        Binding("enter", "reveal", "Show", show=False),
        Binding("1", "grade(1)", "Again", show=False),
        Binding("2", "grade(2)", "Hard", show=False),
        Binding("3", "grade(3)", "Good", show=False),
        Binding("4", "grade(4)", "Easy", show=False),
        Binding("u", "undo", "Undo"),
        Binding("exclamation_mark", "suspend_card", "Suspend", key_display="!"),
        Binding("minus", "bury", "Bury", key_display="-"),
        Binding("e", "edit", "Edit"),
        Binding("v", "verify", "Check with Keras"),
        Binding("q", "leave", "Leave"),
        Binding("escape", "leave", "Leave", show=False),
    ]

    def __init__(
        self,
        deck: str | None = None,
        *,
        session: ReviewSession | None = None,
        card: CardView | None = None,
    ) -> None:
        super().__init__()
        self.deck = deck
        self.session = session
        self.card: CardView | None = None
        self.revealed = False
        self.previews: list[GradePreview] = []
        self.waiting_until: datetime | None = None
        self._first_card = card
        self._shown_at = 0.0
        self._poll: Timer | None = None
        self.checking: int | None = None  # the card a Keras check is running for
        self.checked: dict[int, Verification] = {}  # results of this screen's Keras checks

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keep the footer to the keys that do something now."""
        if action == "reveal":
            return self.card is not None and not self.revealed
        if action in ("suspend_card", "bury", "edit"):
            return self.card is not None
        if action == "verify":
            card = self.card
            return (
                card is not None
                and self.revealed
                and card.verification is not None
                and self.checking != card.card_id
            )
        return True

    @property
    def quiz(self) -> QuizApp:
        return cast("QuizApp", self.app)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static("", id="context", markup=False)
            yield RemainingBar()
        with VerticalScroll(id="card"):
            yield CardText(id="prompt")
            yield Rule(id="divider")
            yield CardText(id="answer")
            yield Static("", id="verification", markup=False)
            yield CardText(id="extra")
            yield Static("", id="waiting", markup=False)
        yield GradeBar()
        yield StatusLine()
        yield Footer()

    def on_mount(self) -> None:
        self._hide_answer()
        self.query_one("#waiting").display = False
        if self.session is None:
            with self.quiz.reporting():
                self.session = self.quiz.service.start(self.deck)
            if self.session is None:
                self.query_one("#prompt", CardText).show("Cannot start reviewing (see below).")
                return
        if self._first_card is not None:
            self.show_card(self._first_card)
        else:
            self.show_next()

    # -- showing cards ------------------------------------------------------------------------

    def show_next(self) -> None:
        """Show the next card; wait for a learning card; or, when nothing is left, the summary."""
        session = self.session
        if session is None:
            return
        with self.quiz.reporting():
            card = session.next_card()
            if card is not None:
                self.show_card(card)
                return
            due = session.next_due_at()
            if due is not None:
                self.wait_for(due)
            else:
                self.finish()

    def show_card(self, card: CardView) -> None:
        self._stop_waiting()
        if card.verification == NOT_VERIFIED and card.card_id in self.checked:
            card = replace(card, verification=self.checked[card.card_id])  # e.g. unavailable
        self.card = card
        self.revealed = False
        self.previews = []
        context = Text(
            card.deck_title or card.deck, style="bold", no_wrap=True, overflow="ellipsis"
        )
        section = list(card.section)
        if section and section[0] == (card.deck_title or card.deck):
            section.pop(0)  # the deck's own top heading repeats its title
        if section:
            context.append(CONTEXT_SEPARATOR + CONTEXT_SEPARATOR.join(section))
        self.query_one("#context", Static).update(context)
        self.query_one("#prompt", CardText).show(card.prompt)
        self._hide_answer()
        self.query_one("#card", VerticalScroll).scroll_home(animate=False)
        self.refresh_bindings()
        self.update_remaining()
        self._shown_at = time.monotonic()

    def _hide_answer(self) -> None:
        for wid in ("#divider", "#answer", "#extra", "#verification"):
            self.query_one(wid).display = False
        self.query_one(GradeBar).show_hint()

    def update_remaining(self) -> None:
        if self.session is None:
            return
        with self.quiz.reporting():
            r = self.session.remaining()
            self.query_one(RemainingBar).show(r.new, r.learning, r.review)

    def wait_for(self, due: datetime) -> None:
        """Nothing is due now, but a learning card comes back at ``due``: wait for it."""
        self.card = None
        self.revealed = False
        self.waiting_until = due
        self.query_one("#context", Static).update(Text("Waiting for a learning card", style="bold"))
        self.query_one("#prompt", CardText).show("")
        self._hide_answer()
        self.query_one(GradeBar).display = False
        self.query_one("#waiting").display = True
        self.refresh_bindings()
        self.update_remaining()
        self._tick()
        if self._poll is None:
            self._poll = self.set_interval(self.quiz.learning_poll, self._tick)

    def _tick(self) -> None:
        due = self.waiting_until
        if due is None:
            return
        now = self.quiz.clock()
        if now >= due:
            self._stop_waiting()
            self.show_next()
            return
        self.query_one("#waiting", Static).update(
            Text(
                f"Nothing else is due now. The next learning card comes back {until(due, now)}.\n"
                "Waiting… (q to leave)"
            )
        )

    def _stop_waiting(self) -> None:
        self.waiting_until = None
        if self._poll is not None:
            self._poll.stop()
            self._poll = None
        self.query_one("#waiting").display = False
        self.query_one(GradeBar).display = True

    def finish(self) -> None:
        from quizapp.tui.screens.summary import SummaryScreen

        self._stop_waiting()
        session = self.session
        assert session is not None
        with self.quiz.reporting():
            summary = session.summary()
            self.app.switch_screen(SummaryScreen(summary, session=session, deck=self.deck))

    # -- actions ------------------------------------------------------------------------------

    def action_reveal(self) -> None:
        card, session = self.card, self.session
        if card is None or session is None or self.revealed:
            return
        if self.status.message == SHOW_FIRST:
            self.status.clear()  # the hint is done with; any other message stays
        with self.quiz.reporting():
            self.previews = list(session.previews(card))
            self.revealed = True
            self.query_one("#divider").display = True
            answer = self.query_one("#answer", CardText)
            answer.show(card.answer)
            answer.display = True
            extra = self.query_one("#extra", CardText)
            extra.show(card.extra)
            extra.display = bool(card.extra.strip())
            self.show_verification()
            self.query_one(GradeBar).show_grades(self.previews)
            self.refresh_bindings()

    def action_grade(self, rating: int) -> None:
        card, session = self.card, self.session
        if card is None or session is None:
            return
        if not self.revealed:
            self.status.info(SHOW_FIRST)
            return
        duration_ms = int((time.monotonic() - self._shown_at) * 1000)
        with self.quiz.reporting():
            session.answer(card, rating, duration_ms)
            self._done_with_card()
            self.status.clear()
            self.show_next()

    def _done_with_card(self) -> None:
        """The card was answered, suspended or buried: no key may act on it again."""
        self.card = None
        self.revealed = False
        self.refresh_bindings()

    def action_undo(self) -> None:
        session = self.session
        if session is None:
            return
        with self.quiz.reporting():
            card = session.undo()
            if card is None:
                self.status.info("Nothing to undo.")
                return
            self.status.info("Undone.")
            self.show_card(card)

    def action_suspend_card(self) -> None:
        card, session = self.card, self.session
        if card is None or session is None:
            return
        with self.quiz.reporting():
            session.suspend(card)
            self._done_with_card()
            self.status.info(f"Suspended {card.key}.")
            self.show_next()

    def action_bury(self) -> None:
        card, session = self.card, self.session
        if card is None or session is None:
            return
        with self.quiz.reporting():
            session.bury(card)
            self._done_with_card()
            self.status.info(f"Buried {card.key} until tomorrow.")
            self.show_next()

    def action_edit(self) -> None:
        card = self.card
        if card is None:
            return
        self.status.clear()
        if not self.quiz.edit_source(card.file_path, card.line):
            return
        if self.quiz.resync():
            self.reload_card(card)

    def reload_card(self, card: CardView) -> None:
        """After a re-sync: show the card again with its edited text (or move on)."""
        session = self.session
        if session is None:
            return
        with self.quiz.reporting():
            fresh = session.next_card()
            if fresh is None:
                self.show_next()
                return
            revealed = self.revealed and fresh.card_id == card.card_id
            self.show_card(fresh)
            if revealed:
                self.action_reveal()

    # -- checking with Keras ----------------------------------------------------------------

    def show_verification(self) -> None:
        """The Keras line under the answer (computed and Keras-checked cards only)."""
        line = self.query_one("#verification", Static)
        card = self.card
        if card is None or not self.revealed or card.verification is None:
            line.display = False
            return
        if self.checking == card.card_id:
            text, kind = LOADING_KERAS, "checking"
        else:
            text, kind = keras_line(card.verification)
        line.set_classes(kind)
        line.update(Text(text))
        line.display = True

    def action_verify(self) -> None:
        card = self.card
        if card is None or not self.revealed or card.verification is None:
            return
        if self.checking == card.card_id:
            return
        self.checking = card.card_id
        self.status.clear()
        self.show_verification()
        self.refresh_bindings()
        self.check_with_keras(card)

    @work(thread=True, exclusive=True, exit_on_error=False, group="keras")
    def check_with_keras(self, card: CardView) -> None:
        """Slow: TensorFlow loads and builds the layers (in a child process, see the service)."""
        worker = get_current_worker()
        try:
            result = self.quiz.service.verify_with_keras(
                card, cancelled=lambda: worker.is_cancelled
            )
        except Exception as err:  # never a traceback on screen
            result = Verification("unverified", None, one_line(err))
        if not worker.is_cancelled:
            self.post_message(KerasChecked(card.card_id, result))

    def on_keras_checked(self, message: KerasChecked) -> None:
        self.checked[message.card_id] = message.verification
        if self.checking == message.card_id:
            self.checking = None
        card = self.card
        if card is not None and card.card_id == message.card_id:
            self.card = replace(card, verification=message.verification)
            self.show_verification()
            self.refresh_bindings()

    def action_leave(self) -> None:
        self._stop_waiting()
        self.app.pop_screen()
