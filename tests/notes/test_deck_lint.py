"""`decks check` warnings: each rule fires on a weak card, stays quiet on a good one, and
`<!-- ok: RULE -->` silences it on one construct."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.notes import DeckError, parse_deck
from quizapp.notes.lint import RULES, answer_size, lint_deck, related


def lint(text: str) -> list[tuple[int, str, str]]:
    deck = parse_deck(text, Path("demo.md"), "decks/demo.md")
    return [(w.line, w.rule, w.message) for w in lint_deck(deck)]


def rules(text: str) -> list[tuple[int, str]]:
    return [(line, rule) for line, rule, _ in lint(text)]


# ------------------------------------------------------------------ give-away: clozes

SPLIT = """# Split

```python
from sklearn.model_selection import {{c1::train_test_split}}
x_train, x_test = train_test_split(x, test_size=0.2)
```
"""


def test_cloze_shown_on_the_next_line_is_a_give_away() -> None:
    ((line, rule, message),) = lint(SPLIT)
    assert (line, rule) == (4, "give-away")
    assert 'c1 hides "train_test_split", which the card also shows (line 5)' in message


def test_cloze_hidden_at_every_occurrence_is_not() -> None:
    text = SPLIT.replace("= train_test_split(", "= {{c1::train_test_split}}(")
    assert lint(text) == []


def test_cloze_hiding_what_the_card_does_not_show_is_not() -> None:
    text = SPLIT.replace("{{c1::train_test_split}}", "train_test_split").replace(
        "sklearn.model_selection", "{{c1::sklearn.model_selection}}"
    )
    assert lint(text) == []


def test_cloze_give_away_matches_names_across_case_underscores_and_spacing() -> None:
    text = "# Stop\n\n```python\nes = EarlyStopping(patience=20)\nearly_stopping = es\n```\n"
    code = text.replace("EarlyStopping", "{{c1::EarlyStopping}}")
    assert rules(code) == [(4, "give-away")]  # early_stopping names EarlyStopping
    spaced = "# R\n\n`y.reshape({{c1::-1, 1}})` is the same as `y.reshape(-1,1)`.\n"
    assert rules(spaced) == [(3, "give-away")]
    part = "# R\n\n`scaler.{{c1::fit}}(x)` then `scaler.fit_transform(y)`.\n"
    assert rules(part) == []  # fit is not fit_transform


def test_cloze_named_by_its_heading_is_a_give_away() -> None:
    text = "# Notes\n\n## imshow\n\n`plt.{{c1::imshow}}(img)` draws an image.\n"
    ((_, rule, message),) = lint(text)
    assert rule == "give-away" and 'its heading "imshow"' in message
    assert lint(text.replace("## imshow", "## Images")) == []


def test_cloze_shown_by_another_number_is_a_give_away_only_for_that_card() -> None:
    text = "# A\n\nThe {{c1::forget gate}} and the {{c2::input gate}}; the {{c3::forget gate}}.\n"
    assert rules(text) == [(3, "give-away"), (3, "give-away")]  # c1 and c3 show each other
    assert all("c2" not in m for *_, m in lint(text))


def test_single_characters_shown_elsewhere_are_no_give_away() -> None:
    assert lint("# A\n\n`reshape({{c1::1}}, 1)` and `{{c2::y}} = f(y)`.\n") == []


def test_ok_give_away_silences_a_cloze() -> None:
    text = SPLIT + "<!-- ok: give-away -->\n"
    assert lint(text) == []
    other = SPLIT + "<!-- ok: long-answer -->\n"
    assert rules(other) == [(4, "give-away")]  # only the rule named is silenced


# --------------------------------------------------------------- give-away: reverse


def reverse_deck(meaning: str, term: str = "dilation_rate", after: str = "") -> str:
    return f"# Conv\n\n<!-- reverse -->\n\n- `{term}`: {meaning}\n{after}"


@pytest.mark.parametrize(
    ("term", "meaning", "word"),
    [
        ("dilation_rate", "the rate used for dilated convolution", "dilated"),
        ("kernel_initializer", "Initializer for the weights matrix", "Initializer"),
        ("use_bias", "whether the layer uses an offset vector", "uses"),
        ("padding", "zeros are padded around the border", "padded"),
        ("EarlyStopping", "ends training once the loss stops improving", "stops"),
    ],
)
def test_reverse_prompt_with_a_word_made_from_the_term_is_a_give_away(term, meaning, word):
    ((line, rule, message),) = lint(reverse_deck(meaning, term))
    assert (line, rule) == (5, "give-away")
    assert f'says "{word}", which gives away {term}' in message


@pytest.mark.parametrize(
    ("term", "meaning"),
    [
        ("dilation_rate", "gaps between the window's taps (atrous convolution), default 1"),
        ("kernel_initializer", "how the filter weights are first set (glorot_uniform)"),
        ("use_bias", "whether to add a learned offset to each output (default True)"),
        ("strides", 'how far the window moves per step; "same" output = ceil(input / step)'),
        ("data_format", "where the channel axis is: last (default) or first"),
    ],
)
def test_reverse_prompt_that_describes_without_the_term_is_not(term, meaning) -> None:
    assert lint(reverse_deck(meaning, term)) == []


def test_stems_relate_words_made_from_each_other_only() -> None:
    assert related("dilation", "dilated") and related("initializer", "Initializers")
    assert related("bias", "biases") and related("stride", "strides")
    assert related("regularizer", "regularization") and related("groups", "grouped")
    assert not related("rate", "rather") and not related("format", "form")
    assert not related("filters", "file") and not related("strides", "string")


def test_reverse_named_by_its_heading_is_a_give_away() -> None:
    text = (
        "# Conv\n\n## Initializers\n\n<!-- reverse -->\n\n"
        "- `kernel_initializer`: how the filter weights start\n"
    )
    ((_, rule, message),) = lint(text)
    assert rule == "give-away" and message.startswith('its heading says "Initializers"')


def test_masking_that_leaves_a_fragment_is_warned() -> None:
    meaning = "where the channel axis is; see the image_data_format value"
    found = rules(reverse_deck(meaning, "data_format"))
    assert found == [(5, "mask-fragment")]
    ((*_, message),) = lint(reverse_deck(meaning, "data_format"))
    assert '"image____"' in message
    assert lint(reverse_deck("where the channel axis is; see the config", "data_format")) == []


def test_ok_silences_a_reverse_card() -> None:
    text = reverse_deck("the rate used for dilated convolution", after="<!-- ok: give-away -->\n")
    assert lint(text) == []
    frag = reverse_deck("see image_data_format", "data_format", "<!-- ok: mask-fragment -->\n")
    assert lint(frag) == []


def test_without_reverse_cards_the_meaning_may_name_the_term() -> None:
    assert lint("# Conv\n\n- `dilation_rate`: the rate for dilated convolution\n") == []


# ---------------------------------------------------------------------- long-answer

LONG = " ".join(["word"] * 41)


def test_answer_over_forty_words_is_too_long() -> None:
    ((line, rule, message),) = lint(f"# A\n\nQ: What?\nA: {LONG}\n")
    assert (line, rule) == (3, "long-answer")
    assert "41 words in 1 sentence" in message and "`>` explanation" in message
    assert lint(f"# A\n\nQ: What?\nA: {' '.join(['word'] * 40)}\n") == []


def test_answer_over_three_sentences_is_too_long() -> None:
    four = "One fact. Two facts. Three facts. Four facts."
    assert rules(f"# A\n\nQ: What?\nA: {four}\n") == [(3, "long-answer")]
    three = "One fact, e.g. `x.y()`. Two facts (i.e. more). Three facts: 0.5 and 1."
    assert lint(f"# A\n\nQ: What?\nA: {three}\n") == []


def test_code_in_an_answer_is_not_counted() -> None:
    code = "\n".join(f"x{n} = f({n})" for n in range(30))
    text = f"# A\n\nQ: Show the code.\nA: Like this:\n```python\n{code}\n```\n"
    assert lint(text) == []
    assert answer_size(f"Like this:\n```python\n{code}\n```") == (2, 1)


def test_long_definitions_and_table_cells_are_warned_with_the_no_reverse_hint() -> None:
    found = lint(f"# A\n\n- `x`: {LONG}\n\n| k | v |\n|---|---|\n| a | {LONG} |\n")
    assert [(line, rule) for line, rule, _ in found] == [(3, "long-answer"), (7, "long-answer")]
    assert "<!-- no-reverse -->" in found[0][2] and "<!-- no-reverse -->" not in found[1][2]


def test_ok_long_answer_silences_it() -> None:
    assert lint(f"# A\n\nQ: What?\nA: {LONG}\n<!-- ok: long-answer -->\n") == []


# ------------------------------------------------------------------- name-and-value


def test_cloze_hiding_a_name_and_its_value_is_warned() -> None:
    text = "# S\n\n```python\nsplit(x, {{c1::test_size=0.2}}, {{c2::stratify = y}})\n```\n"
    found = lint(text)
    assert [(line, rule) for line, rule, _ in found] == [(4, "name-and-value")] * 2
    assert 'c1 hides "test_size=0.2", a name and its value together' in found[0][2]


def test_cloze_hiding_the_name_or_the_value_alone_is_not() -> None:
    code = "split(x, {{c1::test_size}}=0.2, stratify={{c2::y}}, a={{c3::b == c}})"
    text = f"# S\n\n```python\n{code}\n```\n"
    assert lint(text) == []


def test_ok_name_and_value_silences_it() -> None:
    text = "# S\n\n`split(x, {{c1::stratify=y}})`\n<!-- ok: name-and-value -->\n"
    assert lint(text) == []


# ------------------------------------------------------------------- the ok comment


def test_ok_names_several_rules_and_unknown_rules_are_errors() -> None:
    ok = f"# A\n\nQ: What?\nA: {LONG}\n<!-- ok: give-away, long-answer -->\n"
    assert lint(ok) == []
    with pytest.raises(DeckError, match="unknown rule 'long-answers' in ok:"):
        parse_deck(ok.replace("long-answer -->", "long-answers -->"), Path("d.md"))
    with pytest.raises(DeckError, match="ok is not attached to a card"):
        parse_deck("# A\n\n<!-- ok: give-away -->\n", Path("d.md"))
    with pytest.raises(DeckError, match="empty ok"):
        parse_deck("# A\n\nQ: a?\nA: b\n<!-- ok -->\n", Path("d.md"))
    assert set(RULES) == {"give-away", "mask-fragment", "long-answer", "name-and-value"}


def test_ok_applies_to_its_construct_only() -> None:
    second = SPLIT.split("\n", 2)[2].replace("```python", "```python {#again}")
    text = SPLIT + "<!-- ok: give-away -->\n\n" + second
    assert rules(text) == [(10, "give-away")]
