"""Plain notes → a deck draft: each construct with a small notes file and the draft and report
it gives, the encodings, bad input, and the same draft every time."""

from __future__ import annotations

import codecs
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.library import load_library
from quizapp.notes.importer import NotesError, deck_id_for, decode_notes, title_for
from tests.notes.importing import assert_faithful, body, draft_of, imported

CASES: dict[str, tuple[str, str, list[str]]] = {
    "a title line over name: meaning lines, and an <name> heading": (
        "Layers\nDense: a fully connected layer\nconv 2d: convolution over images\n\n"
        "<LSTM>\nunits: how many outputs\n",
        """\
## Layers

- `Dense`: a fully connected layer
- **conv 2d**: convolution over images

## LSTM

- `units`: how many outputs
""",
        [
            "  line 1     heading      Layers",
            "  lines 2-3  definitions  2 cards: Dense, conv 2d",
            "  line 5     heading      LSTM",
            "  line 6     definitions  1 card: units",
        ],
    ),
    "a tab-separated table: indented, its corner cell empty, a ragged row": (
        "\tbinary\tmulti\n  loss\tbce\tcce\n  act\tsigmoid\n",
        """\
|  | binary | multi |
|---|---|---|
| loss | bce | cce |
| act | sigmoid |  |
""",
        ["  lines 1-3  table        3 cards: 2 rows × 2 columns"],
    ),
    "a column-aligned table under a centred <A vs B> heading": (
        "   <cats vs dogs>\nsound      meow     woof\nlegs       4        4\n",
        """\
## cats vs dogs

|  | cats | dogs |
|---|---|---|
| sound | meow | woof |
| legs | 4 | 4 |
""",
        [
            "  line 1     heading      cats vs dogs",
            "  lines 2-3  table        4 cards: 2 rows × 2 columns",
        ],
    ),
    "pasted code: the imported name and the keyword arguments, three at most": (
        "<split>\nfrom sklearn.model_selection import train_test_split\n"
        "x1, x2 = train_test_split(x, test_size=0.2, shuffle=False, stratify=y)\n",
        """\
## split

```python
from sklearn.model_selection import {{c1::train_test_split}}
x1, x2 = {{c1::train_test_split}}(x, {{c2::test_size}}=0.2, {{c3::shuffle}}=False, stratify=y)
```
""",
        [
            "  line 1     heading      split",
            "  lines 2-3  code         3 cards: clozes on train_test_split, test_size, shuffle",
        ],
    ),
    "code: a string value is hidden, never a name the heading shows, blank lines kept": (
        "<early_stopping>\nfrom keras.callbacks import EarlyStopping\n\n"
        "early_stopping = EarlyStopping(monitor='val_loss', patience = 20)\n\n"
        "def fit(model):\n\n    return model.fit(x, callbacks=[early_stopping])\n",
        """\
## early_stopping

```python
from keras.{{c3::callbacks}} import EarlyStopping

early_stopping = EarlyStopping(monitor={{c1::'val_loss'}}, {{c2::patience}} = 20)

def fit(model):

    return model.fit(x, {{c3::callbacks}}=[early_stopping])
```
""",
        [
            "  line 1     heading      early_stopping",
            "  lines 2-8  code         3 cards: clozes on 'val_loss', patience, callbacks",
        ],
    ),
    "code with nothing imported or passed by keyword: the calls": (
        "imshow\nplt.imshow(x_train[0], 'gray')\nplt.show()\n",
        """\
## imshow

```python
plt.imshow(x_train[0], 'gray')
plt.{{c1::show}}()
```
""",
        ["  line 1     heading      imshow", "  lines 2-3  code         1 card: clozes on show"],
    ),
    "# 1. lists and - lists under a heading": (
        "Ways\n# 1. more data\n# 2. dropout\n\n- a\n- b\n  - b1\n",
        """\
## Ways

<!-- learn -->
1. more data
2. dropout

<!-- learn -->
{#list-2}
- a
- b
  - b1
""",
        [
            "  line 1     heading      Ways",
            "  lines 2-3  list         1 card: 2 items",
            "  lines 5-7  list         1 card: 2 items",
        ],
    ),
    "questions: a line ending in ? over its answer, and the answer on the same line": (
        "What is 2+2?\nfour\nDefault activation? tanh\n",
        """\
Q: What is 2+2?
A: four

Q: Default activation?
A: tanh
""",
        [
            "  lines 1-2  question     1 card: What is 2+2?",
            "  line 3     question     1 card: Default activation?",
        ],
    ),
    "Markdown headings, one level under the title, and plain text word for word": (
        "# Part one\n## Sub\nWhy?\nBecause.\n\njust words, here\nand more\n",
        """\
## Part one

### Sub

Q: Why?
A: Because.

just words, here
and more
""",
        [
            "  line 1     heading      Part one",
            "  line 2     heading      Sub",
            "  lines 3-4  question     1 card: Why?",
            "  lines 6-7  text         no card",
        ],
    ),
    "a centred title over the lines of its block": (
        "Why? Because.\n          Summary\nshort words\nmore words\n",
        """\
Q: Why?
A: Because.

## Summary

short words
more words
""",
        [
            "  line 1     question     1 card: Why?",
            "  line 2     heading      Summary",
            "  lines 3-4  text         no card",
        ],
    ),
    "a heading repeated: pinned by an anchor, so its cards keep keys of their own": (
        "<LSTM>\nunits: outputs\n\n<LSTM>\nunits: outputs again\n",
        """\
## LSTM

- `units`: outputs

## LSTM {#lstm-2}

- `units`: outputs again
""",
        [
            "  line 1  heading      LSTM",
            "  line 2  definitions  1 card: units",
            "  line 4  heading      LSTM",
            "  line 5  definitions  1 card: units",
        ],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_construct_gives_its_draft_and_report(case: str) -> None:
    notes, expected, report = CASES[case]
    draft = draft_of(notes)
    assert body(draft) == expected
    lines = draft.report("notes.txt")
    assert lines[1:-1] == report
    assert draft.cards == sum(c.cards for c in draft.constructs)
    assert_faithful(notes, draft)


def test_the_report_names_the_plain_lines_and_the_warnings() -> None:
    notes = "intro words\n\n<A>\nx: " + "word " * 45 + "\nsome more words\n"
    draft = draft_of(notes)
    report = draft.report("a.txt")
    assert report[0] == ("a.txt: read as UTF-8, 5 lines → deck 't' (T): 1 card from 2 constructs")
    assert "Plain text, no card (2 lines): 1, 5" in report
    assert report[-1] == "Warnings on the draft (long-answer 1): see quizapp decks check"
    assert draft.plain_lines == (1, 5)


def test_a_construct_the_parser_refuses_stays_as_text_and_is_reported() -> None:
    notes = "<A>\nx: {{a cell}}\n\nQ: asked\nA: answered\n"
    draft = draft_of(notes)
    kinds = [(c.kind, c.first, c.cards) for c in draft.constructs]
    assert kinds == [("heading", 1, 0), ("text", 2, 0), ("question", 4, 1)]
    refused = draft.constructs[1]
    assert refused.detail.startswith("kept as text: ")
    assert "{{a cell}}" in draft.text
    assert_faithful(notes, draft)


# ------------------------------------------------------------------------ encodings

KOREAN = "<정규화>\n스케일러: 최소 최대 정규화\n정규화 순서?\n먼저 fit\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (KOREAN.encode("utf-8"), "UTF-8"),
        (codecs.BOM_UTF8 + KOREAN.encode("utf-8"), "UTF-8 with BOM"),
        (KOREAN.encode("utf-16"), "UTF-16 (little-endian, with BOM)"),
        (codecs.BOM_UTF16_BE + KOREAN.encode("utf-16-be"), "UTF-16 (big-endian, with BOM)"),
        (KOREAN.encode("cp949"), "CP949 (EUC-KR)"),
        (KOREAN.encode("euc-kr"), "CP949 (EUC-KR)"),
        (KOREAN.replace("\n", "\r\n").encode("cp949"), "CP949 (EUC-KR)"),
    ],
)
def test_each_encoding_gives_the_same_draft_and_is_reported(data: bytes, encoding: str) -> None:
    text, used = decode_notes(data)
    assert used == encoding
    assert text == KOREAN
    draft = imported(data, "norm.txt")
    assert draft.encoding == encoding
    assert draft.report("norm.txt")[0].startswith(f"norm.txt: read as {encoding}, 4 lines")
    assert draft.text == imported(KOREAN.encode("utf-8"), "norm.txt").text
    assert "- **스케일러**: 최소 최대 정규화" in draft.text


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "the notes are empty"),
        (b"  \n\t\n", "the notes are empty"),
        (codecs.BOM_UTF8, "the notes are empty"),
        (bytes(range(256)) * 4, "not a text file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        (b"text\x00with a NUL\n", "not a text file"),
    ],
)
def test_binary_and_empty_files_are_one_line_errors(data: bytes, words: str) -> None:
    with pytest.raises(NotesError) as caught:
        imported(data)
    message = str(caught.value)
    assert words in message and "\n" not in message


