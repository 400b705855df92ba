"""Card text: prose with its inline Markdown, fenced code blocks as highlighted code.

The split into text and code is the notes' own (``quizapp.notes.segments``), and so is the
reading of inline Markdown (``quizapp.notes.inline``, which the Anki export shares):
``**bold**`` and ``*italic*`` are shown bold and italic, code spans keep their backticks (the
text stays as written) and are set off in colour.

Text from decks is never interpreted as markup: prose becomes Rich ``Text`` built piece by
piece, code ``Syntax`` objects, neither of which parses ``[...]``.

A revealed cloze's deletions (``revealed``: offset ranges into the text) are highlighted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text
from textual.widgets import Static

from quizapp.notes import segments
from quizapp.notes.inline import inline

if TYPE_CHECKING:
    from rich.syntax import Syntax

INLINE_CODE_STYLE = "bold #66d9ef"
REVEALED_STYLE = "bold #fd971f"
_EMPHASIS = {"b": "bold", "i": "italic"}
# Around a revealed range while the text is split into prose and code: private-use characters,
# dropped from deck text first.
_OPEN, _CLOSE = "\ue000", "\ue001"

Ranges = Sequence[tuple[int, int]]


def _marked(text: str, revealed: Ranges) -> str:
    text = text.replace(_OPEN, "").replace(_CLOSE, "")
    if not revealed:
        return text
    out, pos = [], 0
    for start, end in sorted(revealed):
        out += [text[pos:start], _OPEN, text[start:end], _CLOSE]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _unmarked(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The text without its marks, and the ranges they held."""
    out: list[str] = []
    ranges: list[tuple[int, int]] = []
    n, opened = 0, -1
    for ch in text:
        if ch == _OPEN:
            opened = n
        elif ch == _CLOSE:
            if opened >= 0 and n > opened:
                ranges.append((opened, n))
            opened = -1
        else:
            out.append(ch)
            n += 1
    if opened >= 0 and n > opened:  # a range split by a fence: the rest of this part
        ranges.append((opened, n))
    return "".join(out), ranges


def prose_text(body: str, *, style: str = "", revealed: Ranges = ()) -> Text:
    """A prose part: its inline Markdown as style spans, ``revealed`` ranges highlighted."""
    text = Text(style=style)
    stack: list[str] = []
    placed: list[tuple[int, int, int]] = []  # (start in body, end in body, start in text)
    for piece in inline(body):
        if piece.kind == "open":
            stack.append(_EMPHASIS[piece.value])
        elif piece.kind == "close":
            stack.pop()
        elif piece.kind == "code":
            placed.append((piece.start, piece.start + len(piece.raw), len(text)))
            text.append(piece.raw, INLINE_CODE_STYLE)
        else:
            placed.append((piece.start, piece.start + len(piece.value), len(text)))
            text.append(piece.value, " ".join(stack) or None)
    for start, end in revealed:
        for a, b, at in placed:
            lo, hi = max(start, a), min(end, b)
            if lo < hi:
                text.stylize(REVEALED_STYLE, at + lo - a, at + hi - a)
    return text


def _code(body: str, lang: str) -> Syntax:
    # The one place code is coloured: Rich's Syntax (and Pygments under it, about 50 ms to
    # import) is loaded for the first card that shows code, not for every launch.
    from rich.syntax import Syntax

    code, ranges = _unmarked(body)
    syntax = Syntax(
        code,
        lang or "text",
        theme="monokai",
        word_wrap=True,
        padding=(0, 1),
        background_color="#272822",
    )
    for start, end in ranges:
        syntax.stylize_range(REVEALED_STYLE, _position(code, start), _position(code, end))
    return syntax


def _position(code: str, offset: int) -> tuple[int, int]:
    """Line (from 1) and column of ``offset`` in ``code``, as ``Syntax.stylize_range`` takes."""
    before = code[:offset]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1)


def render_card_text(text: str, *, style: str = "", revealed: Ranges = ()) -> RenderableType:
    """A renderable for card text: Text for prose, Syntax (monospace, coloured) for code;
    ``revealed``: ranges of ``text`` (a cloze's deletions) to highlight."""
    items: list[RenderableType] = []
    for seg in segments(_marked(text, revealed).strip("\n")):
        if items:
            items.append(Text(""))
        if seg.kind == "code":
            items.append(_code(seg.text, seg.lang))
        else:
            body, ranges = _unmarked(seg.text.strip("\n"))
            items.append(prose_text(body, style=style, revealed=ranges))
    if not items:
        return Text("")
    return Group(*items)


class CardText(Static):
    """A card's prompt, answer or explanation."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self.text = ""
        self.revealed: tuple[tuple[int, int], ...] = ()

    def show(self, text: str, revealed: Ranges = ()) -> None:
        self.text = text
        self.revealed = tuple(revealed)
        self.update(render_card_text(text, revealed=revealed))
