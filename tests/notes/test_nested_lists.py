"""Nested lists keep their structure: a list to learn's nested items are children of the item
above them (not glued onto its line), and a definition's nested bullets keep their indentation."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from quizapp.notes import parse_deck
from quizapp.notes.lists import ListItem, format_items, parse_items

NESTED = """\
# T

## Model APIs

<!-- learn -->
- Sequential
  - a plain stack of layers
  - one input, one output
- Functional
  - any graph of layers
    1. shared layers
    2. several inputs
- Subclassing
  (a `Model` subclass with its own `call`)

After.
"""


def _card(text: str):
    (card,) = parse_deck(text, Path("d.md"), "decks/d.md").cards
    return card


def test_a_nested_list_to_learn_counts_its_top_items_and_keeps_the_children() -> None:
    card = _card(NESTED)
    assert card.kind == "list"
    assert card.prompt == "Model APIs: name all 3."
    assert card.answer.splitlines() == [
        "- Sequential",
        "  - a plain stack of layers",
        "  - one input, one output",
        "- Functional",
        "  - any graph of layers",
        "    1. shared layers",
        "    2. several inputs",
        "- Subclassing (a `Model` subclass with its own `call`)",
    ]
    assert parse_items(card.answer.splitlines()) == (
        ListItem(
            "Sequential",
            children=(ListItem("a plain stack of layers"), ListItem("one input, one output")),
        ),
        ListItem(
            "Functional",
            children=(
                ListItem(
                    "any graph of layers",
                    children=(
                        ListItem("shared layers", True, 1),
                        ListItem("several inputs", True, 2),
                    ),
                ),
            ),
        ),
        ListItem("Subclassing (a `Model` subclass with its own `call`)"),
    )


def test_a_numbered_list_to_learn_numbers_its_top_items_and_indents_the_children() -> None:
    card = _card("# T\n\n## Steps\n\n<!-- learn -->\n1. build\n   - layers\n2. compile\n")
    assert card.prompt == "Steps: name all 2."
    assert card.answer.splitlines() == ["1. build", "   - layers", "2. compile"]


def test_a_flat_list_to_learn_is_as_it_was() -> None:
    card = _card("# T\n\n## Steps\n\n<!-- learn -->\n1. one\n2. two\n   wrapped\n3. three\n")
    assert card.answer == "1. one\n2. two wrapped\n3. three"


def test_the_card_key_stays_when_children_are_added() -> None:
    """Identity is the list's heading: giving an item children keeps the card's history."""
    flat = _card("# T\n\n## Model APIs\n\n<!-- learn -->\n- Sequential\n- Functional\n")
    assert _card(NESTED).key == flat.key


def test_tabs_nest_like_four_spaces() -> None:
    card = _card("# T\n\n## L\n\n<!-- learn -->\n1. a\n\t- a1\n\t\t- a1x\n2. b\n")
    assert card.answer.splitlines() == ["1. a", "   - a1", "     - a1x", "2. b"]


def test_a_definition_keeps_the_nesting_of_the_list_under_it() -> None:
    text = (
        "# T\n\n- `Dense`: a fully connected layer\n"
        "  - units: the output size\n"
        "    - one number per output\n"
        "  - activation: applied to the output\n"
    )
    card = _card(text)
    assert card.kind == "definition"
    assert card.answer.splitlines() == [
        "a fully connected layer",
        "- units: the output size",
        "  - one number per output",
        "- activation: applied to the output",
    ]


def test_a_definition_s_wrapped_lines_are_as_they_were() -> None:
    card = _card("# T\n\n- `x`: the first line\n    goes on here\n  and here\n")
    assert card.answer == "the first line\ngoes on here\nand here"


_TEXT = st.text(alphabet="abc가나 `*_<>&", min_size=1, max_size=8).filter(
    lambda s: s.strip() == s and not s.startswith(("*", "-", "+"))
)


def _trees(depth: int) -> st.SearchStrategy[tuple[ListItem, ...]]:
    leaf = st.builds(lambda t: ListItem(t), _TEXT)
    if depth == 0:
        return st.lists(leaf, min_size=1, max_size=3).map(tuple)
    node = st.builds(
        lambda t, kids: ListItem(t, children=kids),
        _TEXT,
        st.one_of(st.just(()), _trees(depth - 1)),
    )
    return st.lists(node, min_size=1, max_size=3).map(tuple)


def _shape(items: tuple[ListItem, ...]) -> list[object]:
    return [(i.text, _shape(i.children)) for i in items]


@given(_trees(3))
def test_formatted_items_read_back_as_the_same_tree(items: tuple[ListItem, ...]) -> None:
    assert _shape(parse_items(format_items(items).splitlines())) == _shape(items)
