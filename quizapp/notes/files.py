"""Which deck files a library reads, and the deck id each declares: a directory listing and
the top of each file, never its cards (an unchanged library is synced without the parser)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

DECK_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def deck_files(deck_dir: Path) -> list[Path]:
    """The deck files of a directory: ``*.md`` except READMEs."""
    return sorted(p for p in deck_dir.glob("*.md") if p.is_file() and p.name.lower() != "readme.md")


_FRONT_MATTER_LINES = 200  # a front matter longer than this is not looked into for its id


def deck_id_of(path: Path) -> str:
    """The deck id a deck file declares (its front matter's ``id:``, else its file name),
    read from the top of the file only; a file that cannot be read gives its file name."""
    try:
        with path.open("r", encoding="utf-8-sig", errors="replace", newline=None) as fh:
            if fh.readline().strip() != "---":
                return path.stem
            for _ in range(_FRONT_MATTER_LINES):
                line = fh.readline()
                if not line or line.strip() in ("---", "..."):
                    break
                key, colon, value = line.partition(":")
                if colon and key.strip() == "id":
                    value = unquote(value.strip())
                    return value if DECK_ID.match(value) else path.stem
    except (OSError, ValueError):
        pass
    return path.stem


def library_files(
    deck_dirs: Sequence[Path], yielding: Sequence[Path] = ()
) -> list[tuple[Path, Path]]:
    """Every deck file of ``deck_dirs`` with its deck directory, in order, a file reached twice
    listed once.

    A deck of a directory in ``yielding`` (the bundled decks) gives way to a deck of the same id
    in any other directory: the user's own copy is the one read, the bundled one is not listed.
    """
    out: list[tuple[Path, Path]] = []
    seen: set[Path] = set()
    yielding_keys = {Path(d).resolve() for d in yielding}
    for d in deck_dirs:
        for f in deck_files(Path(d)):
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                out.append((f, Path(d)))
    if not yielding_keys:
        return out
    give_way = [Path(d).resolve() in yielding_keys for _, d in out]
    if not any(give_way):
        return out
    own = {deck_id_of(f) for (f, _), y in zip(out, give_way, strict=True) if not y}
    return [
        (f, d) for (f, d), y in zip(out, give_way, strict=True) if not (y and deck_id_of(f) in own)
    ]


def unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value
