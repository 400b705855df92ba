"""Checking one review card against real Keras, in a child process.

The review app never imports TensorFlow, not even to check a card: :func:`check_in_child` runs
:func:`main` in a new interpreter and waits for its one-line JSON answer. The child has its own
database connection, writes what Keras said to the ``keras_cache`` table, and keeps
TensorFlow's start-up messages away from the terminal the app draws on. The caller (a worker
thread of the app) gets back the card's verification label, as
:func:`quizapp.verify.compare.verification_label` spells it, or
"not verified (Keras unavailable: <reason>)".
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from quizapp.notes.model import CardSpec

TIMEOUT_SECONDS = 600.0
_POLL_SECONDS = 0.05


def unavailable_label(reason: str) -> str:
    return f"not verified (Keras unavailable: {reason})"


def has_keras_facts(card: CardSpec) -> bool:
    """A computed card, or a card with Keras checks attached."""
    return card.kind == "computed" or bool(card.checks)


_COMPUTE_FENCE = re.compile(r"^[ \t]*(?:`{3,}|~{3,})[ \t]*compute\b", re.M)
_CHECK_COMMENT = re.compile(r"<!--\s*check\s*:")


def may_have_keras_facts(file_path: Path) -> bool:
    """False when the deck file has no compute block and no check (no need to parse it)."""
    try:
        text = file_path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return bool(_COMPUTE_FENCE.search(text) or _CHECK_COMMENT.search(text))


def find_card(deck_dirs: list[Path], file_path: Path, key: str) -> CardSpec | None:
    """The card with ``key`` as the deck file states it now (None when it is gone or broken)."""
    from quizapp.library import load_library

    result = load_library(list(deck_dirs), files=[file_path])
    return next((c for d in result.decks for c in d.cards if c.key == key), None)


def check_card(db_path: Path, card: CardSpec) -> str:
    """Check the card's Keras facts with real Keras (results cached in the database); its label.

    Imports TensorFlow unless every result is cached already. Raises
    :class:`~quizapp.verify.keras_oracle.OracleUnavailable` (one line) when Keras cannot be loaded.
    """
    from quizapp.store.db import open_database
    from quizapp.store.oracle_cache import DbOracleCache
    from quizapp.verify.compare import verification_label, verify_cards
    from quizapp.verify.keras_oracle import KerasOracle

    db = open_database(db_path)
    try:
        cache = DbOracleCache(db)
        label = verification_label(card, cache)
        if label != "not verified":
            return label
        oracle = KerasOracle(cache)
        oracle.load()
        lines = verify_cards([card], oracle)
        bad = [line for line in lines if not line.ok]
        if bad:
            return f"Keras disagrees: {bad[0].detail}"
        return f"verified with Keras {oracle.version}"
    finally:
        db.close()


def check_in_child(
    db_path: Path,
    deck_dirs: list[Path],
    file_path: Path,
    key: str,
    cancelled: Callable[[], bool] | None = None,
    timeout: float = TIMEOUT_SECONDS,
) -> str:
    """Run :func:`check_card` in a fresh interpreter and return the card's label.

    Blocks until the child is done (call it from a worker thread). ``cancelled`` is polled; when
    it returns True the child is stopped. Never raises for Keras problems: they come back as
    "not verified (Keras unavailable: ...)".
    """
    payload = json.dumps(
        {"db": str(db_path), "decks": [str(d) for d in deck_dirs], "file": str(file_path),
         "key": key}
    )  # fmt: skip
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    python = sys.executable or "python3"
    # The child runs this very package, from where this process found it (installed, or a
    # source checkout run without installing), ahead of any other copy on the path.
    home = str(Path(__file__).resolve().parents[2])
    code = (
        f"import sys; {home!r} in sys.path or sys.path.insert(0, {home!r}); "
        "from quizapp.verify.child import main; raise SystemExit(main())"
    )
    try:
        proc = subprocess.Popen(
            [python, "-P", "-c", code, payload],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # the terminal belongs to the app
            env=env,
            text=True,
        )
    except OSError as err:
        return unavailable_label(f"cannot start {python}: {err.strerror or err}")
    deadline = time.monotonic() + timeout
    try:
        while proc.poll() is None:
            if cancelled is not None and cancelled():
                proc.kill()
                proc.wait()
                return "not verified (check cancelled)"
            if time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                return unavailable_label(f"no answer within {timeout:.0f} s")
            time.sleep(_POLL_SECONDS)
        out = proc.stdout.read() if proc.stdout else ""
    finally:
        if proc.stdout:
            proc.stdout.close()
    answer = _last_json(out)
    if answer is None:
        return unavailable_label(f"the check stopped with exit status {proc.returncode}")
    if "label" in answer:
        return str(answer["label"])
    if "unavailable" in answer:
        return unavailable_label(str(answer["unavailable"]))
    return f"not verified ({answer.get('error', 'unknown error')})"


def _last_json(out: str) -> dict | None:
    for line in reversed(out.splitlines()):
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return None


def _one_line(err: BaseException) -> str:
    lines = [ln.strip() for ln in str(err).splitlines() if ln.strip()]
    return lines[0] if lines else type(err).__name__


def main(argv: list[str] | None = None) -> int:
    """The child's side: check one card, print one JSON line (label, unavailable or error)."""
    from quizapp.verify.keras_oracle import OracleUnavailable

    args = sys.argv[1:] if argv is None else argv
    try:
        request = json.loads(args[0])
        card = find_card(
            [Path(d) for d in request["decks"]], Path(request["file"]), str(request["key"])
        )
        if card is None:
            answer = {"error": "the card is no longer in its deck file"}
        elif not has_keras_facts(card):
            answer = {"error": "the card has no Keras facts to check"}
        else:
            answer = {"label": check_card(Path(request["db"]), card)}
    except OracleUnavailable as err:
        answer = {"unavailable": str(err)}
    except Exception as err:  # reported as one line; the app must never see a traceback
        answer = {"error": _one_line(err)}
    print(json.dumps(answer, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
