"""`quizapp quiz`: --print as JSON and Markdown, --history, and bad input as one line, exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quizapp.cli import cli
from quizapp.quiz import ExamOptions, QuizService
from tests.quiz.test_exams import DECK, right_answer, wrong_answer
from tests.store.util import write_deck


@pytest.fixture
def common(tmp_path: Path, deck_dir: Path) -> tuple[str, ...]:
    write_deck(deck_dir, "ml.md", DECK)
    return ("--db", str(tmp_path / "q.sqlite3"), "--decks", str(deck_dir))


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_print_json_is_the_documented_shape_and_the_same_seed_gives_the_same_exam(
    common: tuple[str, ...],
) -> None:
    result = run(
        *common, "quiz", "--deck", "ml", "--seed", "7", "--count", "8", "--print", "--json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["seed"] == 7 and len(data["questions"]) == 8
    for n, q in enumerate(data["questions"], 1):
        assert q["n"] == n
        assert q["type"] in ("mcq", "typed", "tf", "match", "computed")
        assert {"prompt", "options", "pairs", "answer", "explanation", "section", "card"} <= set(q)
        if q["format"] == "choice":
            assert q["options"].count(q["answer"]) == 1
        if q["type"] == "match":
            assert 4 <= len(q["pairs"]) <= 6 and all(len(p) == 2 for p in q["pairs"])
        assert q["card"].startswith("ml:") and q["section"][0] == "ML"
    again = run(*common, "quiz", "--deck", "ml", "--seed", "7", "--count", "8", "--print", "--json")
    assert again.stdout == result.stdout
    other = run(*common, "quiz", "--seed", "8", "--count", "8", "--print", "--json")
    assert json.loads(other.stdout)["questions"] != data["questions"]


def test_print_markdown_is_a_printable_page_with_an_answer_key(common: tuple[str, ...]) -> None:
    ml = (*common, "quiz", "--deck", "ml")
    result = run(*ml, "--seed", "3", "--count", "50", "--print", "--markdown")
    assert result.exit_code == 0, result.output
    page = result.stdout
    exam = json.loads(run(*ml, "--seed", "3", "--count", "50", "--print", "--json").stdout)
    questions, key = page.split("## Answer key")
    assert page.startswith("# Exam: ml\n")
    assert '<div style="page-break-before: always"></div>' in questions
    for q in exam["questions"]:
        assert f"**{q['n']}.** *" in questions
        assert f"\n**{q['n']}.** " in key
        if q["format"] == "choice" and q["type"] != "tf":
            for letter, option in zip("ABCD", q["options"], strict=False):
                if "\n" not in option:
                    assert f"- **{letter}.** {option}" in questions
        if q["type"] == "typed":
            assert "Answer: ____" in questions
    assert "```python" in page  # code stays code
    computed = [q for q in exam["questions"] if q["type"] == "computed"]
    assert computed and all(q["keras"]["status"] == "unverified" for q in computed)
    assert "> Keras: not verified (computed by formula" in key
    assert page.count("```") % 2 == 0
    fewer = run(*ml, "--count", "500", "--print")
    assert fewer.exit_code == 0 and fewer.stderr.startswith("Note: ")
    assert "the chosen cards allow no more (asked for 500)" in fewer.stderr
    assert fewer.stdout.startswith("# Exam: ml")  # --markdown is the default


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--deck", "mll"), "Error: unknown deck 'mll' (known: keras-basics, ml)"),
        (("--deck", "ml", "--section", "rnn"), "Error: unknown section 'rnn' (known: Activ"),
        (("--deck", "ml", "--tag", "nope"), "Error: unknown tag 'nope' (known: Activations, "),
        (("--count", "0"), "Error: --count must be at least 1, not 0"),
        (("--count", "many"), "Error: --count must be a whole number, not 'many'"),
        (("--minutes", "0"), "Error: --minutes must be at least 1, not 0"),
        (("--minutes", "-5"), "Error: --minutes must be at least 1, not -5"),
        (("--types", "mcq,essay"), "Error: unknown question type 'essay' (known: mcq, typed, tf"),
        (("--types", ","), "Error: --types names no type (known: "),
        (("--seed", "x"), "Error: --seed must be a whole number, not 'x'"),
        (("--json", "--markdown", "--print"), "Error: choose one of --json and --markdown"),
        (("--history", "--print"), "Error: --history cannot be combined with --print"),
        (("--json",), "Error: --json goes with --print (or --history)"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    common: tuple[str, ...], args: tuple[str, ...], message: str
) -> None:
    result = run(*common, "quiz", *args, "--print" if "--history" not in args else "--json")
    if args == ("--json",):
        result = run(*common, "quiz", "--json")
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), lines
    assert result.stdout == ""


def test_history_json_lists_exams_sections_and_top_confusions(
    tmp_path: Path, deck_dir: Path, common: tuple[str, ...]
) -> None:
    empty = run(*common, "quiz", "--history")
    assert empty.exit_code == 0 and empty.stdout == "No exams yet (take one with `quizapp quiz`).\n"
    service, _ = QuizService.open(tmp_path / "q.sqlite3", [deck_dir])
    for seed in (1, 2):
        exam = service.build(ExamOptions(seed=seed, count=10, types=("mcq", "tf")))
        run_ = service.start(exam)
        while (q := run_.current()) is not None:
            run_.answer(wrong_answer(q) if q.n <= 3 else right_answer(q))
        run_.finish()
    service.close()
    result = run(*common, "quiz", "--history", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [e["seed"] for e in data["exams"]] == [2, 1]  # newest first
    assert all(e["score"] == 70.0 and e["finished"] for e in data["exams"])
    assert data["sections"] and all(len(s["scores"]) <= 2 for s in data["sections"])
    assert data["confusions"]
    top = data["confusions"][0]
    assert {"card", "prompt", "answer", "confused_with", "times", "weight"} <= set(top)
    text = run(*common, "quiz", "--history", "--deck", "ml")
    assert text.exit_code == 0 and "70%" in text.stdout and "Confusions" in text.stdout
    bad = run(*common, "quiz", "--history", "--deck", "nope")
    assert bad.exit_code == 2 and bad.stderr.startswith("Error: unknown deck 'nope'")


def test_taking_an_exam_needs_a_terminal_and_a_question(common: tuple[str, ...]) -> None:
    result = run(*common, "quiz", "--deck", "ml", "--count", "3")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (
        "Error: the exam app needs a terminal (for scripts: `quizapp quiz --print`)\n"
    )
    nothing = run(*common, "quiz", "--missed")
    assert nothing.exit_code == 1
    assert nothing.stderr == "Error: no card was missed in the last 5 exams\n"


LOADED = """
import json, sys
from quizapp.cli import cli
try:
    cli.main(sys.argv[2:], prog_name="quizapp")
