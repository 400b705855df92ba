"""Card text → the HTML of an Anki field.

Deck text is literal text, never HTML: every ``<``, ``>`` and ``&`` is escaped, so ``<LSTM>``
reads ``<LSTM>`` in Anki and ``a & b`` stays ``a & b``. On top of that a small, safe subset of
Markdown becomes HTML:

- fenced code blocks → ``<pre><code>`` (line breaks kept, contents escaped),
- inline code spans (`` `x` ``) → ``<code>``,
- ``**bold**`` / ``__bold__`` → ``<b>``, ``*italic*`` / ``_italic_`` → ``<i>``,
- ``\\*``, ``\\_`` and ``\\``` stand for the literal character (the inline rules are
  :mod:`quizapp.notes.inline`'s, which the app's card text shares),
- line breaks → ``<br>``, leading spaces kept as ``&nbsp;``,
- a nested Markdown list (``-``/``*``/``+`` or ``1.`` items, nested by indentation) →
  ``<ul>``/``<ol>`` with its nested lists inside their items (``quizapp.notes.lists`` reads the
  nesting); each item's text is rendered as above, so it is escaped too. A flat list stays
  lines of text with their markers, as it was always exported.

Cloze markers (``{{c1::...}}``) pass through untouched, so the same function renders the
``Text`` field of a cloze note.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from quizapp.notes import lists, segments
from quizapp.notes.inline import inline

_INDENT = re.compile(r"^ +", re.M)
_PLACEHOLDER = "\x00{}\x00"
_PLACEHOLDER_RE = re.compile("\x00(\\d+)\x00")


def escape(text: str) -> str:
    """Escape text for HTML (``<``, ``>``, ``&``; quotes are harmless in element content)."""
    return html.escape(text, quote=False)


def text_html(text: str) -> str:
    """Card text (no fences) → HTML: escaped, inline Markdown, ``<br>`` breaks, lists as HTML
    lists."""
    parts: list[str] = []
    for is_list, lines in _blocks(text.split("\n")):
        items = lists.parse_items(lines) if is_list else ()
        if any(item.children for item in items):
            parts.append(_list_html(items))
        else:  # a flat list stays lines of text, as it reads (and as earlier exports wrote it)
            parts.append(_lines_html("\n".join(lines)))
    out = ""
    for i, part in enumerate(parts):
        block = part.startswith(("<ul>", "<ol"))
        if i and not block and not parts[i - 1].startswith(("<ul>", "<ol")):
            out += "<br>"
        out += part
    return out


def _blocks(lines: list[str]) -> list[tuple[bool, list[str]]]:
    """The text's lines in runs: (False, ordinary lines) and (True, the lines of one list).

    A list starts at an item indented at most three spaces and goes on while its lines are
    items or lines indented under them; a blank line or an unindented line ends it.
    """
    out: list[tuple[bool, list[str]]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if lists.is_item(line) and lists.indent_of(line) <= 3:
            j = i + 1
            while j < len(lines) and lines[j].strip():
                if not (lists.is_item(lines[j]) or lists.indent_of(lines[j]) > 0):
                    break
                j += 1
            out.append((True, lines[i:j]))
            i = j
            continue
        if out and not out[-1][0]:
            out[-1][1].append(line)
        else:
            out.append((False, [line]))
        i += 1
    return out


def _list_html(items: Sequence[lists.ListItem]) -> str:
    """Items (with their children) → ``<ol>``/``<ul>``, each item's text escaped."""
    ordered = all(item.ordered for item in items)
    start = items[0].number if ordered and items else None
    tag = "ol" if ordered else "ul"
    opening = f'<ol start="{start}">' if ordered and start not in (None, 1) else f"<{tag}>"
    body = "".join(
        f"<li>{_lines_html(item.text)}"
        + (_list_html(item.children) if item.children else "")
        + "</li>"
        for item in items
    )
    return f"{opening}{body}</{tag}>"


def _lines_html(text: str) -> str:
    """Lines of card text (no fences, no lists) → HTML: escaped, inline Markdown, ``<br>``."""
    held: list[str] = []
    parts: list[str] = []
    for piece in inline(text):
        if piece.kind == "text":
            parts.append(escape(piece.value))
        elif piece.kind == "code":  # kept out of the indentation and line breaks below
            held.append(f"<code>{escape(piece.value)}</code>")
            parts.append(_PLACEHOLDER.format(len(held) - 1))
        else:
            parts.append(f"<{'/' if piece.kind == 'close' else ''}{piece.value}>")
    out = "".join(parts)
    # Keep indentation (derivations indent their steps): HTML would collapse leading spaces.
    out = _INDENT.sub(lambda m: "&nbsp;" * len(m.group(0)), out)
    out = out.replace("\n", "<br>")
    return _PLACEHOLDER_RE.sub(lambda m: held[int(m.group(1))], out)


def code_html(code: str, lang: str = "") -> str:
    """A fenced code block → ``<pre><code>`` with its line breaks and escaped contents."""
    cls = f' class="language-{html.escape(lang, quote=True)}"' if lang else ""
    return f"<pre><code{cls}>{escape(code)}</code></pre>"


def field_html(text: str) -> str:
    """Card text (prompt, answer, explanation, cloze passage) → the HTML of an Anki field."""
    parts: list[str] = []
    for seg in segments(text):
        if seg.kind == "code":
            parts.append(code_html(seg.text, seg.lang))
        else:
            parts.append(text_html(seg.text))
    return "".join(parts)


def plain_html(text: str) -> str:
    """Escaped text with ``<br>`` breaks and no Markdown at all (context, source lines)."""
    return escape(text).replace("\n", "<br>")
