"""What every screen of the review app shares: the app (typed), its service, the status line."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.binding import BindingType
from textual.screen import Screen

from quizapp.tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from quizapp.review import ReviewService
    from quizapp.tui.app import QuizApp


class AppScreen(Screen[None]):
    """A screen of :class:`~quizapp.tui.app.QuizApp`. ``HELP_TITLE`` names its keys in the help;
    ``HELP_KEYS`` are keys the help lists with its bindings that its widgets handle (scrolling)."""

    HELP_TITLE = ""
    HELP_KEYS: ClassVar[list[BindingType]] = []

    @property
    def host(self) -> QuizApp:
        """The app showing this screen (Textual's ``self.app``, typed)."""
        return cast("QuizApp", self.app)

    @property
    def service(self) -> ReviewService:
        return self.host.service

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)
