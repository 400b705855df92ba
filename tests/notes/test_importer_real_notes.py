"""The real notes the bundled deck was written from, imported: the draft loads, every table
cell and every ``name: meaning`` line is a card, the code is cloze code, and the draft covers
the topics the bundled deck's test lists (the figure the README gives)."""

from __future__ import annotations

import re

import pytest

from quizapp.library import load_library
from quizapp.notes.importer import Draft
from quizapp.notes.model import CardSpec
from tests.notes.importing import assert_faithful, imported, real_notes
from tests.notes.test_keras_deck import TOPICS


@pytest.fixture(scope="module")
def notes() -> str:
    return real_notes().decode("utf-8")


@pytest.fixture(scope="module")
def draft() -> Draft:
    return imported(real_notes(), "keras-study-notes.txt")


def card_text(card: CardSpec) -> str:
    return "\n".join([card.prompt, card.answer, card.extra, card.cloze_text or ""])


def test_the_draft_passes_decks_check(draft: Draft, tmp_path) -> None:
    path = tmp_path / "keras-study-notes.md"
    path.write_text(draft.text, encoding="utf-8")
    result = load_library([tmp_path], files=[path])
    assert result.errors == ()
    (deck,) = result.decks
    assert deck.id == "keras-study-notes"
    assert [c.key for c in deck.cards] == [c.key for c in draft.deck.cards]
    assert len(deck.cards) == 49


def test_no_word_of_the_notes_is_dropped_reworded_or_added(notes: str, draft: Draft) -> None:
    assert_faithful(notes, draft)


def test_every_name_meaning_line_is_a_definition_card(notes: str, draft: Draft) -> None:
    lines = notes.split("\n")
    expected = [tuple(s.strip() for s in line.split(":", 1)) for line in lines[1:17]]
    expected += [
        (term.strip(), meaning.strip())
        for term, meaning in (lines[n].split(" : ", 1) for n in (43, 44))
    ]
    cards = [(c.prompt.strip("`*"), c.answer) for c in draft.deck.cards if c.kind == "definition"]
    assert cards == expected
    assert len(cards) == 18


def test_every_table_cell_is_a_card(notes: str, draft: Draft) -> None:
    answers = {(c.prompt, c.answer) for c in draft.deck.cards if c.kind == "table"}
    lines = notes.split("\n")
    shape = {
        (f"{row[0]} — {col}", cell)
        for line in lines[29:32]
        for row in [re.split(r"\t+", line)]
        for col, cell in zip(["데이터 구조", "input_shape"], row[1:], strict=True)
    }
    rows = [re.split(r" {2,}", line.strip()) for line in lines[78:83]]
    kinds = {
        (f"{row[0]} — {col}", cell)
        for row in rows
        for col, cell in zip(["이진", "다중"], row[1:], strict=False)
    }
    assert len(shape) == 6 and len(kinds) == 9
    assert answers == shape | kinds


def test_the_code_snippets_are_code_blocks_with_clozes(draft: Draft) -> None:
    code = [c for c in draft.constructs if c.kind == "code"]
    assert [(c.first, c.last) for c in code] == [
        (20, 21),
        (48, 49),
        (52, 57),
        (61, 66),
        (69, 71),
        (74, 75),
    ]
    assert all(1 <= c.cards <= 3 for c in code)
    clozes = [c for c in draft.deck.cards if c.kind == "cloze"]
    assert len({c.note_key for c in clozes}) == len(code)
    assert len(clozes) == sum(c.cards for c in code)
    for card in clozes:
        assert card.cloze_text is not None and card.cloze_text.startswith("```python\n")
        assert "[...]" in card.prompt
    texts = "\n".join(sorted({c.cloze_text or "" for c in clozes}))
    for part in ["{{c1::test_size}}", "{{c2::stratify}}", "monitor={{c1::'val_loss'}}"]:
        assert part in texts


def coverage(draft: Draft) -> tuple[int, int, int, int]:
    """(topics covered, topics, phrases taught, phrases the notes hold) against the bundled
    deck's topic list. A topic is covered when a card of the draft names it, in its headings or
    its prompt, and is of a kind the bundled deck teaches it by; a phrase is taught when a card
    of the draft holds it (spaces aside), counting only the phrases the notes themselves hold
    (the bundled deck's corrections are not in the notes)."""
    notes = "".join(real_notes().decode("utf-8").split())
    covered = taught = phrases = 0
    for section, kinds, must_mention in TOPICS:
        word = section.lower()
        cards = [
            c for c in draft.deck.cards if word in c.context.lower() or word in c.prompt.lower()
        ]
        if any(c.kind in kinds for c in cards):
            covered += 1
        everything = "".join("".join(card_text(c).split()) for c in draft.deck.cards)
        for phrase in must_mention:
            squeezed = "".join(phrase.split())
            if squeezed in notes:
                phrases += 1
                taught += squeezed in everything
    return covered, len(TOPICS), taught, phrases


def test_the_draft_covers_the_topics_of_the_bundled_deck(draft: Draft) -> None:
    covered, topics, taught, phrases = coverage(draft)
    print(
        f"\ncoverage: {covered} of {topics} topics ({covered / topics:.0%}); "
        f"{taught} of the {phrases} phrases the notes hold ({taught / phrases:.0%})"
    )
    assert covered / topics >= 0.8
    assert (covered, topics, taught, phrases) == (10, 11, 20, 24)
