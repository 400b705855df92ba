"""Text exports: Anki's text-import format, and a plain CSV for spreadsheets.

The Anki text file uses the note types every Anki collection has (``Basic`` with Front/Back,
``Cloze`` with Text/Back Extra), so it imports into any collection. Header lines tell Anki
the separator, that fields are HTML, and which columns hold the GUID, note type, deck and
tags; GUIDs are the same as in the .apkg export, so importing a newer file updates notes.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import TextIO

from quizapp.export.model import ExportNote, anki_tags
from quizapp.notes.model import CardSpec

ANKI_HEADER = (
    "#separator:tab\n"
    "#html:true\n"
    "#guid column:1\n"
    "#notetype column:2\n"
    "#deck column:3\n"
    "#tags column:6\n"
)
PLAIN_COLUMNS = ("key", "deck", "section", "prompt", "answer", "tags")


def _small(html: str) -> str:
    return f"<small>{html}</small>" if html else ""


def _join(*parts: str) -> str:
    return "<br>".join(p for p in parts if p)


def anki_row(note: ExportNote) -> list[str]:
    """One line of the Anki text file: guid, note type, deck, two fields, tags."""
    f = note.field_map
    if note.kind == "cloze":
        notetype = "Cloze"
        first = _join(_small(f["Context"]), f["Text"])
        second = _join(f["Extra"], _small(f["Source"]))
    else:
        notetype = "Basic"
        first = _join(_small(f["Context"]), f["Front"])
        second = _join(f["Back"], f["Explanation"], _small(f["Source"]))
    return [note.guid, notetype, note.deck_name, first, second, " ".join(note.tags)]


def write_anki_text(notes: Sequence[ExportNote], out: TextIO) -> None:
    """Write notes in Anki's text-import format (tab separated, HTML fields)."""
    out.write(ANKI_HEADER)
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    for note in notes:
        writer.writerow(anki_row(note))


def write_plain_csv(cards: Sequence[CardSpec], out: TextIO) -> None:
    """Write one row per card: key, deck, section, prompt, answer, tags (plain text)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PLAIN_COLUMNS)
    for c in cards:
        writer.writerow([c.key, c.deck, c.context, c.prompt, c.answer, " ".join(anki_tags(c))])
