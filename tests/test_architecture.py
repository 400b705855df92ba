"""The rooms' import rules, checked on the source (see README, "How it fits together")."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "quizapp"
TF_ALLOWED = {PKG / "verify" / "keras_oracle.py"}
#: Beside the Anki export, the optimizer's Anki review-log reader.
ANKI_ALLOWED = {PKG / "optimize" / "anki_log.py"}


def imports(path: Path) -> list[tuple[str, bool]]:
    """(module, at_top_level) for every import in a file."""
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


def test_notes_room_is_pure_stdlib() -> None:
    stdlib = set(sys.stdlib_module_names)
    for f in py_files(PKG / "notes"):
        for mod, _ in imports(f):
            assert root(mod) in stdlib or mod.startswith("quizapp.notes"), f"{f.name}: {mod}"


def test_only_the_oracle_imports_tensorflow_and_only_lazily() -> None:
    for f in py_files(PKG):
        for mod, at_top in imports(f):
            if root(mod) in ("tensorflow", "keras"):
                assert f in TF_ALLOWED, f"{f.relative_to(ROOT)} imports {mod}"
                assert not at_top, f"{f.relative_to(ROOT)} imports {mod} at module level"


def test_tui_never_imports_sqlalchemy_and_only_export_imports_anki() -> None:
    for f in py_files(PKG / "tui"):
        assert all(root(m) != "sqlalchemy" for m, _ in imports(f)), f.name
    for f in py_files(PKG):
        if any(root(m) == "anki" for m, _ in imports(f)):
            assert f.parent == PKG / "export" or f in ANKI_ALLOWED, (
                f"{f.relative_to(ROOT)} imports anki"
            )


def test_no_eval_or_exec_in_the_package() -> None:
    for f in py_files(PKG):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("eval", "exec"), (
                    f"{f.relative_to(ROOT)} calls eval/exec"
                )


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


def test_quiz_room_reaches_the_database_only_through_the_store() -> None:
    for f in py_files(PKG / "quiz"):
        for mod, _ in imports(f):
            assert root(mod) != "sqlalchemy", f"{f.relative_to(ROOT)} imports {mod}"
            assert not mod.startswith(("quizapp.tui", "quizapp.cli")), f"{f.name}: {mod}"