except SystemExit as end:
    assert not end.code, end.code
names = {m for m in sys.modules}
with open(sys.argv[1], "w") as out:
    json.dump(sorted(names), out)
"""


def _modules_loaded(tmp_path: Path, *args: str) -> tuple[set[str], str]:
    """The modules a fresh interpreter loads running ``quizapp ARGS``, and what it printed."""
    listing = tmp_path / "modules.json"
    out = subprocess.run(
        [sys.executable, "-c", LOADED, str(listing), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return set(json.loads(listing.read_text())), out.stdout


def test_print_json_loads_no_app_no_fuzzy_matching_no_keras_no_scheduler_no_orm(
    common: tuple[str, ...], tmp_path: Path
) -> None:
    assert run(*common, "due").exit_code == 0  # the database made and the deck synced
    heavy = ("textual", "rapidfuzz", "tensorflow", "keras", "fsrs", "alembic", "anki")
    quiz = (*common, "quiz", "--seed", "3", "--count", "50", "--print", "--json")
    # No computed question: the layer formulas are not loaded either.
    loaded, printed = _modules_loaded(tmp_path, *quiz, "--types", "mcq,typed,tf,match")
    exam = json.loads(printed)
    kinds = {q["type"] for q in exam["questions"]}
    assert kinds == {"mcq", "typed", "tf", "match"}, kinds
    assert any("binary" in q["prompt"] or "multiclass" in q["prompt"] for q in exam["questions"])
    tops = {m.split(".")[0] for m in loaded}
    assert not tops & set(heavy), sorted(tops & set(heavy))
    assert not any(m.startswith("quizapp.calc") for m in loaded)
    assert "quizapp.tui" not in loaded
    # It only reads: Core connections and plain queries, not the ORM.
    assert not {"sqlalchemy.orm", "quizapp.store.models"} & loaded
    # With a computed question, its formulas are loaded, and still nothing heavy.
    loaded, printed = _modules_loaded(tmp_path, *quiz)
    assert any(q["type"] == "computed" for q in json.loads(printed)["questions"])
    assert "quizapp.calc.families" in loaded
    tops = {m.split(".")[0] for m in loaded}
    assert not tops & set(heavy), sorted(tops & set(heavy))
    assert not {"sqlalchemy.orm", "quizapp.store.models"} & loaded  # the Keras line too
