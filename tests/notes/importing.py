"""Helpers for the tests of importing notes: the real notes, importing them as the command does,
and comparing a draft's words with the notes' words."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from quizapp.library import complete_deck
from quizapp.notes.importer import Draft, draft_deck, import_notes

REAL_NOTES = Path(__file__).resolve().parents[2].parent / "shared/notes/keras-study-notes.txt"


def real_notes() -> bytes:
    if not REAL_NOTES.is_file():
        pytest.skip(f"the real notes are not here ({REAL_NOTES.name} beside the checkout)")
    return REAL_NOTES.read_bytes()


def draft_of(text: str, deck_id: str = "t", title: str = "T") -> Draft:
    """The draft of notes text, completed and checked as the library does."""
    return draft_deck(text, deck_id=deck_id, title=title, complete=complete_deck)


def imported(data: bytes, name: str = "notes.txt") -> Draft:
    return import_notes(data, name, complete=complete_deck)


def body(draft: Draft) -> str:
    """The draft below its front matter and title heading: what the notes became."""
    lines = draft.text.split("\n")
    assert lines[0] == "---"
    end = lines.index("---", 1)
    rest = lines[end + 1 :]
    assert rest[:2] == ["", f"# {draft.title}"], rest[:2]
    return "\n".join(rest[3:])


# What the importer writes around the notes' words: heading and list marks, table rules, code
# and bold marks, escapes. The notes' own such characters are left out on both sides alike.
_MARKUP = set("#<>|-*`\\")
_QA = re.compile(r"^(?:\s*[QA]:\s?)+", re.M)
_CLOZE = re.compile(r"\{\{c\d+::(.*?)\}\}")
# The anchors the importer adds (a repeated heading or term): a slug and a number.
_ANCHOR = re.compile(r" \{#[a-z0-9-]+-\d+\}$", re.M)
_DRAFT_ONLY = re.compile(r"^(?:<!-- learn -->|\{#[a-z0-9-]+-\d+\})$")
_OPENING = re.compile(r"^(`{3,})(?:python|text)(?: \{#[a-z0-9-]+-\d+\})?$")


def _without_fences(lines: list[str]) -> list[str]:
    """The lines without the fences the importer writes around code and text (a fence of the
    notes' own inside one is text)."""
    out: list[str] = []
    closing: str | None = None
    for line in lines:
        m = _OPENING.match(line)
        if closing is None and m:
            closing = m.group(1)
        elif closing is not None and line == closing:
            closing = None
        else:
            out.append(line)
    return out


def words(text: str) -> list[str]:
    """The words of a text, a colon a word of its own (``term : meaning`` is written
    ``term: meaning``), the characters of markup left out."""
    out = []
    text = "\n".join(_without_fences(text.split("\n")))
    for token in _CLOZE.sub(r"\1", _QA.sub("", text)).replace(":", " : ").split():
        kept = "".join(ch for ch in token if ch not in _MARKUP)
        if kept:
            out.append(kept)
    return out


def draft_words(draft: Draft) -> list[str]:
    lines = [line for line in body(draft).split("\n") if not _DRAFT_ONLY.match(line.strip())]
    text = _ANCHOR.sub("", "\n".join(lines))
    return words(text)


def assert_faithful(notes: str, draft: Draft) -> None:
    """Every word of the notes is in the draft, in the notes' order, as written; the draft adds
    no word the notes do not have (a table's header may repeat its heading's words)."""
    theirs = words(notes)
    ours = draft_words(draft)
    at = 0
    for n, word in enumerate(theirs):
        while at < len(ours) and ours[at] != word:
            at += 1
        assert at < len(ours), f"word {n} of the notes, {word!r}, is not in the draft in order"
        at += 1
    added = Counter(ours) - Counter(theirs)
    assert set(added) <= set(theirs), f"the draft adds {sorted(set(added) - set(theirs))}"
