"""Review: context, prompt, answer on Space/Enter, and the four grades with their intervals.

Every call into the review session (start, answer, undo, suspend, bury) runs in a thread worker
of the "answers" group, one at a time, and comes back as one :class:`~quizapp.review.ReviewStep`
in a message, so a database locked by another program never freezes the screen. Keys pressed
while a step is on its way are kept and acted on in order once it has arrived. When it takes
longer than ``WAIT_NOTICE`` seconds the status line says the screen waits for the database, and
from then on the keys that would change a card not yet shown (``BLIND``: grade, suspend, bury,
edit, check) are ignored, so no card is answered unseen; the others (show, undo, leave) are
still kept, and ``?`` and ``Ctrl+C`` work at once.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import Rule, Static
from textual.worker import get_current_worker

from quizapp.errors import QuizappError, one_line
from quizapp.notes.model import SECTION_SEPARATOR
from quizapp.timefmt import until
from quizapp.tui.messages import KerasChecked, ShowSummary, StepArrived, StepFailed
from quizapp.tui.screens.base import AppScreen
from quizapp.tui.widgets.card_text import CardText
from quizapp.tui.widgets.grade_bar import GradeBar, exam_reason
from quizapp.tui.widgets.keras_line import keras_line
from quizapp.tui.widgets.key_bar import KeyBar
from quizapp.tui.widgets.remaining import RemainingBar
from quizapp.tui.widgets.status_line import StatusLine
from quizapp.verify.model import NOT_VERIFIED, Verification

if TYPE_CHECKING:
    from quizapp.review import CardView, GradePreview, ReviewSession, ReviewStep

    Ask = Callable[[ReviewSession], ReviewStep | None]
    Then = Callable[[ReviewStep | None], None]

LOADING_KERAS = "Loading TensorFlow… checking this card with Keras (keep reviewing)"
UNDONE = "Undone."
NOTHING_TO_UNDO = "Nothing to undo."
MORE_BELOW = "More below: PageDown, ↓ or End scrolls the card."
SHOW_FIRST = "Show the answer first (Space or Enter)."
WAIT_NOTICE = 0.3  # seconds a step may take before the screen says it waits for the database
WAITING = "Waiting for the database (another program is writing to it)…"
WAITING_KEYS = "Still waiting for the database: the next card must show before it is answered."
BLIND = frozenset({"grade", "suspend_card", "bury", "edit", "verify"})


#: The card's own keys (it scrolls), as the help lists them.
SCROLL_KEYS: list[BindingType] = [
    Binding("pagedown", "scroll_down", key_display="PgDn", tooltip="scroll a long card"),
    Binding("down", "scroll_down", key_display="↓"),
    Binding("end", "scroll_down", key_display="End"),
    Binding("pageup", "scroll_up", key_display="PgUp", tooltip="scroll back up"),
    Binding("up", "scroll_up", key_display="↑"),
    Binding("home", "scroll_up", key_display="Home"),
]


class ReviewScreen(AppScreen):
    HELP_TITLE = "Review"
    HELP_KEYS = SCROLL_KEYS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "reveal", "Show", key_display="Space", tooltip="show the answer"),
        Binding("enter", "reveal", "Show", show=False, key_display="Enter"),
        Binding(
            "1",
            "grade(1)",
            "Again",
            show=False,
            tooltip="Again / Hard / Good / Easy (shown with their intervals)",
        ),
        Binding("2", "grade(2)", "Hard", show=False),
        Binding("3", "grade(3)", "Good", show=False),
        Binding("4", "grade(4)", "Easy", show=False),
        Binding("u", "undo", "Undo", tooltip="undo the last answer, suspend or bury"),
        Binding(
            "exclamation_mark",
            "suspend_card",
            "Suspend",
            key_display="!",
            tooltip="suspend the card",
        ),
        Binding("minus", "bury", "Bury", key_display="-", tooltip="bury the card until tomorrow"),
        Binding("e", "edit", "Edit", tooltip="edit the card in $EDITOR, then re-sync"),
        Binding(
            "v",
            "verify",
            "Check with Keras",
            tooltip="check the card with real Keras (in the background)",
        ),
        Binding("q", "leave", "Leave", tooltip="back to the decks"),
        Binding("escape", "leave", "Leave", show=False, key_display="Escape"),
    ]

    def __init__(
        self,
        deck: str | None = None,
        *,
        session: ReviewSession | None = None,
        undo: bool = False,
        first: tuple[ReviewSession, ReviewStep] | None = None,
    ) -> None:
        """``first``: a session already started and its first step, shown as the screen
        mounts (``QuizApp.prepare``); ``undo``: the session's last answer undone first."""
        super().__init__()
        self.deck = deck
        self.session = session
        self._first = first
        self.card: CardView | None = None
        self.revealed = False
        self.previews: tuple[GradePreview, ...] = ()
        self.waiting_until: datetime | None = None
        self.asking: Then | None = None  # a step is on its way; what to do when it arrives
        self.wait_notice = WAIT_NOTICE
        self._undo_first = undo
        self._finished: ShowSummary | None = None  # nothing is left: the summary, when on top
        self._held: deque[tuple[str, tuple[object, ...]]] = deque()
        self._waited = False  # the status line says the screen waits for the database
        self._wait_timer: Timer | None = None
        self._shown_at = 0.0
        self._poll: Timer | None = None
        self.checking: int | None = None  # the card a Keras check is running for
        self.checked: dict[int, Verification] = {}  # results of this screen's Keras checks

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keep the footer to the keys that do something now."""
        if self.asking is not None:
            return True  # the key is kept (or ignored, with a word) until the step arrives
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

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static("", id="context", markup=False)
            yield RemainingBar()
        with VerticalScroll(id="card"):
            yield CardText(id="prompt")
            yield Rule(id="divider")
            yield CardText(id="answer")
            yield Static("", id="verification", markup=False)
            yield Static("", id="exam-reason", markup=False)
            yield CardText(id="extra")
            yield Static("", id="waiting", markup=False)
        yield GradeBar()
        yield StatusLine()
        yield KeyBar()

    def on_mount(self) -> None:
        self._hide_answer()
        self.query_one("#waiting").display = False
        if self._first is not None:
            self.session, step = self._first
            self._first = None
            self.show_step(step)
            if step.notice:
                self.status.info(step.notice)
        elif self._undo_first:  # from the summary: the last answer's card again
            self.ask(lambda session: session.undo() or session.step())
        else:
            self.ask(lambda session: session.step())

    # -- asking the session, off the event loop -----------------------------------------------

    def ask(self, call: Ask, then: Then | None = None) -> None:
        """Run ``call`` on the session in the answers worker; show the step it returns, then
        ``then(step)``. The session is started first when there is none yet."""
        self.asking = then or (lambda step: None)
        self._waited = False
        self._wait_timer = self.set_timer(self.wait_notice, self._say_waiting)
        self._run(call)

    @work(thread=True, exit_on_error=True, group="answers")
    def _run(self, call: Ask) -> None:
        """In a thread: the database may be locked by another program (busy timeout 10 s)."""
        try:
            session = self.session or self.service.start(self.deck)
            step = call(session)
        except QuizappError as err:
            self.post_message(StepFailed(err))
        else:
            self.post_message(StepArrived(session, step))

    def _busy(self, action: str, *args: object) -> bool:
        """True when a step is on its way: the key is kept for then, or (a ``BLIND`` one)
        ignored once the screen says it waits for the database."""
        if self.asking is None:
            return False
        if self._waited and action in BLIND:
            self.status.info(WAITING_KEYS)
        else:
            self._held.append((action, args))
        return True

    def _say_waiting(self) -> None:
        self._waited = True
        self.status.info(WAITING)

    def _arrived(self) -> Then:
        then = self.asking
        assert then is not None
        self.asking = None
        if self._wait_timer is not None:
            self._wait_timer.stop()
            self._wait_timer = None
        if self._waited and self.status.message in (WAITING, WAITING_KEYS):
            self.status.clear()
        self._waited = False
        self.refresh_bindings()  # the footer offers what the keys do again
        return then

    def on_step_arrived(self, message: StepArrived) -> None:
        then = self._arrived()
        self.session = message.session
        if message.step is not None:
            self.show_step(message.step)
        then(message.step)
        if message.step is not None and message.step.notice:
            self.status.info(message.step.notice)  # e.g. answered in another app meanwhile
        if message.step is not None and message.step.summary is not None:
            self._held.clear()  # the sitting is over: the summary takes the keys
            return
        while self._held and self.asking is None:
            action, args = self._held.popleft()
            getattr(self, f"action_{action}")(*args)

    def on_step_failed(self, message: StepFailed) -> None:
        self._arrived()
        self._held.clear()  # they were meant for the step that did not come
        if self.session is None:
            self.query_one("#prompt", CardText).show("Cannot start reviewing (see below).")
        self.host.report(message.error)

    # -- showing a step -----------------------------------------------------------------------

    def show_step(self, step: ReviewStep) -> None:
        """Show the step's card; or wait for a learning card; or, when nothing is left, the
        summary."""
        r = step.remaining
        self.query_one(RemainingBar).show(r.new, r.learning, r.review)
        if step.card is not None:
            self.show_card(step.card, step.previews)
        elif step.wait_until is not None:
            self.wait_for(step.wait_until)
        elif step.summary is not None:
            self._stop_waiting()
            assert self.session is not None
            self._finished = ShowSummary(self.session, step.summary, self.deck)
            self._to_summary()

    def _to_summary(self) -> None:
        """The summary replaces this screen, once it is on top (not under the help)."""
        if self._finished is not None and self.is_active:
            self.post_message(self._finished)
            self._finished = None

    def on_screen_resume(self) -> None:
        self._to_summary()

    def show_card(self, card: CardView, previews: tuple[GradePreview, ...]) -> None:
        self._stop_waiting()
        if card.verification == NOT_VERIFIED and card.card_id in self.checked:
            card = card._replace(verification=self.checked[card.card_id])  # e.g. unavailable
        self.card = card
        self.revealed = False
        self.previews = previews
        context = Text(
            card.deck_title or card.deck, style="bold", no_wrap=True, overflow="ellipsis"
        )
        section = list(card.section)
        if section and section[0] == (card.deck_title or card.deck):
            section.pop(0)  # the deck's own top heading repeats its title
        if section:
            context.append(SECTION_SEPARATOR + SECTION_SEPARATOR.join(section))
        self.query_one("#context", Static).update(context)
        self.query_one("#prompt", CardText).show(card.prompt)
        self._hide_answer()
        self.query_one("#card", VerticalScroll).scroll_home(animate=False)
        self.refresh_bindings()
        self._shown_at = time.monotonic()
        self.call_after_refresh(self._say_if_more_below)

    def _say_if_more_below(self) -> None:
        """A card longer than the screen says so on the bottom line (unless it says more)."""
        scroll = self.query_one("#card", VerticalScroll)
        if scroll.max_scroll_y > 0 and self.status.message in ("", MORE_BELOW):
            self.status.info(MORE_BELOW)
        elif scroll.max_scroll_y == 0 and self.status.message == MORE_BELOW:
            self.status.clear()

    def _hide_answer(self) -> None:
        for wid in ("#divider", "#answer", "#extra", "#verification", "#exam-reason"):
            self.query_one(wid).display = False
        self.query_one(GradeBar).show_hint()

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
        self._tick()
        if self._poll is None:
            self._poll = self.set_interval(self.host.learning_poll, self._tick)

    def _tick(self) -> None:
        due = self.waiting_until
        if due is None or self.asking is not None:
            return
        now = self.host.clock()
        if now >= due:
            self._stop_waiting()
            self.ask(lambda session: session.step())
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

    # -- actions ------------------------------------------------------------------------------

    def _card_for(self, action: str, *args: object) -> CardView | None:
        """The card a key acts on now; None when no card shows, or when a step is on its way
        (the key is then kept for it, or ignored while the screen waits for the database)."""
        if self._busy(action, *args) or self.session is None:
            return None
        return self.card

    def action_reveal(self) -> None:
        card = self._card_for("reveal")
        if card is None or self.revealed:
            return
        if self.status.message in (SHOW_FIRST, UNDONE, NOTHING_TO_UNDO, MORE_BELOW):
            self.status.clear()  # the hint (or undo's word) is done with; any other stays
        self.revealed = True
        self.query_one("#divider").display = True
        answer = self.query_one("#answer", CardText)
        answer.show(card.answer, card.revealed)  # a cloze's deletions stand out
        answer.display = True
        extra = self.query_one("#extra", CardText)
        extra.show(card.extra)
        extra.display = bool(card.extra.strip())
        self.show_verification()
        reason = exam_reason(self.previews)
        line = self.query_one("#exam-reason", Static)
        line.update(Text(reason or ""))
        line.display = reason is not None
        self.query_one(GradeBar).show_grades(self.previews)
        self.refresh_bindings()
        self.call_after_refresh(self._say_if_more_below)

    def action_grade(self, rating: int) -> None:
        card = self._card_for("grade", rating)
        if card is None:
            return
        if not self.revealed:
            self.status.info(SHOW_FIRST)
            return
        duration_ms = int((time.monotonic() - self._shown_at) * 1000)
        self.ask(
            lambda session: session.answer(card, rating, duration_ms),
            lambda step: self.status.clear(),
        )

    def action_undo(self) -> None:
        if self._busy("undo") or self.session is None:
            return

        def said(step: ReviewStep | None) -> None:
            self.status.info(NOTHING_TO_UNDO if step is None else UNDONE)

        self.ask(lambda session: session.undo(), said)

    def action_suspend_card(self) -> None:
        if (card := self._card_for("suspend_card")) is not None:
            notice = f"Suspended {card.key}."
            self.ask(lambda session: session.suspend(card), lambda step: self.status.info(notice))

    def action_bury(self) -> None:
        if (card := self._card_for("bury")) is not None:
            notice = f"Buried {card.key} until tomorrow."
            self.ask(lambda session: session.bury(card), lambda step: self.status.info(notice))

    def action_edit(self) -> None:
        card = self._card_for("edit")
        if card is None:
            return
        self.status.clear()
        if not self.host.edit_source(card.file_path, card.line):
            return
        if not self.host.resync():
            return
        revealed = self.revealed

        def again(step: ReviewStep | None) -> None:
            """The card shows its edited text; its answer too, if it was showing."""
            if revealed and self.card is not None and self.card.card_id == card.card_id:
                self.action_reveal()

        self.ask(lambda session: session.step(), again)

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
        if self._busy("verify"):
            return
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

    @work(thread=True, exclusive=True, exit_on_error=True, group="keras")
    def check_with_keras(self, card: CardView) -> None:
        """Slow: TensorFlow loads and builds the layers (in a child process, see the service)."""
        worker = get_current_worker()
        try:
            result = self.service.verify_with_keras(card, cancelled=lambda: worker.is_cancelled)
        except QuizappError as err:  # Keras's own problems come back as a result already
            result = Verification("unverified", None, one_line(err))
        if not worker.is_cancelled:
            self.post_message(KerasChecked(card.card_id, result))

    def on_keras_checked(self, message: KerasChecked) -> None:
        self.checked[message.card_id] = message.verification
        if self.checking == message.card_id:
            self.checking = None
        card = self.card
        if card is not None and card.card_id == message.card_id:
            self.card = card._replace(verification=message.verification)
            self.show_verification()
            self.refresh_bindings()

    def action_leave(self) -> None:
        if self._busy("leave"):
            return
        self._stop_waiting()
        self.app.pop_screen()
