"""Anki packages, imported into fresh Anki collections made with the real ``anki`` package."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from anki.collection import Collection
from anki.notes import Note

from quizapp import paths
from quizapp.export import prepare_anki
from quizapp.export.anki import BASIC_NOTETYPE_ID, CLOZE_NOTETYPE_ID
from quizapp.export.model import guid_for
from quizapp.library import load_library
from quizapp.notes.model import CardSpec
from tests.export.helpers import TRICKY_DECK, import_package, letters, visible

NewCollection = Callable[[str], Collection]


def export(deck_dirs: list[Path], out: Path, deck_ids: tuple[str, ...] = ()) -> Path:
    job, warnings = prepare_anki(deck_dirs, deck_ids, out)
    assert warnings == []
    job.run()
    return out


def notes_by_guid(col: Collection) -> dict[str, Note]:
    return {n.guid: n for n in (col.get_note(nid) for nid in col.find_notes(""))}


def note_guid(card: CardSpec) -> str:
    return guid_for(card.note_key if card.kind == "cloze" else card.key)


def test_tricky_deck_imports_with_counts_decks_tags_and_text(
    tricky_dir: Path, tmp_path: Path, new_collection: NewCollection
) -> None:
    pkg = export([tricky_dir], tmp_path / "tricky.apkg")
    col = new_collection("anki")
    import_package(col, pkg)

    specs = load_library([tricky_dir]).cards
    assert len(specs) == 6
    assert col.card_count() == 6
    assert col.note_count() == 5  # the two clozes of one passage are one note
    notes = notes_by_guid(col)
    assert set(notes) == {note_guid(c) for c in specs}

    names = {d.name for d in col.decks.all_names_and_ids()}
    assert {"Tricky text::Symbols & brackets", "Tricky text::한국어 섹션"} <= names

    lstm = notes[guid_for(specs[0].key)]
    assert lstm.note_type()["name"] == "quizapp Basic"
    assert visible(lstm["Front"]) == "<LSTM>"
    assert visible(lstm["Back"]) == "the layer written <LSTM> in angle brackets"
    assert visible(lstm["Context"]) == "Tricky text › Symbols & brackets"
    assert visible(lstm["Source"]) == f"{specs[0].source}:{specs[0].line}"
    assert set(lstm.tags) == {"tricky", "exam", "Symbols_&_brackets"}
    card = lstm.cards()[0]
    assert col.decks.name(card.did) == "Tricky text::Symbols & brackets"
    # What Anki hands its web view: escaped, so the browser shows <LSTM> as text.
    assert "&lt;LSTM&gt;" in card.question() and "<LSTM>" not in card.question()

    both = notes[guid_for(specs[1].key)]
    assert visible(both["Front"]) == "a & b"
    assert "<b>a &amp; b</b>" in both["Front"]
    assert visible(both["Back"]) == "both a & b hold, and x[i] indexes x"

    qa = notes[guid_for(specs[2].key)]
    assert visible(qa["Front"]) == "What does x[i] < y && z check?"
    assert '<pre><code class="language-python">if a &lt; b &amp; c:\n' in qa["Back"]
    assert visible(qa["Back"]).endswith('if a < b & c:\n    print("<ok> & done")')
    assert visible(qa["Explanation"]) == "Explanation with <tags> & emphasis."
    assert "<i>emphasis</i>" in qa["Explanation"]

    korean = notes[guid_for(specs[3].key)]
    assert visible(korean["Front"]) == "정규화"
    assert visible(korean["Back"]) == "데이터를 0과 1 사이로 맞춘다 (normalization)"
    assert col.decks.name(korean.cards()[0].did) == "Tricky text::한국어 섹션"


def test_cloze_passage_is_one_note_with_a_card_per_number(
    tricky_dir: Path, tmp_path: Path, new_collection: NewCollection
) -> None:
    col = new_collection("anki")
    import_package(col, export([tricky_dir], tmp_path / "t.apkg"))
    specs = [c for c in load_library([tricky_dir]).cards if c.kind == "cloze"]
    note = notes_by_guid(col)[guid_for(specs[0].note_key)]
    assert note.note_type()["name"] == "quizapp Cloze"
    assert visible(note["Text"]) == (
        "{{c1::LSTM}} layers take {{c2::3-D}} input <batch, steps, features> & more."
    )
    cards = sorted(note.cards(), key=lambda c: c.ord)
    assert [c.ord + 1 for c in cards] == [s.cloze_number for s in specs] == [1, 2]
    q1, q2 = (visible(c.question()) for c in cards)
    assert "[...] layers take 3-D input <batch, steps, features> & more." in q1
    assert "LSTM layers take [...] input" in q2
    assert "LSTM layers take 3-D input <batch, steps, features> & more." in visible(
        cards[0].answer()
    )


def test_note_types_have_fixed_ids_fields_and_tidy_css(
    tricky_dir: Path, tmp_path: Path, new_collection: NewCollection
) -> None:
    col = new_collection("anki")
    import_package(col, export([tricky_dir], tmp_path / "t.apkg"))
    basic = col.models.get(BASIC_NOTETYPE_ID)  # type: ignore[arg-type]
    cloze = col.models.get(CLOZE_NOTETYPE_ID)  # type: ignore[arg-type]
    assert basic is not None and cloze is not None
    assert basic["name"] == "quizapp Basic"
    assert [f["name"] for f in basic["flds"]] == [
        "Front",
        "Back",
        "Context",
        "Source",
        "Explanation",
    ]
    assert cloze["name"] == "quizapp Cloze"
    assert [f["name"] for f in cloze["flds"]] == ["Text", "Extra", "Context", "Source"]
    assert "monospace" in basic["css"] and "pre" in basic["css"]
    assert "Noto Sans KR" in basic["css"] and "keep-all" in basic["css"]
    # The context line sits small above the question.
    qfmt = basic["tmpls"][0]["qfmt"]
    assert qfmt.index("{{Context}}") < qfmt.index("{{Front}}")
    assert ".qz-context" in basic["css"]


def test_reexport_after_editing_an_answer_updates_notes_in_place(
    tricky_dir: Path, tmp_path: Path, new_collection: NewCollection
) -> None:
    col = new_collection("anki")
    import_package(col, export([tricky_dir], tmp_path / "first.apkg"))
    before = {g: n.id for g, n in notes_by_guid(col).items()}

    deck = tricky_dir / "tricky.md"
    deck.write_text(
        TRICKY_DECK.replace("in angle brackets", "in angle brackets <edited & improved>").replace(
            "{{c2::3-D}}", "{{c2::three-dimensional}}"
        ),
        encoding="utf-8",
    )
    time.sleep(1.1)  # Anki keeps note times in whole seconds and updates only newer notes
    import_package(col, export([tricky_dir], tmp_path / "second.apkg"))

    after = notes_by_guid(col)
    assert col.note_count() == 5 and col.card_count() == 6
    assert {g: n.id for g, n in after.items()} == before  # same notes, no duplicates
    lstm = after[guid_for(load_library([tricky_dir]).cards[0].key)]
    assert visible(lstm["Back"]) == "the layer written <LSTM> in angle brackets <edited & improved>"
    cloze = next(n for n in after.values() if n.note_type()["name"] == "quizapp Cloze")
    assert "{{c2::three-dimensional}}" in cloze["Text"]
    assert visible(col.get_card(cloze.card_ids()[1]).question()).count("[...]") == 1


def test_only_the_chosen_decks_are_exported(
    tricky_dir: Path, tmp_path: Path, new_collection: NewCollection
) -> None:
    (tricky_dir / "other.md").write_text(
        "# Other deck\n\nQ: Only here?\nA: Yes.\n", encoding="utf-8"
    )
    col = new_collection("anki")
    import_package(col, export([tricky_dir], tmp_path / "t.apkg", ("other",)))
    assert col.note_count() == 1
    note = col.get_note(col.find_notes("")[0])
    assert visible(note["Front"]) == "Only here?"
    assert col.decks.name(note.cards()[0].did) == "Other deck"


def test_bundled_deck_exports_every_card_with_its_text(
    tmp_path: Path, new_collection: NewCollection
) -> None:
    bundled = paths.bundled_decks_dir()
    result = load_library([bundled])
    assert result.errors == ()
    specs = result.cards
    # The deck exercises every construct: tables, lists and computed cards become Basic notes.
    assert {c.kind for c in specs} >= {
        "definition",
        "reverse",
        "table",
        "list",
        "cloze",
        "qa",
        "computed",
    }
    col = new_collection("anki")
    import_package(col, export([bundled], tmp_path / "bundled.apkg"))

    clozes = {c.note_key for c in specs if c.kind == "cloze"}
    basics = [c for c in specs if c.kind != "cloze"]
    assert col.card_count() == len(specs)
    assert col.note_count() == len(basics) + len(clozes)
    notes = notes_by_guid(col)
    for spec in specs:
        note = notes[note_guid(spec)]
        if spec.kind == "cloze":
            assert letters(visible(note["Text"])) == letters(spec.cloze_text or "")
            assert spec.cloze_number - 1 in {c.ord for c in note.cards()}  # type: ignore[operator]
        else:
            assert letters(visible(note["Front"])) == letters(spec.prompt), spec.key
            assert letters(visible(note["Back"])) == letters(spec.answer), spec.key
            assert letters(visible(note["Explanation"])) == letters(spec.extra), spec.key
        assert visible(note["Context"]) == spec.context
        expected_type = "quizapp Cloze" if spec.kind == "cloze" else "quizapp Basic"
        assert note.note_type()["name"] == expected_type
        assert set(note.tags) == set(spec.tags) | {spec.deck}
        deck = col.decks.name(note.cards()[0].did)
        assert deck == "::".join(spec.section), spec.key
