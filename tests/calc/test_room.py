"""The calc room imports only the standard library, itself, `notes` and `errors`; never Keras (the
oracle lives in `quizapp/verify/`)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import quizapp.calc

CALC = Path(quizapp.calc.__file__).parent


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(module, at module level?) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(alias.name, id(node) in top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module, id(node) in top))
    return out


def test_calc_imports_only_stdlib_and_notes() -> None:
    allowed_roots = set(sys.stdlib_module_names) | {"quizapp"}
    for path in sorted(CALC.glob("*.py")):
        for module, _ in _imports(path):
            root = module.split(".")[0]
            assert root in allowed_roots, f"{path.name} imports {module}"
            if root == "quizapp":
                assert module.startswith(("quizapp.calc", "quizapp.notes", "quizapp.errors")), (
                    f"{path.name} imports {module}"
                )


def test_calc_never_imports_keras() -> None:
    for path in sorted(CALC.glob("*.py")):
        for module, _ in _imports(path):
            assert module.split(".")[0] not in ("keras", "tensorflow"), path.name
