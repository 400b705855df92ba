"""`quizapp export anki` and `quizapp export csv` from the command line."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from anki.collection import Collection
from click.testing import CliRunner

from quizapp.cli import cli
from quizapp.store.db import open_database
from tests.export.helpers import import_package

NewCollection = Callable[[str], Collection]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_export_anki_writes_a_package_anki_imports(
    tricky_dir: Path, tmp_path: Path, new_collection: NewCollection
) -> None:
    out = tmp_path / "tricky.apkg"
    code, stdout, _ = run(
        "--decks", str(tricky_dir), "export", "anki", "--deck", "tricky", "-o", str(out)
    )
    assert code == 0
    assert stdout.strip() == f"Wrote {out}: 5 notes, 6 cards"
    col = new_collection("anki")
    import_package(col, out)
    assert (col.note_count(), col.card_count()) == (5, 6)


def test_export_anki_defaults_to_a_file_named_after_the_deck(
    tricky_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, _ = run("--decks", str(tricky_dir), "export", "anki", "--deck", "tricky")
    assert code == 0
    assert (tmp_path / "quizapp-tricky.apkg").stat().st_size > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--deck", "nope"), "Error: unknown deck 'nope' (known: keras-basics, tricky)"),
        (
            ("-o", "{tmp}/missing/x.apkg"),
            "Error: cannot write {tmp}/missing/x.apkg: no such directory {tmp}/missing",
        ),
        (("-o", "{tmp}"), "Error: cannot write {tmp}: it is a directory"),
        (
            ("--with-progress", "-o", "{tmp}/x.apkg"),
            "Error: no quizapp database at {tmp}/none.sqlite3 (nothing to take progress from)",
        ),
    ],
)
def test_export_anki_errors_are_one_line(
    tricky_dir: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    tmp = str(tmp_path)
    argv = ["--db", f"{tmp}/none.sqlite3", "--decks", str(tricky_dir), "export", "anki"]
    code, stdout, stderr = run(*argv, *(a.format(tmp=tmp) for a in args))
    assert code == 1
    assert stderr.strip() == message.format(tmp=tmp)
    assert "Traceback" not in stderr and stdout == ""
    assert not (tmp_path / "none.sqlite3").exists()  # a missing database is not created
    assert list(tmp_path.glob("*.apkg")) == [] and list(tmp_path.glob(".*.part")) == []


def test_a_broken_deck_is_a_warning_and_the_rest_still_exports(
    tricky_dir: Path, tmp_path: Path
) -> None:
    (tricky_dir / "broken.md").write_text("# Broken\n\nQ: no answer here\n", encoding="utf-8")
    out = tmp_path / "t.apkg"
    code, stdout, stderr = run(
        "--decks", str(tricky_dir), "export", "anki", "--deck", "tricky", "-o", str(out)
    )
    assert stdout.startswith("Wrote ")
    assert code == 0 and out.exists()
    assert stderr.startswith("Warning: ") and "broken.md:3" in stderr


def test_export_csv_to_stdout_and_plain_to_a_default_file(
    tricky_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, stdout, _ = run(
        "--decks", str(tricky_dir), "export", "csv", "--deck", "tricky", "-o", "-"
    )
    assert code == 0
    assert stdout.startswith("#separator:tab\n")
    body = [line for line in stdout.splitlines(keepends=True) if not line.startswith("#")]
    rows = list(csv.reader(body, delimiter="\t"))
    assert len(rows) == 5 and all(len(r) == 6 for r in rows)  # one row per note
    monkeypatch.chdir(tmp_path)
    code, stdout, _ = run(
        "--decks", str(tricky_dir), "export", "csv", "--deck", "tricky", "--plain"
    )
    assert code == 0
    assert stdout.strip() == "Wrote quizapp-tricky.csv: 6 rows from 6 cards"
    text = (tmp_path / "quizapp-tricky.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "key,deck,section,prompt,answer,tags"


def test_export_csv_unknown_deck_and_bad_path(tricky_dir: Path, tmp_path: Path) -> None:
    code, _, stderr = run("--decks", str(tricky_dir), "export", "csv", "--deck", "x")
    assert code == 1 and stderr.startswith("Error: unknown deck 'x'")
    code, _, stderr = run(
        "--decks", str(tricky_dir), "export", "csv", "-o", str(tmp_path / "no" / "f.txt")
    )
    assert code == 1 and stderr.strip().startswith("Error: cannot write")
    assert len(stderr.strip().splitlines()) == 1


def test_every_export_command_has_help() -> None:
    for args in (["export"], ["export", "anki"], ["export", "csv"]):
        code, stdout, _ = run(*args, "--help")
        assert code == 0 and "Usage:" in stdout
    _, stdout, _ = run("export", "anki", "--help")
    assert "--with-progress" in stdout and "--deck ID" in stdout
    _, stdout, _ = run("export", "csv", "--help")
    assert "--plain" in stdout


@pytest.mark.slow
def test_exporting_never_imports_tensorflow(tricky_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "quizapp.sqlite3"
    open_database(db).close()
    script = f"""
