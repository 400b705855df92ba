"""Markdown lists with their nesting: lines → items with children, and back to text.

An item's children are the items under it indented further than its own marker; a non-blank
line indented under an item that is not an item itself continues the item's text (joined with
a space, as a wrapped line reads). A list to learn keeps its nested items this way, and the
answer text it gives (``1. item`` with the children indented under it) is read back the same
way by whoever needs the structure: the Anki export, the exam's list questions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

# As the deck parser reads a list item: a marker, whitespace, then the text (may be empty).
ITEM = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|\d{1,3}[.)])[ \t]+(?P<text>.*)$")
TAB_WIDTH = 4


class ListItem(NamedTuple):
    """One item of a list: its text (one line), whether it is numbered, and its children."""

    text: str
    ordered: bool = False
    number: int | None = None  # the number written before a numbered item
    children: tuple[ListItem, ...] = ()


def indent_of(line: str) -> int:
    """The width of a line's leading whitespace, a tab counting as four columns."""
    width = 0
    for ch in line:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += TAB_WIDTH - width % TAB_WIDTH
        else:
            break
    return width


def is_item(line: str) -> bool:
    return ITEM.match(line) is not None


class _Open:
    """An item being read: its children are still being added."""

    __slots__ = ("children", "indent", "number", "ordered", "text")

    def __init__(self, indent: int, text: str, ordered: bool, number: int | None) -> None:
        self.indent = indent
        self.text = text
        self.ordered = ordered
        self.number = number
        self.children: list[_Open] = []

    def close(self) -> ListItem:
        return ListItem(
            self.text, self.ordered, self.number, tuple(c.close() for c in self.children)
        )


def parse_items(lines: Sequence[str]) -> tuple[ListItem, ...]:
    """The items of a list's lines, nested by indentation.

    Lines before the first item and blank lines are skipped; an item indented less than the
    first one is still a top-level item.
    """
    top: list[_Open] = []
    stack: list[_Open] = []  # the open items, outermost first
    for line in lines:
        if not line.strip():
            continue
        m = ITEM.match(line)
        if m is None:
            if stack:  # a continuation line: the item it is under goes on
                stack[-1].text += " " + line.strip()
            continue
        width = indent_of(m.group("indent"))
        marker = m.group("marker")
        ordered = marker[0].isdigit()
        item = _Open(width, m.group("text").strip(), ordered, int(marker[:-1]) if ordered else None)
        while stack and stack[-1].indent >= width:
            stack.pop()
        (stack[-1].children if stack else top).append(item)
        stack.append(item)
    return tuple(i.close() for i in top)


def format_items(items: Sequence[ListItem], *, numbered: bool = True) -> str:
    """Items as Markdown list text: the top level numbered ``1.`` … (or bulleted ``-``), each
    child list indented under its item's text, numbered if its items were, else ``-``."""
    out: list[str] = []

    def put(level: Sequence[ListItem], indent: str, number: bool) -> None:
        for n, item in enumerate(level, 1):
            marker = f"{n}." if number else "-"
            out.append(f"{indent}{marker} {item.text}")
            if item.children:
                child_numbered = all(c.ordered for c in item.children)
                put(item.children, indent + " " * (len(marker) + 1), child_numbered)

    put(items, "", numbered)
    return "\n".join(out)
