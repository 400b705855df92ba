"""Inline Markdown in card text: code spans, ``**bold**`` / ``__bold__``, ``*italic*`` /
``_italic_`` and the escapes ``\\*``, ``\\_``, ``\\```. One reading for every renderer: the Anki
export turns the pieces into HTML, the app into styled text; neither ever reads deck text as
markup.

The rules:

- a code span (`` `x` ``, ``` ``x`` ```, unless its first backtick is escaped) is code, and
  nothing inside it is emphasis; one space of padding on both sides is not part of the code;
- ``\\*``, ``\\_`` and ``\\``` stand for the literal character;
- ``*``-emphasis may touch non-ASCII letters (Korean particles: ``**LSTM**은``) but not ASCII
  letters or digits, so ``2*3*4`` stays arithmetic; ``_``-emphasis never sits inside a word
  (``snake_case_names`` stay as they are); an unmatched ``*`` stays a ``*``;
- bold is read before italic, ``*`` before ``_``, and an emphasis that would cross another
  (``**a *b** c*``) is left as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal, NamedTuple

_CODE_SPAN = re.compile(r"(?<!\\)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_ESCAPED = re.compile(r"\\([*_`])")
_STRONG_STAR = re.compile(r"(?<![A-Za-z0-9*])\*\*(?=[^\s*])(.+?)(?<=[^\s*])\*\*(?![A-Za-z0-9*])")
_EM_STAR = re.compile(r"(?<![A-Za-z0-9*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![A-Za-z0-9*])")
_STRONG_UNDER = re.compile(r"(?<![\w_])__(?=[^\s_])(.+?)(?<=[^\s_])__(?![\w_])")
_EM_UNDER = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")
# What the passes see in place of a piece already read (a code span, an escaped character, an
# emphasis's start or end): one character that is no letter, digit, space, ``*`` or ``_``.
_HELD = "\x00"


class Inline(NamedTuple):
    """A piece of a line of card text, in order.

    ``text``: literal text ``value``, found at ``start`` in the text read (``value`` is
    ``text[start:start + len(value)]``). ``code``: a code span, ``value`` its code and ``raw``
    the span as written (backticks included) at ``start``. ``open`` / ``close``: the start or
    end of ``value`` ``"b"`` (bold) or ``"i"`` (italic); they nest.
    """

    kind: Literal["text", "code", "open", "close"]
    value: str
    start: int = -1
    raw: str = ""


# One per character still to read: its offset in the text, or a piece already read.
_Item = int | Inline
_Make = Callable[[re.Match[str], list[_Item]], list[_Item] | None]


def _sub(text: str, items: list[_Item], pattern: re.Pattern[str], make: _Make) -> list[_Item]:
    """``pattern.sub`` over what ``items`` spell: each match becomes the items ``make``
    returns for it (None: it stays as written)."""
    work = "".join(_HELD if isinstance(i, Inline) else text[i] for i in items)
    out: list[_Item] = []
    pos = 0
    for m in pattern.finditer(work):
        made = make(m, items)
        if made is None:
            continue
        out.extend(items[pos : m.start()])
        out.extend(made)
        pos = m.end()
    out.extend(items[pos:])
    return out


def _code(text: str) -> _Make:
    def make(m: re.Match[str], items: list[_Item]) -> list[_Item]:
        body = m.group(2)
        if body.startswith(" ") and body.endswith(" ") and body.strip():
            body = body[1:-1]
        span = [i for i in items[m.start() : m.end()] if isinstance(i, int)]
        return [Inline("code", body, span[0], "".join(text[i] for i in span))]

    return make


def _escaped(m: re.Match[str], items: list[_Item]) -> list[_Item]:
    at = items[m.start(1)]
    assert isinstance(at, int)
    return [Inline("text", m.group(1), at)]


def _emphasis(tag: str) -> _Make:
    def make(m: re.Match[str], items: list[_Item]) -> list[_Item] | None:
        inner = items[m.start(1) : m.end(1)]
        marks = [i for i in inner if isinstance(i, Inline) and i.kind in ("open", "close")]
        for t in ("b", "i"):
            if sum(1 if i.kind == "open" else -1 for i in marks if i.value == t):
                return None  # it would cross another emphasis: left as written
        return [Inline("open", tag), *inner, Inline("close", tag)]

    return make


_PASSES = (
    (_STRONG_STAR, "b"),
    (_STRONG_UNDER, "b"),
    (_EM_STAR, "i"),
    (_EM_UNDER, "i"),
)


def inline(text: str) -> list[Inline]:
    """A line of card text (no fenced code) as its pieces, in order; offsets are into ``text``.

    NUL characters are dropped."""
    items: list[_Item] = [i for i, ch in enumerate(text) if ch != _HELD]
    items = _sub(text, items, _CODE_SPAN, _code(text))
    items = _sub(text, items, _ESCAPED, _escaped)
    for pattern, tag in _PASSES:
        items = _sub(text, items, pattern, _emphasis(tag))
    out: list[Inline] = []
    run: list[int] = []

    def flush() -> None:
        if run:
            out.append(Inline("text", "".join(text[i] for i in run), run[0]))
            run.clear()

    for item in items:
        if isinstance(item, Inline):
            flush()
            out.append(item)
        else:
            if run and item != run[-1] + 1:
                flush()
            run.append(item)
    flush()
    return out
