"""Export decks (and, if asked, review progress) to Anki packages and text files.

Only :mod:`quizapp.export.anki` imports the ``anki`` package, and only when an Anki package
is written; nothing here imports TensorFlow.
"""

from quizapp.export.model import ExportError, ExportNote, build_notes, select_cards
from quizapp.export.service import ExportReport, prepare_anki, prepare_text

__all__ = [
    "ExportError",
    "ExportNote",
    "ExportReport",
    "build_notes",
    "prepare_anki",
    "prepare_text",
    "select_cards",
]
