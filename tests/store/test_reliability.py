"""Reliability: a killed process loses no recorded answer; two processes lose nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.store.util import qa_deck, write_deck

WORKER = Path(__file__).with_name("review_worker.py")


def _setup(tmp_path: Path, deck_dir: Path, n: int) -> tuple[Path, Path]:
    write_deck(deck_dir, "big.md", qa_deck("big", [(f"Q{i}?", f"A{i}.") for i in range(n)]))
    config = tmp_path / "config.toml"
    config.write_text("new_cards_per_day = 10000\nlearn_ahead_minutes = 0\n")
    return tmp_path / "q.sqlite3", config


def _spawn(db: Path, deck_dir: Path, config: Path, mode: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, str(WORKER), str(db), str(deck_dir), str(config), mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    assert _first_line(proc) == "ready", proc.stderr.read() if proc.stderr else ""
    return proc


def _first_line(proc: subprocess.Popen[str]) -> str:
    """The worker's first line, read byte by byte from the pipe, so that nothing after it is
    taken into the text stream's buffer: ``communicate()`` reads the pipe itself and would
    never see lines buffered there (a worker answering fast, a test slow to read, and its
    first answers were lost to the test)."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    line = b""
    while not line.endswith(b"\n"):
        byte = os.read(fd, 1)  # blocks until the worker writes, or its end of the pipe closes
        if not byte:
            break
        line += byte
    return line.decode().strip()


def _logged(db: Path) -> list[int]:
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return [r[0] for r in con.execute("SELECT card_id FROM review_log ORDER BY id")]


@pytest.mark.slow
def test_sigkill_mid_session_loses_no_recorded_answer(tmp_path: Path, deck_dir: Path) -> None:
    db, config = _setup(tmp_path, deck_dir, 400)
    recorded: list[int] = []
    for stop_after in (15, 40, 70):  # three kills at different moments
        proc = _spawn(db, deck_dir, config, "free")
        assert proc.stdout is not None
        seen = 0
        for line in proc.stdout:
            if line.startswith("recorded"):
                recorded.append(int(line.split()[1]))
                seen += 1
                if seen >= stop_after:
                    proc.send_signal(signal.SIGKILL)  # while it is answering the next card
                    break
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        # What it said before it died, still in the pipe: a worker answering faster than this
        # test reads has recorded more than the lines read so far.
        recorded += [
            int(ln.split()[1])
            for ln in proc.stdout.read().splitlines()
            if ln.startswith("recorded")
        ]
        logged = _logged(db)
        assert set(recorded) <= set(logged)
        assert len(logged) >= len(recorded)
        assert (
            len(logged) - len(recorded) <= 3
        )  # at most the one in flight per kill (committed, unsaid)
    with sqlite3.connect(db) as con:
        new_left = con.execute("SELECT count(*) FROM cards WHERE state = 'new'").fetchone()[0]
        answered = con.execute("SELECT count(DISTINCT card_id) FROM review_log").fetchone()[0]
    assert new_left + answered == 400  # every logged answer updated its card in the same commit


@pytest.mark.slow
def test_two_processes_answering_alternately(tmp_path: Path, deck_dir: Path) -> None:
    db, config = _setup(tmp_path, deck_dir, 30)
    a = _spawn(db, deck_dir, config, "step")
    b = _spawn(db, deck_dir, config, "step")
    recorded: list[int] = []
    for turn in range(40):
        proc = (a, b)[turn % 2]
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
        reply = proc.stdout.readline().strip()
        if reply.startswith("recorded"):
            recorded.append(int(reply.split()[1]))
        else:
            assert reply == "done", reply
    for proc in (a, b):
        assert proc.stdin is not None
        proc.stdin.write("quit\n")
        proc.stdin.flush()
        proc.wait(timeout=30)
        assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    assert _logged(db) == recorded
    assert len(set(recorded)) == len(recorded) == 30  # a card answered by one is not redone


@pytest.mark.slow
def test_two_processes_answering_at_once(tmp_path: Path, deck_dir: Path) -> None:
    db, config = _setup(tmp_path, deck_dir, 150)
    procs = [_spawn(db, deck_dir, config, "free") for _ in range(2)]
    recorded: list[int] = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        recorded += [
            int(line.split()[1]) for line in out.splitlines() if line.startswith("recorded")
        ]
    logged = _logged(db)
    assert sorted(logged) == sorted(recorded)
    assert len(set(logged)) == 150  # every card answered at least once
    assert len(logged) == 150  # and none twice: an answer to a card the other app had answered
    # since it was shown is refused, not recorded on top
