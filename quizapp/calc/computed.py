"""Computed cards: a ```` ```compute ```` block's fields → answer and derivation, by formula.

The block's fields, its questions (``ask``) and the card's prompt are the deck format's, in
:mod:`quizapp.notes.compute`; here they are computed. No TensorFlow here: answers come from
:mod:`quizapp.calc.layers`; ``quizapp decks verify`` (see :mod:`quizapp.verify.compare`) checks them
against real Keras.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from quizapp.calc.expr import ExprError, format_shape, parse_shape
from quizapp.calc.stack import StackResult, compute_stack, parse_stack
from quizapp.notes import compute as compute_block
from quizapp.notes.model import CardSpec, DeckError


@dataclass(frozen=True)
class ComputedSpec:
    """What a compute block asks to compute. The block's card text (its ``question`` and
    ``explain``) is the notes' part: the parser has put it on the card already."""

    layers_text: str
    input_shape: tuple[int | None, ...]
    ask: str
    notes: str | None


def read_fields(fields: tuple[tuple[str, str], ...]) -> ComputedSpec:
    """The block's fields, checked by the deck format's rules; raises ExprError with a one-line
    message."""
    data: dict[str, str] = {}
    for key, value in fields:
        problem = compute_block.field_problem(key, data)
        if problem:
            raise ExprError(problem)
        data[key] = value.strip()
    problem = compute_block.block_problem(data)
    if problem:
        raise ExprError(problem)
    return ComputedSpec(
        layers_text=data["layers"],
        input_shape=parse_shape(data["input"]),
        ask=compute_block.ask_of(data),
        notes=data.get("notes") or None,
    )


def compute_fields(fields: tuple[tuple[str, str], ...]) -> tuple[ComputedSpec, StackResult]:
    spec = read_fields(fields)
    return spec, compute_stack(parse_stack(spec.layers_text), spec.input_shape)


def answer_text(spec: ComputedSpec, result: StackResult) -> str:
    return str(result.value(spec.ask))


def derivation(spec: ComputedSpec, result: StackResult) -> str:
    """The derivation: each layer's formula and steps, the totals, and the notes comparison."""
    lines: list[str] = []
    shape = format_shape((None, *result.input_shape))
    lines.append(f"Input {format_shape(result.input_shape)} → with the batch axis {shape}")
    for r in result.layers:
        lines.append(f"{r.layer}: {r.formula if r.params else '0 parameters'} → {r.output_text()}")
        lines.extend(f"  {s}" for s in r.steps)
    if len(result.layers) > 1:
        parts = " + ".join(str(r.params) for r in result.layers)
        lines.append(f"Total: {parts} = {result.total}")
    if result.non_trainable or spec.ask in ("trainable", "non_trainable"):
        lines.append(f"Trainable {result.trainable}, non-trainable {result.non_trainable}")
    if spec.notes:
        lines.append(notes_verdict(spec, result))
    return "\n".join(lines)


def notes_verdict(spec: ComputedSpec, result: StackResult) -> str:
    assert spec.notes is not None
    claimed = notes_value(spec.notes, spec.ask)
    actual = result.value(spec.ask)
    said = spec.notes if str(claimed) == spec.notes.strip() else f"{spec.notes} = {claimed}"
    if claimed == actual:
        return f"The notes say {said} — correct."
    return f"The notes say {said}, but Keras gives {actual}."


_TIMES = re.compile(r"(?<=[\d)\s])[x×X·](?=[\d(\s])")
_MAX_NOTES = 200


def notes_value(text: str, ask: str) -> int | str:
    """A number or an arithmetic formula from the notes (``4x(1+1+10)x10``), or a shape."""
    raw = text.strip()
    if ask == "output_shape":
        try:
            shape = parse_shape(raw)
        except ExprError:
            shape = None
        if shape is not None and shape and shape[0] is None:
            return format_shape(shape)
        raise ExprError(f"notes: an output shape is written like (None, 10), got {raw!r}")
    if len(raw) > _MAX_NOTES:
        raise ExprError(f"notes: formula too long (at most {_MAX_NOTES} characters)")
    expr = _TIMES.sub("*", raw.split("=")[0]).replace("÷", "/")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(expr.strip(), mode="eval")
    except SyntaxError:
        raise ExprError(f"notes: cannot read {raw!r} as a number or formula") from None
    value = _arith(tree.body, raw)
    if value != int(value) or value < 0:
        raise ExprError(f"notes: {raw!r} is not a whole number")
    return int(value)


def _arith(node: ast.expr, raw: str) -> float:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        if abs(node.value) > 10**12:
            raise ExprError(f"notes: number too large in {raw!r}")
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub | ast.Mult | ast.Div):
        a, b = _arith(node.left, raw), _arith(node.right, raw)
        if isinstance(node.op, ast.Add):
            return a + b
        if isinstance(node.op, ast.Sub):
            return a - b
        if isinstance(node.op, ast.Mult):
            if abs(a * b) > 10**15:
                raise ExprError(f"notes: number too large in {raw!r}")
            return a * b
        if b == 0:
            raise ExprError(f"notes: division by zero in {raw!r}")
        return a / b
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        v = _arith(node.operand, raw)
        return -v if isinstance(node.op, ast.USub) else v
    raise ExprError(f"notes: only numbers, + − × / and parentheses are allowed in {raw!r}")


def fill_computed(card: CardSpec, deck_path: Path) -> CardSpec:
    """The card with ``answer`` and ``extra`` (derivation) computed by formula."""
    try:
        spec, result = compute_fields(card.compute)
        extra = derivation(spec, result)
        answer = answer_text(spec, result)
    except ExprError as err:
        raise DeckError(deck_path, card.line, str(err)) from None
    # The deck's own text (the ``explain`` field, a blockquote) follows the derivation.
    own = card.extra.strip()
    if own:
        extra = f"{extra}\n\n{own}"
    return card._replace(answer=answer, extra=extra)


def check_errors(card: CardSpec, deck_path: Path) -> list[DeckError]:
    """Malformed ``<!-- check: ... -->`` lines of a card, as deck errors (for ``decks check``).

    Whether a well-formed check is *true* is for ``quizapp decks verify`` to say.
    """
    from quizapp.calc.checks import parse_check

    errors = []
    for i, text in enumerate(card.checks):
        try:
            parse_check(text)
        except ExprError as err:
            line = card.check_lines[i] if i < len(card.check_lines) else card.line
            errors.append(DeckError(deck_path, line, f"check {text!r}: {err}"))
    return errors
