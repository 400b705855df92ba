"""Deck text on screen: literal (never markup), code as code, wide characters aligned, 80×24."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.syntax import Syntax
from rich.text import Text

from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.review import ReviewScreen
from quizapp.tui.widgets.card_text import INLINE_CODE_STYLE as INLINE
from quizapp.tui.widgets.card_text import render_card_text
from tests.tui.conftest import AppFactory
from tests.tui.helpers import press, row_styles, running, screen_lines, screen_text

MARKUP_DECK = """\
---
id: marks
title: Markup [bold]deck[/bold]
---

# Brackets [red]x[/red]

Q: What is x[i] when [bold] and a[/b] appear, or even [/ ?
A: Literal: [/] [link=https://example.com]y[/link] [@click=app.quit]quit[/] [b]not bold
"""

CODE_DECK = """\
---
id: code
title: Code deck
---

# Code

Q: What does this print?
```python
layer = keras.layers.Dense(3)  # x[i] [bold]
print(layer.units)
```
A: It prints `3`:
```python
>>> print(layer.units)
3
```
"""

KOREAN_DECK = """\
---
id: korean
title: 케라스 기초
---

# 과적합 줄이기

Q: {question}
A: 훈련 데이터를 늘린다 (get more training data); 정규화 (regularization)
""".format(
    question=(
        "과적합을 줄이는 4가지 방법은 무엇인가? 훈련 데이터를 늘린다, 규제 피처를 줄인다, "
        "정규화를 한다, 드롭아웃을 쓴다 — 이 문장은 한 줄보다 길어서 줄바꿈이 됩니다."
    )
)


def _write(deck_dir: Path, name: str, text: str) -> None:
    (deck_dir / "demo.md").unlink(missing_ok=True)
    (deck_dir / name).write_text(text, encoding="utf-8")


def char_at_cell(line: str, column: int) -> str | None:
    """The character that occupies terminal cell ``column`` of ``line``."""
    col = 0
    for ch in line:
        width = cell_len(ch)
        if col <= column < col + max(width, 1):
            return ch
        col += width
    return None


def cell_column(line: str, text: str) -> int:
    """The terminal cell where ``text`` starts in ``line``."""
    return cell_len(line[: line.index(text)])


async def test_deck_text_is_never_markup(new_app: AppFactory, demo_decks: Path) -> None:
    _write(demo_decks, "marks.md", MARKUP_DECK)
    app = new_app()
    async with running(app) as pilot:
        assert "Markup [bold]deck[/bold]" in screen_text(app)
        await press(pilot, "enter")
        assert isinstance(app.screen, ReviewScreen)
        await press(pilot, "space")
        text = screen_text(app)
        assert "Markup [bold]deck[/bold] › Brackets [red]x[/red]" in text
        assert "What is x[i] when [bold] and a[/b] appear, or even [/ ?" in text
        assert "Literal: [/] [link=https://example.com]y[/link] [@click=app.quit]quit[/]" in text
        assert "[b]not bold" in text
        # Nothing became a link or an action: clicking the text leaves the app running.
        await pilot.click("#answer")
        await pilot.pause()
        assert app.is_running


@pytest.mark.parametrize(
    "text", ["[/", "a[/b]", "[bold]", "x[i]", "[", "]", "[/]", "[@click=app.quit]q[/]", "\\[x]"]
)
def test_card_text_renders_brackets_literally(text: str) -> None:
    from rich.console import Console

    console = Console(width=40, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(render_card_text(text))
    assert console.export_text().strip() == text


async def test_code_renders_as_highlighted_code(new_app: AppFactory, demo_decks: Path) -> None:
    _write(demo_decks, "code.md", CODE_DECK)
    app = new_app(review=True)
    async with running(app) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await press(pilot, "space")
        lines = screen_lines(app)
        text = "\n".join(lines)
        assert "layer = keras.layers.Dense(3)  # x[i] [bold]" in text
        assert ">>> print(layer.units)" in text
        assert "```" not in text
        assert "It prints `3`:" in text
        # The code line is drawn as a coloured block: a dark background and several colours.
        (row,) = [i for i, line in enumerate(lines) if "layer = keras" in line]
        code = [style for style in row_styles(app, row) if style.bgcolor]
        backgrounds = {style.bgcolor.name for style in code if style.bgcolor}
        assert "#272822" in backgrounds
        colours = {style.color for style in code if style.color}
        assert len(colours) >= 3
        # The widget holds Syntax objects for the code parts.
        rendered = render_card_text(screen.card.prompt if screen.card else "")
        assert any(isinstance(r, Syntax) for r in rendered.renderables)


async def test_wide_characters_line_up(new_app: AppFactory, demo_decks: Path) -> None:
    _write(demo_decks, "korean.md", KOREAN_DECK)
    (demo_decks / "other.md").write_text(
        "---\nid: other\ntitle: Other\n---\n\nQ: q\nA: a\n", encoding="utf-8"
    )
    app = new_app()
    async with running(app) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        lines = screen_lines(app)
        header = next(line for line in lines if "Learning" in line)
        korean = next(line for line in lines if "케라스 기초" in line)
        other = next(line for line in lines if "Other" in line)
        total = next(line for line in lines if "All decks" in line)
        # The count columns end in the same terminal cell on every row.
        new_end = cell_column(header, "New") + 3
        for row in (header, korean, other, total):
            assert cell_len(row) == 80
        assert char_at_cell(korean, new_end - 1) == "1"
        assert char_at_cell(other, new_end - 1) == "1"
        assert char_at_cell(total, new_end - 1) == "2"

        await press(pilot, "enter")
        await press(pilot, "space")
        lines = screen_lines(app)
        assert lines[0].startswith(" 케라스 기초 › 과적합 줄이기")
        assert cell_len(lines[0]) == 80
        top = next(i for i, line in enumerate(lines) if "╭" in line)
        bottom = next(i for i, line in enumerate(lines) if "╰" in line)
        right = cell_column(lines[top], "╮")
        assert right == cell_column(lines[bottom], "╯")
        for line in lines[top + 1 : bottom]:
            assert cell_len(line) == 80
            assert char_at_cell(line, right) in {"│", "▁", "▇", "█", "▆", "▅", "▄", "▃", "▂"}
        # Every word of the wrapped Korean prompt and the answer is on screen, none cut.
        body = " ".join(line.strip(" │") for line in lines[top + 1 : bottom])
        card = app.screen.card
        assert card is not None
        for word in (card.prompt + " " + card.answer).split():
            assert word in body


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_long_card_keeps_grades_and_counts_visible(
    new_app: AppFactory, demo_decks: Path, size: tuple[int, int]
) -> None:
    long_question = "\n".join(f"Line {i} of a long question." for i in range(1, 41))
    _write(
        demo_decks,
        "long.md",
        f"---\nid: long\ntitle: Long\n---\n\nQ: {long_question}\nA: The answer.\n",
    )
    app = new_app(review=True)
    async with running(app, size) as pilot:
        assert "Space Show" in screen_lines(app)[-1]
        await press(pilot, "space")
        lines = screen_lines(app)
        assert len(lines) == size[1]
        assert "New 1  Learning 0  Due 0" in lines[0]
        grades = lines[-3]
        for label in ("1  Again", "2  Hard", "3  Good", "4  Easy"):
            assert label in grades
        assert "u Undo" in lines[-1] and "Space Show" not in lines[-1]  # answer showing
        assert "Line 1 of a long question." in "\n".join(lines)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="[]/@=#:ab x가한`~\n(){}", max_size=80))
def test_any_card_text_renders_without_markup(text: str) -> None:
    """Text without Markdown emphasis (``*``, ``_``, ``\\``; see the tests after this one)
    shows exactly as written."""
    from io import StringIO

    from rich.console import Console

    console = Console(width=500, record=True, file=StringIO())
    console.print(render_card_text(text))
    shown = [line.rstrip() for line in console.export_text().splitlines() if line.strip()]
    if "```" not in text and "~~~" not in text:
        expected = [line.rstrip() for line in text.strip("\n").splitlines()]
        assert shown == [line for line in expected if line.strip()]


def test_inline_code_is_highlighted_and_kept_literal() -> None:
    rendered = render_card_text("Call `model.fit(x[i])` then [bold]`y`")
    (prose,) = rendered.renderables
    assert prose.plain == "Call `model.fit(x[i])` then [bold]`y`"
    styled = [prose.plain[span.start : span.end] for span in prose.spans]
    assert styled == ["`model.fit(x[i])`", "`y`"]


CLOZE_DECK = """\
---
id: cell
title: Cells
---

# Cells

The {{c1::mitochondria}} is the **powerhouse** of the [b]cell[/b], says {{c2::biology}}.
"""


async def test_a_revealed_cloze_stands_out(new_app: AppFactory, demo_decks: Path) -> None:
    """The answer of a cloze highlights what the card asked (bold, in the accent colour); the
    rest of the passage is plain, its [b] literal, its **emphasis** bold."""
    from quizapp.tui.widgets.card_text import REVEALED_STYLE, CardText

    _write(demo_decks, "cell.md", CLOZE_DECK)
    app = new_app(review=True)
    async with running(app) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.card is not None
        assert screen.card.prompt.startswith("The [...] is the **powerhouse**")
        await press(pilot, "space")
        answer = screen.query_one("#answer", CardText)
        assert (
            answer.text
            == "The mitochondria is the **powerhouse** of the [b]cell[/b], says biology."
        )
        assert [answer.text[a:b] for a, b in answer.revealed] == ["mitochondria"]
        (prose,) = render_card_text(answer.text, revealed=answer.revealed).renderables
        assert prose.plain == "The mitochondria is the powerhouse of the [b]cell[/b], says biology."
        styled = {(prose.plain[sp.start : sp.end], str(sp.style)) for sp in prose.spans}
        assert styled == {("mitochondria", REVEALED_STYLE), ("powerhouse", "bold")}
        # On screen: the revealed word's cells are bold and orange, the others are not.
        lines = screen_lines(app)
        y = next(i for i, line in enumerate(lines) if "mitochondria is" in line)
        x = lines[y].index("mitochondria")
        revealed = [app.screen.get_style_at(x + i, y) for i in range(len("mitochondria"))]
        assert all(st.bold and st.color and st.color.triplet.hex == "#fd971f" for st in revealed)
        for word in ("says", "[b]cell[/b]"):
            cell = app.screen.get_style_at(lines[y].index(word), y)
            assert not (cell.color and cell.color.triplet and cell.color.triplet.hex == "#fd971f")
        assert "[b]cell[/b]" in lines[y] and "**" not in "\n".join(lines)


def test_a_revealed_cloze_in_code_stands_out() -> None:
    from quizapp.notes import cloze_answer
    from quizapp.tui.widgets.card_text import REVEALED_STYLE

    answer, revealed = cloze_answer("```python\nlayer = LSTM({{c1::10}})\n```", 1)
    (code,) = render_card_text(answer, revealed=revealed).renderables
    assert isinstance(code, Syntax) and code.code == "layer = LSTM(10)"
    from rich.console import Console

    console = Console(width=40, record=True, force_terminal=True, file=open("/dev/null", "w"))  # noqa: SIM115
    segments = list(console.render(code))
    ten = [seg for seg in segments if seg.text == "10"]
    assert ten and ten[0].style is not None and ten[0].style.bold
    assert ten[0].style.color is not None and ten[0].style.color.triplet.hex == "#fd971f"
    assert REVEALED_STYLE == "bold #fd971f"


@pytest.mark.parametrize(
    ("text", "plain", "styled"),
    [
        ("**bold** and *italic*", "bold and italic", [("bold", "bold"), ("italic", "italic")]),
        ("__bold__ and _italic_", "bold and italic", [("bold", "bold"), ("italic", "italic")]),
        ("**a *b* c**", "a b c", [("a ", "bold"), ("b", "bold italic"), (" c", "bold")]),
        ("2*3*4 and 2 * 3", "2*3*4 and 2 * 3", []),
        ("an * unmatched and **half", "an * unmatched and **half", []),
        ("snake_case_name", "snake_case_name", []),
        ("`a*b*c` and `**x**`", "`a*b*c` and `**x**`", [("`a*b*c`", INLINE), ("`**x**`", INLINE)]),
        ("\\*not italic\\*", "*not italic*", []),
        ("**[b]x[/b]**", "[b]x[/b]", [("[b]x[/b]", "bold")]),
        ("**LSTM**은", "LSTM은", [("LSTM", "bold")]),
    ],
)
def test_markdown_emphasis_is_styled_never_markup(
    text: str, plain: str, styled: list[tuple[str, str]]
) -> None:
    (prose,) = render_card_text(text).renderables
    assert prose.plain == plain
    assert [(prose.plain[sp.start : sp.end], str(sp.style)) for sp in prose.spans] == styled


def _html_cells(html_text: str) -> list[tuple[str, bool, bool]]:
    """Each character the export's HTML shows, with whether it is bold and italic."""
    import html
    import re

    out: list[tuple[str, bool, bool]] = []
    bold = italic = 0
    for token in re.split(r"(<[^>]+>)", html_text.replace("<br>", "\n")):
        if token in ("<b>", "</b>"):
            bold += 1 if token == "<b>" else -1
        elif token in ("<i>", "</i>"):
            italic += 1 if token == "<i>" else -1
        else:
            out += [(ch, bold > 0, italic > 0) for ch in html.unescape(token).replace("\xa0", " ")]
    return out


def _text_cells(prose: Text) -> list[tuple[str, bool, bool]]:
    from rich.style import Style

    cells = []
    for i, ch in enumerate(prose.plain):
        styles = [Style.parse(str(sp.style)) for sp in prose.spans if sp.start <= i < sp.end]
        cells.append((ch, any(s.bold for s in styles), any(s.italic for s in styles)))
    return cells


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="*_\\ ab1가<&\n[]", max_size=40))
def test_the_app_and_the_anki_export_read_emphasis_alike(text: str) -> None:
    """The same characters, bold and italic alike, in the app and in the exported field."""
    from quizapp.export.render import text_html
    from quizapp.tui.widgets.card_text import prose_text

    assert _text_cells(prose_text(text)) == _html_cells(text_html(text))
