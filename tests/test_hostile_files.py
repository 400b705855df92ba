"""Every command through hostile file-system paths, as a user who is not root.

Each case gives the command line a path that cannot work: a name component longer than 255
bytes, a directory that cannot be read or entered (mode 000), a symlink loop, a deck directory
that is a file, a device as a deck file, a read-only database. None may end in a traceback: a
command that cannot go on says so in one line and exits non-zero.

Root reads through mode 000, so the commands run in a child process that drops to the
``nobody`` user first (the test skips, saying why, where that is impossible).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LONG = "x" * 300  # one path component longer than any file system allows (255 bytes)

# The child: run each case with click's runner (one interpreter for all of them) and report
# exit code, stderr and any exception that escaped the command.
CHILD = r"""
import json, sys, traceback
from click.testing import CliRunner
from quizapp.cli import cli

out = {}
for name, args in json.load(sys.stdin).items():
    result = CliRunner().invoke(cli, args)
    escaped = None
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        escaped = "".join(traceback.format_exception(result.exception))
    out[name] = {
        "code": result.exit_code,
        "stdout": result.stdout,
        "stderr": result.stderr,
        "escaped": escaped,
    }
json.dump(out, sys.stdout)
"""


def _cases(base: Path) -> dict[str, tuple[list[str], bool]]:
    """name → (arguments, whether the command must fail)."""
    db = str(base / "home" / "q.sqlite3")
    ro_db = str(base / "ro.sqlite3")
    decks = str(base / "decks")
    no = base / "noread"
    hostile_dbs = {
        "db-long-dir": f"{base}/{LONG}/q.sqlite3",
        "db-long-name": f"{base}/{LONG}",
        "db-long-relative": f"{LONG}/q.sqlite3",
        "db-in-unreadable-dir": f"{no}/q.sqlite3",
        "db-symlink-loop": str(base / "loop1"),
        "db-device": "/dev/null",
    }
    hostile_deck_dirs = {
        "decks-long": f"{base}/{LONG}",
        "decks-unreadable": str(no),
        "decks-inside-unreadable": str(no / "sub"),
        "decks-symlink-loop": str(base / "loop1"),
        "decks-is-a-file": str(base / "afile"),
        "decks-empty-string": "",
    }
    hostile_checks = {
        "check-long": f"{base}/{LONG}",
        "check-long-file": f"{base}/{LONG}.md",
        "check-unreadable-dir": str(no),
        "check-file-in-unreadable-dir": str(no / "sub" / "d.md"),
        "check-symlink-loop": str(base / "loop1"),
        "check-device": "/dev/null",
        "check-device-deck": str(base / "devdecks" / "null.md"),
    }
    hostile_outputs = {
        "out-long-dir": f"{base}/{LONG}/x.out",
        "out-long-name": f"{base}/{LONG}.out",
        "out-in-unreadable-dir": f"{no}/x.out",
        "out-symlink-loop": str(base / "loop1"),
    }
    db_commands = {
        "due": ["due"],
        "cards": ["cards", "--json"],
        "suspended": ["suspended"],
        "unsuspend": ["unsuspend", "--all"],
        "quiz-print": ["quiz", "--print", "--count", "2"],
        "quiz-history": ["quiz", "--history"],
        "review": ["review"],
        "stats": ["stats"],
        "optimize": ["optimize"],
        "exam-date": ["exam-date"],
        "export-anki-progress": ["export", "anki", "--with-progress", "-o", str(base / "o.apkg")],
    }
    cases: dict[str, tuple[list[str], bool]] = {}
    for dname, path in hostile_dbs.items():
        for cname, args in db_commands.items():
            cases[f"{cname}/{dname}"] = (["--db", path, "--decks", decks, *args], True)
    for dname, path in hostile_deck_dirs.items():
        deck_commands = {
            "decks-check-all": ["decks", "check"],
            "decks-copy": ["decks", "copy", "keras-basics"],
        }
        for cname, args in {**db_commands, **deck_commands}.items():
            cases[f"{cname}/{dname}"] = (["--db", db, "--decks", path, *args], True)
    for dname, path in hostile_checks.items():
        cases[f"decks-check/{dname}"] = (["--db", db, "decks", "check", path], True)
    for oname, path in hostile_outputs.items():
        for kind in ("anki", "csv"):
            out = path.replace(".out", ".apkg") if kind == "anki" else path
            args = ["--db", db, "--decks", decks, "export", kind, "-o", out]
            cases[f"export-{kind}/{oname}"] = (args, True)
    # A deck directory holding a device named like a deck: the device is not read, the rest
    # works.
    cases["due/decks-with-a-device"] = (
        ["--db", db, "--decks", str(base / "devdecks"), "due"],
        False,
    )
    # A read-only database: what only reads works (and says so); what writes refuses in one
    # line before it tries.
    reading = ("due", "cards", "suspended", "export-anki-progress", "stats")
    for cname in (*reading, "quiz-print", "quiz-history"):
        args = ["--db", ro_db, "--decks", decks, *db_commands[cname]]
        cases[f"{cname}/db-read-only"] = (args, False)
    cases["quiz-history-json/db-read-only"] = (
        ["--db", ro_db, "--decks", decks, "quiz", "--history", "--json"],
        False,
    )
    for cname in ("unsuspend", "review"):
        cases[f"{cname}/db-read-only"] = (
            ["--db", ro_db, "--decks", decks, *db_commands[cname]],
            True,
        )
    # Taking an exam records it: refused before it starts (before it even asks for a terminal).
    cases["quiz-take/db-read-only"] = (
        ["--db", ro_db, "--decks", decks, "quiz", "--count", "2"],
        True,
    )
    return cases


def _nobody() -> tuple[int, int] | None:
    try:
        import pwd

        entry = pwd.getpwnam("nobody")
    except (ImportError, KeyError):
        return None
    return entry.pw_uid, entry.pw_gid


@pytest.fixture(scope="module")
def hostile_base() -> Iterator[Path]:
    base = Path(tempfile.mkdtemp(prefix="quizapp-hostile-"))
    try:
        yield base
    finally:
        for p in [base, *base.rglob("*")]:
            if p.is_dir() and not p.is_symlink():
                p.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def outcomes(hostile_base: Path) -> dict[str, dict[str, object]]:
    if not hasattr(os, "getuid"):
        pytest.skip("needs a POSIX system (users, modes, symlinks)")
    ids = None
    if os.getuid() == 0:
        ids = _nobody()
        if ids is None:
            pytest.skip("running as root and there is no 'nobody' user to drop to")
    base = hostile_base
    (base / "home").mkdir()
    (base / "decks").mkdir()
    shutil.copy(REPO / "decks" / "keras-basics.md", base / "decks" / "mine.md")
    (base / "decks" / "mine.md").write_text(
        (base / "decks" / "mine.md").read_text().replace("keras-basics", "mine", 1)
    )
    (base / "noread" / "sub").mkdir(parents=True)
    (base / "noread" / "sub" / "d.md").write_text("# Deck\n")
    (base / "loop1").symlink_to(base / "loop2")
    (base / "loop2").symlink_to(base / "loop1")
    (base / "afile").write_text("not a directory\n")
    (base / "devdecks").mkdir()
    (base / "devdecks" / "null.md").symlink_to("/dev/null")
    # A read-only database with a suspended card (so that unsuspend has something to write).
    ro = base / "ro.sqlite3"
    subprocess.run(
        [sys.executable, "-m", "quizapp", "--db", str(ro), "--decks", str(base / "decks"), "due"],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    import sqlite3

    # One exam taken (two questions, one answered), so that the history has something to read.
    from quizapp.quiz import ExamOptions, QuizService

    quiz, _ = QuizService.open(ro, [base / "decks"])
    try:
        run = quiz.start(quiz.build(ExamOptions(decks=("mine",), count=2, types=("tf",), seed=3)))
        run.answer(True)
        run.finish()
    finally:
        quiz.close()
    with sqlite3.connect(ro) as con:
        con.execute(  # one card of it suspended; the others are left for the exam
            "UPDATE cards SET suspended = 1 "
            "WHERE id = (SELECT min(id) FROM cards WHERE deck = 'mine')"
        )
    con.close()
    ro.chmod(0o444)
    if ids is not None:
        for p in [base, *base.rglob("*")]:
            if not p.is_symlink():
                os.chown(p, *ids)
    (base / "noread").chmod(0o000)
    # Can the dropped user run the interpreter and import this checkout?
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(REPO),
        "HOME": str(base / "home"),
        "XDG_DATA_HOME": str(base / "home" / "data"),
        "XDG_CONFIG_HOME": str(base / "home" / "config"),
        "LC_ALL": "C.UTF-8",
    }

    command = [sys.executable, "-c", CHILD]
    if ids is not None:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot drop to an unprivileged user")
        drop = [setpriv, f"--reuid={ids[0]}", f"--regid={ids[1]}", "--clear-groups"]
        command = [*drop, *command]
    cases = _cases(base)
    try:
        proc = subprocess.run(
            command,
            input=json.dumps({name: args for name, (args, _) in cases.items()}),
            capture_output=True,
            text=True,
            env=env,
            cwd=base,
            timeout=300,
        )
    except PermissionError as err:
        pytest.skip(f"the unprivileged user cannot run the interpreter: {err}")
    if proc.returncode != 0 and "ModuleNotFoundError" in proc.stderr:
        pytest.skip(f"the unprivileged user cannot import quizapp here: {proc.stderr[-300:]}")
    if proc.returncode != 0 and "Permission denied" in proc.stderr and not proc.stdout:
        pytest.skip(f"the unprivileged user cannot run {sys.executable}")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _case_names() -> list[str]:
    return sorted(_cases(Path("/base")))


@pytest.mark.parametrize("name", _case_names())
def test_hostile_path_is_one_line_and_no_traceback(
    name: str, outcomes: dict[str, dict[str, object]], hostile_base: Path
) -> None:
    _, must_fail = _cases(hostile_base)[name]
    got = outcomes[name]
    assert got["escaped"] is None, got["escaped"]
    stderr = str(got["stderr"])
    assert "Traceback" not in stderr
    if not must_fail:
        assert got["code"] == 0, stderr
        return
    assert got["code"] != 0, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    if name.startswith("decks-check/") and not lines[-1].startswith("Error: "):
        # `decks check` reports a bad path the way it reports a bad deck: PATH:LINE: words.
        assert len(lines) == 1 and ":0: " in lines[0], stderr
    else:
        assert lines and lines[-1].startswith("Error: "), stderr
        assert len([line for line in lines if line.startswith("Error: ")]) == 1, stderr


def test_a_read_only_database_is_read_as_it_is_and_gains_no_side_files(
    outcomes: dict[str, dict[str, object]], hostile_base: Path
) -> None:
    ro = hostile_base / "ro.sqlite3"
    for name in ("unsuspend/db-read-only", "review/db-read-only"):
        assert str(outcomes[name]["stderr"]).strip() == (
            f"Error: {ro} is read-only: quizapp cannot record anything in it "
            "(make it writable; `cards`, `due`, `stats`, `export` and "
            "`quiz --print` or `--history` can still read it)"
        )
    for name in (
        "due/db-read-only",
        "cards/db-read-only",
        "suspended/db-read-only",
        "stats/db-read-only",
    ):
        warning = f"Warning: {ro} is read-only: shown as last synced (deck changes not applied)"
        assert warning in str(outcomes[name]["stderr"]), outcomes[name]
    assert str(outcomes["quiz-take/db-read-only"]["stderr"]).strip() == (
        f"Error: {ro} is read-only: quizapp cannot record anything in it "
        "(make it writable; `cards`, `due`, `stats`, `export` and "
        "`quiz --print` or `--history` can still read it)"
    )
    for name in ("quiz-print/db-read-only", "quiz-history/db-read-only"):
        warning = f"Warning: {ro} is read-only: shown as last synced (deck changes not applied)"
        assert warning in str(outcomes[name]["stderr"]), outcomes[name]
    # The printed exam has its questions; the history has the exam taken before.
    printed = str(outcomes["quiz-print/db-read-only"]["stdout"])
    assert "1." in printed and "2." in printed, printed
    history = json.loads(str(outcomes["quiz-history-json/db-read-only"]["stdout"]))
    assert [(e["questions"], e["answered"], e["finished"]) for e in history["exams"]] == [
        (2, 1, True)
    ]
    assert "(unfinished)" not in str(outcomes["quiz-history/db-read-only"]["stdout"])
    assert "mine" in str(outcomes["quiz-history/db-read-only"]["stdout"])
    assert "mine:" in str(outcomes["suspended/db-read-only"]["stdout"])
    assert "mine" in str(outcomes["due/db-read-only"]["stdout"])
    assert sorted(p.name for p in hostile_base.glob("ro.sqlite3*")) == ["ro.sqlite3"]
