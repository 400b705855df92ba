"""Card keys follow the notes' structure, never the answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.notes import DeckError, parse_deck

BASE = """# Keras

## Conv2D

- `filters`: the number of output filters.

| | binary | multi |
|---|---|---|
| activation | sigmoid | softmax |

<!-- learn -->
1. more data
2. dropout

The {{c1::LSTM}} has {{c2::three}} gates.

Q: Default LSTM activation?
A: tanh

## GRU

Q: GRU gates?
A: reset and update
"""


def keys(text: str) -> dict[str, str]:
    deck = parse_deck(text, Path("k.md"), "decks/k.md")
    return {c.prompt: c.key for c in deck.cards}


def key_list(text: str) -> list[str]:
    return sorted(c.key for c in parse_deck(text, Path("k.md"), "decks/k.md").cards)


def test_keys_are_unique_and_prefixed_with_the_deck() -> None:
    ks = key_list(BASE)
    assert len(ks) == len(set(ks)) == 8
    assert all(k.startswith("k:") for k in ks)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("the number of output filters.", "how many filters the layer learns."),
        ("| activation | sigmoid | softmax |", "| activation | sigmoid (σ) | softmax |"),
        ("1. more data\n2. dropout", "1. more training data\n2. dropout\n3. regularization"),
        ("{{c1::LSTM}} has {{c2::three}}", "{{c1::LSTM cell}} has {{c2::3}}"),
        ("A: tanh", "A: hyperbolic tangent (tanh)"),
        ("A: reset and update", "A: the reset gate and the update gate"),
    ],
)
def test_editing_an_answer_keeps_every_key(old: str, new: str) -> None:
    assert old in BASE
    assert key_list(BASE.replace(old, new)) == key_list(BASE)


def test_reordering_sections_keeps_keys() -> None:
    conv_start = BASE.index("## Conv2D")
    gru_start = BASE.index("## GRU")
    moved = BASE[:conv_start] + BASE[gru_start:] + "\n" + BASE[conv_start:gru_start]
    assert key_list(moved) == key_list(BASE)


def test_whitespace_changes_keep_keys() -> None:
    messy = BASE.replace("Q: GRU gates?", "Q:   GRU    gates?  ").replace(
        "- `filters`: the", "- `filters`:    the"
    )
    assert key_list(messy) == key_list(BASE)


def test_renaming_a_term_or_question_changes_its_key_only() -> None:
    renamed = BASE.replace("`filters`", "`n_filters`").replace("GRU gates?", "Gates of a GRU?")
    before, after = set(key_list(BASE)), set(key_list(renamed))
    assert len(before - after) == 2
    assert len(after - before) == 2


def test_renaming_a_heading_changes_keys_under_it_unless_anchored() -> None:
    renamed = BASE.replace("## GRU", "## Gated recurrent unit")
    assert key_list(renamed) != key_list(BASE)
    anchored = BASE.replace("## GRU", "## GRU {#gru}")
    anchored_renamed = BASE.replace("## GRU", "## Gated recurrent unit {#gru}")
    assert key_list(anchored) == key_list(anchored_renamed)


def test_anchor_pins_a_construct_across_renames() -> None:
    pinned = BASE.replace("Q: GRU gates?", "Q: GRU gates? {#gru-gates}")
    renamed = pinned.replace("GRU gates?", "Which gates does a GRU have?")
    assert keys(pinned)["GRU gates?"] == "k:gru-gates"
    assert keys(renamed)["Which gates does a GRU have?"] == "k:gru-gates"
    line_anchor = BASE.replace("- `filters`", "{#filters}\n- `filters`")
    assert keys(line_anchor)["`filters`"] == "k:filters"
    assert keys(line_anchor.replace("`filters`", "`n_filters`"))["`n_filters`"] == "k:filters"


def test_anchored_section_can_move_under_another_parent() -> None:
    a = "# A\n\n## Part {#part}\n\nQ: q?\nA: a\n"
    b = "# B\n\n## Chapter\n\n### Part, renamed {#part}\n\nQ: q?\nA: a\n"
    assert key_list(a) == key_list(b)


def test_duplicate_keys_are_an_error() -> None:
    with pytest.raises(DeckError, match="duplicate card key"):
        parse_deck(BASE + "\nQ: GRU gates?\nA: again\n", Path("k.md"))
    with pytest.raises(DeckError, match="duplicate card key"):
        parse_deck("# T\n\nQ: a? {#x}\nA: 1\n\nQ: b? {#x}\nA: 2\n", Path("k.md"))
