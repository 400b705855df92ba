"""`quizapp decks verify` with real Keras and the real SQLite cache."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizapp.cli import cli
from quizapp.library import load_library
from quizapp.paths import bundled_decks_dir
from quizapp.store.db import open_database
from quizapp.store.oracle_cache import DbOracleCache
from quizapp.verify.compare import cached_verification
from quizapp.verify.model import NOT_VERIFIED, KerasFacts

pytestmark = pytest.mark.slow


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def _subprocess(args: list[str], env_extra: dict[str, str] | None = None) -> tuple[str, int]:
    """Run the CLI in a fresh interpreter; report which heavy modules it imported."""
    script = textwrap.dedent(
        f"""
        import sys
        from quizapp.cli import cli
        code = 0
        try:
            cli.main({args!r}, standalone_mode=True)
        except SystemExit as exc:
            code = exc.code or 0
        heavy = sorted({{m.split(".")[0] for m in sys.modules}} & {{"tensorflow", "keras"}})
        print("HEAVY:", heavy)
        sys.exit(code)
        """
    )
    env = {**os.environ, **(env_extra or {})}
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, env=env
    )
    return proc.stdout + proc.stderr, proc.returncode


def test_bundled_deck_verifies_and_the_second_run_is_cached(tmp_path: Path) -> None:
    db = tmp_path / "q.sqlite3"
    first = run("--db", str(db), "decks", "verify", "--deck", "keras-basics")
    assert first.exit_code == 0, first.output
    assert first.stderr.startswith("Loading TensorFlow and Keras…")  # progress while it loads
    lines = [ln for ln in first.stdout.splitlines() if ln.startswith(("✓", "✗"))]
    deck = load_library([bundled_decks_dir()]).decks[0]
    expected = sum(1 for c in deck.cards if c.kind == "computed") + sum(
        len(c.checks) for c in deck.cards
    )
    assert len(lines) == expected >= 60
    assert all(ln.startswith("✓ decks/keras-basics.md:") for ln in lines)
    assert "LSTM(10) on (5, 1): params 480  (Keras 3." in first.stdout
    assert 'default LSTM activation = "tanh"' in first.stdout
    summary = first.stdout.strip().splitlines()[-1]
    assert summary.startswith(f"{expected} of {expected} verified with Keras 3.")
    assert "built in Keras" in summary
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT count(*), count(DISTINCT keras_version) FROM keras_cache")
        count, versions = rows.fetchone()
    assert count > 20 and versions == 1

    out, code = _subprocess(["--db", str(db), "decks", "verify", "--deck", "keras-basics"])
    assert code == 0, out
    assert f"{expected} of {expected} verified" in out
    assert "(0 ✗; all from the cache)" in out  # no layer was built the second time
    assert "HEAVY: []" in out  # and TensorFlow was not even imported

    # The label the review screens show comes from the same cache.
    lstm = next(c for c in deck.cards if c.key == "keras-basics:lstm-10-params")
    checked = next(c for c in deck.cards if 'default LSTM activation = "tanh"' in c.checks)
    verified = open_database(db)
    fresh = open_database(tmp_path / "fresh.sqlite3")
    try:
        for card in (lstm, checked):
            facts = KerasFacts.of_card(card)
            assert facts is not None
            v = cached_verification(facts, DbOracleCache(verified))
            assert v.status == "verified" and (v.keras_version or "").startswith("3."), v
            assert cached_verification(facts, DbOracleCache(fresh)) == NOT_VERIFIED
    finally:
        verified.close()
        fresh.close()


def test_a_check_keras_disagrees_with_is_a_cross(tmp_path: Path, deck_dir: Path) -> None:
    (deck_dir / "mine.md").write_text(
        textwrap.dedent(
            """\
            # Mine

            Q: Default activation of LSTM?
            A: relu
            <!-- check: default LSTM activation = "relu" -->

            ```compute {#gru}
            layers: GRU(10)
            input: (5, 1)
            notes: 3 × 10 × (10 + 1 + 1)
            ```
            <!-- check: params GRU(10, reset_after=False) on (5, 1) = 360 -->
            """
        ),
        encoding="utf-8",
    )
    result = run(
        "--db", str(tmp_path / "q.sqlite3"), "--decks", str(deck_dir), "decks", "verify",
        "--deck", "mine",
    )  # fmt: skip
    assert result.exit_code == 1
    out = result.stdout.splitlines()
    # each check is reported at its own line (the card is at line 3, its check at line 5)
    assert out[0].startswith('✗ mydecks/mine.md:5  default LSTM activation = "relu"  (Keras 3.')
    assert out[0].endswith('— Keras: "tanh"')
    assert out[1].startswith("✓ mydecks/mine.md:7  GRU(10) on (5, 1): params 390")
    assert "the notes say 360; the card teaches the Keras value" in out[1]
    assert out[2].startswith("✓ mydecks/mine.md:12  params GRU(10, reset_after=False)")
    assert out[-1].startswith("2 of 3 verified") and "(1 ✗;" in out[-1]


def test_unknown_deck_is_a_one_line_error(tmp_path: Path) -> None:
    result = run("--db", str(tmp_path / "q.sqlite3"), "decks", "verify", "--deck", "nope")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: unknown deck 'nope' (known: keras-basics)"


def test_without_a_working_tensorflow(tmp_path: Path) -> None:
    """A broken Keras install: computed answers still work, labelled not verified."""
    shim = tmp_path / "shim"
    (shim / "keras").mkdir(parents=True)
    (shim / "keras" / "__init__.py").write_text("raise ImportError('broken install')\n")
    env = {"PYTHONPATH": str(shim)}

    out, code = _subprocess(["params", "LSTM(10)", "-i", "5,1"], env)
    assert code == 0, out
    assert "Total params: 480" in out and "Not verified against Keras" in out

    out, code = _subprocess(["params", "LSTM(10)", "-i", "5,1", "--verify"], env)
    assert code == 1
    assert "Error: Keras/TensorFlow cannot be imported (ImportError: broken install)" in out
    assert "Traceback" not in out

    db = tmp_path / "q.sqlite3"
    out, code = _subprocess(["--db", str(db), "decks", "verify"], env)
    assert code == 1
    assert "Error: Keras/TensorFlow cannot be imported" in out

    out, code = _subprocess(["cards", "--deck", "keras-basics"], env)
    assert code == 0 and "A: 480" in out

    label = textwrap.dedent(
        f"""
        from pathlib import Path
        from quizapp.library import load_library
        from quizapp.verify.compare import cached_verification
        from quizapp.verify.model import KerasFacts
        from quizapp.paths import bundled_decks_dir
        from quizapp.store.db import open_database
        from quizapp.store.oracle_cache import DbOracleCache
        card = next(c for c in load_library([bundled_decks_dir()]).cards
                    if c.key == "keras-basics:lstm-10-params")
        cache = DbOracleCache(open_database(Path({str(db)!r})))
        print(card.answer, "|", cached_verification(KerasFacts.of_card(card), cache).status)
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", label], capture_output=True, text=True, timeout=120,
        env={**os.environ, **env},
    )  # fmt: skip
    assert proc.stdout.strip() == "480 | unverified", proc.stderr