def test_notes_with_no_construct_are_an_error() -> None:
    with pytest.raises(NotesError) as caught:
        imported(b"just a line of prose\nand another one\n")
    assert str(caught.value) == (
        "no definition, table, code, list or question found in 2 lines: nothing to import"
    )
    with pytest.raises(NotesError, match="nothing to import"):
        imported(b"<A heading>\nand a line\n")


# --------------------------------------------------------------- the same draft twice


def test_importing_twice_gives_the_same_draft_and_keys() -> None:
    notes = b"<A>\nx: one\ny: two\n\n\tb\tc\nr\t1\t2\n\nfrom mod import fn\nfn(key=1)\n"
    first, second = imported(notes), imported(notes)
    assert first.text.encode() == second.text.encode()
    assert [c.key for c in first.deck.cards] == [c.key for c in second.deck.cards]
    assert len(first.deck.cards) == 6


@pytest.mark.parametrize(
    ("name", "deck_id", "title"),
    [
        ("keras-study-notes.txt", "keras-study-notes", "keras study notes"),
        ("My Notes (v2).TXT", "My-Notes-v2", "My Notes (v2)"),
        ("정규화.txt", "notes", "정규화"),
        ("Café_notes.md", "Cafe_notes", "Café notes"),
    ],
)
def test_the_deck_id_and_title_come_from_the_file_name(name: str, deck_id: str, title: str) -> None:
    assert deck_id_for(name) == deck_id
    assert title_for(name) == title


