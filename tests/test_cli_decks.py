"""`quizapp decks check` and `quizapp cards`, as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from quizapp.cli import cli


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_decks_check_lists_the_bundled_deck_with_its_card_count() -> None:
    result = run("decks", "check")
    assert result.exit_code == 0
    line = next(ln for ln in result.output.splitlines() if "keras-basics" in ln)
    assert line.startswith("✓ decks/keras-basics.md")
    count = int(line.split()[-2])
    listed = run("cards", "--json", "--deck", "keras-basics").stdout.strip().splitlines()
    assert count == len(listed) > 50


def test_bad_deck_is_reported_and_skipped_while_others_load(deck_dir: Path) -> None:
    (deck_dir / "good.md").write_text("# Good\n\nQ: one?\nA: 1\n", encoding="utf-8")
    (deck_dir / "bad.md").write_text("# Bad\n\n```python\nnever closed\n", encoding="utf-8")
    result = run("--decks", str(deck_dir), "decks", "check")
    assert result.exit_code == 1
    assert f"{deck_dir / 'bad.md'}:3: code fence ``` is never closed" in result.output
    assert "✓ mydecks/good.md  good  1 cards" in result.output
    cards = run("--decks", str(deck_dir), "cards", "--json", "--deck", "good")
    assert cards.exit_code == 0
    assert [json.loads(x)["prompt"] for x in cards.stdout.splitlines()] == ["one?"]


def test_decks_check_on_given_paths_only(deck_dir: Path) -> None:
    f = deck_dir / "one.md"
    f.write_text("# One\n\n- `a`: alpha\n- `b`: beta\n", encoding="utf-8")
    result = run("decks", "check", str(f))
    assert result.exit_code == 0
    assert result.output.strip() == "✓ mydecks/one.md  one  2 cards"
    missing = run("decks", "check", str(deck_dir / "nope.md"))
    assert missing.exit_code == 1
    assert "nope.md:0: no such file or directory" in missing.output


def test_cards_json_fields() -> None:
    result = run("cards", "--json")
    assert result.exit_code == 0
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    first = rows[0]
    for field in ("key", "deck", "section", "kind", "prompt", "answer", "tags", "source"):
        assert field in first
    assert first["deck"] == "keras-basics"
    assert first["section"][0] == "Keras basics"
    assert first["source"].startswith("decks/keras-basics.md:")
    assert len({r["key"] for r in rows}) == len(rows)


def test_decks_env_variable_adds_directories(deck_dir: Path) -> None:
    (deck_dir / "env.md").write_text("# Env\n\nQ: from env?\nA: yes\n", encoding="utf-8")
    result = run("cards", "--deck", "env", env={"QUIZAPP_DECKS": str(deck_dir)})
    assert result.exit_code == 0
    assert "Q: from env?" in result.output


def test_unknown_deck_is_a_one_line_error() -> None:
    result = CliRunner().invoke(cli, ["cards", "--deck", "nope"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: unknown deck 'nope' (known: keras-basics)"
    ]


def test_help_lists_the_commands_and_module_entry_point_works() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "quizapp", "--help"], capture_output=True, text=True, check=True
    )
    for command in ("cards", "decks"):
        assert command in proc.stdout
    assert "--db" in proc.stdout and "--decks" in proc.stdout


def test_malformed_check_is_a_deck_error_at_its_own_line(deck_dir: Path) -> None:
    (deck_dir / "checks.md").write_text(
        '# C\n\nQ: default?\nA: tanh\n<!-- check: default LSTM activation = "tanh" -->\n'
        "<!-- check: sometimes LSTM is nice -->\n",
        encoding="utf-8",
    )
    result = run("decks", "check", str(deck_dir / "checks.md"))
    assert result.exit_code == 1
    assert f"{deck_dir / 'checks.md'}:6: check 'sometimes LSTM is nice'" in result.output


def test_environment_paths_that_do_not_exist_are_one_line_errors(tmp_path: Path) -> None:
    missing = str(tmp_path / "tdek")
    result = CliRunner().invoke(cli, ["cards"], env={"QUIZAPP_DECKS": missing})
    assert result.exit_code == 1
    assert (
        result.output.strip() == f"Error: QUIZAPP_DECKS names {missing}, which is not a directory"
    )
    config = str(tmp_path / "confg.toml")
    result = CliRunner().invoke(cli, ["due"], env={"QUIZAPP_CONFIG": config})
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: QUIZAPP_CONFIG names {config}, which is not a file"


def test_a_directory_without_decks_says_so(deck_dir: Path) -> None:
    result = run("decks", "check", str(deck_dir))
    assert result.exit_code == 0
    assert result.output.strip() == "No deck files (*.md) found."


def test_terminal_control_characters_in_decks_are_shown_harmlessly(deck_dir: Path) -> None:
    (deck_dir / "esc.md").write_text(
        "# Esc\n\nQ: title \x1b]0;pwned\x07 here?\nA: bell\x07 and\ttab\n", encoding="utf-8"
    )
    result = run("--decks", str(deck_dir), "cards", "--deck", "esc")
    assert result.exit_code == 0
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "Q: title \ufffd]0;pwned\ufffd here?" in result.output
    listed = run("--decks", str(deck_dir), "cards", "--json", "--deck", "esc")
    (card,) = [json.loads(x) for x in listed.stdout.splitlines()]
    assert card["answer"] == "bell\ufffd and\ttab"


SPLIT = """# Split

```python
from sklearn.model_selection import {{c1::train_test_split}}
x_train, x_test = train_test_split(x, test_size=0.2)
```
"""


def test_decks_check_prints_warnings_and_exits_0_unless_strict(deck_dir: Path) -> None:
    f = deck_dir / "split.md"
    f.write_text(SPLIT, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["decks", "check", str(f)], catch_exceptions=False)
    assert result.exit_code == 0
    assert "✓ mydecks/split.md  split  1 cards" in result.stdout
    assert result.stderr.startswith(f'{f}:4: warning: [give-away] c1 hides "train_test_split"')
    strict = runner.invoke(cli, ["decks", "check", "--strict", str(f)], catch_exceptions=False)
    assert strict.exit_code == 1 and "warning: [give-away]" in strict.stderr
    f.write_text(SPLIT + "<!-- ok: give-away -->\n", encoding="utf-8")
    quiet = runner.invoke(cli, ["decks", "check", "--strict", str(f)], catch_exceptions=False)
    assert (quiet.exit_code, quiet.stderr) == (0, "")
