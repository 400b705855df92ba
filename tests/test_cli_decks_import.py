"""`quizapp decks import NOTES`: a plain notes file becomes a deck draft in the user's deck
directory, with a report; it never overwrites without --force, and bad notes are one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner, Result

from quizapp import paths
from quizapp.cli import cli
from quizapp.notes import load_decks

NOTES = "<LSTM>\nunits: how many outputs\n\nWhat is 2+2?\nfour\n\n\tbinary\tmulti\nloss\tbce\tcce\n"
REPORT = [
    "split-notes.txt: read as UTF-8, 8 lines → deck 'split-notes' (split notes): 4 cards from "
    "4 constructs",
    "  line 1     heading      LSTM",
    "  line 2     definitions  1 card: units",
    "  lines 4-5  question     1 card: What is 2+2?",
    "  lines 7-8  table        2 cards: 1 row × 2 columns",
    "Plain text, no card: none",
]


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def notes_file(tmp_path: Path, text: str = NOTES, name: str = "split-notes.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_draft_goes_to_the_user_deck_directory_and_is_read_from_there(
    tmp_path: Path,
) -> None:
    notes = notes_file(tmp_path)
    done = run("--db", str(tmp_path / "q.sqlite3"), "decks", "import", str(notes))
    target = paths.user_decks_dir() / "split-notes.md"
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    assert lines[:-1] == REPORT
    assert lines[-1] == (
        f"Wrote {target}: 4 cards. Touch up the plain text there; "
        f"`quizapp decks check {target}` checks it."
    )
    assert target.read_text(encoding="utf-8").startswith(
        "---\nid: split-notes\ntitle: split notes\n---\n\n# split notes\n\n## LSTM\n"
    )
    checked = run("--db", str(tmp_path / "q.sqlite3"), "decks", "check")
    assert checked.exit_code == 0, checked.output
    assert "split-notes  4 cards" in checked.stdout
    cards = run("--db", str(tmp_path / "q.sqlite3"), "cards", "--deck", "split-notes")
    assert cards.exit_code == 0 and "What is 2+2?" in cards.stdout


def test_an_existing_deck_is_refused_and_replaced_with_force(tmp_path: Path) -> None:
    notes = notes_file(tmp_path)
    target = paths.user_decks_dir() / "split-notes.md"
    assert run("decks", "import", str(notes)).exit_code == 0
    first = target.read_bytes()
    target.write_text(first.decode() + "\nmy own edit\n", encoding="utf-8")
    refused = run("decks", "import", str(notes))
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"Error: {target} already exists: add --force to replace it with the new draft (its "
        "edits are lost), or write the draft elsewhere with -o\n"
    )
    assert target.read_text(encoding="utf-8").endswith("my own edit\n")
    forced = run("decks", "import", str(notes), "--force")
    assert forced.exit_code == 0, forced.output
    assert forced.stdout.splitlines()[-1].startswith(f"Replaced {target}: 4 cards.")
    assert target.read_bytes() == first  # the same notes, the same draft, byte for byte


def test_importing_again_gives_the_same_draft_and_card_keys(tmp_path: Path) -> None:
    notes = notes_file(tmp_path)
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    assert run("decks", "import", str(notes), "-o", str(a)).exit_code == 0
    assert run("decks", "import", str(notes), "-o", str(b)).exit_code == 0
    assert a.read_bytes() == b.read_bytes()
    keys = [[c.key for c in load_decks([], files=[p]).decks[0].cards] for p in (a, b)]
    assert keys[0] == keys[1] and len(keys[0]) == 4


def test_a_dry_run_prints_the_report_and_the_draft_and_writes_nothing(tmp_path: Path) -> None:
    notes = notes_file(tmp_path)
    done = run("decks", "import", str(notes), "--dry-run", "--id", "lstm", "--title", "LSTM")
    assert done.exit_code == 0, done.output
    target = paths.user_decks_dir() / "lstm.md"
    assert not target.exists() and not paths.user_decks_dir().exists()
    out = done.stdout
    assert out.startswith(
        "split-notes.txt: read as UTF-8, 8 lines → deck 'lstm' (LSTM): 4 cards from 4 constructs\n"
    )
    draft = out.split("Plain text, no card: none\n\n", 1)[1]
    assert draft.startswith("---\nid: lstm\ntitle: LSTM\n---\n\n# LSTM\n")
    assert "Q: What is 2+2?\nA: four\n" in draft
    assert done.stderr == f"Dry run: nothing written (the draft would be {target}).\n"


def test_options_name_the_id_title_and_output(tmp_path: Path) -> None:
    notes = notes_file(tmp_path)
    out = tmp_path / "elsewhere" / "mine.md"
    missing = run("decks", "import", str(notes), "-o", str(out))
    assert missing.exit_code == 1
    assert missing.stderr == f"Error: no such directory {out.parent} for mine.md\n"
    out.parent.mkdir()
    done = run("decks", "import", str(notes), "-o", str(out), "--id", "my.deck", "--title", "Mine")
    assert done.exit_code == 0, done.output
    assert out.read_text(encoding="utf-8").startswith("---\nid: my.deck\ntitle: Mine\n---\n")
    assert done.stderr == (
        f"{out.parent} is not a deck directory: add --decks {out.parent} to review the deck.\n"
    )
    bad_id = run("decks", "import", str(notes), "--id", "my deck")
    assert bad_id.exit_code == 2
    assert "deck id 'my deck' must be letters, digits, - _ ." in bad_id.stderr
    not_md = run("decks", "import", str(notes), "-o", str(tmp_path / "x.txt"))
    assert not_md.exit_code == 2
    assert not_md.stderr == f"Error: {tmp_path / 'x.txt'}: a deck file's name ends in .md\n"


def test_a_deck_id_in_use_is_refused(tmp_path: Path) -> None:
    notes = notes_file(tmp_path, name="keras-basics.txt")
    done = run("decks", "import", str(notes))
    assert done.exit_code == 1
    bundled = paths.bundled_decks_dir() / "keras-basics.md"
    assert done.stderr == (
        f"Error: the deck id 'keras-basics' is already used by {bundled}: give the draft "
        "another one with --id\n"
    )
    assert not (paths.user_decks_dir() / "keras-basics.md").exists()


def test_bad_notes_are_one_line_exit_2_and_write_nothing(tmp_path: Path) -> None:
    cases = {
        "empty.txt": (b"", "the notes are empty: nothing to import"),
        "image.png": (bytes(range(256)), "not a text file"),
        "prose.txt": (b"only prose here\nand here\n", "no definition, table, code, list or"),
    }
    for name, (data, words) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        done = run("decks", "import", str(path))
        assert done.exit_code == 2, (name, done.output)
        assert done.stderr.startswith(f"Error: {path}: {words}")
        assert done.stderr.count("\n") == 1
    for path, words in [
        (tmp_path / "nothing.txt", "no such file"),
        (tmp_path, "not a regular file"),
    ]:
        done = run("decks", "import", str(path))
        assert done.exit_code == 2
        assert done.stderr == f"Error: {path}: {words}\n"
    assert not paths.user_decks_dir().exists()


def test_cp949_and_utf16_notes_are_read_and_reported(tmp_path: Path) -> None:
    text = "<정규화>\n스케일러: 최소 최대\n"
    for name, data, encoding in [
        ("cp949.txt", text.encode("cp949"), "CP949 (EUC-KR)"),
        ("utf16.txt", text.encode("utf-16"), "UTF-16 (little-endian, with BOM)"),
    ]:
        path = tmp_path / name
        path.write_bytes(data)
        done = run("decks", "import", str(path), "--dry-run")
        assert done.exit_code == 0, done.output
        assert done.stdout.startswith(f"{name}: read as {encoding}, 2 lines")
        assert "- **스케일러**: 최소 최대\n" in done.stdout


def test_quizapp_help_does_not_load_the_importer(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from quizapp.cli import main\n"
        "sys.argv = ['quizapp', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('importer' if 'quizapp.notes.importer' in sys.modules else 'lazy')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.splitlines()[-1] == "lazy"
    assert "import" in out.stdout


def test_python_s_own_warnings_about_the_notes_never_reach_the_terminal(tmp_path: Path) -> None:
    """Lines the importer gives to Python's parser (``1st``, ``0x1for``) make it warn; in a
    real process, with Python's default warning filters, none of it is printed."""
    notes = notes_file(tmp_path, "x = [0x1for x in y]\ny = 1if 2 else 3\n\n" + NOTES)
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    env.pop("PYTHONWARNINGS", None)
    command = [sys.executable, "-m", "quizapp", "--db", str(tmp_path / "q.sqlite3")]
    out = subprocess.run(
        [*command, "decks", "import", str(notes), "--dry-run"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert out.returncode == 0, out.stderr
    assert "Warning" not in out.stderr, out.stderr
    assert "units" in out.stdout
