"""Layer expressions read as data: ``Conv2D(32, 3, strides=2, padding="same")``.

Python's :mod:`ast` parses the text; only literal values (numbers, strings, booleans, ``None``,
tuples and lists of them) and calls of known layer names are accepted. Nothing is ever evaluated:
the tree is walked and turned into :class:`LayerCall` values. Anything else (names, attribute
access, other calls, operators, comprehensions, lambdas, huge numbers, deep nesting, very long
text) is refused with a one-line :class:`ExprError`.
"""

from __future__ import annotations

import ast
import difflib
import warnings
from dataclasses import dataclass
from typing import Any

from quizapp.errors import QuizappError

MAX_EXPRESSION_CHARS = 2000
MAX_NESTING = 6
MAX_NODES = 400
MAX_INT = 1_000_000
MAX_STRING = 64
MAX_LAYERS = 50


class ExprError(QuizappError, ValueError):
    """A layer expression or input shape that cannot be used; the message is one line."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).splitlines()))


@dataclass(frozen=True)
class LayerCall:
    """A parsed layer call: its name, positional and keyword arguments (literal values).

    Argument values are ``int | float | str | bool | None``, tuples of those, or a nested
    :class:`LayerCall` (for wrappers such as ``Bidirectional``). Lists are read as tuples.
    """

    name: str
    args: tuple[Any, ...] = ()
    kwargs: tuple[tuple[str, Any], ...] = ()

    def __str__(self) -> str:
        parts = [format_value(a) for a in self.args]
        parts += [f"{k}={format_value(v)}" for k, v in self.kwargs]
        return f"{self.name}({', '.join(parts)})"


def format_value(value: Any) -> str:
    """Keras spelling of a literal value (strings with double quotes, 1-tuples with a comma)."""
    if isinstance(value, LayerCall):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, tuple):
        inner = ", ".join(format_value(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    return repr(value)


def closest(word: str, choices: list[str] | tuple[str, ...] | set[str]) -> str | None:
    """The closest spelling among ``choices`` (difflib), or None."""
    found = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    if not found:
        lowered = {c.lower(): c for c in choices}
        found = difflib.get_close_matches(word.lower(), sorted(lowered), n=1, cutoff=0.6)
        return lowered[found[0]] if found else None
    return found[0]


def did_you_mean(word: str, choices: list[str] | tuple[str, ...] | set[str]) -> str:
    best = closest(word, choices)
    return f" (did you mean {best!r}?)" if best else ""


def _precheck(text: str, what: str) -> str:
    if not isinstance(text, str):
        raise ExprError(f"{what} must be text")
    text = text.strip()
    if not text:
        raise ExprError(f"empty {what}")
    if len(text) > MAX_EXPRESSION_CHARS:
        raise ExprError(f"{what} too long ({len(text)} characters; at most {MAX_EXPRESSION_CHARS})")
    depth = deepest = 0
    quote: str | None = None
    for ch in text:
        if quote:
            if ch == quote:
                quote = None
            continue
        if ch in "\"'":
            quote = ch
        elif ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_NESTING:
                raise ExprError(f"{what} nested too deeply (at most {MAX_NESTING} levels)")
        elif ch in ")]}":
            depth -= 1
    return text


def _parse_tree(text: str, what: str) -> ast.expr:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. "invalid decimal literal" for 1x
            tree = ast.parse(text, mode="eval")
    except SyntaxError as err:
        msg = (err.msg or "invalid syntax").rstrip(".")
        raise ExprError(f"cannot read {what} {text!r}: {msg}") from None
    except (ValueError, RecursionError, MemoryError):
        raise ExprError(f"cannot read {what} {text!r}") from None
    count = sum(1 for _ in ast.walk(tree))
    if count > MAX_NODES:
        raise ExprError(f"{what} too complex ({count} parts; at most {MAX_NODES})")
    return tree.body


_REFUSED = {
    ast.Attribute: "attribute access is not allowed",
    ast.Lambda: "lambdas are not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.BinOp: "operators are not allowed (write the number itself)",
    ast.BoolOp: "operators are not allowed",
    ast.Compare: "comparisons are not allowed",
    ast.Subscript: "indexing is not allowed",
    ast.Starred: "* and ** arguments are not allowed",
    ast.IfExp: "conditional expressions are not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.NamedExpr: "assignment expressions are not allowed",
    ast.Dict: "dictionaries are not allowed",
    ast.Set: "sets are not allowed",
    ast.Await: "await is not allowed",
    ast.Yield: "yield is not allowed",
}


class _Reader:
    def __init__(self, text: str, layer_names: set[str] | frozenset[str]) -> None:
        self.text = text
        self.layer_names = layer_names

    def snippet(self, node: ast.AST) -> str:
        seg = ast.get_source_segment(self.text, node) or type(node).__name__
        return seg if len(seg) <= 40 else seg[:39] + "…"

    def value(self, node: ast.expr) -> Any:
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool) or v is None:
                return v
            if isinstance(v, int):
                return self._int(v, node)
            if isinstance(v, float):
                if v != v or v in (float("inf"), float("-inf")) or abs(v) > MAX_INT:
                    raise ExprError(f"number out of range: {self.snippet(node)}")
                return v
            if isinstance(v, str):
                if len(v) > MAX_STRING:
                    raise ExprError(f"string too long ({len(v)} characters; at most {MAX_STRING})")
                return v
            raise ExprError(f"unsupported literal {self.snippet(node)}")
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            inner = node.operand
            if isinstance(inner, ast.Constant) and type(inner.value) in (int, float):
                v = self.value(inner)
                return -v if isinstance(node.op, ast.USub) else v
            raise ExprError(f"operators are not allowed: {self.snippet(node)}")
        if isinstance(node, ast.Tuple | ast.List):
            return tuple(self.value(e) for e in node.elts)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Name):
            if node.id in self.layer_names:
                raise ExprError(f"{node.id} must be called, e.g. {node.id}(...)")
            if node.id in ("true", "false", "none", "null"):
                fixed = {"true": "True", "false": "False"}.get(node.id, "None")
                raise ExprError(f"unknown name {node.id!r} (did you mean {fixed}?)")
            raise ExprError(
                f"names are not allowed: {node.id!r} (use literal values; strings need quotes)"
            )
        for kind, message in _REFUSED.items():
            if isinstance(node, kind):
                raise ExprError(f"{message}: {self.snippet(node)}")
        raise ExprError(f"not a literal value: {self.snippet(node)}")

    def _int(self, v: int, node: ast.AST) -> int:
        if abs(v) > MAX_INT:
            raise ExprError(f"number too large: {self.snippet(node)} (at most {MAX_INT})")
        return v

    def call(self, node: ast.Call) -> LayerCall:
        func = node.func
        if isinstance(func, ast.Attribute):
            raise ExprError(
                f"attribute access is not allowed: write {func.attr}(...) instead of "
                f"{self.snippet(func)}(...)"
            )
        if not isinstance(func, ast.Name):
            raise ExprError(f"only layer calls are allowed: {self.snippet(node)}")
        name = func.id
        if name not in self.layer_names:
            raise ExprError(f"unknown layer {name!r}{did_you_mean(name, self.layer_names)}")
        args = []
        for a in node.args:
            if isinstance(a, ast.Starred):
                raise ExprError(f"* and ** arguments are not allowed in {name}(...)")
            args.append(self.value(a))
        kwargs: list[tuple[str, Any]] = []
        seen: set[str] = set()
        for kw in node.keywords:
            if kw.arg is None:
                raise ExprError(f"* and ** arguments are not allowed in {name}(...)")
            if kw.arg in seen:
                raise ExprError(f"{name}: argument {kw.arg!r} given twice")
            seen.add(kw.arg)
            kwargs.append((kw.arg, self.value(kw.value)))
        return LayerCall(name, tuple(args), tuple(kwargs))


def parse_call(text: str, layer_names: set[str] | frozenset[str]) -> LayerCall:
    """Parse one layer call such as ``LSTM(10, return_sequences=True)``."""
    text = _precheck(text, "layer expression")
    body = _parse_tree(text, "layer expression")
    if isinstance(body, ast.Name) and body.id in layer_names:
        raise ExprError(f"{body.id} must be called, e.g. {body.id}(...)")
    if not isinstance(body, ast.Call):
        reader = _Reader(text, layer_names)
        reader.value(body)  # raises a precise refusal for names, operators, ...
        raise ExprError(f"not a layer call: {text!r}")
    return _Reader(text, layer_names).call(body)


def split_layers(text: str) -> list[str]:
    """Split ``"LSTM(10, return_sequences=True); LSTM(5)"`` at top-level semicolons."""
    text = _precheck(text, "layer list")
    parts = [p.strip() for p in split_top(text, ";")]
    if any(not p for p in parts):
        raise ExprError(f"empty layer in {text!r}")
    if len(parts) > MAX_LAYERS:
        raise ExprError(f"too many layers ({len(parts)}; at most {MAX_LAYERS})")
    return parts


MAX_DIM = 100_000
MAX_RANK = 6


def parse_shape(text: str | tuple | list) -> tuple[int | None, ...]:
    """An input shape without the batch axis: ``"5,1"``, ``"(28, 28, 1)"``, ``"(None, 8)"``."""
    if isinstance(text, tuple | list):
        values: Any = tuple(text)
    else:
        raw = _precheck(text, "input shape")
        if not raw.startswith(("(", "[")):
            raw = f"({raw},)" if "," not in raw else f"({raw})"
        body = _parse_tree(raw, "input shape")
        if not isinstance(body, ast.Tuple | ast.List):
            raise ExprError(f"input shape must be a tuple of sizes, got {text!r}")
        values = []
        for e in body.elts:
            if isinstance(e, ast.Constant) and (e.value is None or type(e.value) is int):
                values.append(e.value)
            else:
                seg = ast.get_source_segment(raw, e) or "?"
                raise ExprError(f"input shape sizes must be whole numbers or None, got {seg!r}")
        values = tuple(values)
    if not values:
        raise ExprError("input shape needs at least one axis")
    if len(values) > MAX_RANK:
        raise ExprError(f"input shape has {len(values)} axes; at most {MAX_RANK}")
    for v in values:
        if v is None:
            continue
        if type(v) is not int or v <= 0:
            raise ExprError(f"input shape sizes must be positive, got {format_shape(values)}")
        if v > MAX_DIM:
            raise ExprError(f"input size {v} too large (at most {MAX_DIM})")
    return values


def format_shape(shape: tuple[int | None, ...] | list) -> str:
    """``(None, 10)``; a one-axis shape keeps its comma: ``(10,)``."""
    inner = ", ".join("None" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def parse_literal(text: str) -> Any:
    """A literal value (number, string, bool, None, tuples), e.g. ``"tanh"`` or ``(1, 1)``."""
    text = _precheck(text, "value")
    body = _parse_tree(text, "value")
    return _Reader(text, frozenset()).value(body)


def split_top(text: str, sep: str) -> list[str]:
    """Split at ``sep`` outside quotes and brackets."""
    parts: list[str] = []
    depth = 0
    quote: str | None = None
    start = i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0 and text.startswith(sep, i):
            parts.append(text[start:i])
            i += len(sep)
            start = i
            continue
        i += 1
    parts.append(text[start:])
    return parts
