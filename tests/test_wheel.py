"""The wheel carries the bundled decks and migrations: `quizapp cards` works from anywhere."""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_and_lists_cards_outside_the_checkout(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
    )
    (wheel,) = dist.glob("quizapp-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)
    # The dependencies come from this interpreter's site-packages, appended after the new
    # environment's own, so the freshly installed quizapp is the one imported.
    target = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], *site.getsitepackages()}
    Path(target, "_deps.pth").write_text("\n".join(sorted(ours)) + "\n")
    away = tmp_path / "elsewhere"
    away.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "QUIZAPP_DECKS")}
    env["QUIZAPP_DB"] = str(tmp_path / "db.sqlite3")
    where = subprocess.run(
        [
            str(py),
            "-c",
            "import quizapp.paths as p; print(p.bundled_decks_dir());print(p.migrations_dir())",
        ],
        cwd=away,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert all(str(venv) in w and "_bundled" in w for w in where)
    assert (Path(where[0]) / "keras-basics.md").is_file()
    assert Path(where[1]).is_dir()
    proc = subprocess.run(
        [str(venv / "bin" / "quizapp"), "cards", "--json"],
        cwd=away,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(rows) > 50
    assert {r["deck"] for r in rows} == {"keras-basics"}
    assert rows[0]["source"].startswith("decks/keras-basics.md:")
