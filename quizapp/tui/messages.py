"""Messages of the review app, handled on the main thread.

Screens ask the app to route them (``StartReview``, ``ShowSummary``, ``ReviewAgain``,
``Optimized``, ``StartExamSetup``, ``StartExam``, ``ShowExamEnd``, ``ShowStats``): no screen
imports another. The review screen's worker reports back with ``StepArrived``/``StepFailed``,
the home screen's fitting worker with ``Optimized`` or ``OptimizeFailed``, the exam screens'
worker with ``ExamCallDone``/``ExamCallFailed``, the statistics screen's counting worker with
``StatsCounted`` or ``StatsFailed``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from quizapp.verify.model import Verification

if TYPE_CHECKING:
    from quizapp.errors import QuizappError
    from quizapp.optimize.service import OptimizeOutcome
    from quizapp.quiz import Exam, ExamResult, ExamRun
    from quizapp.review import ReviewSession, ReviewStep, Summary
    from quizapp.stats import Stats


class StartReview(Message):
    """Review one deck (``deck`` is its id) or, with ``deck=None``, every deck."""

    def __init__(self, deck: str | None) -> None:
        super().__init__()
        self.deck = deck


class ShowSummary(Message):
    """Nothing is left to review in ``session``: show its summary instead of the review."""

    def __init__(self, session: ReviewSession, summary: Summary, deck: str | None) -> None:
        super().__init__()
        self.session = session
        self.summary = summary
        self.deck = deck


class ReviewAgain(Message):
    """From the summary: undo the session's last answer and review that card again."""

    def __init__(self, session: ReviewSession, deck: str | None) -> None:
        super().__init__()
        self.session = session
        self.deck = deck


class StepArrived(Message):
    """The review session answered (sent from the answers worker): what to show now.

    ``step`` is None when there was nothing to undo.
    """

    def __init__(self, session: ReviewSession, step: ReviewStep | None) -> None:
        super().__init__()
        self.session = session
        self.step = step


class StepFailed(Message):
    """The review session could not answer (sent from the answers worker); nothing changed."""

    def __init__(self, error: QuizappError) -> None:
        super().__init__()
        self.error = error


class KerasChecked(Message):
    """A card's Keras facts were checked (sent from a worker thread): the result."""

    def __init__(self, card_id: int, verification: Verification) -> None:
        super().__init__()
        self.card_id = card_id
        self.verification = verification


class Optimized(Message):
    """FSRS was fitted to a deck's reviews (sent from the home screen's worker): the app shows
    the outcome and applies it once the learner confirms."""

    def __init__(self, outcome: OptimizeOutcome) -> None:
        super().__init__()
        self.outcome = outcome


class OptimizeFailed(Message):
    """Fitting failed as expected (too little history, a busy database); nothing changed."""

    def __init__(self, error: QuizappError) -> None:
        super().__init__()
        self.error = error


class StartExamSetup(Message):
    """From home: choose an exam's decks and options (``deck``: the one selected, if any)."""

    def __init__(self, deck: str | None) -> None:
        super().__init__()
        self.deck = deck


class StartExam(Message):
    """Take this exam (built by the setup screen, or the missed questions of one)."""

    def __init__(self, exam: Exam) -> None:
        super().__init__()
        self.exam = exam


class ShowExamEnd(Message):
    """The exam is over: its end screen instead of the questions."""

    def __init__(self, run: ExamRun, result: ExamResult) -> None:
        super().__init__()
        self.run = run
        self.result = result


class ExamCallDone(Message):
    """A call into the quiz service finished in the exam worker; ``value`` is what it returned."""

    def __init__(self, token: int, value: object) -> None:
        super().__init__()
        self.token = token
        self.value = value


class ExamCallFailed(Message):
    """A call into the quiz service failed in the exam worker; nothing was recorded."""

    def __init__(self, token: int, error: QuizappError) -> None:
        super().__init__()
        self.token = token
        self.error = error


class ShowStats(Message):
    """Show the statistics of one deck (its id) or, with ``deck=None``, of every deck."""

    def __init__(self, deck: str | None) -> None:
        super().__init__()
        self.deck = deck


class StatsCounted(Message):
    """The statistics were counted (sent from the statistics screen's worker); ``request``
    tells which count it answers, so a late one for another deck is left alone."""

    def __init__(self, stats: Stats, request: int) -> None:
        super().__init__()
        self.stats = stats
        self.request = request


class StatsFailed(Message):
    """Counting failed as expected (a busy or damaged database); what was shown stays."""

    def __init__(self, error: QuizappError, request: int) -> None:
        super().__init__()
        self.error = error
        self.request = request
