"""The export service the CLI calls: decks → Anki package or text file.

``prepare_anki`` and ``prepare_text`` check everything that can go wrong up front (unknown
deck, unwritable path, missing database) and raise :class:`ExportError` with a one-line
message; the returned job then runs with an optional progress callback.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.export.model import ExportError, ExportNote, build_notes, select_cards
from quizapp.notes.model import CardSpec

if TYPE_CHECKING:
    from quizapp.export.progress import CardProgress

Advance = Callable[[int], None]


@dataclass(frozen=True)
class ExportReport:
    path: Path | None  # None when the text is handed back instead (``text``)
    notes: int
    cards: int
    reviews: int = 0
    text: str = ""  # the exported text when ``path`` is None (the CLI prints it)


def load_cards(
    deck_dirs: Sequence[Path], deck_ids: Sequence[str]
) -> tuple[list[CardSpec], list[str]]:
    """The chosen decks' cards, and the deck errors met on the way (to show as warnings)."""
    from quizapp.library import load_library

    result = load_library(list(deck_dirs))
    warnings = [str(e) for e in result.errors]
    return select_cards(result, deck_ids), warnings


def _check_writable(path: Path) -> None:
    try:
        _check_writable_path(path)
    except OSError as err:  # a name too long, a directory on the way that cannot be entered
        raise ExportError(f"cannot write {path}: {err.strerror or err}") from None


def _check_writable_path(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.stat()  # a symlink loop, a name too long: say so rather than replace the link
    if path.is_dir():
        raise ExportError(f"cannot write {path}: it is a directory")
    if path.exists() and not path.is_file():
        # The file is written beside it and renamed over it: that would replace a device or pipe.
        raise ExportError(f"cannot write {path}: not a regular file")
    if not path.parent.is_dir():
        raise ExportError(f"cannot write {path}: no such directory {path.parent}")
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ExportError(f"cannot write {path}: permission denied")


def anki_output(path: Path) -> Path:
    """The package to write for ``-o PATH``: ``.apkg`` added to a name without a suffix; any
    other suffix is refused (Anki imports a package only by its ``.apkg`` name)."""
    with contextlib.suppress(OSError):
        if path.suffix.lower() == ".apkg" or path.is_symlink():
            return path
        if path.exists() and not path.is_file():
            return path  # a directory, a pipe, a device: refused as it is named
    if path.suffix == "" and path.name not in ("", ".", ".."):
        return path.with_name(path.name + ".apkg")
    raise ExportError(
        f"an Anki package is named *.apkg, not {path.name} "
        "(for a text file Anki can import: quizapp export csv)"
    )


def default_output(cards: Sequence[CardSpec], suffix: str) -> Path:
    decks = tuple(dict.fromkeys(c.deck for c in cards))
    stem = f"quizapp-{decks[0]}" if len(decks) == 1 else "quizapp"
    return Path(f"{stem}{suffix}")


@dataclass
class AnkiJob:
    """A checked Anki export, ready to run."""

    cards: list[CardSpec]
    notes: list[ExportNote]
    out_path: Path
    progress: dict[str, CardProgress] | None = None
    steps: int = field(init=False)

    def __post_init__(self) -> None:
        from quizapp.export.anki import package_steps

        self.steps = package_steps(self.notes, self.progress)

    def run(self, advance: Advance | None = None) -> ExportReport:
        from quizapp.export.anki import write_package

        stats = write_package(self.notes, self.out_path, self.progress, advance)
        return ExportReport(self.out_path, stats.notes, stats.cards, stats.reviews)


def prepare_anki(
    deck_dirs: Sequence[Path],
    deck_ids: Sequence[str] = (),
    out_path: Path | None = None,
    db_path: Path | None = None,
) -> tuple[AnkiJob, list[str]]:
    """Check an Anki export. With ``db_path``, the cards take their progress from it."""
    cards, warnings = load_cards(deck_dirs, deck_ids)
    out = anki_output(Path(out_path)) if out_path is not None else default_output(cards, ".apkg")
    _check_writable(out)
    progress = None
    if db_path is not None:
        from quizapp.export.progress import read_progress

        progress = read_progress(db_path, [c.key for c in cards])
    return AnkiJob(cards, build_notes(cards), out, progress), warnings


@dataclass
class TextJob:
    """A checked text export, ready to run (``out_path`` None: the text is in the report)."""

    cards: list[CardSpec]
    out_path: Path | None
    plain: bool

    def run(self) -> ExportReport:
        buf = io.StringIO()
        if self.plain:
            from quizapp.export.textfile import write_plain_csv

            write_plain_csv(self.cards, buf)
            n_notes = len(self.cards)
        else:
            from quizapp.export.textfile import write_anki_text

            notes = build_notes(self.cards)
            write_anki_text(notes, buf)
            n_notes = len(notes)
        text = buf.getvalue()
        if self.out_path is None:
            return ExportReport(None, n_notes, len(self.cards), text=text)
        _write_atomic(self.out_path, text, bom=self.plain)
        return ExportReport(self.out_path, n_notes, len(self.cards))


def _public(path: Path) -> None:
    """Give a temporary file the mode a newly created file would have (it starts as 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


def _write_atomic(path: Path, text: str, bom: bool) -> None:
    """Write beside ``path`` and rename over it; a failed write (a full disk) removes its
    temporary file and leaves ``path`` as it was."""
    name: str | None = None
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
            f.write(text)
        _public(Path(name))
        os.replace(name, path)
    except OSError as exc:
        if name is not None:
            Path(name).unlink(missing_ok=True)
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None


def prepare_text(
    deck_dirs: Sequence[Path],
    deck_ids: Sequence[str] = (),
    out_path: Path | None = None,
    plain: bool = False,
) -> tuple[TextJob, list[str]]:
    """Check a text export; ``out_path`` ``-`` hands the text back in the report."""
    cards, warnings = load_cards(deck_dirs, deck_ids)
    if out_path is not None and str(out_path) == "-":
        return TextJob(cards, None, plain), warnings
    out = (
        Path(out_path)
        if out_path is not None
        else default_output(cards, ".csv" if plain else ".txt")
    )
    _check_writable(out)
    return TextJob(cards, out, plain), warnings
