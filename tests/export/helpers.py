"""Helpers for the export tests: a deck of tricky text, importing packages, reading fields."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER as IF_NEWER

TRICKY_DECK = """\
---
id: tricky
title: Tricky text
tags: exam
---

# Tricky text

## Symbols & brackets

- `<LSTM>`: the layer written <LSTM> in angle brackets
- **a & b**: both a & b hold, and x[i] indexes x

Q: What does `x[i] < y && z` check?
A: Whether x[i] is less than y, and z:
```python
if a < b & c:
    print("<ok> & done")
```

> Explanation with <tags> & *emphasis*.

## 한국어 섹션

- `정규화`: 데이터를 0과 1 사이로 맞춘다 (normalization)

{{c1::LSTM}} layers take {{c2::3-D}} input <batch, steps, features> & more.
"""


def import_package(col: Collection, path: Path, with_scheduling: bool = False) -> None:
    """Import an .apkg the way Anki's import dialog does (updates only newer notes)."""
    col.import_anki_package(
        ImportAnkiPackageRequest(
            package_path=str(path),
            options=ImportAnkiPackageOptions(
                with_scheduling=with_scheduling,
                update_notes=IF_NEWER,
                update_notetypes=IF_NEWER,
            ),
        )
    )


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible(html: str) -> str:
    """The text a browser shows for an HTML field (tags dropped, entities decoded)."""
    p = _Text()
    p.feed(html)
    p.close()
    return "".join(p.parts)


_FENCE_LINE = re.compile(r"^\s{0,3}(```|~~~).*$", re.M)


def letters(text: str) -> str:
    """Text without whitespace, Markdown delimiters and fence lines: what must survive export."""
    text = _FENCE_LINE.sub("", text)
    return re.sub(r"[\s*_`]", "", text)


class TagNesting(HTMLParser):
    """Records whether every tag is one of the few the export writes, properly nested."""

    ALLOWED = frozenset({"pre", "code", "b", "i", "br", "ul", "ol", "li"})  # "* a" is a list

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in self.ALLOWED:
            self.problems.append(f"unexpected <{tag}>")
        if tag != "br":
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()
