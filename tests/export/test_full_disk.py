"""Exports on a full disk and onto odd names: one clean line, nothing half-written left."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizapp.cli import cli

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "decks"


def _quizapp(*args: str, cwd: Path, preexec_fn=None) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "quizapp", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        preexec_fn=preexec_fn,
        timeout=120,
    )


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KB tmpfs, nearly full: too small for any export of the bundled deck."""
    mount = tmp_path / "small"
    mount.mkdir()
    if shutil.which("mount") is None or not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root and mount(8)")
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    try:
        (mount / "fill").write_bytes(b"\0" * 30_000)
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


@pytest.mark.parametrize("kind", ["anki", "csv"])
def test_export_on_a_full_disk_is_one_line_and_leaves_nothing(
    full_disk: Path, tmp_path: Path, kind: str
) -> None:
    out = full_disk / ("out.apkg" if kind == "anki" else "out.csv")
    got = _quizapp(
        "--db", str(tmp_path / "q.sqlite3"), "export", kind, "-o", str(out), cwd=tmp_path
    )
    assert got.returncode == 1
    assert got.stderr.splitlines() == [f"Error: cannot write {out}: No space left on device"]
    assert sorted(p.name for p in full_disk.iterdir()) == ["fill"]  # no .part, no package


def test_export_csv_over_a_file_size_limit_removes_its_temporary_file(tmp_path: Path) -> None:
    import resource
    import signal

    def small_files() -> None:  # in the child: writes past 8 KB fail with EFBIG
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (8_000, 8_000))

    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "cards.csv").write_text("the previous export\n")
    got = _quizapp(
        "export", "csv", "-o", str(out_dir / "cards.csv"), cwd=tmp_path, preexec_fn=small_files
    )
    assert got.returncode == 1
    assert got.stderr.splitlines() == [
        f"Error: cannot write {out_dir / 'cards.csv'}: File too large"
    ]
    assert sorted(p.name for p in out_dir.iterdir()) == ["cards.csv"]
    assert (out_dir / "cards.csv").read_text() == "the previous export\n"


def test_export_anki_adds_apkg_to_a_bare_name_and_refuses_another_suffix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run = CliRunner().invoke
    made = run(cli, ["export", "anki", "--deck", "keras-basics", "-o", "mydeck"])
    assert made.exit_code == 0, made.output
    assert (tmp_path / "mydeck.apkg").is_file() and not (tmp_path / "mydeck").exists()
    refused = run(cli, ["export", "anki", "--deck", "keras-basics", "-o", "x.txt"])
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        "Error: an Anki package is named *.apkg, not x.txt "
        "(for a text file Anki can import: quizapp export csv)"
    ]
    assert not (tmp_path / "x.txt").exists()
    upper = run(cli, ["export", "anki", "--deck", "keras-basics", "-o", "Deck.APKG"])
    assert upper.exit_code == 0 and (tmp_path / "Deck.APKG").is_file()
