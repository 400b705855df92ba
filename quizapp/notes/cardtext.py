"""A card's text as it is shown: fenced code blocks split from the text, and a cloze card's
answer with the deletions it asks."""

from __future__ import annotations

import re

from quizapp.notes.model import Segment

FENCE = re.compile(r"^(\s{0,3})(`{3,}|~{3,})\s*(.*)$")
CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.S)


def cloze_answer(text: str, number: int) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A cloze passage's answer for card ``number`` (every deletion filled in), and the ranges
    of it that card asks (its deletions, revealed when the answer shows)."""
    out: list[str] = []
    revealed: list[tuple[int, int]] = []
    pos = n = 0
    for m in CLOZE.finditer(text):
        out.append(text[pos : m.start()])
        n += m.start() - pos
        if int(m.group(1)) == number:
            revealed.append((n, n + len(m.group(2))))
        out.append(m.group(2))
        n += len(m.group(2))
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), tuple(revealed)


def segments(text: str) -> list[Segment]:
    """Split card text into literal text and fenced code blocks, for rendering."""
    out: list[Segment] = []
    buf: list[str] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if m:
            marker, lang = m.group(2), (m.group(3).split() or [""])[0]
            code: list[str] = []
            j = i + 1
            while j < len(lines) and not (
                lines[j].strip().startswith(marker) and not lines[j].strip().strip(marker[0])
            ):
                code.append(lines[j])
                j += 1
            if buf and "\n".join(buf).strip():
                out.append(Segment("text", "\n".join(buf).strip("\n")))
            buf = []
            out.append(Segment("code", "\n".join(code), lang))
            i = j + 1
            continue
        buf.append(lines[i])
        i += 1
    if buf and "\n".join(buf).strip():
        out.append(Segment("text", "\n".join(buf).strip("\n")))
    return out
