"""The ```` ```compute ```` block of the deck format, in one place: its fields, the questions it
can ask, what makes a block malformed, and the prompt of the card it gives.

The parser reads a block into raw ``(field, value)`` pairs with these rules; ``quizapp.calc``
computes the answer from the same pairs with the same rules (it may import ``notes``; ``notes``
imports nothing of quizapp, so the rules live here, where both can read them).
"""

from __future__ import annotations

from collections.abc import Container, Mapping

FIELDS = ("layers", "input", "ask", "notes", "question", "explain")
REQUIRED = ("layers", "input")
ASKS = ("params", "output_shape", "trainable", "non_trainable")
DEFAULT_ASK = "params"

_PROMPTS = {
    "params": "How many parameters does {what} have on input {shape}?",
    "trainable": "How many trainable parameters does {what} have on input {shape}?",
    "non_trainable": "How many non-trainable parameters does {what} have on input {shape}?",
    "output_shape": "What is the output shape of {what} on input {shape}?",
}


def field_problem(key: str, seen: Container[str]) -> str | None:
    """What is wrong with a field name, given the fields before it; None when nothing is."""
    if key not in FIELDS:
        return f"unknown compute field {key!r} (known: {', '.join(sorted(FIELDS))})"
    if key in seen:
        return f"compute field {key!r} given twice"
    return None


def block_problem(fields: Mapping[str, str]) -> str | None:
    """What is wrong with a block's fields as a whole; None when nothing is."""
    for needed in REQUIRED:
        if not fields.get(needed):
            return f"compute block needs a '{needed}:' line"
    ask = ask_of(fields)
    if ask not in ASKS:
        return f"compute ask {ask!r} is not one of {sorted(ASKS)}"
    return None


def ask_of(fields: Mapping[str, str]) -> str:
    return fields.get("ask", DEFAULT_ASK)


def prompt(fields: Mapping[str, str]) -> str:
    """The card's question: the block's own ``question``, or one worded from its fields."""
    if fields.get("question"):
        return fields["question"]
    layers = [s.strip() for s in fields["layers"].split(";") if s.strip()]
    stack = " → ".join(layers)
    what = stack if len(layers) == 1 else f"the stack {stack}"
    return _PROMPTS[ask_of(fields)].format(what=what, shape=fields["input"])
