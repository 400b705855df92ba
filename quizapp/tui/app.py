"""The review app: home (decks and today's counts), review, summary and help screens.

``make_app`` is the one factory, used by the command line and the tests alike. The review
service is injected into the app; screens reach it through the app (``AppScreen.service``) and
never import the data layer. The app routes between the screens (``StartReview``,
``ShowSummary``, ``ReviewAgain``, ``ShowStats``), so no screen imports another, and it turns a
:class:`~quizapp.errors.QuizappError` into one line on the status line (:meth:`QuizApp.report`).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, SuspendNotSupported
from textual.binding import Binding, BindingType

from quizapp.errors import QuizappError, one_line
from quizapp.notes.files import deck_id_of
from quizapp.paths import is_bundled
from quizapp.tui.messages import (
    Optimized,
    ReviewAgain,
    ShowExamEnd,
    ShowStats,
    ShowSummary,
    StartExam,
    StartExamSetup,
    StartReview,
)
from quizapp.tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from textual.await_complete import AwaitComplete
    from textual.screen import Screen

    from quizapp.optimize.service import OptimizeOutcome, OptimizeService
    from quizapp.quiz import Exam, QuizService
    from quizapp.review import ReviewService, ReviewSession, ReviewStep
    from quizapp.stats import Stats
    from quizapp.tui.screens.base import AppScreen

Clock = Callable[[], datetime]


#: The decks' key for an exam, as the help tells it (the footer shows it on the decks).
EXAM_KEY = Binding("x", "exam", "Quiz", tooltip="on the decks: take an exam (setup first)")
#: The decks' key for the statistics, as the help tells it.
STATS_KEY = Binding(
    "s", "stats", "Statistics", tooltip="on the decks: the statistics (of every deck on All)"
)


class StartupError(QuizappError):
    """The app cannot start (database, configuration or an unknown deck); one line."""


_LOCATED = re.compile(r"^(?P<path>[^\n]+?):(?P<line>\d+): ")


def short_error(message: object) -> str:
    """One line, with a long deck path cut to its folder and file: ``decks/x.md:3: ...``."""
    line = one_line(message)
    m = _LOCATED.match(line)
    if m is None:
        return line
    path = Path(m.group("path"))
    short = Path(*path.parts[-2:]) if len(path.parts) > 2 else path
    return f"{short}:{m.group('line')}: {line[m.end() :]}"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def editor_command(path: Path, line: int, environ: dict[str, str] | None = None) -> list[str]:
    """The command that opens ``path`` at ``line`` in ``$EDITOR`` (then ``$VISUAL``, ``vi``)."""
    env = os.environ if environ is None else environ
    chosen = (env.get("EDITOR") or "").strip() or (env.get("VISUAL") or "").strip() or "vi"
    editor = shlex.split(chosen)  # ValueError when its quotes do not match
    name = Path(editor[0]).name
    if name in {"code", "code-insiders", "codium", "cursor"}:
        return [*editor, "--wait", "--goto", f"{path}:{line}"]
    if name in {"subl", "zed"}:
        return [*editor, "--wait", f"{path}:{line}"]
    return [*editor, f"+{line}", str(path)]


class QuizApp(App[None]):
    """The Textual app. Use :func:`make_app` to build one."""

    CSS_PATH = "app.tcss"
    TITLE = "quizapp"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?", tooltip="this help"),
        Binding(
            "ctrl+c",
            "quit",
            "Quit",
            show=False,
            priority=True,
            key_display="Ctrl+C",
            tooltip="quit",
        ),
    ]

    def __init__(
        self,
        service: ReviewService,
        *,
        clock: Clock | None = None,
        review: bool = False,
        stats: bool = False,
        deck: str | None = None,
        period: str = "1m",
        learning_poll: float = 1.0,
        optimizer: Callable[[], OptimizeService] | None = None,
        exam: Exam | None = None,
        exam_tick: float = 1.0,
    ) -> None:
        super().__init__()
        self.service = service
        self.optimizer = optimizer
        self.clock: Clock = clock or _utc_now
        self.start_in_review = review
        self.start_in_stats = stats
        self.start_deck = deck
        self.start_period = period  # the statistics' hours and buttons
        self.learning_poll = learning_poll
        self.start_exam = exam
        self.exam_tick = exam_tick  # seconds between checks of an exam's clock
        self._exams: QuizService | None = None
        self.sync_errors: list[str] = []
        #: Warnings about the settings (a ``[decks.ID]`` naming no deck), shown at start.
        self.config_warnings: list[str] = []
        self.startup_error: str | None = None
        self._prepared = False
        #: `quizapp review`'s session and its first step, taken by :meth:`prepare` (see there).
        self._first_review: tuple[ReviewSession, ReviewStep] | None = None
        self._home_later = False  # a screen opened at launch: the home screen comes when left

    # -- start-up -------------------------------------------------------------------------

    def prepare(self) -> None:
        """Sync the decks and check ``--deck``; raises :class:`StartupError` (one line).

        Deck file errors do not stop the app; they are listed on the home screen. When the app
        opens on the review, the session is started and its first step taken here too, before
        the first frame: the review screen is then drawn once, with its card, instead of empty
        and again when its worker has read the card while Textual lays the screen out. Both
        only read, which another program's write never blocks (the database is in WAL mode).
        """
        if self._prepared:
            return
        try:
            report = self.service.sync()
            self.sync_errors = [short_error(e) for e in report.errors]
            self.config_warnings = self._config_warnings()
            if self.start_deck is not None:
                known = [c.deck for c in self.service.deck_counts()]
                if self.start_deck not in known:
                    raise StartupError(
                        f"unknown deck {self.start_deck!r} (known: {', '.join(known) or 'none'})"
                    )
        except QuizappError as err:
            raise StartupError(one_line(err)) from err
        self._prepared = True
        if self.start_in_review:
            try:
                session = self.service.start(self.start_deck)
                self._first_review = (session, session.step())
            except QuizappError:
                pass  # the review screen asks again in its worker and shows the error its way

    def _config_warnings(self) -> list[str]:
        """The command line's warnings about the settings, the file named short (a notice is
        narrow)."""
        where = self.service.config_path
        out: list[str] = []
        for warning in self.service.config_warnings():
            words = warning.removeprefix("Warning: ")
            if where is not None:
                words = words.replace(f"{where}: ", f"{where.name}: ", 1)
            out.append(words)
        return out

    def on_mount(self) -> None:
        try:
            self.prepare()
        except StartupError as err:
            self.startup_error = str(err)
        # Pushed once Textual's start-up batch is over: a screen mounted inside it is drawn
        # and the frame thrown away, and then it waits for the next refresh tick (1/60 s) to
        # be shown; pushed after it, its first frame is the one written to the terminal.
        self.call_later(self._open, self._first_screen())

    def _first_screen(self) -> Screen:
        """Home, or the screen asked for at launch (the review, an exam, the statistics); for
        the latter the home screen is made only when it is left (``_home_later``)."""
        opened = self.startup_error is None and (
            self.start_in_review or self.start_exam is not None or self.start_in_stats
        )
        self._home_later = opened
        if opened and self.start_in_review:
            from quizapp.tui.screens.review import ReviewScreen

            first, self._first_review = self._first_review, None
            return ReviewScreen(self.start_deck, first=first)
        if opened and self.start_exam is not None:
            from quizapp.tui.screens.exam import ExamScreen

            return ExamScreen(self.start_exam)
        if opened and self.start_in_stats:
            from quizapp.tui.screens.stats import StatsScreen

            return StatsScreen(self.start_deck, self.start_period)
        from quizapp.tui.screens.home import HomeScreen

        return HomeScreen()

    def _open(self, screen: Screen) -> None:
        self.push_screen(screen)
        for warning in self.config_warnings:
            self.notify(warning, title="Warning", severity="warning", timeout=20, markup=False)

    @property
    def exams(self) -> QuizService:
        """The quiz service, on the review service's database and clock (made when first
        needed, so reviewing never loads the exam code)."""
        if self._exams is None:
            from quizapp.quiz import QuizService

            self._exams = QuizService(self.service.db, clock=self.clock)
        return self._exams

    def on_unmount(self) -> None:
        self.service.close()

    # -- routing between the screens ----------------------------------------------------------

    def pop_screen(self) -> AwaitComplete:
        """Back to the screen beneath. Under a screen opened at launch (`quizapp review`,
        `quiz`, `stats`) the home screen is made only now, when it is first shown: building it
        beneath would delay the screen asked for."""
        if self._home_later and len(self.screen_stack) == 2:
            from quizapp.tui.screens.home import HomeScreen

            self._home_later = False
            return self.switch_screen(HomeScreen())
        return super().pop_screen()

    def on_start_review(self, message: StartReview) -> None:
        from quizapp.tui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(message.deck))

    def on_show_summary(self, message: ShowSummary) -> None:
        from quizapp.tui.screens.summary import SummaryScreen

        self.switch_screen(
            SummaryScreen(message.summary, session=message.session, deck=message.deck)
        )

    def on_review_again(self, message: ReviewAgain) -> None:
        from quizapp.tui.screens.review import ReviewScreen

        self.switch_screen(ReviewScreen(message.deck, session=message.session, undo=True))

    def on_show_stats(self, message: ShowStats) -> None:
        from quizapp.tui.screens.stats import StatsScreen

        self.push_screen(StatsScreen(message.deck))

    # -- statistics ---------------------------------------------------------------------------

    def stats(self, deck: str | None, period: str = "1m") -> Stats:
        """Every part of the statistics of ``deck`` (None: every deck), now, the hours and the
        answer buttons over ``period``, with the exam dates' readiness as ``quizapp due`` shows
        it. Safe in a worker thread: each query runs on a connection of its own."""
        from quizapp.stats import collect_stats

        service = self.service
        return collect_stats(
            service.db,
            service.config,
            now=service.now(),
            deck=deck,
            period=period,
            exam_dates=service.exam_dates(None if deck is None else [deck]),
        )

    # -- personal scheduling ----------------------------------------------------------------

    def optimize(self, deck: str | None) -> OptimizeOutcome:
        """Fit FSRS to the review log of ``deck`` (None: every deck); changes nothing. Safe in
        a worker thread: the optimizer opens its own connection to the database."""
        if self.optimizer is None:
            raise QuizappError("fitting is not available here")
        optimizer = self.optimizer()
        try:
            return optimizer.optimize(deck)
        finally:
            optimizer.close()

    def on_optimized(self, message: Optimized) -> None:
        from quizapp.tui.screens.optimize import OptimizeScreen

        def confirmed(apply: bool | None) -> None:
            if apply:
                self.apply_fit(message.outcome)

        self.push_screen(OptimizeScreen(message.outcome), confirmed)

    def apply_fit(self, outcome: OptimizeOutcome) -> None:
        """Store the fitted parameters; the review service schedules with them at once."""
        from quizapp.optimize.report import whom

        assert self.optimizer is not None
        with self.reporting():
            optimizer = self.optimizer()
            try:
                applied = optimizer.apply(outcome)
            finally:
                optimizer.close()
            self.service.reload_settings()
            if applied.config_wins:
                self.show_info(
                    f"Stored for {whom(outcome.deck)}, but config.toml's parameters stay in force."
                )
            else:
                self.show_info(
                    f"Applied: {whom(outcome.deck)} is scheduled with the fitted parameters."
                )

    def on_start_exam_setup(self, message: StartExamSetup) -> None:
        from quizapp.tui.screens.exam_setup import ExamSetupScreen

        self.push_screen(ExamSetupScreen(message.deck))

    def on_start_exam(self, message: StartExam) -> None:
        from quizapp.tui.screens.exam import ExamScreen

        self.switch_screen(ExamScreen(message.exam))

    def on_show_exam_end(self, message: ShowExamEnd) -> None:
        from quizapp.tui.screens.exam_end import ExamEndScreen

        self.switch_screen(ExamEndScreen(message.run, message.result))

    def action_help(self) -> None:
        """The keys of the screens of what is going on (reviewing, an exam, the statistics),
        from the screens' own bindings (see ``HelpScreen``)."""
        from quizapp.tui.screens.exam import ExamScreen
        from quizapp.tui.screens.exam_end import ExamEndScreen
        from quizapp.tui.screens.exam_setup import ExamSetupScreen
        from quizapp.tui.screens.help import HelpScreen
        from quizapp.tui.screens.home import HomeScreen
        from quizapp.tui.screens.review import ReviewScreen
        from quizapp.tui.screens.stats import StatsScreen
        from quizapp.tui.screens.summary import SummaryScreen

        if isinstance(self.screen, HelpScreen):
            return
        exam_screens = (ExamSetupScreen, ExamScreen, ExamEndScreen)
        if isinstance(self.screen, exam_screens):
            screens: tuple[type[AppScreen], ...] = (HomeScreen, *exam_screens)
        elif isinstance(self.screen, StatsScreen):
            screens = (HomeScreen, StatsScreen)
        else:
            screens = (HomeScreen, ReviewScreen, SummaryScreen)
        sections = [(s.HELP_TITLE, [*s.BINDINGS, *s.HELP_KEYS]) for s in screens]
        told = ""  # a key of the decks told with the screens it opens
        if isinstance(self.screen, exam_screens):  # the decks' x, told where it matters
            sections.insert(1, ("Exams", [EXAM_KEY]))
            told = EXAM_KEY.action
        if isinstance(self.screen, StatsScreen):  # and their s
            sections[1] = (StatsScreen.HELP_TITLE, [STATS_KEY, *StatsScreen.BINDINGS])
            told = STATS_KEY.action
        decks = [b for b in sections[0][1] if not (isinstance(b, Binding) and b.action == told)]
        sections[0] = (sections[0][0], decks)
        self.push_screen(HelpScreen([*sections, ("Anywhere", self.BINDINGS)]))

    # -- errors -------------------------------------------------------------------------------

    def show_error(self, message: object) -> None:
        """Show a one-line error on the current screen's status line (or as a notice)."""
        lines = self.screen.query(StatusLine)
        if lines:
            lines.first().error(message)
        else:
            self.notify(one_line(message), severity="error")

    def show_info(self, message: object) -> None:
        """Show a one-line notice on the current screen's status line (or as a notice)."""
        lines = self.screen.query(StatusLine)
        if lines:
            lines.first().info(message)
        else:
            self.notify(one_line(message))

    def report(self, err: QuizappError) -> None:
        """The one place an expected error becomes words: one line, never a traceback.

        The service's transaction was rolled back, so the user can simply try again.
        """
        self.show_error(short_error(err))

    @contextmanager
    def reporting(self) -> Iterator[None]:
        """Run service calls on the main thread; a :class:`QuizappError` is :meth:`report`-ed."""
        try:
            yield
        except QuizappError as err:
            self.report(err)

    def resync(self) -> bool:
        """Sync the decks again (after an edit); errors are shown as one line."""
        with self.reporting():
            report = self.service.sync()
            self.sync_errors = [short_error(e) for e in report.errors]
            if self.sync_errors:
                more = len(self.sync_errors) - 1
                self.show_error(self.sync_errors[0] + (f" (+{more} more)" if more else ""))
            return True
        return False

    def edit_source(self, path: Path | None, line: int) -> bool:
        """Open ``path`` at ``line`` in ``$EDITOR``, the app suspended meanwhile; a bundled deck
        is not opened (the status line says how to make a copy of one's own)."""
        if path is None:
            self.show_error("this card has no source file to edit")
            return False
        if is_bundled(path):  # inside the installed package: the user's own copy is edited
            self.show_info(
                f"Bundled deck (read-only): run `quizapp decks copy {deck_id_of(path)}` to edit it"
            )
            return False
        try:
            cmd = editor_command(path, line)
        except ValueError as err:
            self.show_error(f"cannot read $EDITOR / $VISUAL: {err}")
            return False
        result: subprocess.CompletedProcess[bytes] | OSError
        try:
            if self.is_headless:
                # No terminal to hand over: run the editor command as it is.
                result = _run_editor(cmd, stdin=subprocess.DEVNULL)
            else:
                # Nothing may escape this block: the app would stay suspended, deaf and blank.
                with self.suspend():
                    result = _run_editor(cmd)
        except SuspendNotSupported:
            self.show_error("cannot open an editor in this terminal")
            return False
        if isinstance(result, OSError):
            self.show_error(f"cannot run editor {cmd[0]!r}: {result.strerror or result}")
            return False
        if result.returncode != 0:
            self.show_error(f"editor {cmd[0]!r} exited with status {result.returncode}")
        return True


