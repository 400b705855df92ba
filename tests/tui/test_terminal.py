"""The command line opens the app in a real terminal (a pseudo-terminal), keys and all."""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.tui.helpers import CONFIG, DEMO_DECK, log_rows, query_db

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX terminal")

_ESCAPES = re.compile(
    r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][A-Z0-9]|[=>78DEHMc])"
)


ALT_SCREEN = b"\x1b[?1049h"  # what an app sends when it takes the terminal (again)


class Terminal:
    """``python -m quizapp ARGS`` on an 80×24 pseudo-terminal."""

    def __init__(self, args: list[str], env: dict[str, str], cols: int = 80, rows: int = 24):
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.fd = master
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "quizapp", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.raw = b""
        self.mark = 0  # output before the last key press is not searched again

    def _read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if ready:
            try:
                self.raw += os.read(self.fd, 65536)
            except OSError:  # the other end closed
                time.sleep(timeout)

    def since_mark(self) -> str:
        return _ESCAPES.sub("", self.raw[self.mark :].decode("utf-8", "replace"))

    def wait_for(self, needle: str, timeout: float = 30.0) -> None:
        """Wait until ``needle`` is drawn (after the last key press)."""
        deadline = time.monotonic() + timeout
        while needle not in self.since_mark():
            if time.monotonic() > deadline:
                raise AssertionError(f"{needle!r} not shown; got:\n{self.since_mark()[-2000:]}")
            self._read(0.1)

    def wait_for_return(self, needle: str, timeout: float = 30.0) -> None:
        """Wait until the app is back from a suspension (``$EDITOR``) and draws ``needle``.

        The app is back once it has entered the alternate screen again; a key sent before that,
        while only a repaint from before the suspension shows, would be flushed with the input
        the app drops when it hands the terminal over."""
        deadline = time.monotonic() + timeout
        while (at := self.raw.find(ALT_SCREEN, self.mark)) < 0:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"the app did not come back; got:\n{self.since_mark()[-2000:]}"
                )
            self._read(0.1)
        self.mark = at + len(ALT_SCREEN)
        self.wait_for(needle, max(0.0, deadline - time.monotonic()))

    def press(self, keys: str) -> None:
        self._read(0)
        self.mark = len(self.raw)
        for key in keys:
            os.write(self.fd, key.encode())
            time.sleep(0.15)

    def wait_exit(self, timeout: float = 30.0) -> int:
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            self._read(0.1)
        return self.proc.wait(timeout=1)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.fd)


@pytest.fixture
def env(tmp_path: Path, deck_dir: Path) -> dict[str, str]:
    (deck_dir / "demo.md").write_text(DEMO_DECK, encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    out = dict(os.environ)
    out.update(
        TERM="xterm-256color",
        COLUMNS="80",
        LINES="24",
        QUIZAPP_DB=str(tmp_path / "quizapp.sqlite3"),
        QUIZAPP_DECKS=str(deck_dir),
        QUIZAPP_CONFIG=str(config),
    )
    out.pop("TEXTUAL", None)
    return out


@pytest.mark.slow
def test_quizapp_opens_home_and_q_quits(env: dict[str, str]) -> None:
    term = Terminal([], env)
    try:
        term.wait_for("today's cards")
        term.wait_for("Demo deck")
        term.press("q")
        assert term.wait_exit() == 0
    finally:
        term.close()


@pytest.mark.slow
def test_quizapp_review_answers_and_edits_in_a_terminal(
    env: dict[str, str], tmp_path: Path
) -> None:
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import pathlib, sys\n"
        "p = pathlib.Path(sys.argv[2])\n"
        "p.write_text(p.read_text().replace('A: 18', 'A: 18 (5 × 3 + 3)'))\n",
        encoding="utf-8",
    )
    env["EDITOR"] = f"{sys.executable} {editor}"
    db = Path(env["QUIZAPP_DB"])
    term = Terminal(["review", "--deck", "demo"], env)
    try:
        term.wait_for("What is the output shape of Dense(3)")
        term.press(" ")
        term.wait_for("(None, 3)")
        term.press("3")
        term.wait_for("How many parameters does Dense(3)")
        assert [rating for _, rating in log_rows(db)] == [3]
        # e suspends the app, runs $EDITOR, and shows the re-synced card on return.
        term.press("e")
        term.wait_for_return("How many parameters does Dense(3)")
        term.press(" ")
        term.wait_for("18 (5 × 3 + 3)")
        assert query_db(
            db, "SELECT answer FROM cards WHERE deck = 'demo' AND answer LIKE '18%'"
        ) == [("18 (5 × 3 + 3)",)]
        term.press("qq")
        assert term.wait_exit() == 0
    finally:
        term.close()


@pytest.mark.slow
def test_an_editor_that_cannot_start_leaves_the_app_working(env: dict[str, str]) -> None:
    env["EDITOR"] = "/nonexistent/editor"
    term = Terminal(["review", "--deck", "demo"], env)
    try:
        term.wait_for("What is the output shape of Dense(3)")
        term.press("e")
        # The app comes back from the suspended terminal: redrawn, with the error, keys working.
        term.wait_for("cannot run editor '/nonexistent/editor'")
        term.press(" ")
        term.wait_for("(None, 3)")
        term.press("qq")
        assert term.wait_exit() == 0
    finally:
        term.close()


def test_review_unknown_deck_is_one_line_error(env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "quizapp", "review", "--deck", "nope"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("Error: unknown deck 'nope' (known: demo")
    assert result.stderr.count("\n") == 1


def test_bad_config_is_one_line_error(env: dict[str, str], tmp_path: Path) -> None:
    Path(env["QUIZAPP_CONFIG"]).write_text("new_cards_per_day = -1\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "quizapp"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: ") and "new_cards_per_day" in result.stderr
    assert "Traceback" not in result.stderr


def test_review_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "quizapp", "review", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert "--deck" in result.stdout and "Review today's cards" in result.stdout