def test_a_bad_deck_id_or_title_is_refused() -> None:
    with pytest.raises(NotesError, match="deck id 'a b' must be letters"):
        draft_of("x: y\n", deck_id="a b")
    with pytest.raises(NotesError, match="the title is empty"):
        draft_of("x: y\n", title="  ")


# ---------------------------------------------------------------------- any text at all

_PIECES = [
    "<LSTM>",
    "# 1. ",
    "- ",
    "1. ",
    "# ",
    "name: meaning",
    "x = f(a, k=1)",
    "import os",
    "def f():",
    "    return 1",
    "\t",
    "  ",
    "?",
    "Q: ",
    "A: ",
    "|",
    "---",
    "```",
    "{{",
    "}}",
    "{{c1::",
    "{#a}",
    "<!--",
    "-->",
    "> ",
    "vs",
    "정규화",
    "*",
    "`",
    "\\",
    ":",
    "(",
    ")",
]


@st.composite
def notes_text(draw: st.DrawFn) -> str:
    lines = draw(
        st.lists(
            st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=6)), max_size=6).map(
                "".join
            ),
            max_size=12,
        )
    )
    return "\n".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes_text())
def test_any_text_gives_a_draft_decks_check_accepts_or_a_clear_error(text: str) -> None:
    try:
        draft = draft_of(text)
    except NotesError as err:
        message = str(err)
        assert message and "\n" not in message
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.md"
        path.write_bytes(draft.text.encode("utf-8"))
        result = load_library([Path(tmp)], files=[path])
    assert result.errors == (), (text, draft.text)
    (deck,) = result.decks
    assert len(deck.cards) == draft.cards > 0
    assert draft.text == draft_of(text).text
    assert_faithful(text, draft)
