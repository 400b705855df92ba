"""Deck Markdown → card specs.

A deck is ordinary Markdown. The parser walks it line by line, keeping the heading path, and
turns the constructs it knows (definition lists, tables, lists to learn, cloze passages,
``Q:``/``A:`` questions, ``compute`` blocks) into :class:`CardSpec` objects. Everything else is
left alone: a deck still reads as notes. Every problem is a :class:`DeckError` at ``FILE:LINE``.
The format is documented in ``decks/README.md``.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from quizapp.notes import compute as compute_block
from quizapp.notes import lists
from quizapp.notes.cardtext import CLOZE as _CLOZE
from quizapp.notes.cardtext import FENCE as _FENCE
from quizapp.notes.files import DECK_ID as _DECK_ID
from quizapp.notes.files import deck_files, library_files, unquote
from quizapp.notes.lint import RULES
from quizapp.notes.model import CardKind, CardSpec, Deck, DeckError, LoadResult

FRONT_MATTER_FIELDS = {"id", "title", "reverse", "tags", "description"}
DIRECTIVES = {"reverse", "no-reverse", "learn", "check", "ok"}

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ANCHOR_TAIL = re.compile(r"\s*\{#([A-Za-z0-9][A-Za-z0-9_.:-]*)\}\s*$")
_ANCHOR_LINE = re.compile(r"^\s*\{#([A-Za-z0-9][A-Za-z0-9_.:-]*)\}\s*$")
_BAD_ANCHOR = re.compile(r"\{#([^}]*)\}\s*$")
_COMMENT_ONE = re.compile(r"^\s*<!--\s*(.*?)\s*-->\s*$", re.S)
_DIRECTIVE = re.compile(r"^([a-z][a-z-]*)\s*(?::\s*(.*))?$", re.S)
_DEF_ITEM = re.compile(
    r"^[-*+]\s+(?P<term>`[^`\n]+`|\*\*[^*\n]+\*\*)(?P<gloss>[^:`*\n]{0,80}?)\s*:\s*(?P<meaning>.*)$"
)
_LIST_ITEM = re.compile(r"^(\s*)(?:[-*+]|\d{1,3}[.)])\s+(.*)$")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$")
_QUESTION = re.compile(r"^Q:\s*(.*)$")
_ANSWER = re.compile(r"^A:\s*(.*)$")
# A match never spans another "{{": many unclosed "{{" would otherwise cost quadratic time.
_CLOZE_ANY = re.compile(r"\{\{(?!c\d+::)((?:(?!\{\{).)*?)\}\}", re.S)
_CLOZE_OPEN = re.compile(r"\{\{c\d*::")  # a deletion, or one missing its number
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CLOZE_UNCLOSED = re.compile(r"\{\{c\d*::(?:(?!\}\}).)*$", re.S)
_CELL_BAR = re.compile(r"(?<!\\)\|")
_TAG_DROP = re.compile(r"[`*_]")
_TAG_PARENS = re.compile(r"\s*\(.*?\)\s*")
_TAG_SPACE = re.compile(r"[\s:]+")

MAX_DECK_BYTES = 5_000_000


def normalize(text: str) -> str:
    """Identity form of a piece of text: NFC, whitespace collapsed, case folded."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _digest(*parts: str) -> str:
    h = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return h[:12]


@dataclass
class _Heading:
    level: int
    text: str
    anchor: str | None
    reverse: bool | None = None  # set by a <!-- reverse --> directive under it


