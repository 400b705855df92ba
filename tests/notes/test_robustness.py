"""Whatever text a deck holds, loading it (computed cards and checks too) raises only DeckError."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.library import complete_deck
from quizapp.notes import DeckError, parse_deck, segments
from quizapp.paths import bundled_decks_dir

KERAS_DECK = (bundled_decks_dir() / "keras-basics.md").read_text(encoding="utf-8")
PIECES = [
    "\n",
    "# ",
    "## ",
    "- ",
    "`",
    "**",
    ":",
    "|",
    "|---|",
    "{{c1::",
    "{{",
    "}}",
    "::",
    "```",
    "~~~",
    "Q: ",
    "A: ",
    "> ",
    "<!-- ",
    " -->",
    "<!-- learn -->",
    "<!-- reverse -->",
    "<!-- check: x -->",
    "{#a}",
    "{#",
    "---",
    "1. ",
    "```compute\n",
    "layers: ",
    "input: ",
    "\t",
    "  ",
    "과적합",
    "[/",
    "\r\n",
    "\x00",
]


def _parse(text: str) -> None:
    """Parse, then fill computed answers and validate checks as the deck library does."""
    try:
        deck = complete_deck(parse_deck(text, Path("fuzz.md")))
    except DeckError as err:
        assert err.line >= 0
        assert str(err).startswith("fuzz.md:")
        return
    for card in deck.cards:
        assert card.key.startswith(deck.id + ":")
        assert 1 <= card.line <= text.count("\n") + 1 + text.count("\r")
        segments(card.prompt)
        segments(card.answer)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_arbitrary_text(text: str) -> None:
    _parse(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=60))
def test_markdown_like_soup(parts: list[str]) -> None:
    _parse("".join(parts))


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_mutated_real_deck(data: st.DataObject) -> None:
    text = KERAS_DECK
    for _ in range(data.draw(st.integers(1, 5))):
        pos = data.draw(st.integers(0, len(text)))
        op = data.draw(st.sampled_from(["delete", "insert", "duplicate"]))
        if op == "delete":
            end = data.draw(st.integers(pos, min(len(text), pos + 40)))
            text = text[:pos] + text[end:]
        elif op == "insert":
            text = text[:pos] + data.draw(st.sampled_from(PIECES)) + text[pos:]
        else:
            end = data.draw(st.integers(pos, min(len(text), pos + 200)))
            text = text[:end] + text[pos:end] + text[end:]
    _parse(text)


def test_a_paragraph_of_unclosed_braces_parses_in_linear_time() -> None:
    import time

    # 250 kB of "{{" never closed: matching each against the rest of the text took about a
    # minute; the whole deck now parses in milliseconds.
    text = "# T\n\n" + "{{ a " * 50_000 + "\n"
    start = time.perf_counter()
    deck = parse_deck(text, Path("demo.md"), "decks/demo.md")
    elapsed = time.perf_counter() - start
    assert deck.cards == ()
    assert elapsed < 5.0, f"parsing took {elapsed:.1f} s"
