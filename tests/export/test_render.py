"""Field rendering: deck text is escaped, never interpreted as HTML; a little Markdown is."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from quizapp.export.render import field_html, plain_html
from quizapp.notes import segments
from tests.export.helpers import TagNesting, letters, visible


@pytest.mark.parametrize(
    "text",
    [
        "<LSTM>",
        "a & b",
        "x[i]",
        "입력은 (행, 열) <- 2차원",
        "<script>alert(1)</script>",
        "&amp; is how HTML spells &",
        "{{c1::<b>}} stays text",
    ],
)
def test_text_is_escaped_and_reads_back_exactly(text: str) -> None:
    html = field_html(text)
    assert visible(html) == text
    assert "<" not in html and ">" not in html  # no tag at all comes from deck text


def test_fenced_code_becomes_pre_code_with_line_breaks_and_escaping() -> None:
    text = 'Look:\n```python\nif a < b & c:\n    print("<ok>")\n```\nafter'
    html = field_html(text)
    assert '<pre><code class="language-python">' in html
    assert 'if a &lt; b &amp; c:\n    print("&lt;ok&gt;")</code></pre>' in html
    assert visible(html) == 'Look:if a < b & c:\n    print("<ok>")after'


def test_markdown_emphasis_and_inline_code() -> None:
    html = field_html("Use `Conv2D(8, 3)` with **same** padding, *not* __valid__ or _that_")
    assert html == (
        "Use <code>Conv2D(8, 3)</code> with <b>same</b> padding, <i>not</i> <b>valid</b> "
        "or <i>that</i>"
    )


def test_inline_code_keeps_its_contents_literal() -> None:
    html = field_html("`a < b && *c*`")
    assert html == "<code>a &lt; b &amp;&amp; *c*</code>"


def test_korean_particles_after_bold_and_arithmetic_stars() -> None:
    assert field_html("**LSTM**은 순환층") == "<b>LSTM</b>은 순환층"
    assert field_html("4*10*12 = 480 and a * b") == "4*10*12 = 480 and a * b"
    assert field_html("snake_case_name stays") == "snake_case_name stays"


def test_backslash_escapes_line_breaks_and_indentation() -> None:
    assert field_html(r"\*not italic\*") == "*not italic*"
    assert field_html("one\ntwo") == "one<br>two"
    assert field_html("total = 320\n  kernel: 288") == "total = 320<br>&nbsp;&nbsp;kernel: 288"


def test_cloze_markers_pass_through() -> None:
    html = field_html("plt.{{c1::imshow}}(x, {{c2::'gray'::cmap}}) <img>")
    assert html == "plt.{{c1::imshow}}(x, {{c2::'gray'::cmap}}) &lt;img&gt;"


def test_plain_html_has_no_markdown() -> None:
    assert plain_html("a › **b** & <c>") == "a › **b** &amp; &lt;c&gt;"


def test_every_visible_character_survives() -> None:
    text = "Q `x[i]` & <y>\n```\nz < 1 && w\n```\n**강조** 끝"
    assert letters(visible(field_html(text))) == letters(text)


_TOKENS = [
    "a",
    "b",
    "가",
    "1",
    " ",
    "  ",
    "\n",
    "<",
    ">",
    "&",
    "*",
    "**",
    "_",
    "__",
    "`",
    "x[i]",
    "```",
    "```python\n",
    "\n```\n",
    "{{c1::",
    "}}",
    "&amp;",
    "<b>",
    "</i>",
    "&lt;",
]


@settings(max_examples=300, deadline=None)
@example("**a *b** c*")
@example("*a **b* c**")
@example("**a _b** c_")
@example("* a\n  * b *c*\nd")
@given(st.lists(st.sampled_from(_TOKENS), max_size=30).map("".join))
def test_any_text_gives_well_nested_html_with_every_character_kept(text: str) -> None:
    html = field_html(text)
    checker = TagNesting()
    checker.feed(html)
    checker.close()
    assert checker.problems == [] and checker.stack == []

    # Fences are the notes parser's call; within each piece, every character must survive.
    def bare(s: str) -> str:
        return re.sub(r"[\s*_`]", "", s)

    assert bare(visible(html)) == "".join(bare(seg.text) for seg in segments(text))