class _Parser:
    def __init__(self, text: str, path: Path, source: str) -> None:
        self.path = path
        self.source = source
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.deck_id = path.stem
        self.title: str | None = None
        self.deck_reverse = False
        self.deck_tags: tuple[str, ...] = ()
        self.options: list[tuple[str, str]] = []
        self.headings: list[_Heading] = []
        self.cards: list[CardSpec] = []
        self.keys: dict[str, int] = {}
        self.last: list[int] = []  # indexes of the last construct's cards
        self.pending_anchor: tuple[str, int] | None = None
        self.learn_next: tuple[str | None, int] | None = None
        # The section's titles, identity and tags, kept while it lasts (cards in a row share
        # them): ``_headed`` counts the headings met, so a new one makes them anew.
        self._headed = 0
        self._section: tuple[object, tuple[str, ...]] = (None, ())
        self._identity: tuple[object, str] = (None, "")
        self._tags: tuple[object, tuple[str, ...]] = (None, ())

    # ----------------------------------------------------------------- helpers
    def error(self, line: int, message: str) -> DeckError:
        return DeckError(self.path, line, message)

    def section(self) -> tuple[str, ...]:
        key = (self._headed, self.title, self.deck_id)
        if self._section[0] != key:  # the headings changed since the last card
            titles = tuple(h.text for h in self.headings)
            self._section = (key, titles or (self.title or self.deck_id,))
        return self._section[1]

    def section_identity(self) -> str:
        key = self._headed
        if self._identity[0] != key:
            self._identity = (key, self._section_identity())
        return self._identity[1]

    def _section_identity(self) -> str:
        parts: list[str] = []
        for h in self.headings:
            if h.anchor:
                parts = ["#" + h.anchor]
            else:
                parts.append(normalize(h.text))
        return "/".join(parts)

    def reverse_here(self) -> bool:
        for h in reversed(self.headings):
            if h.reverse is not None:
                return h.reverse
        return self.deck_reverse

    def tags(self) -> tuple[str, ...]:
        key = (self._headed, self.title, self.deck_id, self.deck_tags)
        if self._tags[0] != key:
            self._tags = (key, self._section_tags())
        return self._tags[1]

    def _section_tags(self) -> tuple[str, ...]:
        out = [self.deck_id, *self.deck_tags]
        for part in self.section()[1:] if self.headings else ():
            tag = _tag(part)
            if tag:
                out.append(tag)
        seen: dict[str, None] = {}
        for t in out:
            seen.setdefault(t, None)
        return tuple(seen)

    def take_anchor(self, own: str | None = None) -> str | None:
        if own:
            self.pending_anchor = None
            return own
        if self.pending_anchor:
            anchor = self.pending_anchor[0]
            self.pending_anchor = None
            return anchor
        return None

    def note_key(self, anchor: str | None, *identity: str) -> str:
        if anchor:
            return f"{self.deck_id}:{anchor}"
        return f"{self.deck_id}:{_digest(self.section_identity(), *identity)}"

    def add(
        self,
        line: int,
        kind: CardKind,
        key: str,
        note_key: str,
        prompt: str,
        answer: str,
        **extra: object,
    ) -> None:
        if key in self.keys:
            first = self.cards[self.keys[key]].line
            raise self.error(
                line,
                f"duplicate card key {key} (same construct as line {first}); "
                "rename it or pin it with an anchor {#...}",
            )
        self.keys[key] = len(self.cards)
        self.cards.append(
            CardSpec(
                key=key,
                note_key=note_key,
                deck=self.deck_id,
                deck_title=self.title or self.deck_id,
                section=self.section(),
                kind=kind,
                prompt=prompt,
                answer=answer,
                source=self.source,
                line=line,
                tags=self.tags(),
                **extra,  # type: ignore[arg-type]
            )
        )

    # ------------------------------------------------------------ front matter
    def front_matter(self) -> int:
        if not self.lines or self.lines[0].strip() != "---":
            return 0
        for end in range(1, len(self.lines)):
            if self.lines[end].strip() in ("---", "..."):
                break
        else:
            raise self.error(1, "front matter opened with --- but never closed")
        for n in range(1, end):
            raw = self.lines[n]
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            if ":" not in raw:
                raise self.error(n + 1, f"front matter line is not 'key: value': {raw.strip()!r}")
            key, value = (s.strip() for s in raw.split(":", 1))
            if key not in FRONT_MATTER_FIELDS:
                known = ", ".join(sorted(FRONT_MATTER_FIELDS))
                raise self.error(n + 1, f"unknown front-matter field {key!r} (known: {known})")
            if any(k == key for k, _ in self.options):
                raise self.error(n + 1, f"front-matter field {key!r} is given twice")
            value = unquote(value)
            if key == "id":
                if not _DECK_ID.match(value):
                    raise self.error(n + 1, f"deck id {value!r} must be letters, digits, - _ .")
                self.deck_id = value
            elif key == "title":
                if not value:
                    raise self.error(n + 1, "title is empty")
                self.title = value
            elif key == "reverse":
                self.deck_reverse = _bool(value, self.error, n + 1)
            elif key == "tags":
                self.deck_tags = tuple(
                    t for t in (_tag(v) for v in value.strip("[]").split(",")) if t
                )
            self.options.append((key, value))
        return end + 1

    # ------------------------------------------------------------------ walk
    def parse(self) -> Deck:
        i = self.front_matter()
        if self.title is None:
            for raw in self.lines[i:]:
                m = _HEADING.match(raw)
                if m and len(m.group(1)) == 1:
                    self.title = _strip_anchor(m.group(2))[0]
                    break
        lines = self.lines
        while i < len(lines):
            raw = lines[i]
            stripped = raw.strip()
            lineno = i + 1
            if not stripped:
                i += 1
                continue
            if _FENCE.match(raw):
                i = self.fence(i)
                continue
            m = _HEADING.match(raw)
            if m:
                self.heading(lineno, len(m.group(1)), m.group(2))
                i += 1
                continue
            if stripped.startswith("<!--"):
                i = self.comment(i)
                continue
            m = _ANCHOR_LINE.match(raw)
            if m:
                self.pending_anchor = (m.group(1), lineno)
                i += 1
                continue
            if stripped.startswith(">"):
                i = self.blockquote(i)
                continue
            if _QUESTION.match(raw):
                i = self.question(i)
                continue
            if self.learn_next is not None and _LIST_ITEM.match(raw):
                i = self.learn_list(i)
                continue
            if _DEF_ITEM.match(raw):
                i = self.definition(i)
                continue
            if (
                "|" in raw
                and i + 1 < len(lines)
                and _TABLE_SEP.match(lines[i + 1])
                and "-" in lines[i + 1]
            ):
                i = self.table(i)
                continue
            if _ANSWER.match(raw):
                raise self.error(lineno, "A: without a Q: before it")
            i = self.paragraph(i)
        if self.pending_anchor:
            raise self.error(self.pending_anchor[1], "anchor is not followed by a card construct")
        if self.learn_next is not None:
            raise self.error(self.learn_next[1], "<!-- learn --> is not followed by a list")
        return Deck(
            id=self.deck_id,
            title=self.title or self.deck_id,
            path=self.path,
            source=self.source,
            cards=tuple(self.cards),
            options=tuple(self.options),
        )

    def heading(self, lineno: int, level: int, text: str) -> None:
        title, anchor = _strip_anchor(text)
        self._check_anchor_text(text, lineno)
        if not title:
            raise self.error(lineno, "empty heading")
        while self.headings and self.headings[-1].level >= level:
            self.headings.pop()
        self.headings.append(_Heading(level, title, anchor))
        self._headed += 1
        self.last = []

    def _check_anchor_text(self, text: str, lineno: int) -> None:
        if _BAD_ANCHOR.search(text) and not _ANCHOR_TAIL.search(text):
            raise self.error(lineno, "malformed anchor: use {#letters-digits-_.:}")

    def comment(self, i: int) -> int:
        start = i
        buf = []
        while i < len(self.lines):
            buf.append(self.lines[i])
            if "-->" in self.lines[i]:
                break
            i += 1
        else:
            raise self.error(start + 1, "HTML comment <!-- is never closed with -->")
        m = _COMMENT_ONE.match("\n".join(buf))
        if m:
            d = _DIRECTIVE.match(m.group(1))
            if d and d.group(1) in DIRECTIVES:
                self.directive(start + 1, d.group(1), (d.group(2) or "").strip())
        return i + 1

    def directive(self, lineno: int, name: str, arg: str) -> None:
        if name in ("reverse", "no-reverse"):
            value = name == "reverse"
            if self.headings:
                self.headings[-1].reverse = value
            else:
                self.deck_reverse = value
        elif name == "learn":
            self.learn_next = (arg or None, lineno)
        elif name == "check":
            if not arg:
                raise self.error(lineno, "empty check")
            if not self.last:
                raise self.error(lineno, "check is not attached to a card (put it right after one)")
            self._attach(
                lambda c: {"checks": (*c.checks, arg), "check_lines": (*c.check_lines, lineno)},
                primary_only=True,
            )
        elif name == "ok":
            rules = [r for r in re.split(r"[\s,]+", arg) if r]
            if not rules:
                raise self.error(lineno, "empty ok: name the rule it silences (ok: give-away)")
            for rule in rules:
                if rule not in RULES:
                    known = ", ".join(sorted(RULES))
                    raise self.error(lineno, f"unknown rule {rule!r} in ok: (rules: {known})")
            if not self.last:
                raise self.error(lineno, "ok is not attached to a card (put it right after one)")
            self._attach(lambda c: {"lint_ok": (*c.lint_ok, *rules)})

    def _attach(
        self, change: Callable[[CardSpec], dict[str, object]], primary_only: bool = False
    ) -> None:
        """Change the last construct's cards (all of them, or just its primary card)."""
        targets = self.last[:1] if primary_only else self.last
        for idx in targets:
            self.cards[idx] = self.cards[idx]._replace(**change(self.cards[idx]))

    def blockquote(self, i: int) -> int:
        body = []
        while i < len(self.lines) and self.lines[i].lstrip().startswith(">"):
            body.append(re.sub(r"^\s*>\s?", "", self.lines[i]))
            i += 1
        text = "\n".join(body).strip()
        if self.last and text:
            self._attach(lambda c: {"extra": (c.extra + "\n\n" + text).strip()})
        return i

    def fence(self, i: int) -> int:
        start = i
        m = _FENCE.match(self.lines[i])
        assert m is not None
        marker, info = m.group(2), m.group(3).strip()
        body: list[str] = []
        i += 1
        while i < len(self.lines):
            close = self.lines[i].strip()
            if close.startswith(marker[0] * len(marker)) and not close.strip(marker[0]):
                break
            body.append(self.lines[i])
            i += 1
        else:
            raise self.error(start + 1, f"code fence {marker} is never closed")
        info_text, anchor = _strip_anchor(info)
        self._check_anchor_text(info, start + 1)
        lang = info_text.split()[0] if info_text else ""
        if lang == "compute":
            self.compute(start + 1, body, self.take_anchor(anchor))
        else:
            code = "\n".join(body)
            fenced = f"{marker}{lang}\n{code}\n{marker}"
            # Only {{c…:: makes code a cloze: {{ x }} is ordinary template code.
            if "{{" in code and _CLOZE_OPEN.search(code):
                self.cloze(start + 1, fenced, self.take_anchor(anchor))
            else:
                self.last = []
        return i + 1

    def compute(self, lineno: int, body: list[str], anchor: str | None) -> None:
        fields: list[tuple[str, str]] = []
        for n, raw in enumerate(body, start=lineno + 1):
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            if ":" not in raw:
                raise self.error(n, f"compute line is not 'field: value': {raw.strip()!r}")
            key, value = (s.strip() for s in raw.split(":", 1))
            problem = compute_block.field_problem(key, [k for k, _ in fields])
            if problem:
                raise self.error(n, problem)
            fields.append((key, value))
        data = dict(fields)
        problem = compute_block.block_problem(data)
        if problem:
            raise self.error(lineno, problem)
        ask = compute_block.ask_of(data)
        key = self.note_key(
            anchor, "compute", normalize(data["layers"]), normalize(data["input"]), ask
        )
        self.add(
            lineno,
            "computed",
            key,
            key,
            compute_block.prompt(data),
            "",
            compute=tuple(fields),
            extra=data.get("explain", ""),
        )
        self.last = [len(self.cards) - 1]

    def question(self, i: int) -> int:
        start = i
        m = _QUESTION.match(self.lines[i])
        assert m is not None
        q_lines = [m.group(1)]
        i += 1
        while i < len(self.lines) and self.lines[i].strip() and not _ANSWER.match(self.lines[i]):
            if _QUESTION.match(self.lines[i]) or _HEADING.match(self.lines[i]):
                break
            q_lines.append(self.lines[i])
            i += 1
        if i >= len(self.lines) or not _ANSWER.match(self.lines[i]):
            raise self.error(start + 1, "Q: without an A: right after it")
        a = _ANSWER.match(self.lines[i])
        assert a is not None
        a_lines = [a.group(1)]
        i += 1
        in_fence: str | None = None
        fence_line = 0
        while i < len(self.lines):
            raw = self.lines[i]
            fm = _FENCE.match(raw)
            if in_fence is None and not raw.strip():
                break
            if in_fence is None and (
                _QUESTION.match(raw)
                or _HEADING.match(raw)
                or raw.lstrip().startswith(("<!--", ">"))
            ):
                break
            if fm:
                if in_fence is None:
                    in_fence, fence_line = fm.group(2), i + 1
                elif raw.strip().startswith(in_fence) and not raw.strip().strip(in_fence[0]):
                    in_fence = None
            a_lines.append(raw)
            i += 1
        if in_fence is not None:
            raise self.error(fence_line, f"code fence {in_fence} is never closed")
        question = "\n".join(q_lines).strip()
        question, anchor = _strip_anchor(question)
        self._check_anchor_text("\n".join(q_lines), start + 1)
        answer = "\n".join(a_lines).strip()
        if not question:
            raise self.error(start + 1, "empty question after Q:")
        if not answer:
            raise self.error(start + 1, "empty answer after A:")
        self._no_stray_cloze(question + answer, start + 1)
        key = self.note_key(self.take_anchor(anchor), "qa", normalize(question))
        self.add(start + 1, "qa", key, key, question, answer)
        self.last = [len(self.cards) - 1]
        return i

    def definition(self, i: int) -> int:
        start = i
        m = _DEF_ITEM.match(self.lines[i])
        assert m is not None
        term = m.group("term")
        gloss = m.group("gloss").strip()
        first, anchor = _strip_anchor(m.group("meaning"))
        self._check_anchor_text(m.group("meaning"), start + 1)
        meaning = [first]
        more: list[str] = []
        i += 1
        while i < len(self.lines):
            raw = self.lines[i]
            if not raw.strip() or not raw.startswith(("  ", "\t")):
                break
            more.append(raw)
            i += 1
        # A list under the meaning keeps its nesting (indented relative to its first level).
        base = min((lists.indent_of(x) for x in more if lists.is_item(x)), default=0)
        for raw in more:
            depth = lists.indent_of(raw) - base if lists.is_item(raw) else 0
            meaning.append(" " * max(depth, 0) + raw.strip())
        answer = "\n".join(x for x in meaning if x).strip()
        if not answer:
            raise self.error(start + 1, f"definition of {term} has no meaning after the colon")
        self._no_stray_cloze(term + answer, start + 1)
        prompt = f"{term} {gloss}".strip()
        bare = term.strip("`*")
        key = self.note_key(self.take_anchor(anchor), "def", normalize(bare))
        self.add(start + 1, "definition", key, key, prompt, answer)
        self.last = [len(self.cards) - 1]
        if self.reverse_here():
            self.add(start + 1, "reverse", f"{key}-r", key, _mask_term(answer, bare), prompt)
            self.last.append(len(self.cards) - 1)
        return i

    def learn_list(self, i: int) -> int:
        assert self.learn_next is not None
        custom, directive_line = self.learn_next
        self.learn_next = None
        start = i
        base_indent = len(_LIST_ITEM.match(self.lines[i]).group(1))  # type: ignore[union-attr]
        body: list[str] = []
        while i < len(self.lines):
            raw = self.lines[i]
            m = _LIST_ITEM.match(raw)
            if m and len(m.group(1)) == base_indent:
                body.append(raw)
            elif raw.strip() and raw.startswith(("  ", "\t")) and body:
                body.append(raw)  # a nested item (a child of the one above) or a wrapped line
            else:
                break
            i += 1
        items = lists.parse_items(body)
        heading = self.section()[-1]
        prompt = custom or f"{heading}: name all {len(items)}."
        bulleted = self.lines[start].lstrip()[:1] in ("-", "*", "+")  # bulleted: in no order
        answer = lists.format_items(items, numbered=not bulleted)
        self._no_stray_cloze(prompt + answer, start + 1)
        key = self.note_key(self.take_anchor(), "list", normalize(custom or heading))
        self.add(directive_line, "list", key, key, prompt, answer)
        self.last = [len(self.cards) - 1]
        return i

    def table(self, i: int) -> int:
        start = i
        header = _cells(self.lines[i])
        sep = _cells(self.lines[i + 1])
        if len(sep) != len(header):
            raise self.error(
                i + 2, f"table separator has {len(sep)} columns, the header has {len(header)}"
            )
        if len(header) < 2:
            raise self.error(start + 1, "a table needs at least two columns")
        i += 2
        rows: list[tuple[int, list[str]]] = []
        while i < len(self.lines) and self.lines[i].strip() and "|" in self.lines[i]:
            cells = _cells(self.lines[i])
            if len(cells) != len(header):
                raise self.error(
                    i + 1, f"table row has {len(cells)} cells, the header has {len(header)}"
                )
            rows.append((i + 1, cells))
            i += 1
        if not rows:
            raise self.error(start + 1, "table has a header but no rows")
        anchor = self.take_anchor()
        self.last = []
        col_headers = [h or f"column {col + 1}" for col, h in enumerate(header)]
        col_ids = [normalize(h) for h in col_headers]
        for lineno, cells in rows:
            row_header = cells[0]
            if not row_header:
                raise self.error(lineno, "table row has an empty first cell (its row header)")
            row_id = normalize(row_header)
            for col, cell in enumerate(cells[1:], start=1):
                if not cell:
                    continue
                col_header = col_headers[col]
                self._no_stray_cloze(cell, lineno)
                prompt = f"{row_header} — {col_header}"
                cell_id = (row_id, col_ids[col])
                if anchor:
                    key = f"{self.deck_id}:{anchor}:{_digest(*cell_id)}"
                else:
                    key = self.note_key(None, "cell", *cell_id)
                self.add(lineno, "table", key, key, prompt, cell)
                self.last.append(len(self.cards) - 1)
        return i

    def paragraph(self, i: int) -> int:
        start = i
        body: list[str] = []
        while i < len(self.lines):
            raw = self.lines[i]
            if (
                not raw.strip()
                or _FENCE.match(raw)
                or _HEADING.match(raw)
                or raw.strip().startswith("<!--")
                or _QUESTION.match(raw)
            ):
                break
            if body and (_DEF_ITEM.match(raw) or raw.lstrip().startswith(">")):
                break
            body.append(raw)
            i += 1
        if not body:  # a line no other rule took; consume it
            return i + 1
        text = "\n".join(body)
        if _has_cloze(text):
            stripped, anchor = _strip_anchor(text)
            self.cloze(start + 1, stripped.strip(), self.take_anchor(anchor))
        else:
            if self.pending_anchor:
                raise self.error(
                    self.pending_anchor[1], "anchor is not followed by a card construct"
                )
            self.last = []
        return i

    def cloze(self, lineno: int, text: str, anchor: str | None) -> None:
        """A passage (or fenced code, fences included) with ``{{cN::...}}``: a card per N."""
        bad = _CLOZE_ANY.search(text)
        if bad:
            line = lineno + text[: bad.start()].count("\n")
            inside = " ".join(bad.group(1).split())[:30]  # the message stays one line
            raise self.error(
                line, f"cloze without a number: {{{{{inside}}}}} (write {{{{c1::...}}}})"
            )
        unclosed = _CLOZE_UNCLOSED.search(text)
        if unclosed:
            line = lineno + text[: unclosed.start()].count("\n")
            raise self.error(line, "cloze {{c…:: is never closed with }}")
        matches = list(_CLOZE.finditer(text))  # read once for the checks, prompts, answers
        for m in matches:
            if "{{" in m.group(2) or "{{" in (m.group(3) or ""):
                line = lineno + text[: m.start()].count("\n")
                raise self.error(
                    line,
                    "cloze {{c…:: is not closed with }} before the next {{ (clozes cannot nest)",
                )
        numbers = sorted({int(m.group(1)) for m in matches})
        if 0 in numbers:
            raise self.error(lineno, "cloze numbers start at c1")
        if any(not m.group(2).strip() for m in matches):
            raise self.error(lineno, "empty cloze deletion")
        identity = _replaced(text, matches, lambda m: f"{{{{c{m.group(1)}}}}}")
        note = self.note_key(anchor, "cloze", normalize(identity))
        self.last = []
        answer = _replaced(text, matches, lambda m: m.group(2))  # every deletion filled in
        for n in numbers:
            prompt = _replaced(
                text,
                matches,
                lambda m, n=n: f"[{m.group(3) or '...'}]" if int(m.group(1)) == n else m.group(2),
            )
            self.add(
                lineno,
                "cloze",
                f"{note}-c{n}",
                note,
                prompt,
                answer,
                cloze_text=text,
                cloze_number=n,
            )
            self.last.append(len(self.cards) - 1)

    def _no_stray_cloze(self, text: str, lineno: int) -> None:
        if _has_cloze(text):
            raise self.error(
                lineno, "cloze deletions belong in a paragraph or code block of their own"
            )


