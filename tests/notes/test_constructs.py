"""Each deck construct gives the cards a student expects, at the right lines, with context."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.notes import DeckError, cloze_answer, parse_deck, segments


def parse(text: str, name: str = "demo.md"):
    return parse_deck(text, Path(name), f"decks/{name}")


def by_kind(deck, kind):
    return [c for c in deck.cards if c.kind == kind]


def test_front_matter_sets_id_title_and_tags() -> None:
    deck = parse("---\nid: ml\ntitle: Machine learning\ntags: ai, exam\n---\n\nQ: a?\nA: b\n")
    assert deck.id == "ml"
    assert deck.title == "Machine learning"
    card = deck.cards[0]
    assert card.deck == "ml"
    assert card.tags[:3] == ("ml", "ai", "exam")
    assert card.line == 7


def test_without_front_matter_id_is_file_name_and_title_first_heading() -> None:
    deck = parse("Intro text.\n\n# My notes\n\n## Part\n\nQ: x?\nA: y\n", "bio-101.md")
    assert deck.id == "bio-101"
    assert deck.title == "My notes"
    assert deck.cards[0].section == ("My notes", "Part")
    assert deck.cards[0].context == "My notes › Part"
    assert "Part" in deck.cards[0].tags


def test_definition_list_gives_meaning_card_with_line_and_context() -> None:
    text = (
        "# K\n\n## Conv2D arguments\n\n- `filters`: the number of output filters.\n"
        "- **padding** (패딩): one of valid or same.\n  Case-insensitive.\n"
    )
    deck = parse(text)
    defs = by_kind(deck, "definition")
    assert [c.prompt for c in defs] == ["`filters`", "**padding** (패딩)"]
    assert defs[0].answer == "the number of output filters."
    assert defs[1].answer == "one of valid or same.\nCase-insensitive."
    assert [c.line for c in defs] == [5, 6]
    assert defs[0].context == "K › Conv2D arguments"
    assert by_kind(deck, "reverse") == []


def test_reverse_cards_where_the_section_asks_and_term_is_hidden() -> None:
    text = (
        "# K\n\n## Args\n<!-- reverse -->\n- `strides`: the strides of the convolution.\n"
        "\n## Other\n- `x`: not reversed here.\n"
    )
    deck = parse(text)
    rev = by_kind(deck, "reverse")
    assert len(rev) == 1
    assert rev[0].prompt == "the ___ of the convolution."
    assert rev[0].answer == "`strides`"
    assert rev[0].note_key == by_kind(deck, "definition")[0].key


def test_deck_wide_reverse_option() -> None:
    deck = parse("---\nreverse: true\n---\n# T\n- `a`: alpha\n")
    assert len(by_kind(deck, "reverse")) == 1


def test_table_gives_one_card_per_body_cell() -> None:
    text = (
        "# T\n\n| | binary | multiclass |\n|---|---|---|\n| activation | sigmoid | softmax |\n"
        "| loss | binary_crossentropy | |\n"
    )
    deck = parse(text)
    cells = by_kind(deck, "table")
    assert [(c.prompt, c.answer, c.line) for c in cells] == [
        ("activation — binary", "sigmoid", 5),
        ("activation — multiclass", "softmax", 5),
        ("loss — binary", "binary_crossentropy", 6),
    ]


def test_list_to_learn_gives_list_recall_card() -> None:
    text = (
        "# T\n\n## Reducing overfitting\n\n<!-- learn -->\n1. more data\n2. fewer features\n"
        "3. regularization\n4. dropout\n\nAfter.\n"
    )
    deck = parse(text)
    (card,) = deck.cards
    assert card.kind == "list"
    assert card.prompt == "Reducing overfitting: name all 4."
    assert card.answer.splitlines() == [
        "1. more data",
        "2. fewer features",
        "3. regularization",
        "4. dropout",
    ]
    assert card.line == 5


def test_plain_lists_are_not_cards() -> None:
    deck = parse("# T\n\n- just\n- a list\n")
    assert deck.cards == ()


def test_cloze_in_text_one_card_per_number() -> None:
    deck = parse("# T\n\nThe {{c1::LSTM}} has {{c2::three}} gates and {{c1::a cell}}.\n")
    c1, c2 = deck.cards
    assert c1.prompt == "The [...] has three gates and [...]."
    assert c2.prompt == "The LSTM has [...] gates and a cell."
    assert c1.answer == c2.answer == "The LSTM has three gates and a cell."
    assert c1.note_key == c2.note_key
    assert (c1.cloze_number, c2.cloze_number) == (1, 2)
    assert c1.line == 3


def test_cloze_hint_is_shown() -> None:
    deck = parse("# T\n\nUse {{c1::val_loss::what to watch}}.\n")
    assert deck.cards[0].prompt == "Use [what to watch]."


def test_cloze_inside_code_keeps_the_code_as_code() -> None:
    text = "# T\n\n```python\nsplit(x, y, {{c1::stratify=y}})\nscaler.fit({{c2::x_train}})\n```\n"
    deck = parse(text)
    c1 = deck.cards[0]
    assert c1.prompt == "```python\nsplit(x, y, [...])\nscaler.fit(x_train)\n```"
    segs = segments(c1.prompt)
    assert [(s.kind, s.lang) for s in segs] == [("code", "python")]
    assert segs[0].text == "split(x, y, [...])\nscaler.fit(x_train)"
    assert c1.line == 3


def test_code_without_cloze_is_just_notes() -> None:
    assert parse("# T\n\n```python\nprint('hi')\n```\n").cards == ()


def test_template_braces_in_code_are_code_not_clozes() -> None:
    text = (
        "# T\n\nQ: How do you print braces in an f-string?\nA: Double them:\n```python\n"
        'print(f"{{x}}")\n```\n\n- `jinja`: fills `{{ name }}` placeholders\n\n'
        "```html\n<p>{{ user.name }}</p>\n```\n"
    )
    deck = parse(text)
    assert [(c.kind, c.answer) for c in deck.cards] == [
        ("qa", 'Double them:\n```python\nprint(f"{{x}}")\n```'),
        ("definition", "fills `{{ name }}` placeholders"),
    ]


def test_explicit_question_with_multiline_answer_and_code() -> None:
    text = (
        "# T\n\nQ: How to stack LSTMs?\nA: Set return_sequences.\n```python\nLSTM(10, "
        "return_sequences=True)\n\nLSTM(5)\n```\n\nNot part of it.\n"
    )
    deck = parse(text)
    (card,) = deck.cards
    assert card.kind == "qa"
    assert card.prompt == "How to stack LSTMs?"
    assert card.answer.startswith("Set return_sequences.\n```python")
    assert "LSTM(5)\n```" in card.answer
    assert "Not part" not in card.answer
    assert [s.kind for s in segments(card.answer)] == ["text", "code"]


def test_blockquote_after_a_card_is_its_explanation() -> None:
    deck = parse(
        "# T\n\nQ: r2 order?\nA: r2_score(y_true, y_pred)\n\n> The notes had it reversed.\n"
    )
    assert deck.cards[0].extra == "The notes had it reversed."


def test_check_comment_attaches_to_the_card() -> None:
    text = '# T\n\nQ: default?\nA: tanh\n<!-- check: default LSTM activation = "tanh" -->\n'
    deck = parse(text)
    assert deck.cards[0].checks == ('default LSTM activation = "tanh"',)


def test_compute_block_gives_a_computed_card() -> None:
    text = "# T\n\n```compute {#lstm}\nlayers: LSTM(10)\ninput: (5, 1)\nnotes: 4x(1+1+10)x10\n```\n"
    deck = parse(text)
    (card,) = deck.cards
    assert card.kind == "computed"
    assert card.key == "demo:lstm"
    assert card.prompt == "How many parameters does LSTM(10) have on input (5, 1)?"
    assert dict(card.compute) == {"layers": "LSTM(10)", "input": "(5, 1)", "notes": "4x(1+1+10)x10"}


def test_deck_text_is_kept_literally() -> None:
    deck = parse("# T\n\nQ: What is `x[i]` and [bold]?\nA: a[/b] and [/ and <LSTM> & co\n")
    assert deck.cards[0].prompt == "What is `x[i]` and [bold]?"
    assert deck.cards[0].answer == "a[/b] and [/ and <LSTM> & co"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("# T\n\n```python\nopen\n", 3, "never closed"),
        ("# T\n\n| a | b |\n|---|---|\n| 1 | 2 | 3 |\n", 5, "row has 3 cells"),
        ("# T\n\n| a | b |\n|---|---|---|\n| 1 | 2 |\n", 4, "separator has 3 columns"),
        ("# T\n\nsee {{answer}} here\n", 3, "cloze without a number"),
        ("# T\n\nsee {{an\nswer}}\n", 3, "cloze without a number: {{an swer}}"),
        ("# T\n\n```\nx = {{c::1}}\n```\n", 4, "cloze without a number"),
        ("# T\n\nQ: a?\nA: b\n\nQ: A?\nA: c\n", 6, "duplicate card key"),
        ("---\nid: x\ncolour: red\n---\n", 3, "unknown front-matter field 'colour'"),
        ("---\nid: x\n", 1, "never closed"),
        ("---\nid: x\ntitle: T\nid: y\n---\n", 4, "field 'id' is given twice"),
        ("# T\n\nQ: no answer\n\nmore\n", 3, "without an A:"),
        ("# T\n\nA: orphan\n", 3, "A: without a Q:"),
        ("# T\n\n<!-- learn -->\n\nno list\n", 3, "not followed by a list"),
        ("# T\n\n```compute\nlayers: LSTM(3)\n```\n", 3, "needs a 'input:' line"),
        ("# T\n\n```compute\nlayers: X\ninput: 3\nmood: happy\n```\n", 6, "unknown compute field"),
        ("# T\n\n<!-- check: x -->\n", 3, "not attached to a card"),
        ("# T\n\n<!-- open comment\n", 3, "never closed"),
        ("# T\n\none {{c1::a}}\ntwo {{c2::b\nthree\n", 4, "cloze {{c…:: is never closed"),
        ("# T\n\nThe {{c1::outer {{c2::inner}} }} one.\n", 3, "clozes cannot nest"),
        ("# T\n\nfirst\n{{c1::open {{c2::b}} here\n", 4, "clozes cannot nest"),
    ],
)
def test_errors_are_reported_at_file_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(DeckError) as info:
        parse(text)
    assert info.value.line == line
    assert message in info.value.message
    assert str(info.value).startswith(f"demo.md:{line}: ")
    assert "\n" not in str(info.value)


def test_cloze_answer_tells_the_deletions_the_card_asks() -> None:
    text = "The {{c1::LSTM}} has {{c2::three}} gates and {{c1::a cell::hint}}."
    answer, revealed = cloze_answer(text, 1)
    assert answer == "The LSTM has three gates and a cell."
    assert [answer[a:b] for a, b in revealed] == ["LSTM", "a cell"]
    answer2, revealed2 = cloze_answer(text, 2)
    assert answer2 == answer and [answer[a:b] for a, b in revealed2] == ["three"]
    c1, c2 = parse(f"# T\n\n{text}\n").cards
    assert c1.answer == c2.answer == answer
