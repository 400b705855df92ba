"""The exam: one question at a time, question k of N and the time left always on screen.

Multiple choice and true/false: a key per option (``1``–``4`` or ``a``–``d``; ``t``/``f``), or
the arrows and Enter, or a click. Typed: type, then Enter (Enter on nothing skips). Matching:
a letter (or a click) gives the highlighted term its meaning, ``1``–``6`` picks the term,
Enter answers once every term has one. ``s`` skips (the question comes back at the end);
Escape twice ends the exam. When the time is up the exam ends by itself.

An answer is graded at once and recorded by the exam worker in the background (one committed
transaction each, in order) once the next question is on screen; the end of the exam waits for
them. The next question updates the widgets in place (nothing is mounted), and the footer is
refreshed only when the keys it offers change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from quizapp.notes.model import SECTION_SEPARATOR
from quizapp.timefmt import clock_time
from quizapp.tui.messages import ShowExamEnd
from quizapp.tui.screens.exam_base import ExamScreenBase
from quizapp.tui.widgets.card_text import CardText, render_card_text
from quizapp.tui.widgets.key_bar import KeyBar
from quizapp.tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from quizapp.quiz import Exam, ExamRun, Question

LETTERS = "abcdef"
TF_OPTIONS = (("T", "True"), ("F", "False"))
END_AGAIN = "Press Escape again to end the exam (what is unanswered counts as skipped)."


def option_text(i: int, text: str) -> Text:
    """An option as shown: its letter, then the text (never markup)."""
    flat = " ".join(text.split()) if "```" not in text else text
    return Text.assemble((f"{LETTERS[i].upper()}. ", "bold"), flat)


class ExamScreen(ExamScreenBase):
    HELP_TITLE = "Exam"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "submit",
            "Answer",
            key_display="Enter",
            priority=True,
            tooltip="answer (typed: Enter on nothing skips; matching: once every term has one)",
        ),
        *(
            Binding(
                str(n),
                f"number({n})",
                str(n),
                show=False,
                tooltip="choose option 1–4 (matching: pick term 1–6), or click it"
                if n == 1
                else None,
            )
            for n in range(1, 7)
        ),
        *(
            Binding(
                letter,
                f"letter({i})",
                letter,
                show=False,
                tooltip="choose option a–d (matching: give the term meaning a–f)"
                if i == 0
                else None,
            )
            for i, letter in enumerate(LETTERS)
        ),
        Binding("t", "truth(True)", "True", show=False, tooltip="true / false: t or f"),
        Binding("s", "skip", "Skip", tooltip="skip: the question comes back at the end"),
        Binding("escape", "end", "End exam", key_display="Escape", tooltip="end the exam (twice)"),
    ]

    def __init__(self, exam: Exam) -> None:
        super().__init__()
        self.exam = exam
        self.run: ExamRun | None = None
        self.question: Question | None = None
        self.picks: list[int | None] = []  # matching: the meaning given to each term
        self.term = 0  # matching: the term a letter goes to
        self.ending = False  # Escape pressed once
        self.finishing = False
        self._tick: Timer | None = None
        self._keys_for: tuple[bool, bool] | None = None  # the footer's keys are for (typed, tf)

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static("", id="context", markup=False)
            yield Static("", id="exam-progress", markup=False)
        with VerticalScroll(id="question"):
            yield CardText(id="q-prompt")
            yield Static("", id="q-terms", markup=False)
            yield OptionList(id="q-options", markup=False)
            yield Input(id="q-typed", placeholder="your answer, then Enter")
        yield StatusLine()
        yield KeyBar()

    def on_mount(self) -> None:
        self._q_context = self.query_one("#context", Static)
        self._q_progress = self.query_one("#exam-progress", Static)
        self._q_scroll = self.query_one("#question", VerticalScroll)
        self._q_prompt = self.query_one("#q-prompt", CardText)
        self._q_terms = self.query_one("#q-terms", Static)
        self._q_options = self.query_one("#q-options", OptionList)
        self._q_typed = self.query_one("#q-typed", Input)
        for widget in (self._q_terms, self._q_options, self._q_typed):
            widget.display = False
        self._q_prompt.show("Starting the exam…")
        self.call("start", lambda: self.exams.start(self.exam), self._started)

    def _started(self, run: ExamRun) -> None:
        self.run = run
        self._tick = self.set_interval(self.host.exam_tick, self._on_tick)
        if self.exam.note:
            self.status.info(self.exam.note)
        self.show_current()

    # -- what a key may do now ----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keep the footer to the keys that do something now."""
        q = self.question
        if action == "end" or self.busy is not None:
            return True  # a key pressed while an answer is recorded is kept for then
        if q is None:
            return False
        if action == "skip":
            return None if q.format == "typed" else True  # typed: Enter on nothing skips
        if action == "truth":
            return q.type == "tf"
        return True

    # -- showing a question -------------------------------------------------------------------

    def show_current(self) -> None:
        assert self.run is not None
        q = self.run.current()
        if q is None:
            self.finish()
            return
        self.question = q
        self.ending = False
        section = SECTION_SEPARATOR.join(q.section)
        self._q_context.update(Text(section, no_wrap=True, overflow="ellipsis"))
        self._show_progress()
        lead = "True or false?\n" if q.type == "tf" else ""
        if q.format == "match":
            lead = ""
        again = " (skipped before)" if self.run.was_skipped(q) else ""
        self._q_prompt.show(lead + q.prompt + again)
        options, typed, terms = self._q_options, self._q_typed, self._q_terms
        options.display = q.format in ("choice", "match")
        typed.display = q.format == "typed"
        terms.display = q.format == "match"
        options.clear_options()
        if q.format == "choice":
            if q.type == "tf":
                true, false = (Text.assemble((f"{k}. ", "bold"), v) for k, v in TF_OPTIONS)
                options.add_options([Option(true), Option(false)])
            else:
                options.add_options([Option(option_text(i, o)) for i, o in enumerate(q.options)])
            options.highlighted = 0
            options.focus()
        elif q.format == "match":
            self.picks = [None] * len(q.pairs)
            self.term = 0
            options.add_options([Option(option_text(i, o)) for i, o in enumerate(q.options)])
            options.highlighted = 0
            self._show_terms()
            options.focus()
        else:
            typed.value = ""
            typed.focus()
        self._q_scroll.scroll_home(animate=False)
        keys_for = (q.format == "typed", q.type == "tf")
        if keys_for != self._keys_for:  # the footer is rebuilt only when its keys change
            self._keys_for = keys_for
            self.refresh_bindings()

    def _show_terms(self) -> None:
        q = self.question
        assert q is not None
        text = Text()
        for i, (term, _) in enumerate(q.pairs):
            pick = self.picks[i]
            mark = "▶ " if i == self.term else "  "
            text.append(mark, style="bold")
            text.append(f"{i + 1}. ", style="bold")
            text.append(" ".join(term.split()))
            text.append("  →  ")
            text.append(LETTERS[pick].upper() if pick is not None else "?", style="bold")
            text.append("\n")
        text.rstrip()
        self._q_terms.update(text)

    def _show_progress(self) -> None:
        if self.run is None:
            return
        q = self.question
        n = q.n if q is not None else self.run.total
        left = self.run.time_left()
        when = f"{clock_time(left)} left" if left is not None else clock_time(self.run.elapsed())
        text = Text(f"Question {n} of {self.run.total} · {when}", no_wrap=True)
        if left is not None and left < 60:
            text.stylize("bold red")
        self._q_progress.update(text)

    def _on_tick(self) -> None:
        self._show_progress()
        run = self.run
        if run is not None and run.time_up() and not self.finishing and self.busy is None:
            self.finish()

    # -- answering ------------------------------------------------------------------------------

    def answer(self, given: object) -> None:
        if self.run is None or self.question is None or self.busy is not None:
            return
        if self.run.time_up():
            self.finish()
            return
        run = self.run
        answered = run.submit(given)  # graded at once; recorded in the background, in order
        self.call(
            "save",
            lambda: run.save(answered),
            _ignore,
            self._save_failed,
            blocking=False,
            after_refresh=True,  # the next question is painted first
        )
        self.show_current()

    def action_number(self, n: int) -> None:
        if self.hold("number", n):
            return
        q = self.question
        if q is None:
            return
        if q.format == "match":
            if n <= len(q.pairs):
                self.term = n - 1
                self._show_terms()
        elif q.format == "choice" and n <= len(q.options):
            self.answer(n - 1)

    def action_letter(self, i: int) -> None:
        if self.hold("letter", i):
            return
        q = self.question
        if q is None:
            return
        if q.type == "tf" and LETTERS[i] == "f":
            self.answer(1)
        elif q.format == "choice" and i < len(q.options) and q.type != "tf":
            self.answer(i)
        elif q.format == "match" and i < len(q.options):
            self._assign(i)

    def action_truth(self, value: bool) -> None:
        if self.hold("truth", value):
            return
        if self.question is not None and self.question.type == "tf":
            self.answer(0 if value else 1)

    def _assign(self, meaning: int) -> None:
        q = self.question
        assert q is not None
        self.picks[self.term] = meaning
        empty = [i for i, p in enumerate(self.picks) if p is None]
        later = [i for i in empty if i > self.term]
        self.term = (later or empty or [self.term])[0]
        self._show_terms()
        if not empty:
            self.status.info("Every term has a meaning: Enter answers (a letter changes one).")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A click (or Enter) on an option."""
        event.stop()
        q = self.question
        if q is None:
            return
        if q.format == "choice":
            self.answer(event.option_index)
        elif q.format == "match":
            self._assign(event.option_index)

    def action_submit(self) -> None:
        if self.hold("submit"):
            return
        q = self.question
        if q is None:
            return
        if q.format == "typed":
            value = self.query_one("#q-typed", Input).value
            if value.strip():
                self.answer(value)
            else:
                self.action_skip()
        elif q.format == "choice":
            highlighted = self.query_one("#q-options", OptionList).highlighted
            if highlighted is not None:
                self.answer(highlighted)
        elif all(p is not None for p in self.picks):
            self.status.clear()
            self.answer(list(self.picks))
        else:
            highlighted = self.query_one("#q-options", OptionList).highlighted
            if highlighted is not None:
                self._assign(highlighted)

    def action_skip(self) -> None:
        if self.hold("skip"):
            return
        if self.run is None or self.question is None:
            return
        self.run.skip()
        self.status.clear()
        self.show_current()

    def action_end(self) -> None:
        if self.run is None or self.finishing:
            return
        if not self.ending:
            self.ending = True
            self.status.info(END_AGAIN)
            return
        self.finish()

    # -- the end --------------------------------------------------------------------------------

    def finish(self) -> None:
        if self.run is None or self.finishing:
            return
        self.finishing = True
        if self._tick is not None:
            self._tick.stop()
        self.question = None
        run = self.run
        self.query_one("#q-prompt", CardText).show("Scoring the exam…")
        for wid in ("#q-terms", "#q-options", "#q-typed"):
            self.query_one(wid).display = False
        self.call(
            "finish",
            run.finish,
            lambda result: self.post_message(ShowExamEnd(run, result)),
            self._finish_failed,
        )

    def _save_failed(self, error: object) -> None:
        self.host.show_error(f"an answer could not be recorded: {error}")

    def _finish_failed(self, error: object) -> None:
        self.finishing = False
        self.host.show_error(error)


def _ignore(_value: object) -> None:
    """Nothing to do once an answer is recorded: the next question is already showing."""


def question_text(q: Question) -> Text:
    """A one-line form of a question's prompt (for lists)."""
    return Text(" ".join(q.prompt.split()), no_wrap=True, overflow="ellipsis")


__all__ = ["ExamScreen", "option_text", "question_text", "render_card_text"]
