"""The end of an exam: the score, per section and per question type, the time taken, and every
wrong or skipped question with the right answer, the answer given and the explanation.

Keys: ``y`` accepts the highlighted *almost* answer ("I was right"), ``r`` retakes only the
missed questions, ``s`` sends the missed cards to today's review (they become due now; no other
card changes), ``q`` / Escape / Enter back home.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import ListItem, ListView, Static

from quizapp.notes.model import SECTION_SEPARATOR
from quizapp.quiz.model import TYPE_NAMES
from quizapp.timefmt import duration
from quizapp.tui.messages import StartExam
from quizapp.tui.screens.exam_base import ExamScreenBase
from quizapp.tui.widgets.card_text import render_card_text
from quizapp.tui.widgets.key_bar import KeyBar
from quizapp.tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from quizapp.quiz import Answered, ExamResult, ExamRun
    from quizapp.quiz.grading import DiffPart
    from quizapp.verify.model import Verification

RESULT_WORDS = {
    "wrong": ("wrong", "bold red"),
    "skipped": ("skipped", "bold yellow"),
    "almost": ("almost — y: I was right", "bold yellow"),
    "partial": ("partly right", "bold yellow"),
}


def percent(credit: float, questions: int) -> str:
    return f"{100 * credit / questions:.0f}%" if questions else "—"


def diff_text(parts: tuple[DiffPart, ...]) -> Text:
    """The answer given against the right one: extra characters struck out in red, missing
    ones underlined in green."""
    text = Text()
    for p in parts:
        style = {"equal": "", "extra": "strike red", "missing": "underline bold green"}[p.op]
        text.append(p.text, style=style)
    return text


def mistake_renderable(a: Answered) -> RenderableType:
    q, g = a.question, a.grade
    head = Text.assemble(
        (f"{q.n}. ", "bold"),
        (TYPE_NAMES[q.type], "bold"),
        ("  " + SECTION_SEPARATOR.join(q.section), "dim"),
    )
    word, style = RESULT_WORDS.get(g.result, (g.result, "bold"))
    if g.override:
        word, style = "almost — accepted (I was right)", "bold green"
    head.append(f"  {word}", style=style)
    parts: list[RenderableType] = [head, render_card_text(q.prompt)]
    if q.format == "match":
        right = "\n".join(f"{t} → {m}" for t, m in q.pairs)
        parts.append(Text.assemble(("Right pairs:\n", "bold green"), right))
        if a.given:
            parts.append(Text.assemble(("Your pairs: ", "bold"), a.given, f"  ({g.note})"))
    else:
        parts.append(Text.assemble(("Right answer: ", "bold green"), " ".join(q.answer.split())))
        if a.given is None:
            parts.append(Text("Your answer: (skipped)", style="yellow"))
        elif g.diff:
            parts.append(Text.assemble(("Your answer: ", "bold"), " ".join(a.given.split())))
            parts.append(Text.assemble(("Difference:  ", "bold"), diff_text(g.diff)))
        else:
            note = f"  ({g.note})" if g.note else ""
            parts.append(Text.assemble(("Your answer: ", "bold"), " ".join(a.given.split()), note))
    if q.explanation.strip():
        parts.append(render_card_text(q.explanation, style="dim"))
    if q.keras is not None:
        parts.append(keras_words(q.keras))
    parts.append(Text(q.source, style="dim"))
    return Group(*parts)


def keras_words(v: Verification) -> Text:
    """What Keras said about a computed question (from the cache; the exam runs no Keras)."""
    if v.status == "verified":
        return Text(f"✓ verified with Keras {v.keras_version}", style="green")
    if v.status == "disagrees":
        return Text(f"✗ Keras disagrees: {v.detail}", style="red")
    if v.status == "unavailable":
        return Text(f"not verified (Keras unavailable: {v.detail})", style="dim")
    return Text("not verified with Keras (computed by formula)", style="dim")


def credit_text(credit: float) -> str:
    return f"{credit:.0f}" if credit == int(credit) else f"{credit:.1f}"


def _table(title: str, rows: list[tuple[str, float, int]], width: int) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True, max_width=width)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    table.add_row(Text(title, style="bold underline"), "", "")
    for name, credit, questions in rows:
        label = Text(name, no_wrap=True, overflow="ellipsis")
        label.truncate(width, overflow="ellipsis")
        table.add_row(label, f"{credit_text(credit)}/{questions}", percent(credit, questions))
    return table


def section_names(result: ExamResult) -> list[tuple[str, float, int]]:
    """Each section's score, without the heading every section shares (the deck's title)."""
    names = [s.name.split(SECTION_SEPARATOR) for s in result.by_section]
    shared = 0
    while all(len(n) > shared + 1 for n in names) and len({n[shared] for n in names}) == 1:
        shared += 1
    return [
        (SECTION_SEPARATOR.join(n[shared:]), s.credit, s.questions)
        for n, s in zip(names, result.by_section, strict=True)
    ]


def score_tables(result: ExamResult) -> tuple[Table, Table]:
    by_type = [(TYPE_NAMES[s.name], s.credit, s.questions) for s in result.by_type]
    return _table("By question type", by_type, 16), _table("By section", section_names(result), 34)


class ExamEndScreen(ExamScreenBase):
    HELP_TITLE = "Exam results"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "y",
            "override",
            "I was right",
            tooltip="accept the highlighted almost answer (I was right)",
        ),
        Binding("r", "retake", "Retake missed", tooltip="an exam of only the missed questions"),
        Binding(
            "s",
            "send",
            "Missed to review",
            tooltip="send the missed cards to today's review (due now; nothing else changes)",
        ),
        Binding("q", "done", "Home", tooltip="back home"),
        Binding("escape", "done", "Home", show=False, key_display="Escape"),
    ]

    def __init__(self, run: ExamRun, result: ExamResult) -> None:
        super().__init__()
        self.run = run
        self.result = result
        self.shown = list(result.missed)  # the questions listed (an accepted one stays)
        self.sent = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "override":
            a = self.highlighted()
            return a is not None and a.grade.result == "almost" and not a.grade.override
        if action in ("retake", "send"):
            return bool(self.result.missed) and not (action == "send" and self.sent)
        return True

    def compose(self) -> ComposeResult:
        yield Static("", id="title", markup=False)
        with Horizontal(id="end-scores"):
            yield Static("", id="end-types", markup=False)
            with VerticalScroll(id="end-sections"):
                yield Static("", id="end-sections-table", markup=False)
        yield Static("", id="end-lead", markup=False)
        yield ListView(id="end-missed")
        yield StatusLine()
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_result()
        missed = self.query_one("#end-missed", ListView)
        missed.extend(ListItem(Static(mistake_renderable(a), markup=False)) for a in self.shown)
        missed.display = bool(self.shown)
        if self.shown:
            missed.index = 0
        missed.focus()
        self.refresh_bindings()

    def show_result(self) -> None:
        r = self.result
        title = Text.assemble(
            ("Exam done · ", "bold"),
            (f"{r.right} of {r.questions} right · {100 * r.score:.0f}%", "bold"),
            f" · {duration(r.seconds)}",
        )
        if r.time_up:
            title.append(" · time up", style="bold red")
        self.query_one("#title", Static).update(title)
        lead = Text(
            f"{len(r.missed)} to go over (wrong, skipped or almost):"
            if r.missed
            else "Everything right.",
            style="bold",
        )
        by_type, by_section = score_tables(r)
        self.query_one("#end-types", Static).update(by_type)
        self.query_one("#end-sections-table", Static).update(by_section)
        self.query_one("#end-lead", Static).update(lead)

    def highlighted(self) -> Answered | None:
        index = self.query_one("#end-missed", ListView).index
        shown = self.shown
        return shown[index] if index is not None and 0 <= index < len(shown) else None

    def on_list_view_highlighted(self, event: ListView.Highlighted) -> None:
        self.refresh_bindings()

    def action_override(self) -> None:
        if self.hold("override"):
            return
        a = self.highlighted()
        if a is None or a.grade.result != "almost" or a.grade.override:
            self.status.info("Only an answer marked almost can be accepted.")
            return
        index = self.query_one("#end-missed", ListView).index
        self.call(
            "override",
            lambda: self.run.override(a.question.n),
            lambda new: self._overridden(index, new),
        )

    def _overridden(self, index: int | None, new: Answered) -> None:
        result = self.run.result
        assert result is not None
        self.result = result
        self.show_result()
        if index is not None:
            self.shown[index] = new
            item = self.query_one("#end-missed", ListView).children[index]
            item.query_one(Static).update(mistake_renderable(new))
        self.status.info(f"Question {new.question.n} counts as right (I was right).")
        self.refresh_bindings()

    def action_retake(self) -> None:
        if not self.result.missed:
            self.status.info("Nothing was missed.")
            return
        self.post_message(StartExam(exam=self.exams.retake(self.result)))

    def action_send(self) -> None:
        if self.hold("send"):
            return
        keys = self.result.missed_cards
        if not keys:
            self.status.info("Nothing was missed.")
            return
        self.call("send", lambda: self.exams.send_to_review(keys), self._sent)

    def _sent(self, changed: int) -> None:
        self.sent = True
        self.status.info(f"{changed} card{'s' if changed != 1 else ''} due now in today's review.")
        self.refresh_bindings()

    def action_done(self) -> None:
        self.app.pop_screen()
