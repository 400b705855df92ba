"""Lists in card text are HTML lists in Anki, nested as in the notes, every item's text escaped
(never raw HTML from a deck)."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable
from pathlib import Path

from anki.collection import Collection
from hypothesis import example, given, settings
from hypothesis import strategies as st

from quizapp.export import prepare_anki
from quizapp.export.render import field_html
from quizapp.library import load_library
from tests.export.helpers import TagNesting, import_package, visible

NESTED_DECK = """\
---
id: apis
title: Model APIs
---

# Model APIs

## Three ways to build a model

<!-- learn -->
- Sequential <plain>
  - a stack of layers & nothing else
  - one input, one output
- Functional
  - any graph of layers
    1. shared layers
    2. several **inputs**
- Subclassing
"""

SEQUENTIAL = "<li>Sequential &lt;plain&gt;<ul><li>a stack of layers &amp; nothing else</li>"


def test_a_nested_list_is_nested_html_lists() -> None:
    text = "1. Sequential\n   - a stack\n   - one input\n2. Functional\n   - graph\n     1. shared"
    assert field_html(text) == (
        "<ol><li>Sequential<ul><li>a stack</li><li>one input</li></ul></li>"
        "<li>Functional<ul><li>graph<ol><li>shared</li></ol></li></ul></li></ol>"
    )


def test_list_items_are_escaped_and_keep_their_inline_markdown() -> None:
    html = field_html("- <script>alert(1)</script>\n  - `a < b` and **bold** & co")
    assert html == (
        "<ul><li>&lt;script&gt;alert(1)&lt;/script&gt;"
        "<ul><li><code>a &lt; b</code> and <b>bold</b> &amp; co</li></ul></li></ul>"
    )


def test_text_around_a_list_keeps_its_line_breaks() -> None:
    html = field_html("Before:\nsecond line\n- a\n  - a1\n- b\nafter\nlast")
    assert html == (
        "Before:<br>second line<ul><li>a<ul><li>a1</li></ul></li><li>b</li></ul>after<br>last"
    )


def test_a_list_starting_elsewhere_than_one_keeps_its_number() -> None:
    assert field_html("3. c\n   - c1\n4. d") == (
        '<ol start="3"><li>c<ul><li>c1</li></ul></li><li>d</li></ol>'
    )


def test_a_flat_list_is_exported_as_it_always_was() -> None:
    """Lines with their markers: a re-export leaves the Anki notes of flat lists unchanged."""
    assert field_html("1. more data\n2. dropout") == "1. more data<br>2. dropout"
    assert field_html("intro\n- a\n- b\nend") == "intro<br>- a<br>- b<br>end"


def test_indented_derivation_lines_are_not_a_list() -> None:
    assert field_html("total = 320\n  kernel: 288") == "total = 320<br>&nbsp;&nbsp;kernel: 288"


_LINE = st.tuples(
    st.sampled_from(["", "  ", "    ", "\t", "      "]),
    st.sampled_from(["- ", "* ", "+ ", "1. ", "2) ", ""]),
    st.text(alphabet="ab가 <>&*`_", min_size=1, max_size=10),
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=12).map("\n".join))
@example("```<")  # an unclosed fence whose info string is an angle bracket
def test_any_list_text_gives_well_nested_escaped_html(text: str) -> None:
    html = field_html(text)
    checker = TagNesting()
    checker.feed(html)
    checker.close()
    assert checker.problems == [] and checker.stack == [], html
    # A deck's angle brackets are text, never a tag: each is shown, or is in the language
    # name of a code fence (a line "```<" opens a block whose info string is "<", and
    # Markdown shows a fence's info string nowhere but in that class name, escaped).
    languages = "".join(map(html_lib.unescape, re.findall(r'class="language-([^"]*)"', html)))
    for ch in "<>":
        assert visible(html).count(ch) + languages.count(ch) == text.count(ch), html


def test_a_nested_list_to_learn_reaches_anki_as_nested_lists(
    deck_dir: Path, tmp_path: Path, new_collection: Callable[[str], Collection]
) -> None:
    (deck_dir / "apis.md").write_text(NESTED_DECK, encoding="utf-8")
    (card,) = load_library([deck_dir]).cards
    assert card.prompt == "Three ways to build a model: name all 3."
    job, warnings = prepare_anki([deck_dir], (), tmp_path / "apis.apkg")
    assert warnings == []
    job.run()
    col = new_collection("anki")
    import_package(col, tmp_path / "apis.apkg")
    (note_id,) = col.find_notes("")
    back = col.get_note(note_id)["Back"]
    assert back.startswith("<ul>" + SEQUENTIAL), back  # a bulleted list stays bulleted
    assert "<li>any graph of layers<ol><li>shared layers</li><li>several <b>inputs</b></li>" in back
    assert back.endswith("<li>Subclassing</li></ul>")
    assert "<plain>" not in back  # the deck's text stays text
    assert visible(back).startswith("Sequential <plain>a stack of layers & nothing else")
