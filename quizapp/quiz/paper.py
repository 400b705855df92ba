"""An exam on paper: the questions with their options, then an answer key with explanations,
as JSON (``quizapp quiz --print --json``) or as a printable Markdown page (``--markdown``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quizapp.notes.model import SECTION_SEPARATOR
from quizapp.quiz.model import TYPE_NAMES, Exam, Question

if TYPE_CHECKING:
    from quizapp.verify.model import Verification


def keras_words(v: Verification) -> str:
    """What Keras said about a computed question, in words (from the cache: no TensorFlow)."""
    if v.status == "verified":
        return f"Keras: ✓ verified with Keras {v.keras_version}"
    if v.status == "disagrees":
        return f"Keras: ✗ Keras disagrees: {v.detail}"
    if v.status == "unavailable":
        return f"Keras: not verified (Keras unavailable: {v.detail})"
    return "Keras: not verified (computed by formula; `quizapp decks verify` checks the deck)"


def letter(i: int) -> str:
    return chr(65 + i)


def question_json(q: Question) -> dict[str, Any]:
    return {
        "n": q.n,
        "type": q.type,
        "format": q.format,
        "prompt": q.prompt,
        "options": list(q.options),
        "pairs": [list(p) for p in q.pairs],
        "answer": q.answer,
        "explanation": q.explanation,
        "section": list(q.section),
        "card": q.card,
        "cards": list(q.card_keys),
        "source": q.source,
        "keras": q.keras.to_json() if q.keras is not None else None,
    }


def exam_json(exam: Exam) -> dict[str, Any]:
    """``{"seed": S, "questions": [...]}``; for a choice ``answer`` is one of ``options``."""
    return {
        "seed": exam.seed,
        "options": exam.options.to_json(),
        "note": exam.note,
        "questions": [question_json(q) for q in exam.questions],
    }


def _block(text: str, indent: str = "") -> str:
    """Card text as Markdown: code fences kept, other lines as they are (hard line breaks)."""
    out: list[str] = []
    in_fence = False
    for line in text.strip("\n").split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            out.append(indent + line)
        elif in_fence:
            out.append(indent + line)
        else:
            out.append(indent + line + ("  " if line.strip() else ""))
    return "\n".join(out).rstrip()


def _inline(text: str) -> str:
    """An option on one line (its own line breaks become spaces, code fences kept apart)."""
    if "```" in text or "~~~" in text:
        return "\n\n" + _block(text, "    ")
    return " ".join(text.split())


def _question_md(q: Question) -> list[str]:
    head = f"**{q.n}.** *{TYPE_NAMES[q.type]}*"
    if q.section:
        head += f" — {SECTION_SEPARATOR.join(q.section)}"
    lines = [head, ""]
    if q.format == "match":
        lines += [q.prompt, ""]
        lines += [f"{i + 1}. {_inline(term)} → ___" for i, (term, _) in enumerate(q.pairs)]
        lines.append("")
        lines += [f"- **{letter(i)}.** {_inline(m)}" for i, m in enumerate(q.options)]
    elif q.format == "choice":
        lines += [_block(q.prompt), ""]
        if q.type == "tf":
            lines.append("True / False")
        else:
            lines += [f"- **{letter(i)}.** {_inline(o)}" for i, o in enumerate(q.options)]
    else:
        lines += [_block(q.prompt), "", "Answer: ______________________________"]
    return [*lines, ""]


def _key_md(q: Question) -> list[str]:
    if q.format == "choice":
        i = q.options.index(q.answer)
        given = q.answer if q.type == "tf" else f"{letter(i)}. {_inline(q.answer)}"
    elif q.format == "match":
        given = q.answer
    else:
        given = _inline(q.answer)
    lines = [f"**{q.n}.** {given}", ""]
    explanation = q.explanation.strip()
    if q.keras is not None:
        explanation += f"\n\n{keras_words(q.keras)}"
    if explanation.strip():
        lines += [_quote(explanation), ""]
    if q.source:
        lines += [f"*Source: {q.source}*", ""]
    return lines


def _quote(text: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in _block(text).split("\n"))


def exam_markdown(exam: Exam, title: str = "Exam") -> str:
    """The exam as a printable Markdown page: questions, a page break, the answer key."""
    n = len(exam.questions)
    decks = ", ".join(exam.options.decks)
    lines = [
        f"# {title}: {decks}",
        "",
        f"{n} question{'s' if n != 1 else ''} · seed {exam.seed}"
        + (f" · {exam.options.minutes} minutes" if exam.options.minutes else ""),
        "",
    ]
    if exam.note:
        lines += [f"*{exam.note}*", ""]
    lines += ["Name: ______________________  Date: ____________", "", "## Questions", ""]
    for q in exam.questions:
        lines += _question_md(q)
    lines += ['<div style="page-break-before: always"></div>', "", "## Answer key", ""]
    for q in exam.questions:
        lines += _key_md(q)
    return "\n".join(lines).rstrip() + "\n"
