"""The deck library service: deck directories → parsed decks with their cards, and copying a
bundled deck into the user's own deck directory.

Computed cards get their answers (and derivations) from ``quizapp.calc`` here, so the notes
room stays pure text-in, specs-out.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from quizapp import notes
from quizapp.errors import QuizappError, os_error_line
from quizapp.notes.files import deck_files, deck_id_of
from quizapp.notes.model import Deck, DeckError, LoadResult
from quizapp.paths import bundled_decks_dir, user_decks_dir


def load_library(deck_dirs: list[Path], files: list[Path] | None = None) -> LoadResult:
    """Parse every deck (or just ``files``) and fill in computed answers.

    A bundled deck gives way to the user's own copy of it (the same deck id in another deck
    directory, as ``quizapp decks copy`` makes it).
    """
    result = notes.load_decks(deck_dirs, files=files, yielding=[bundled_decks_dir()])
    decks: list[Deck] = []
    errors: list[DeckError] = list(result.errors)
    for deck in result.decks:
        try:
            decks.append(complete_deck(deck))
        except DeckError as err:
            errors.append(err)
    return LoadResult(decks=tuple(decks), errors=tuple(errors))


def complete_deck(deck: Deck) -> Deck:
    """Computed answers filled in and Keras checks validated (analytic only, never TensorFlow).

    A malformed check or layer expression is a deck error like any other: the deck is skipped.
    """
    if not any(c.kind == "computed" or c.checks for c in deck.cards):
        return deck
    from quizapp.calc.computed import check_errors, fill_computed

    for card in deck.cards:
        if card.checks:
            problems = check_errors(card, deck.path)
            if problems:
                raise problems[0]
    cards = tuple(fill_computed(c, deck.path) if c.kind == "computed" else c for c in deck.cards)
    return replace(deck, cards=cards)


@dataclass(frozen=True)
class CopiedDeck:
    """A bundled deck copied into the user's deck directory (``quizapp decks copy``)."""

    deck: str
    source: Path  # the bundled file
    target: Path  # the user's copy, the one read from now on
    replaced: bool  # an earlier copy was overwritten (--force)


def bundled_decks() -> dict[str, Path]:
    """The bundled decks: deck id → file."""
    return {deck_id_of(f): f for f in deck_files(bundled_decks_dir())}


def copy_bundled_deck(
    deck_id: str, deck_dirs: Sequence[Path] = (), *, force: bool = False
) -> CopiedDeck:
    """Copy the bundled deck ``deck_id`` into the user's deck directory, keeping its deck id, so
    that every card keeps its key and history and the copy is the deck read from then on.

    Refuses (:class:`QuizappError`, one line) a deck that is not bundled, and a copy that is
    already there unless ``force`` (then it is overwritten). ``deck_dirs`` are the other deck
    directories in use: a deck of the same id in one of them already takes the bundled one's
    place, so copying it is refused too.
    """
    bundled = bundled_decks()
    source = bundled.get(deck_id)
    if source is None:
        names = ", ".join(sorted(bundled)) or "none"
        theirs = [f for d in deck_dirs if not _is_bundled_dir(d) for f in deck_files(d)]
        if any(deck_id_of(f) == deck_id for f in theirs):
            raise QuizappError(f"{deck_id!r} is not a bundled deck (bundled: {names})")
        raise QuizappError(f"unknown deck {deck_id!r} (bundled decks: {names})")
    user_dir = user_decks_dir()
    user_key = _resolved(user_dir)
    target = user_dir / source.name
    for d in deck_dirs:
        if _is_bundled_dir(d):
            continue
        for f in deck_files(d):
            if deck_id_of(f) != deck_id:
                continue
            if _resolved(Path(d)) != user_key:
                raise QuizappError(
                    f"{f} already has the deck id {deck_id!r}: it is read instead of the "
                    "bundled deck (edit that file)"
                )
            target = f  # the user's own copy, under whatever name
    replaced = _exists(target)
    if replaced and not force:
        raise QuizappError(
            f"{target} already exists: edit it there, or add --force to replace it with the "
            "bundled deck"
        )
    try:
        data = source.read_bytes()
        user_dir.mkdir(parents=True, exist_ok=True)
        part = target.with_name(f".{target.name}.part")
        try:
            part.write_bytes(data)
            os.replace(part, target)
        finally:
            part.unlink(missing_ok=True)
    except OSError as err:
        raise QuizappError(f"cannot copy {deck_id} to {target}: {os_error_line(err)}") from None
    return CopiedDeck(deck=deck_id, source=source, target=target, replaced=replaced)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path


def _is_bundled_dir(path: Path) -> bool:
    return _resolved(Path(path)) == _resolved(bundled_decks_dir())


def _exists(path: Path) -> bool:
    try:
        return path.exists() or path.is_symlink()
    except OSError:
        return True
