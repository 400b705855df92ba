"""Checking one review card against real Keras, in a child process.

The review app never imports TensorFlow, not even to check a card: :func:`check_in_child` runs
:func:`main` in a new interpreter and waits for its one-line JSON answer. The child has its own
database connection, reads the card's Keras facts from its row, writes what Keras said to the
``keras_cache`` table, and keeps TensorFlow's start-up messages away from the terminal the app
draws on. The caller (a worker thread of the app) gets back the card's
:class:`~quizapp.verify.model.Verification`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from quizapp.errors import one_line
from quizapp.verify.model import Verification

TIMEOUT_SECONDS = 600.0
_POLL_SECONDS = 0.05


def _unavailable(reason: str) -> Verification:
    return Verification("unavailable", None, reason)


def check_in_child(
    db_path: Path,
    key: str,
    cancelled: Callable[[], bool] | None = None,
    timeout: float = TIMEOUT_SECONDS,
) -> Verification:
    """Check the card with ``key`` (its Keras facts as its row keeps them) in a fresh
    interpreter, with :func:`quizapp.verify.service.check_card`; the result.

    Blocks until the child is done (call it from a worker thread). ``cancelled`` is polled; when
    it returns True the child is stopped (unverified, "check cancelled"). Never raises for Keras
    problems: they come back as ``unavailable`` with the reason.
    """
    payload = json.dumps({"db": str(db_path), "key": key})
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
        return _unavailable(f"cannot start {python}: {err.strerror or err}")
    deadline = time.monotonic() + timeout
    try:
        while proc.poll() is None:
            if cancelled is not None and cancelled():
                proc.kill()
                proc.wait()
                return Verification("unverified", None, "check cancelled")
            if time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                return _unavailable(f"no answer within {timeout:.0f} s")
            time.sleep(_POLL_SECONDS)
        out = proc.stdout.read() if proc.stdout else ""
    finally:
        if proc.stdout:
            proc.stdout.close()
    answer = Verification.from_json(_last_json(out))
    if answer is None:
        return _unavailable(f"the check stopped with exit status {proc.returncode}")
    return answer


def _last_json(out: str) -> dict | None:
    for line in reversed(out.splitlines()):
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return None


def main(argv: list[str] | None = None) -> int:
    """The child's side: check one card, print its result as one JSON line."""
    from quizapp.verify.keras_oracle import OracleUnavailable
    from quizapp.verify.service import check_card

    args = sys.argv[1:] if argv is None else argv
    try:
        request = json.loads(args[0])
        answer = check_card(Path(request["db"]), str(request["key"]))
    except OracleUnavailable as err:
        answer = _unavailable(str(err))
    except Exception as err:  # reported as one line; the app must never see a traceback
        answer = Verification("unverified", None, one_line(err))
    print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