def _run_editor(cmd: list[str], **kwargs: Any) -> subprocess.CompletedProcess[bytes] | OSError:
    """Run the editor; an editor that cannot be started is returned, not raised."""
    try:
        return subprocess.run(cmd, check=False, **kwargs)
    except OSError as err:
        return err


def make_app(
    db_path: Path,
    deck_dirs: list[Path],
    config_path: Path | None = None,
    clock: Clock | None = None,
    *,
    review: bool = False,
    stats: bool = False,
    deck: str | None = None,
    period: str = "1m",
    learning_poll: float = 1.0,
    exam: Exam | None = None,
    exam_tick: float = 1.0,
) -> QuizApp:
    """Build the app on a review service for ``db_path`` and ``deck_dirs``.

    ``review=True`` opens straight into reviewing (``deck`` or all decks), ``stats=True`` into
    the statistics (their hours and buttons over ``period``); ``exam`` straight
    into taking that exam (``exam_tick``: seconds between checks of its clock). Raises
    :class:`StartupError` when the database or the configuration cannot be opened.
    """
    from quizapp.review import ReviewService

    try:
        service = ReviewService(db_path, list(deck_dirs), config_path=config_path, clock=clock)
    except QuizappError as err:
        raise StartupError(one_line(err)) from err

    def optimizer() -> OptimizeService:
        # Imported when first used: fsrs-rs is not needed to review.
        from quizapp.optimize.service import OptimizeService

        return OptimizeService(db_path, config_path, clock)

    return QuizApp(
        service,
        clock=clock,
        review=review,
        stats=stats,
        deck=deck,
        period=period,
        learning_poll=learning_poll,
        optimizer=optimizer,
        exam=exam,
        exam_tick=exam_tick,
    )
