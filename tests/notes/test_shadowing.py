"""A deck of a yielding directory (the bundled one) gives way to a deck of the same id in
another directory; the id is read from the file's front matter as the parser reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.notes import load_decks
from quizapp.notes.files import deck_id_of, library_files
from quizapp.notes.parse import read_deck


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("plain.md", "# No front matter\n\nQ: a?\nA: b\n"),
        ("given.md", "---\ntitle: T\nid: my-deck\n---\n\n# T\n\nQ: a?\nA: b\n"),
        ("quoted.md", "---\nid: 'quoted.id'\n---\n\nQ: a?\nA: b\n"),
        ("bom.md", "\ufeff---\nid: bom-deck\n---\n\nQ: a?\nA: b\n"),
        ("crlf.md", "---\r\nid: crlf-deck\r\n---\r\n\r\nQ: a?\r\nA: b\r\n"),
        ("noid.md", "---\ntitle: only a title\n---\n\nQ: a?\nA: b\n"),
    ],
)
def test_the_deck_id_is_the_one_the_parser_gives(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    assert deck_id_of(path) == read_deck(path).id


def test_an_unreadable_file_is_named_by_its_file_name(tmp_path: Path) -> None:
    assert deck_id_of(tmp_path / "missing.md") == "missing"


def _deck(directory: Path, name: str, deck_id: str) -> Path:
    directory.mkdir(exist_ok=True)
    path = directory / name
    path.write_text(f"---\nid: {deck_id}\n---\n\n# {deck_id}\n\nQ: q?\nA: {name}\n", "utf-8")
    return path


def test_a_yielding_deck_gives_way_to_the_same_id_elsewhere(tmp_path: Path) -> None:
    bundled, mine = tmp_path / "bundled", tmp_path / "mine"
    _deck(bundled, "keras.md", "keras")
    kept = _deck(bundled, "other.md", "other")
    copy = _deck(mine, "renamed.md", "keras")
    files = library_files([bundled, mine], yielding=[bundled])
    assert files == [(kept, bundled), (copy, mine)]
    result = load_decks([bundled, mine], yielding=[bundled])
    assert result.errors == ()
    assert [(d.id, d.path) for d in result.decks] == [("other", kept), ("keras", copy)]
    assert next(c for c in result.cards if c.deck == "keras").answer == "renamed.md"


def test_without_yielding_the_same_id_twice_is_still_an_error(tmp_path: Path) -> None:
    """Two decks of one id in directories of the user's own: neither is silently dropped."""
    first, second = tmp_path / "a", tmp_path / "b"
    _deck(first, "x.md", "same")
    dup = _deck(second, "y.md", "same")
    result = load_decks([first, second])
    assert [d.id for d in result.decks] == ["same"]
    assert [(e.path, e.line) for e in result.errors] == [(dup, 1)]
    assert "deck id 'same' is already used by" in result.errors[0].message
