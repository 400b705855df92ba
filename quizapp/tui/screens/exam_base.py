"""What the exam screens share: the quiz service, and calls into it off the event loop.

Every call into the quiz service (building an exam, recording an answer, finishing, sending
cards to review) runs in a thread worker of the "exam" group, one at a time and in order, and
comes back in an :class:`~quizapp.tui.messages.ExamCallDone` message handled on the main
thread, so a database locked by another program never freezes the screen. Recording an answer
runs in the background while the next question shows; finishing the exam waits for it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from itertools import count
from typing import TYPE_CHECKING, Any

from textual import work

from quizapp.errors import QuizappError
from quizapp.tui.messages import ExamCallDone, ExamCallFailed
from quizapp.tui.screens.base import AppScreen

if TYPE_CHECKING:
    from quizapp.quiz import QuizService

_tokens = count(1)
# (token, call, then, failed, blocking)
_Call = tuple[int, Callable[[], Any], Callable[[Any], None], Callable[[QuizappError], None], bool]


class ExamScreenBase(AppScreen):
    """A screen that talks to the quiz service through the exam worker."""

    def __init__(self) -> None:
        super().__init__()
        self.busy: str | None = None  # what the worker is doing for this screen, if anything
        self._queue: deque[_Call] = deque()  # calls into the service, in order
        self._held: deque[tuple[str, tuple[object, ...]]] = deque()

    @property
    def exams(self) -> QuizService:
        return self.host.exams

    def call(
        self,
        what: str,
        fn: Callable[[], Any],
        then: Callable[[Any], None],
        failed: Callable[[QuizappError], None] | None = None,
        *,
        blocking: bool = True,
        after_refresh: bool = False,
    ) -> None:
        """Run ``fn()`` in the exam worker, after the calls before it; ``then(value)`` on the
        main thread afterwards. A blocking call holds the keys until it is done; a background
        one (recording an answer while the next question shows) does not. ``after_refresh``:
        the worker starts once the screen has been refreshed (so that the thread does not
        compete with the screen's update for the interpreter); calls queued meanwhile wait."""
        token = next(_tokens)
        self._queue.append((token, fn, then, failed or self.host.report, blocking))
        if blocking:
            self.busy = what
        if len(self._queue) == 1:
            if after_refresh:
                self.call_after_refresh(self._run, token, fn)
            else:
                self._run(token, fn)

    @work(thread=True, exit_on_error=True, group="exam")
    def _run(self, token: int, fn: Callable[[], Any]) -> None:
        try:
            value = fn()
        except QuizappError as err:
            self.post_message(ExamCallFailed(token, err))
        else:
            self.post_message(ExamCallDone(token, value))

    @property
    def saving(self) -> bool:
        """Whether calls are still queued or running in the exam worker."""
        return bool(self._queue)

    def _next(self) -> tuple[Callable[[Any], None], Callable[[QuizappError], None]]:
        _token, _fn, then, failed, _blocking = self._queue.popleft()
        if not any(item[4] for item in self._queue):
            self.busy = None
        if self._queue:
            token, fn = self._queue[0][0], self._queue[0][1]
            self._run(token, fn)
        return then, failed

    def hold(self, action: str, *args: object) -> bool:
        """True when the worker is busy for this screen: the key is kept and acted on, in
        order, once the call is done."""
        if self.busy is None:
            return False
        self._held.append((action, args))
        return True

    def on_exam_call_done(self, message: ExamCallDone) -> None:
        message.stop()
        then, _ = self._next()
        then(message.value)
        self._replay()

    def on_exam_call_failed(self, message: ExamCallFailed) -> None:
        message.stop()
        _, failed = self._next()
        self._held.clear()  # they were meant for what did not happen
        failed(message.error)

    def _replay(self) -> None:
        while self._held and self.busy is None:
            action, args = self._held.popleft()
            getattr(self, f"action_{action}")(*args)
