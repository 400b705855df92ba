"""Card text → the HTML of an Anki field.

Deck text is literal text, never HTML: every ``<``, ``>`` and ``&`` is escaped, so ``<LSTM>``
reads ``<LSTM>`` in Anki and ``a & b`` stays ``a & b``. On top of that a small, safe subset of
Markdown becomes HTML:

- fenced code blocks → ``<pre><code>`` (line breaks kept, contents escaped),
- inline code spans (`` `x` ``) → ``<code>``,
- ``**bold**`` / ``__bold__`` → ``<b>``, ``*italic*`` / ``_italic_`` → ``<i>``,
- ``\\*``, ``\\_`` and ``\\``` stand for the literal character,
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
from collections.abc import Callable, Sequence

from quizapp.notes import lists, segments

_CODE_SPAN = re.compile(r"(?<!\\)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_ESCAPED = re.compile(r"\\([*_`])")
# ``*``-emphasis may touch non-ASCII letters (Korean particles: **LSTM**은) but not ASCII
# letters or digits, so 2*3*4 stays arithmetic. ``_``-emphasis never sits inside a word
# (snake_case_names stay as they are).
_STRONG_STAR = re.compile(r"(?<![A-Za-z0-9*])\*\*(?=[^\s*])(.+?)(?<=[^\s*])\*\*(?![A-Za-z0-9*])")
_EM_STAR = re.compile(r"(?<![A-Za-z0-9*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![A-Za-z0-9*])")
_STRONG_UNDER = re.compile(r"(?<![\w_])__(?=[^\s_])(.+?)(?<=[^\s_])__(?![\w_])")
_EM_UNDER = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")
_INDENT = re.compile(r"^ +", re.M)
_PLACEHOLDER = "\x00{}\x00"
_PLACEHOLDER_RE = re.compile("\x00(\\d+)\x00")


def escape(text: str) -> str:
    """Escape text for HTML (``<``, ``>``, ``&``; quotes are harmless in element content)."""
    return html.escape(text, quote=False)


def _wrap(tag: str) -> Callable[[re.Match[str]], str]:
    """Wrap an emphasis match in ``tag`` unless that would cross another tag (``**a *b** c*``)."""

    def sub(m: re.Match[str]) -> str:
        inner = m.group(1)
        if any(inner.count(f"<{t}>") != inner.count(f"</{t}>") for t in ("b", "i")):
            return m.group(0)
        return f"<{tag}>{inner}</{tag}>"

    return sub


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

    def hold(fragment: str) -> str:
        held.append(fragment)
        return _PLACEHOLDER.format(len(held) - 1)

    def code_span(m: re.Match[str]) -> str:
        body = m.group(2)
        if body.startswith(" ") and body.endswith(" ") and body.strip():
            body = body[1:-1]
        return hold(f"<code>{escape(body)}</code>")

    text = text.replace("\x00", "")
    text = _CODE_SPAN.sub(code_span, text)
    text = _ESCAPED.sub(lambda m: hold(escape(m.group(1))), text)
    out = escape(text)
    out = _STRONG_STAR.sub(_wrap("b"), out)
    out = _STRONG_UNDER.sub(_wrap("b"), out)
    out = _EM_STAR.sub(_wrap("i"), out)
    out = _EM_UNDER.sub(_wrap("i"), out)
    # Keep indentation (derivations indent their steps): HTML would collapse leading spaces.
    out = _INDENT.sub(lambda m: "&nbsp;" * len(m.group(0)), out)
    out = out.replace("\n", "<br>")
    # Placeholders may nest (an escaped char inside a later hold), so resolve until stable.
    while _PLACEHOLDER_RE.search(out):
        out = _PLACEHOLDER_RE.sub(lambda m: held[int(m.group(1))], out)
    return out


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