import json, sys
from quizapp.cli import cli
for args in (["export", "anki", "--with-progress", "-o", {str(tmp_path / "a.apkg")!r}],
             ["export", "csv", "-o", {str(tmp_path / "a.txt")!r}],
             ["export", "csv", "--plain", "-o", {str(tmp_path / "a.csv")!r}]):
    try:
        cli(["--db", {str(db)!r}, "--decks", {str(tricky_dir)!r}, *args])
    except SystemExit as e:
        assert not e.code, e.code
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras"))))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
    assert (tmp_path / "a.apkg").exists() and (tmp_path / "a.csv").exists()


def test_a_file_that_is_not_a_quizapp_database_is_a_one_line_error(
    tricky_dir: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "notes.sqlite3"
    bad.write_bytes(b"this is not a database\n" * 100)
    code, _, stderr = run(
        "--db",
        str(bad),
        "--decks",
        str(tricky_dir),
        "export",
        "anki",
        "--with-progress",
        "-o",
        str(tmp_path / "x.apkg"),
    )
    assert code == 1
    assert stderr.startswith("Error: ") and len(stderr.strip().splitlines()) == 1
    assert bad.read_bytes() == b"this is not a database\n" * 100  # left untouched
    assert not (tmp_path / "x.apkg").exists()


def test_export_with_progress_reads_the_database_as_it_is(tricky_dir: Path, tmp_path: Path) -> None:
    import hashlib

    from quizapp.store.db import list_backups, migrate

    def fingerprint(path: Path) -> str:
        return hashlib.sha256(path.read_bytes()).hexdigest()

    common = ("--decks", str(tricky_dir), "export", "anki", "--with-progress", "-o")
    old = tmp_path / "old.sqlite3"
    migrate(old, "0001")  # as an older quizapp left it
    before = fingerprint(old)
    code, stdout, stderr = run("--db", str(old), *common, str(tmp_path / "old.apkg"))
    assert code == 1 and stdout == ""
    assert stderr.strip() == (
        f"Error: {old} was written by an older quizapp (schema revision 0001); "
        "open it with quizapp once (e.g. `quizapp due`) to upgrade it"
    )
    assert fingerprint(old) == before and list_backups(old) == []
    assert not (tmp_path / "old.apkg").exists()

    current = tmp_path / "current.sqlite3"
    assert run("--db", str(current), "--decks", str(tricky_dir), "due")[0] == 0  # cards synced
    before = fingerprint(current)
    code, stdout, _ = run("--db", str(current), *common, str(tmp_path / "new.apkg"))
    assert code == 0 and stdout.startswith(f"Wrote {tmp_path / 'new.apkg'}: ")
    assert fingerprint(current) == before and list_backups(current) == []
