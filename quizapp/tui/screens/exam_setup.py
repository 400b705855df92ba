"""A new exam: decks, question types, count, minutes, section, tag, seed and "only the missed
cards", the choices of the last exam filled in. Enter (or the button, or Ctrl+S) starts it."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from quizapp.quiz.model import DEFAULT_COUNT, TYPE_NAMES, TYPES, ExamOptions, QuizOptionError
from quizapp.tui.messages import StartExam
from quizapp.tui.screens.exam_base import ExamScreenBase
from quizapp.tui.widgets.key_bar import KeyBar
from quizapp.tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from quizapp.quiz import Exam


def whole_number(name: str, text: str, *, empty: int | None) -> int | None:
    """A count typed in the form (the command line's words for a bad one)."""
    if not text.strip():
        return empty
    try:
        value = int(text.strip())
    except ValueError:
        raise QuizOptionError(f"{name} must be a whole number, not {text.strip()!r}") from None
    if value < 1 and name != "seed":
        raise QuizOptionError(f"{name} must be at least 1, not {value}")
    return value


class ExamSetupScreen(ExamScreenBase):
    HELP_TITLE = "New exam"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "begin", "Start", key_display="Ctrl+S", tooltip="start the exam"),
        Binding("escape", "back", "Back", key_display="Escape", tooltip="back home"),
    ]

    def __init__(self, deck: str | None = None) -> None:
        super().__init__()
        self.deck = deck

    def compose(self) -> ComposeResult:
        yield Static(Text("quizapp · new exam", style="bold"), id="title", markup=False)
        with VerticalScroll(id="setup"):
            with Horizontal(classes="setup-row"):
                with VerticalScroll(classes="setup-col"):
                    yield Label("Decks")
                    yield SelectionList[str](id="setup-decks", compact=True)
                with VerticalScroll(classes="setup-col"):
                    yield Label("Question types")
                    yield SelectionList[str](
                        *(Selection(Text(TYPE_NAMES[t]), t, True) for t in TYPES),
                        id="setup-types",
                        compact=True,
                    )
            with Horizontal(classes="setup-fields"):
                yield Label("Questions", classes="setup-label")
                yield Input(str(DEFAULT_COUNT), id="setup-count", compact=True, restrict=r"\d*")
                yield Label("Minutes", classes="setup-label")
                yield Input(
                    "", id="setup-minutes", placeholder="none", compact=True, restrict=r"\d*"
                )
                yield Label("Seed", classes="setup-label")
                yield Input(
                    "", id="setup-seed", placeholder="random", compact=True, restrict=r"-?\d*"
                )
            with Horizontal(classes="setup-fields"):
                yield Label("Section", classes="setup-label")
                yield Input("", id="setup-section", placeholder="every section", compact=True)
                yield Label("Tag", classes="setup-label")
                yield Input("", id="setup-tag", placeholder="any tag", compact=True)
            yield Checkbox(
                "Only the cards missed in the last 5 exams", id="setup-missed", compact=True
            )
            yield Button("Start the exam", id="setup-start", variant="primary", compact=True)
        yield StatusLine()
        yield KeyBar()

    def on_mount(self) -> None:
        self.call("options", self._load, self._fill)

    def _load(self) -> tuple[list[str], ExamOptions | None]:
        return self.exams.deck_ids(), self.exams.last_options()

    def _fill(self, loaded: tuple[list[str], ExamOptions | None]) -> None:
        decks, last = loaded
        chosen = (
            set(last.decks) if last and last.decks else ({self.deck} if self.deck else set(decks))
        )
        deck_list = self.query_one("#setup-decks", SelectionList)
        deck_list.clear_options()
        deck_list.add_options([Selection(Text(d), d, d in chosen) for d in decks])
        if last is not None:
            types = self.query_one("#setup-types", SelectionList)
            types.deselect_all()
            for t in last.types:
                types.select(t)
            self.query_one("#setup-count", Input).value = str(last.count)
            self.query_one("#setup-minutes", Input).value = str(last.minutes or "")
            self.query_one("#setup-section", Input).value = last.section or ""
            self.query_one("#setup-tag", Input).value = last.tag or ""
            self.query_one("#setup-missed", Checkbox).value = last.missed
        deck_list.focus()

    def options(self) -> ExamOptions:
        """The options in the form; raises :class:`QuizOptionError` for a bad one."""
        decks = tuple(self.query_one("#setup-decks", SelectionList).selected)
        if not decks:
            raise QuizOptionError("choose at least one deck")
        types = tuple(
            t for t in TYPES if t in self.query_one("#setup-types", SelectionList).selected
        )
        if not types:
            raise QuizOptionError("choose at least one question type")
        value = lambda wid: self.query_one(wid, Input).value  # noqa: E731
        return ExamOptions(
            decks=decks,
            section=value("#setup-section").strip() or None,
            tag=value("#setup-tag").strip() or None,
            count=whole_number("--count", value("#setup-count"), empty=DEFAULT_COUNT)
            or DEFAULT_COUNT,
            minutes=whole_number("--minutes", value("#setup-minutes"), empty=None),
            types=types,
            seed=whole_number("seed", value("#setup-seed"), empty=None),
            missed=self.query_one("#setup-missed", Checkbox).value,
        )

    def action_begin(self) -> None:
        if self.hold("begin"):
            return
        try:
            options = self.options()
        except QuizOptionError as err:
            self.status.error(err)
            return
        self.status.info("Building the exam…")
        self.call("build", lambda: self.exams.build(options), self._built, self._refused)

    def _built(self, exam: Exam) -> None:
        if not exam.questions:
            self.status.info(exam.note or "The chosen cards give no questions.")
            return
        self.post_message(StartExam(exam=exam))

    def _refused(self, error: object) -> None:
        self.status.error(error)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_begin()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_begin()

    def action_back(self) -> None:
        self.app.pop_screen()