def _replaced(text: str, matches: list[re.Match[str]], put: Callable[[re.Match[str]], str]) -> str:
    """``text`` with each of its matches replaced by ``put(match)``, as ``re.sub`` does."""
    parts: list[str] = []
    pos = 0
    for m in matches:
        parts.append(text[pos : m.start()])
        parts.append(put(m))
        pos = m.end()
    parts.append(text[pos:])
    return "".join(parts)


def _mask_term(text: str, term: str) -> str:
    """A reverse card's prompt must not give its answer away: hide the term in the meaning."""
    variants = {term, term.replace("_", " ")}
    for v in sorted(variants, key=len, reverse=True):
        if len(v) >= 2:
            text = re.sub(re.escape(v), "___", text, flags=re.IGNORECASE)
    return text


def _strip_anchor(text: str) -> tuple[str, str | None]:
    m = _ANCHOR_TAIL.search(text)
    if not m:
        return text.strip(), None
    return text[: m.start()].strip(), m.group(1)


def _cells(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    cells = _CELL_BAR.split(s)
    return [c.strip().replace("\\|", "|") for c in cells]


def _bool(value: str, error: Callable[[int, str], DeckError], line: int) -> bool:
    v = value.strip().lower()
    if v in ("true", "yes", "on", "1"):
        return True
    if v in ("false", "no", "off", "0"):
        return False
    raise error(line, f"expected true or false, got {value!r}")


@lru_cache(maxsize=4096)
def _tag(text: str) -> str:
    """A tag from a heading: no spaces (Anki splits tags on spaces)."""
    text = _TAG_DROP.sub("", text)
    text = _TAG_PARENS.sub(" ", text).strip() or text.strip()
    return _TAG_SPACE.sub("_", text).strip("_")


def _has_cloze(text: str) -> bool:
    """``{{c…::`` anywhere, or ``{{...}}`` outside code (a cloze missing its number).

    ``{{ x }}`` in inline code or a fenced block is code (templates, f-strings), not a cloze.
    """
    if "{{" not in text:
        return False
    if _CLOZE_OPEN.search(text):
        return True
    prose: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        m = _FENCE.match(line)
        if fence is None and m:
            fence = m.group(2)
        elif fence is not None:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
        else:
            prose.append(line)
    return bool(_CLOZE_ANY.search(_CODE_SPAN.sub("", "\n".join(prose))))


def parse_deck(text: str, path: Path, source: str | None = None) -> Deck:
    """Parse one deck's text; raises :class:`DeckError` on the first problem.

    Control characters (terminal escapes and the like; tabs and line breaks aside) are shown as
    U+FFFD, so card text can never drive the terminal it is printed on.
    """
    deck = _Parser(_CONTROL.sub("\ufffd", text), path, source or path.name).parse()
    return deck._replace(content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest())


def read_deck(path: Path, source: str | None = None) -> Deck:
    """Read and parse a deck file; every problem is a :class:`DeckError`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DeckError(path, 0, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_DECK_BYTES:
        raise DeckError(path, 0, f"deck file is larger than {MAX_DECK_BYTES // 1_000_000} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DeckError(path, line, "not UTF-8 text") from None
    if "\x00" in text:
        raise DeckError(path, text[: text.index("\x00")].count("\n") + 1, "NUL byte in text")
    return parse_deck(text, path, source)


def source_name(path: Path, deck_dir: Path) -> str:
    """How a deck file is named in sources: relative to its deck directory's parent."""
    base = deck_dir.resolve().parent
    if base == Path(base.anchor):  # a directory at the root: keep the leading /
        return path.resolve().as_posix()
    try:
        return path.resolve().relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def _os_words(exc: OSError) -> str:
    """The system's reason, lower-cased as deck errors are (``no such file or directory``)."""
    words = exc.strerror or str(exc)
    return words[:1].lower() + words[1:]


def load_decks(
    deck_dirs: Sequence[Path],
    files: Iterable[Path] | None = None,
    *,
    yielding: Sequence[Path] = (),
) -> LoadResult:
    """Load every deck in ``deck_dirs`` (or just ``files``); bad files are reported, not fatal.

    ``yielding``: directories whose decks give way to a deck of the same id elsewhere (see
    :func:`library_files`).
    """
    targets: list[tuple[Path, Path]] = []
    errors: list[DeckError] = []
    if files is None:
        targets = library_files(deck_dirs, yielding)
    else:
        for f in files:
            try:
                st = f.stat()
            except OSError as exc:
                errors.append(DeckError(f, 0, _os_words(exc)))
                continue
            if stat.S_ISDIR(st.st_mode):
                if not os.access(f, os.R_OK | os.X_OK):
                    errors.append(DeckError(f, 0, "cannot read the directory: Permission denied"))
                    continue
                targets.extend((p, f) for p in deck_files(f))
            elif stat.S_ISREG(st.st_mode):
                targets.append((f, f.parent))
            else:
                errors.append(DeckError(f, 0, "not a regular file"))
    decks: list[Deck] = []
    seen: dict[str, Deck] = {}
    for path, deck_dir in targets:
        try:
            deck = read_deck(path, source_name(path, deck_dir))
        except DeckError as err:
            errors.append(err)
            continue
        if deck.id in seen:
            errors.append(
                DeckError(path, 1, f"deck id {deck.id!r} is already used by {seen[deck.id].source}")
            )
            continue
        seen[deck.id] = deck
        decks.append(deck)
    return LoadResult(decks=tuple(decks), errors=tuple(errors))
