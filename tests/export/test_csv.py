"""Text exports: Anki's text import reads the file directly; --plain is a spreadsheet CSV."""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from anki.collection import Collection, ImportCsvRequest

from quizapp.export import prepare_text
from quizapp.export.model import guid_for
from quizapp.library import load_library
from tests.export.helpers import TRICKY_DECK, visible

NewCollection = Callable[[str], Collection]


def export_text(deck_dirs: list[Path], out: Path, plain: bool = False) -> Path:
    job, warnings = prepare_text(deck_dirs, (), out, plain)
    assert warnings == []
    job.run()
    return out


def import_text(col: Collection, path: Path) -> None:
    """Import the way Anki's import dialog does: the file's own header lines decide."""
    metadata = col.get_csv_metadata(str(path), None)
    col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata))


def test_header_lines_tell_anki_how_to_read_the_file(tricky_dir: Path, tmp_path: Path) -> None:
    text = export_text([tricky_dir], tmp_path / "t.txt").read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert header == [
        "#separator:tab",
        "#html:true",
        "#guid column:1",
        "#notetype column:2",
        "#deck column:3",
        "#tags column:6",
    ]


def test_text_file_imports_into_a_fresh_collection_with_the_same_counts(
    tricky_dir: Path, tmp_path: Path, new_collection: NewCollection
) -> None:
    col = new_collection("anki")
    import_text(col, export_text([tricky_dir], tmp_path / "t.txt"))
    specs = load_library([tricky_dir]).cards
    assert col.card_count() == len(specs) == 6
    assert col.note_count() == 5

    notes = {n.guid: n for n in (col.get_note(i) for i in col.find_notes(""))}
    lstm = notes[guid_for(specs[0].key)]
    assert lstm.note_type()["name"] == "Basic"
    assert visible(lstm["Front"]).endswith("\n<LSTM>")
    assert visible(lstm["Back"]).startswith("the layer written <LSTM> in angle brackets")
    assert set(lstm.tags) == {"tricky", "exam", "Symbols_&_brackets"}
    assert col.decks.name(lstm.cards()[0].did) == "Tricky text::Symbols & brackets"

    qa = notes[guid_for(specs[2].key)]
    assert 'if a < b & c:\n    print("<ok> & done")' in visible(qa["Back"])
    assert "Explanation with <tags> & emphasis." in visible(qa["Back"])

    cloze = notes[guid_for(specs[4].note_key)]
    assert cloze.note_type()["name"] == "Cloze"
    assert sorted(c.ord for c in cloze.cards()) == [0, 1]
    assert "input <batch, steps, features> & more." in visible(cloze["Text"])
    assert col.decks.name(cloze.cards()[0].did) == "Tricky text::한국어 섹션"


def test_importing_a_newer_text_file_updates_the_notes(
    tricky_dir: Path, tmp_path: Path, new_collection: NewCollection
) -> None:
    col = new_collection("anki")
    import_text(col, export_text([tricky_dir], tmp_path / "first.txt"))
    ids = set(col.find_notes(""))
    (tricky_dir / "tricky.md").write_text(
        TRICKY_DECK.replace("x[i] indexes x", "x[i] indexes x (edited)"), encoding="utf-8"
    )
    time.sleep(1.1)
    import_text(col, export_text([tricky_dir], tmp_path / "second.txt"))
    assert set(col.find_notes("")) == ids
    key = load_library([tricky_dir]).cards[1].key
    note = next(col.get_note(i) for i in ids if col.get_note(i).guid == guid_for(key))
    assert "x[i] indexes x (edited)" in visible(note["Back"])


def test_plain_csv_has_one_row_per_card_with_plain_text(tricky_dir: Path, tmp_path: Path) -> None:
    out = export_text([tricky_dir], tmp_path / "cards.csv", plain=True)
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["key", "deck", "section", "prompt", "answer", "tags"]
    specs = load_library([tricky_dir]).cards
    assert len(rows) == 1 + len(specs)
    by_key = {r[0]: r for r in rows[1:]}
    for spec in specs:
        _key, deck, section, prompt, answer, tags = by_key[spec.key]
        assert (deck, section, prompt, answer) == (
            spec.deck,
            spec.context,
            spec.prompt,
            spec.answer,
        )
        assert tags.split() == list(dict.fromkeys((spec.deck, *spec.tags)))
    assert by_key[specs[2].key][4].endswith('print("<ok> & done")\n```')
    # A BOM, so spreadsheet programs read the Korean text as UTF-8.
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_text_for_standard_output_is_handed_back_not_printed(
    tricky_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    written = export_text([tricky_dir], tmp_path / "t.txt").read_text(encoding="utf-8")
    job, _ = prepare_text([tricky_dir], (), Path("-"))
    report = job.run()
    assert report.path is None and report.text == written
    assert (report.notes, report.cards) == (5, 6)
    assert capsys.readouterr().out == ""  # printing it is the command line's business
