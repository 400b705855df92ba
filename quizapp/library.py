"""The deck library service: deck directories → parsed decks with their cards, copying a
bundled deck into the user's own deck directory, and a deck drafted from plain notes there.

Computed cards get their answers (and derivations) from ``quizapp.calc`` here, so the notes
room stays pure text-in, specs-out.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from quizapp import notes
from quizapp.errors import OptionError, QuizappError, one_line, os_error_line
from quizapp.notes.files import deck_files, deck_id_of
from quizapp.notes.model import Deck, DeckError, LoadResult
from quizapp.paths import bundled_decks_dir, user_decks_dir

if TYPE_CHECKING:
    from quizapp.notes.importer import Draft


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
    return deck._replace(cards=cards)


class CopiedDeck(NamedTuple):
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


MAX_NOTES_BYTES = 4_000_000  # notes larger than this make a draft larger than a deck may be


class ImportedNotes(NamedTuple):
    """A notes file turned into a deck draft (``quizapp decks import``)."""

    draft: Draft
    target: Path  # where the draft goes
    written: bool  # False for a dry run
    replaced: bool  # the target existed (written over with --force, or would be)
    in_library: bool  # the target is in a deck directory, so the app reads it


def import_notes_file(
    notes: Path,
    deck_dirs: Sequence[Path] = (),
    *,
    deck_id: str | None = None,
    title: str | None = None,
    output: Path | None = None,
    force: bool = False,
    dry_run: bool = False,
) -> ImportedNotes:
    """Read a plain notes file and write its deck draft: ``output``, else ``ID.md`` in the
    user's deck directory, the id from the notes' file name unless given.

    Notes that cannot be imported (unreadable, binary, empty, nothing recognised) and bad
    options are an :class:`OptionError`; a draft that would overwrite a file without ``force``,
    or take a deck id another deck file already has, a :class:`QuizappError`. A dry run writes
    nothing and refuses nothing it would only write."""
    from quizapp.notes.importer import NotesError, import_notes

    if output is not None and output.suffix.lower() != ".md":
        raise OptionError(f"{output}: a deck file's name ends in .md")
    data = _read_notes(notes)
    try:
        draft = import_notes(data, notes.name, deck_id=deck_id, title=title, complete=complete_deck)
    except NotesError as err:
        raise OptionError(f"{notes}: {err}") from None
    user_dir = user_decks_dir()
    target = output if output is not None else user_dir / f"{draft.deck_id}.md"
    target_key = _resolved(target)
    for d in (*deck_dirs, user_dir):
        for f in deck_files(Path(d)) if _is_dir(Path(d)) else []:
            if _resolved(f) != target_key and deck_id_of(f) == draft.deck_id:
                raise QuizappError(
                    f"the deck id {draft.deck_id!r} is already used by {f}: give the draft "
                    "another one with --id"
                )
    replaced = _exists(target)
    in_library = any(_resolved(Path(d)) == _resolved(target.parent) for d in (*deck_dirs, user_dir))
    if dry_run:
        return ImportedNotes(draft, target, False, replaced, in_library)
    if replaced and not force:
        raise QuizappError(
            f"{target} already exists: add --force to replace it with the new draft (its edits "
            "are lost), or write the draft elsewhere with -o"
        )
    if output is not None and not _is_dir(target.parent):
        raise QuizappError(f"no such directory {target.parent} for {target.name}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(f".{target.name}.part")
        try:
            part.write_bytes(draft.text.encode("utf-8"))
            os.replace(part, target)
        finally:
            part.unlink(missing_ok=True)
    except OSError as err:
        raise QuizappError(f"cannot write {target}: {os_error_line(err)}") from None
    return ImportedNotes(draft, target, True, replaced, in_library)


def _read_notes(notes: Path) -> bytes:
    try:
        if not notes.exists():
            raise OptionError(f"{notes}: no such file")
        if not notes.is_file():
            raise OptionError(f"{notes}: not a regular file")
        if notes.stat().st_size > MAX_NOTES_BYTES:
            raise OptionError(
                f"{notes}: larger than {MAX_NOTES_BYTES // 1_000_000} MB: split the notes"
            )
        return notes.read_bytes()
    except OSError as err:
        raise OptionError(f"{notes}: {err.strerror or one_line(err)}") from None


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False
