"""Card text: literal text with fenced code blocks rendered as highlighted code.

The split into text and code is the notes' own (``quizapp.notes.segments``).

Text from decks is never interpreted as markup: plain parts become Rich ``Text`` objects and
code parts ``Syntax`` objects, neither of which parses ``[...]``.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.syntax import Syntax
from rich.text import Text
from textual.widgets import Static

from quizapp.notes import segments

# Inline `code` keeps its backticks (the text stays exactly as written) and is set off in colour.
INLINE_CODE = r"`[^`\n]+`"
INLINE_CODE_STYLE = "bold #66d9ef"


def render_card_text(text: str, *, style: str = "") -> RenderableType:
    """A renderable for card text: Text for prose, Syntax (monospace, coloured) for code."""
    items: list[RenderableType] = []
    for seg in segments(text.strip("\n")):
        kind, body, lang = seg.kind, seg.text, seg.lang
        if items:
            items.append(Text(""))
        if kind == "code":
            items.append(
                Syntax(
                    body,
                    lang or "text",
                    theme="monokai",
                    word_wrap=True,
                    padding=(0, 1),
                    background_color="#272822",
                )
            )
        else:
            prose = Text(body.strip("\n"), style=style)
            prose.highlight_regex(INLINE_CODE, style=INLINE_CODE_STYLE)
            items.append(prose)
    if not items:
        return Text("")
    return Group(*items)


class CardText(Static):
    """A card's prompt, answer or explanation."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self.text = ""

    def show(self, text: str) -> None:
        self.text = text
        self.update(render_card_text(text))
