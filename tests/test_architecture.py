"""The rooms' rules (README, "How it fits together").

Who may import whom is written as import-linter contracts in ``pyproject.toml`` and checked
here on the checkout; a scratch copy of the package with one rule broken in each room shows that
every contract does fail. What import-linter cannot say (Keras imported lazily, the pure rooms
using only the standard library, no eval) is checked on the source with ``ast``.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "quizapp"
ORACLE = PKG / "verify" / "keras_oracle.py"
PURE_ROOMS = ("notes", "calc")  # standard library only


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """Run lint-imports with ``root``'s pyproject.toml on the package found in ``root``."""
    code = "import sys; from importlinter.cli import lint_imports_command; lint_imports_command()"
    return subprocess.run(
        [sys.executable, "-c", code, "--no-cache", "--config", str(root / "pyproject.toml")],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def contract_names() -> list[str]:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [c["name"] for c in config["tool"]["importlinter"]["contracts"]]


def test_the_import_contracts_hold() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    names = contract_names()
    assert len(names) >= 8
    assert f"Contracts: {len(names)} kept, 0 broken." in result.stdout


# One scratch module (or line) per contract, each breaking that contract's rule.
BREAKERS = {
    "quizapp/store/_scratch_up.py": "from quizapp.review import ReviewService\n",
    "quizapp/notes/_scratch.py": "from quizapp.errors import QuizappError\n",
    "quizapp/errors.py": "from quizapp import paths\n",  # appended
    "quizapp/calc/_scratch.py": "from quizapp.config import load_config\n",
    "quizapp/exam_plan.py": "from quizapp.calc import expr\n",  # appended
    "quizapp/tui/_scratch.py": "import sqlalchemy\n",
    "quizapp/quiz/_scratch.py": "from sqlalchemy import select\n",
    "quizapp/stats/_scratch.py": "from sqlalchemy import func\n",
    "quizapp/store/_scratch_calc.py": "from quizapp.calc import expr\n",
    "quizapp/export/_scratch.py": "def build():\n    import keras\n",
    "quizapp/_scratch_anki.py": "import anki\n",
    "quizapp/review_scratch.py": "import fsrs_rs_python\n",
    "quizapp/store/queries.py": "from quizapp.store.models import CardRow\n",  # appended
    "quizapp/store/exam_dates.py": "from quizapp.store.tables import cards\n",  # appended
}


def test_every_contract_fails_when_its_rule_is_broken(tmp_path: Path) -> None:
    copy = tmp_path / "checkout"
    shutil.copytree(PKG, copy / "quizapp", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    for rel, text in BREAKERS.items():
        with (copy / rel).open("a", encoding="utf-8") as f:
            f.write(text)
    result = lint_imports(copy)
    assert result.returncode == 1, result.stdout + result.stderr
    out = " ".join(result.stdout.split())  # long contract names wrap
    names = contract_names()
    for name in names:
        assert f"{name} BROKEN" in out, name
    assert f"Contracts: 0 kept, {len(names)} broken." in out
    for importer, imported in [
        ("quizapp.store._scratch_up", "quizapp.review"),
        ("quizapp.notes._scratch", "quizapp.errors"),
        ("quizapp.errors", "quizapp.paths"),
        ("quizapp.calc._scratch", "quizapp.config"),
        ("quizapp.exam_plan", "quizapp.calc.expr"),
        ("quizapp.tui._scratch", "sqlalchemy"),
        ("quizapp.quiz._scratch", "sqlalchemy"),
        ("quizapp.stats._scratch", "sqlalchemy"),
        ("quizapp.store._scratch_calc", "quizapp.calc.expr"),
        ("quizapp.export._scratch", "keras"),
        ("quizapp._scratch_anki", "anki"),
        ("quizapp.review_scratch", "fsrs_rs_python"),
        ("quizapp.store.queries", "quizapp.store.models"),
        ("quizapp.store.exam_dates", "quizapp.store.tables"),
    ]:
        assert f"{importer} -> {imported}" in out, (importer, imported)


# --- what import-linter cannot express ----------------------------------------------------


def imports(path: Path) -> list[tuple[str, bool]]:
    """(module, at_top_level) for every absolute import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = set(map(id, tree.body))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, id(node) in top) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module, id(node) in top))
    return out


def root(module: str) -> str:
    return module.split(".")[0]


def py_files(where: Path) -> list[Path]:
    return sorted(where.rglob("*.py"))


@pytest.mark.parametrize("room", PURE_ROOMS)
def test_the_pure_rooms_use_only_the_standard_library(room: str) -> None:
    allowed = set(sys.stdlib_module_names) | {"quizapp"}
    for f in py_files(PKG / room):
        for mod, _ in imports(f):
            assert root(mod) in allowed, f"{f.relative_to(ROOT)} imports {mod}"


def test_keras_and_tensorflow_are_imported_only_lazily() -> None:
    found = []
    for f in py_files(PKG):
        for mod, at_top in imports(f):
            if root(mod) in ("tensorflow", "keras"):
                found.append(f)
                assert not at_top, f"{f.relative_to(ROOT)} imports {mod} at module level"
    assert found and set(found) == {ORACLE}


def test_no_eval_or_exec_in_the_package() -> None:
    for f in py_files(PKG):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("eval", "exec"), (
                    f"{f.relative_to(ROOT)} calls eval/exec"
                )


# --- at run time ------------------------------------------------------------------------------


def test_listing_cards_does_not_import_tensorflow() -> None:
    code = (
        "import sys; from click.testing import CliRunner; from quizapp.cli import cli;"
        "r = CliRunner().invoke(cli, ['cards', '--json']); assert r.exit_code == 0, r.output;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_readme_test_command_is_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```sh\n(python3 -m venv [^\n]+)\n```", readme)
    assert len(commands) >= 2
    install, test = commands[0], commands[1]
    assert ".venv/bin/quizapp" in install and "pip install ." in install
    assert "pytest" in test and ".venv-test" in test
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "grep -m1 -E '^python3 -m venv \\.venv-test '" in ci
