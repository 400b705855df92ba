"""Plain study notes → a deck draft: what ``quizapp decks import`` writes.

A notes file as students keep it (``<LSTM>`` headings, a title line over ``name: meaning``
lines, tab-separated or column-aligned tables, pasted Python, ``# 1. ...`` lists, questions
ending in ``?``) becomes deck Markdown the parser reads, construct by construct, in the order
of the notes. No word of the notes is dropped, reworded or translated: what is not recognised
stays as a paragraph, word for word, and the report names those lines so the learner can
touch them up.

The draft is checked by parsing it (and, when given, completing it as the library does); a
construct the parser refuses is written as plain text instead, and plain text it refuses as a
fenced block of text, so every draft loads. Importing the same notes twice gives the same draft,
byte for byte, and so the same card keys. Standard library only, like the rest of this room.
"""

from __future__ import annotations

import ast
import codecs
import gc
import re
import textwrap
import unicodedata
import warnings
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from quizapp.notes.lint import lint_deck, shows
from quizapp.notes.model import Deck, DeckError
from quizapp.notes.parse import MAX_DECK_BYTES, normalize, parse_deck

MAX_CLOZES = 3  # cloze numbers suggested per code block
MAX_TITLE = 40  # a title line is at most this long ...
MAX_TITLE_WORDS = 6  # ... and this many words
MAX_TERM = 40  # a definition's term is at most this long ...
MAX_TERM_WORDS = 4  # ... and this many words
MAX_ALIGNED_CELL = 30  # a column-aligned table's cells are short
MAX_STATEMENT_LINES = 40  # a Python statement spanning lines is looked for this far

_DECK_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_ANGLE = re.compile(r"^<(?![!/])([^<>]*[^<>\s][^<>]*)>$")
_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(\S.*?)(?:[ \t]+#+)?[ \t]*$")
_LIST = re.compile(r"^(?:#[ \t]*(?=\d))?(\d{1,3}[.)]|[-*+])[ \t]+\S")
_HASH_NUMBER = re.compile(r"^#[ \t]*(?=\d{1,3}[.)][ \t])")
_DECK_DEF = re.compile(
    r"^[-*+]\s+(?:`[^`\n]+`|\*\*[^*\n]+\*\*)[^:`*\n]{0,80}?\s*:\s*\S"
)  # already in the deck format (as the parser reads a definition)
_DEF = re.compile(r"^(?P<term>[^\s:][^:]*?)\s*:\s+(?P<meaning>\S.*)$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")
_Q = re.compile(r"^Q:\s*\S")
_A = re.compile(r"^A:\s*\S")
_QA_LINE = re.compile(r"^[QA]:")
_SAME_LINE_QUESTION = re.compile(r"^(?P<q>[^?]*\S[^?]*\?)\s+(?P<a>\S.*)$")
_ALIGNED_SPLIT = re.compile(r"[ ]{2,}")
_TAB_RUN = re.compile(r"\t+")
_VS = re.compile(r"^(?P<a>\S.*?)\s+vs\.?\s+(?P<b>\S.*)$", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BACKTICKS = re.compile(r"^\s*(`{3,})")

_STRONG = (
    ast.Import,
    ast.ImportFrom,
    ast.Assign,
    ast.AugAssign,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Return,
    ast.Delete,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.If,
    ast.With,
    ast.AsyncWith,
    ast.Raise,
    ast.Try,
    ast.Assert,
    ast.Global,
    ast.Nonlocal,
    ast.Match,
)


class NotesError(Exception):
    """Notes that cannot be imported (binary, empty, nothing recognised): one line.

    ``line`` is the line of the notes it is about (0: the whole file)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


# --------------------------------------------------------------------------- reading


def decode_notes(data: bytes) -> tuple[str, str]:
    """The notes' text and the encoding it was read in: UTF-8 (with or without a BOM), UTF-16
    with a BOM, then CP949 (EUC-KR), tried in that order. Line breaks become ``\\n``.

    Raises :class:`NotesError` for a binary file, an empty one, or bytes none of them reads."""
    text: str | None = None
    encoding = ""
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = _decode(data[len(codecs.BOM_UTF8) :], "utf-8"), "UTF-8 with BOM"
    if text is None:
        text, encoding = _decode(data, "utf-8"), "UTF-8"
    if text is None and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        order = "little-endian" if data.startswith(codecs.BOM_UTF16_LE) else "big-endian"
        text, encoding = _decode(data, "utf-16"), f"UTF-16 ({order}, with BOM)"
    if text is None:
        text, encoding = _decode(data, "cp949"), "CP949 (EUC-KR)"
    if text is None or "\x00" in text or _binary(text):
        raise NotesError(
            "not a text file (binary data, or an encoding other than UTF-8, UTF-16 with a BOM "
            "and CP949/EUC-KR)"
        )
    if not text.strip():
        raise NotesError("the notes are empty: nothing to import")
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def _decode(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _binary(text: str) -> bool:
    """More than one character in a hundred is a control character (tabs, line and page breaks
    aside): that is data, not notes."""
    controls = len(_CONTROL.findall(text))
    return controls > 0 and controls * 100 > len(text)


def deck_id_for(name: str) -> str:
    """A deck id from a notes file's name: its stem in letters, digits, ``-``, ``_`` and ``.``
    (accents taken off, other characters as ``-``); ``notes`` when nothing is left."""
    stem = Path(name).stem
    plain = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", plain)
    slug = re.sub(r"-{2,}", "-", slug).strip("-_.")
    return slug if slug and _DECK_ID.match(slug) else "notes"


def title_for(name: str) -> str:
    """A deck title from a notes file's name: its stem, ``-`` and ``_`` read as spaces."""
    words = " ".join(re.sub(r"[-_]+", " ", Path(name).stem).split())
    return words or "notes"


# ---------------------------------------------------------------------- what it finds


@dataclass(frozen=True)
class Construct:
    """One thing found in the notes, as the report lists it."""

    kind: str  # heading, definitions, table, code, list, question, text
    first: int  # its lines in the notes (1-based, inclusive)
    last: int
    cards: int
    detail: str

    @property
    def lines(self) -> str:
        """``line 4`` or ``lines 4-9``."""
        if self.first == self.last:
            return f"line {self.first}"
        return f"lines {self.first}-{self.last}"


@dataclass(frozen=True)
class Draft:
    """A deck draft made from notes, with what was found in them."""

    deck_id: str
    title: str
    text: str  # the deck Markdown, ready to write
    encoding: str
    line_count: int  # lines of the notes
    constructs: tuple[Construct, ...]
    deck: Deck  # the draft as parsed: its cards and their keys
    warnings: tuple[str, ...] = ()  # decks check's warnings on the draft, as lines

    @property
    def cards(self) -> int:
        return len(self.deck.cards)

    @property
    def plain_lines(self) -> tuple[int, ...]:
        """The lines of the notes that gave no card (blank lines aside)."""
        out: list[int] = []
        for c in self.constructs:
            if c.kind == "text":
                out.extend(range(c.first, c.last + 1))
        return tuple(out)

    def report(self, name: str) -> list[str]:
        """The report: each construct with its lines in the notes and its cards, then the
        lines that became plain text."""
        constructs = [c for c in self.constructs if c.kind != "text" or c.cards]
        out = [
            f"{name}: read as {self.encoding}, {self.line_count} lines → deck {self.deck_id!r}"
            f" ({self.title}): {_count(self.cards, 'card')} from "
            f"{_count(len(constructs), 'construct')}"
        ]
        width = max((len(c.lines) for c in self.constructs), default=1)
        for c in self.constructs:
            cards = "" if c.kind == "heading" else f"{_count(c.cards, 'card')}: "
            if c.kind == "text" and not c.cards:
                cards = "no card"
            out.append(f"  {c.lines:<{width}}  {c.kind:<11}  {cards}{c.detail}".rstrip())
        plain = [c for c in self.constructs if c.kind == "text" and not c.cards]
        if plain:
            spans = ", ".join(c.lines.split(" ", 1)[1] for c in plain)
            n = sum(c.last - c.first + 1 for c in plain)
            out.append(f"Plain text, no card ({_count(n, 'line')}): {spans}")
        else:
            out.append("Plain text, no card: none")
        if self.warnings:
            rules = Counter(w.split("[", 1)[1].split("]", 1)[0] for w in self.warnings)
            listed = ", ".join(f"{r} {n}" for r, n in sorted(rules.items()))
            out.append(f"Warnings on the draft ({listed}): see quizapp decks check")
        return out


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# ------------------------------------------------------------------------ the pieces


@dataclass
class _Piece:
    """A run of notes lines and the draft lines it becomes.

    ``demoted``: 0 as recognised, 1 written as plain text (the parser refused the construct),
    2 as a fenced block of text (the parser refused the plain text too)."""

    kind: str
    first: int
    last: int
    notes: list[str]  # the notes' lines, as they were
    detail: str = ""
    # heading
    level: int = 0
    title: str = ""
    # definitions: (term, meaning); table: header and rows; list: the items' lines;
    # question: question and answer lines; code: the code with its clozes
    terms: list[tuple[str, str]] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    question: str = ""
    clozes: list[str] = field(default_factory=list)
    demoted: int = 0
    why: str = ""  # the parser's words when it refused the construct
    # set while rendering
    anchors: dict[int, str] = field(default_factory=dict)
    start: int = 0  # its first line in the draft
    end: int = 0

    def plain_text(self) -> list[str]:
        return [line.rstrip() for line in self.notes]


def _py_kind(line: str) -> str | None:
    """What one line of notes is to Python: ``strong`` (a statement only code makes: an
    import, an assignment, a call, a definition), ``weak`` (it parses, but prose could too: a
    bare name, a tuple), ``comment``, or None (not Python)."""
    s = line.strip()
    if not s:
        return None
    if s.startswith("#"):
        return "comment"
    if not _may_be_strong(s):
        return None  # at most a bare name or a number: prose as much as code
    return _parsed_kind(s)


_STATEMENT_WORDS = frozenset(
    [
        "import",
        "from",
        "return",
        "raise",
        "del",
        "assert",
        "global",
        "nonlocal",
        "yield",
        "await",
        "pass",
        "break",
        "continue",
    ]
)
_BLOCK_WORDS = frozenset(
    [
        "if",
        "elif",
        "else",
        "for",
        "while",
        "with",
        "def",
        "class",
        "try",
        "except",
        "finally",
        "async",
    ]
)


def _may_be_strong(s: str) -> bool:
    """Whether a line could be a statement only code makes: a call, an assignment or a
    subscript needs one of ``( = [``, the other statements begin with their keyword (a block
    header's with a colon). Only such lines are given to the Python parser, which decides."""
    if "(" in s or "=" in s or "[" in s:
        return True
    first = s.split(None, 1)[0].rstrip(":")
    return first in _STATEMENT_WORDS or (":" in s and first in _BLOCK_WORDS)


def _python_tree(source: str) -> ast.Module | None:
    """Python's parse of some lines of the notes, or None when they are not Python. The
    parser's warnings about them (``1st``: "invalid decimal literal") are not the learner's
    concern: the lines are text to import, not a program to run, so none reaches the terminal."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None


@lru_cache(maxsize=65536)
def _parsed_kind(source: str) -> str | None:
    tree = _python_tree(source)
    return None if tree is None else _tree_kind(tree)


def _tree_kind(tree: ast.Module) -> str | None:
    if not tree.body:
        return None
    for node in tree.body:
        if isinstance(node, _STRONG):
            return "strong"
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            return "strong"
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call | ast.Await):
            return "strong"
    return "weak"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _balance(line: str) -> int:
    opened = line.count("(") + line.count("[") + line.count("{")
    return opened - line.count(")") - line.count("]") - line.count("}")


def _statement_end(texts: list[str], i: int) -> int | None:
    """Where a statement that line ``i`` may begin over several lines would end (a block
    header and the lines indented under it; an open bracket up to where it closes; a line
    continued by ``\\`` or a comma): only there are the lines parsed together, once."""
    s = texts[i].rstrip()
    if s.endswith(":"):
        j = i + 1
        while j < len(texts) and texts[j].strip() and _indent(texts[j]) > _indent(texts[i]):
            j += 1
        return j - 1 if j > i + 1 else None
    depth = _balance(s)
    if depth <= 0 and not s.endswith(("\\", ",")):
        return None
    for j in range(i + 1, min(len(texts), i + MAX_STATEMENT_LINES)):
        depth += _balance(texts[j])
        if depth <= 0 and not texts[j].rstrip().endswith(("\\", ",")):
            return j
    return None


def _code_kinds(texts: list[str]) -> list[str | None]:
    """Each line's kind to Python; a statement over several lines marks all of them."""
    kinds = _line_kinds(texts)
    i = 0
    while i < len(texts):
        end = _statement_end(texts, i) if kinds[i] is None and texts[i].strip() else None
        if end is not None:
            tree = _parse(textwrap.dedent("\n".join(texts[i : end + 1])))
            if tree is not None and _tree_kind(tree) == "strong":
                for k in range(i, end + 1):
                    kinds[k] = "strong"
                i = end
        i += 1
    return kinds


def _line_kinds(texts: list[str]) -> list[str | None]:
    """:func:`_py_kind` of each line. When the block as a whole is Python whose statements
    each stay on their line, it is parsed once and each line's statements read from that tree
    (a line alone parses to the same statements); else each line is given to the parser."""
    kinds: list[str | None] = [None] * len(texts)
    asked: list[int] = []
    for i, t in enumerate(texts):
        s = t.strip()
        if not s:
            continue
        if s.startswith("#"):
            kinds[i] = "comment"
        elif _may_be_strong(s):
            asked.append(i)
    if len(asked) >= 2:
        by_line = _statements_by_line(texts)
        if by_line is not None:
            for i in asked:
                kinds[i] = _tree_kind(ast.Module(body=by_line.get(i + 1, []), type_ignores=[]))
            return kinds
    for i in asked:
        kinds[i] = _parsed_kind(texts[i].strip())
    return kinds


def _statements_by_line(texts: list[str]) -> dict[int, list[ast.stmt]] | None:
    """The block's top-level statements by line (1-based), if it parses and none of them
    spans lines; None otherwise."""
    source = "\n".join(t.rstrip() for t in texts)
    if "\r" in source or "\x0c" in source:
        return None  # line breaks to the tokenizer that are none here
    if source[:1] in (" ", "\t"):
        source = textwrap.dedent(source)
    tree = _parse(source)
    if tree is None:
        return None
    by_line: dict[int, list[ast.stmt]] = {}
    for node in tree.body:
        if node.end_lineno != node.lineno:
            return None
        by_line.setdefault(node.lineno, []).append(node)
    return by_line


@lru_cache(maxsize=4)
def _parse(source: str) -> ast.Module | None:
    """Python's parse of some code (read, never changed, by its callers), or None."""
    return _python_tree(source)


def _list_line(s: str) -> re.Match[str] | None:
    """``_LIST.match(s)``, asked only of lines that begin as a list item can (``\\d`` is any
    decimal digit, as ``str.isdecimal`` reads it)."""
    first = s[:1]
    return _LIST.match(s) if first in _LIST_MARKS or first.isdecimal() else None


def _deck_definition(s: str) -> re.Match[str] | None:
    """``_DECK_DEF.match(s)``, asked only of lines that begin with a bullet."""
    return _DECK_DEF.match(s) if s[:1] in _BULLETS else None


_LIST_MARKS = frozenset("#-*+")
_BULLETS = frozenset("-*+")


def _is_heading(s: str) -> tuple[int, str] | None:
    """(level, text) of a heading line: ``<name>`` (level 2) or Markdown ``#`` (one deeper)."""
    if s[:1] != "<" and s[:1] != "#":
        return None
    m = _ANGLE.match(s)
    if m:
        return 2, m.group(1).strip()
    if _HASH_NUMBER.match(s):
        return None
    m = _MD_HEADING.match(s)
    if m:
        return min(len(m.group(1)) + 1, 6), m.group(2).strip()
    return None


def _definition(s: str) -> tuple[str, str] | None:
    if ":" not in s:
        return None
    m = _DEF.match(s)
    if not m:
        return None
    term, meaning = m.group("term").strip(), m.group("meaning").strip()
    if len(term) > MAX_TERM or len(term.split()) > MAX_TERM_WORDS or term in ("Q", "A"):
        return None
    if "?" in term or _list_line(term) or term.startswith(("<", "#", ">")):
        return None
    return term, meaning


def _aligned_cells(s: str) -> list[str] | None:
    if "\t" in s:
        return None
    cells = _ALIGNED_SPLIT.split(s.strip())
    if len(cells) < 2 or any(len(c) > MAX_ALIGNED_CELL for c in cells):
        return None
    if cells[0].endswith(":"):
        return None
    return cells


def _tab_cells(raw: str, indent: int) -> list[str]:
    return [c.strip() for c in _TAB_RUN.split(raw.rstrip()[indent:])]


def _common_indent(raws: list[str]) -> int:
    return min(len(r) - len(r.lstrip(" \t")) for r in raws)


@dataclass(slots=True)
class _Line:
    no: int  # in the notes, 1-based
    raw: str
    s: str  # stripped
    py: str | None = None


class _Reader:
    """Notes lines → pieces, block by block (blocks are separated by blank lines)."""

    def __init__(self, lines: list[str], title: str) -> None:
        self.lines = lines
        self.pieces: list[_Piece] = []
        self.headings: list[tuple[int, str]] = [(1, title)]
        self.clozed: dict[tuple[str, tuple[str, ...]], tuple[list[str], list[str]]] = {}

    def read(self) -> list[_Piece]:
        blocks: list[list[_Line]] = []
        block: list[_Line] = []
        for n, raw in enumerate(self.lines, start=1):
            if raw.strip():
                block.append(_Line(n, raw, raw.strip()))
            elif block:
                blocks.append(block)
                block = []
        if block:
            blocks.append(block)
        for block in self.joined(blocks):
            self.block(block)
        return self.pieces

    @staticmethod
    def joined(blocks: list[list[_Line]]) -> Iterator[list[_Line]]:
        """Blocks, with code that has blank lines in it kept in one: a block ending in a
        Python block header (``def f():``), or one ending in code followed by indented code."""
        out: list[_Line] | None = None
        for block in blocks:
            if out is not None:
                last, first = out[-1], block[0]
                header = last.s.endswith(":") and _indent(first.raw) > _indent(last.raw)
                body = (
                    _indent(first.raw) > 0
                    and _py_kind(first.raw) in ("strong", "weak")
                    and _py_kind(last.raw) == "strong"
                )
                if header or body:
                    out = out + block
                    continue
                yield out
            out = block
        if out is not None:
            yield out

    # ------------------------------------------------------------------- a block
    def block(self, block: list[_Line]) -> None:
        kinds = _code_kinds([b.raw for b in block])
        for b, k in zip(block, kinds, strict=True):
            b.py = k
        tables = self.tables(block)
        code = self.code_runs(block, tables)
        previous_code = bool(self.pieces) and self.pieces[-1].kind == "code"
        if (
            previous_code
            and code.get(0) == len(block)
            and self.pieces[-1].last < block[0].no
            and not self.pieces[-1].demoted
        ):
            # Code with a blank line in it: one block of code, blank lines kept.
            self.extend_code(self.pieces[-1], block)
            return
        i = 0
        first_piece = len(self.pieces)
        while i < len(block):
            b = block[i]
            if i in tables:
                end, header, rows = tables[i]
                self.table(block[i:end], header, rows)
                i = end
                continue
            if i in code:
                end = code[i]
                self.code(block[i:end])
                i = end
                continue
            heading = _is_heading(b.s)
            if heading:
                self.heading(b, *heading)
                i += 1
                continue
            if _list_line(b.s) and not _deck_definition(b.s):
                end = self.list_end(block, i, tables, code)
                if end - i >= 2 and sum(1 for x in block[i:end] if _list_line(x.s)) >= 2:
                    self.learn_list(block[i:end])
                    i = end
                    continue
            if _deck_definition(b.s) or _definition(b.s):
                self.definition(b)
                i += 1
                continue
            if _Q.match(b.s) and i + 1 < len(block) and _A.match(block[i + 1].s):
                end = i + 2
                while end < len(block) and not self.starts(block, end, tables, code):
                    end += 1
                self.deck_question(block[i:end])
                i = end
                continue
            if b.s.endswith("?") and not _Q.match(b.s):
                end = i + 1
                while end < len(block) and not self.starts(block, end, tables, code):
                    end += 1
                if end > i + 1:
                    self.question(b, block[i + 1 : end])
                    i = end
                    continue
            m = _SAME_LINE_QUESTION.match(b.s) if "?" in b.s else None
            if m and not _Q.match(b.s) and not _A.match(b.s):
                self.question(b, [], m.group("q"), m.group("a"))
                i += 1
                continue
            after_construct = len(self.pieces) > first_piece and self.pieces[-1].kind != "text"
            if (i == 0 or after_construct) and self.title_line(block, i, tables, code):
                self.heading(b, 2, b.s)
                i += 1
                continue
            end = i + 1
            while end < len(block) and not self.starts(block, end, tables, code):
                end += 1
            self.text(block[i:end])
            i = end

    def starts(
        self, block: list[_Line], i: int, tables: dict[int, object], code: dict[int, int]
    ) -> bool:
        """Whether line ``i`` of the block begins a construct (so plain text stops there)."""
        s = block[i].s
        return bool(
            i in tables
            or i in code
            or _is_heading(s)
            or (_list_line(s) and i + 1 < len(block) and _list_line(block[i + 1].s))
            or _deck_definition(s)
            or _definition(s)
            or _Q.match(s)
            or ("?" in s and _SAME_LINE_QUESTION.match(s))
            or s.endswith("?")
        )

    def title_line(
        self, block: list[_Line], i: int, tables: dict[int, object], code: dict[int, int]
    ) -> bool:
        """A short line over a construct (``conv2D 변수들`` over its arguments, ``imshow`` over
        its code), or a short centred or indented line over the rest of its block."""
        b = block[i]
        if i + 1 >= len(block) or len(b.s) > MAX_TITLE or len(b.s.split()) > MAX_TITLE_WORDS:
            return False
        if b.s.endswith((".", ",", ";", "!", "?")) or "\t" in b.s or b.py == "strong":
            return False
        if _Q.match(b.s) or _A.match(b.s) or b.s in ("Q:", "A:"):
            return False
        nxt = block[i + 1]
        centred = _indent(b.raw) >= 4 > _indent(nxt.raw)
        return centred or self.starts(block, i + 1, tables, code)

    def list_end(
        self, block: list[_Line], i: int, tables: dict[int, object], code: dict[int, int]
    ) -> int:
        """The end of a list: its items and the lines indented under them."""
        base = _indent(block[i].raw)
        end = i + 1
        while end < len(block):
            b = block[end]
            if end in tables or end in code or _is_heading(b.s):
                break
            item = bool(_list_line(b.s)) and not _deck_definition(b.s)
            if _indent(b.raw) > base or (item and _indent(b.raw) == base):
                end += 1
                continue
            break
        return end

    # ------------------------------------------------------------------ tables
    def tables(self, block: list[_Line]) -> dict[int, tuple[int, list[str], list[list[str]]]]:
        """Table runs of the block: start → (end, header cells, body rows)."""
        out: dict[int, tuple[int, list[str], list[list[str]]]] = {}
        i = 0
        n = len(block)
        while i < n:
            end = i
            while end < n and not _QA_LINE.match(block[end].s):
                inner = "\t" in block[end].s
                corner = (
                    end == i
                    and block[end].raw.startswith("\t")
                    and end + 1 < n
                    and "\t" in block[end + 1].s
                )
                if not (inner or corner):
                    break
                end += 1
            if end - i >= 2 and not all(b.py == "strong" for b in block[i:end]):
                made = self.tab_table(block[i:end])
                if made:
                    out[i] = (end, *made)
                    i = end
                    continue
            end = i
            while end < n and self.aligned_line(block[end]):
                end += 1
            if end - i >= 2:
                rows = [_aligned_cells(b.s) or [] for b in block[i:end]]
                width = max(len(r) for r in rows)
                if sum(1 for r in rows if len(r) == width) * 2 >= len(rows):
                    out[i] = (end, rows[0], rows[1:])
                    i = end
                    continue
            i += 1
        return out

    @staticmethod
    def aligned_line(b: _Line) -> bool:
        if b.py == "strong" or _is_heading(b.s) or _list_line(b.s) or _QA_LINE.match(b.s):
            return False
        return _aligned_cells(b.s) is not None

    @staticmethod
    def tab_table(lines: list[_Line]) -> tuple[list[str], list[list[str]]] | None:
        raws = [b.raw for b in lines]
        indent = _common_indent(raws)
        collapsed = [_tab_cells(r, indent) for r in raws]
        exact = [[c.strip() for c in r.rstrip()[indent:].split("\t")] for r in raws]
        rows = collapsed
        if len({len(r) for r in exact}) == 1 and len({len(r) for r in collapsed}) > 1:
            rows = exact  # empty cells that are cells, not alignment
        return rows[0], rows[1:]

    # ------------------------------------------------------------------- code
    def code_runs(self, block: list[_Line], tables: dict[int, tuple]) -> dict[int, int]:
        """Runs of Python lines: start → end. A run holds at least one line only code makes;
        a bare name or tuple at its start stays out (it may be a title), comments and blank
        lines inside stay in."""
        in_table = set()
        for start, (end, *_) in tables.items():
            in_table.update(range(start, end))
        out: dict[int, int] = {}
        i = 0
        n = len(block)
        while i < n:
            if i in in_table or block[i].py is None:
                i += 1
                continue
            end = i
            while end < n and end not in in_table and self.code_line(block[end], end == i):
                end += 1
            run = block[i:end]
            while run and run[0].py == "weak":
                run = run[1:]
                i += 1
            while run and run[-1].py == "comment":
                run = run[:-1]
                end -= 1
            if any(b.py == "strong" for b in run):
                out[i] = end
                i = end
            else:
                i = max(end, i + 1)
        return out

    @staticmethod
    def code_line(b: _Line, first: bool) -> bool:
        if b.py in ("strong", "comment"):
            return True
        return b.py == "weak" and b.s.isascii() and _definition(b.s) is None

    def extend_code(self, piece: _Piece, block: list[_Line]) -> None:
        piece.notes = self.lines[piece.first - 1 : block[-1].no]
        piece.last = block[-1].no
        self.finish_code(piece)

    def code(self, lines: list[_Line]) -> None:
        notes = self.lines[lines[0].no - 1 : lines[-1].no]
        piece = _Piece("code", lines[0].no, lines[-1].no, notes)
        self.finish_code(piece)
        self.pieces.append(piece)

    def finish_code(self, piece: _Piece) -> None:
        code = textwrap.dedent("\n".join(line.rstrip() for line in piece.notes))
        headings = tuple(t for _, t in self.headings)
        done = self.clozed.get((code, headings))
        if done is None:  # the same code under the same headings: the same clozes
            done = self.clozed[code, headings] = _clozes(code, list(headings))
        piece.body, piece.clozes = list(done[0]), list(done[1])
        if piece.clozes:
            piece.detail = "clozes on " + ", ".join(piece.clozes)
        else:
            piece.detail = "no cloze (nothing imported, passed by keyword or called)"

    # -------------------------------------------------------- the other constructs
    def heading(self, b: _Line, level: int, title: str) -> None:
        while self.headings and self.headings[-1][0] >= level:
            self.headings.pop()
        self.headings.append((level, title))
        self.pieces.append(
            _Piece("heading", b.no, b.no, [b.raw], detail=title, level=level, title=title)
        )

    def table(self, lines: list[_Line], header: list[str], rows: list[list[str]]) -> None:
        last = self.pieces[-1] if self.pieces else None
        width = max(len(r) for r in rows) if rows else len(header)
        vs = _VS.match(last.title) if last and last.kind == "heading" else None
        if vs and header and header[0] and max(width, len(header)) == 3:
            # A table under "<A vs B>" with no header row: the heading's two sides head it.
            rows = [header, *rows]
            header = ["", vs.group("a").strip(), vs.group("b").strip()]
            width = max(len(r) for r in rows)
        elif len(header) == width - 1 and header and header[0]:
            header = ["", *header]  # the empty corner cell, left out
        width = max(width, len(header))
        header = header + [""] * (width - len(header))
        rows = [r + [""] * (width - len(r)) for r in rows]
        notes = [b.raw for b in lines]
        piece = _Piece("table", lines[0].no, lines[-1].no, notes, header=header, rows=rows)
        problem = _table_problem(header, rows)
        if problem:
            piece.kind, piece.demoted, piece.why = "text", 1, problem
            piece.detail = f"not a table: {problem}"
        else:
            piece.detail = f"{_count(len(rows), 'row')} × {_count(width - 1, 'column')}"
        self.pieces.append(piece)

    def learn_list(self, lines: list[_Line]) -> None:
        base = _common_indent([lines[0].raw])
        body: list[str] = []
        for b in lines:
            raw = b.raw.rstrip()
            indent = _common_indent([raw])
            text = raw[min(indent, base) :]
            text = _HASH_NUMBER.sub("", text) if indent <= base else text
            body.append(text)
        items = sum(1 for b in lines if _list_line(b.s) and _common_indent([b.raw]) <= base)
        piece = _Piece(
            "list",
            lines[0].no,
            lines[-1].no,
            [b.raw for b in lines],
            body=body,
            detail=_count(items, "item"),
        )
        self.pieces.append(piece)

    def definition(self, b: _Line) -> None:
        if _deck_definition(b.s):
            term, meaning = "", b.s
        else:
            found = _definition(b.s)
            assert found is not None
            term, meaning = found
        last = self.pieces[-1] if self.pieces else None
        if last and last.kind == "definitions" and last.last == b.no - 1 and not last.demoted:
            last.notes.append(b.raw)
            last.terms.append((term, meaning))
            last.last = b.no
        else:
            last = _Piece("definitions", b.no, b.no, [b.raw], terms=[(term, meaning)])
            self.pieces.append(last)
        names = [t or "…" for t, _ in last.terms]
        last.detail = ", ".join(names[:3]) + (f", … ({len(names)} terms)" if len(names) > 3 else "")

    def question(
        self, b: _Line, answer: list[_Line], question: str = "", same_line: str = ""
    ) -> None:
        question = question or b.s
        body = ([same_line] if same_line else []) + [a.raw.rstrip() for a in answer]
        piece = _Piece(
            "question",
            b.no,
            answer[-1].no if answer else b.no,
            [b.raw] + [a.raw for a in answer],
            question=question,
            body=body,
            detail=_short(question),
        )
        self.pieces.append(piece)

    def deck_question(self, lines: list[_Line]) -> None:
        q = lines[0].s[2:].strip()
        a = [lines[1].s[2:].strip()] + [x.raw.rstrip() for x in lines[2:]]
        piece = _Piece(
            "question",
            lines[0].no,
            lines[-1].no,
            [x.raw for x in lines],
            question=q,
            body=a,
            detail=_short(q),
        )
        self.pieces.append(piece)

    def text(self, lines: list[_Line]) -> None:
        self.pieces.append(_Piece("text", lines[0].no, lines[-1].no, [b.raw for b in lines]))


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _table_problem(header: list[str], rows: list[list[str]]) -> str:
    if len(header) < 2 or not rows:
        return "fewer than two columns or no row"
    if any(not r[0] for r in rows):
        return "a row with an empty first cell (its row header)"
    if not any(c for r in rows for c in r[1:]):
        return "no cell beside the row headers"
    if any("{{" in c for c in header + [c for r in rows for c in r]):
        return "a cell with {{"
    row_ids = [normalize(r[0]) for r in rows]
    if len(set(row_ids)) < len(row_ids):
        return "two rows with the same row header"
    col_ids = [normalize(h) for h in header[1:] if h]
    if len(set(col_ids)) < len(col_ids):
        return "two columns with the same header"
    return ""


# --------------------------------------------------------------------------- clozes


def _clozes(code: str, headings: list[str]) -> tuple[list[str], list[str]]:
    """A code block's lines with cloze deletions on what is worth remembering, and what they
    hide: the names it imports and the arguments it passes by keyword (a string value is hidden,
    else the keyword), then the functions and methods it calls; at most three, each hiding
    every occurrence of its name, and none the card's headings show."""
    lines = code.split("\n")
    if "{{" in code or "}}" in code:
        return lines, []
    tree = _parse(code)
    if tree is None:
        return lines, []
    spots = _Spots(lines)
    imports: list[tuple[tuple[int, int], str]] = []
    keywords: list[tuple[tuple[int, int], str, str]] = []
    calls: list[tuple[tuple[int, int], str]] = []
    for node in _walk(tree):
        spots.add(node)
        if type(node) is ast.ImportFrom:
            for alias in node.names:
                if alias.name != "*":
                    imports.append(((node.lineno, node.col_offset), alias.name))
        elif type(node) is ast.Import:
            for alias in node.names:
                imports.append(((node.lineno, node.col_offset), alias.name.split(".")[-1]))
        elif type(node) is ast.Call:
            for kw in node.keywords:
                if kw.arg is None:
                    continue
                value = kw.value
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    segment = _segment(lines, value)
                    keywords.append(((kw.lineno, kw.col_offset), "string", segment))
                else:
                    keywords.append(((kw.lineno, kw.col_offset), "name", kw.arg))
            func = node.func
            if isinstance(func, ast.Name):
                calls.append(((func.lineno, func.col_offset), func.id))
            elif isinstance(func, ast.Attribute):
                calls.append(((func.end_lineno or 0, func.end_col_offset or 0), func.attr))
    candidates = [("name", n) for _, n in sorted(imports)]
    candidates += [(k, t) for _, k, t in sorted(keywords)]
    candidates += [("name", n) for _, n in sorted(calls)]
    folded = [line.casefold().replace("_", "") for line in lines]
    names: dict[str, set[tuple[int, int, int]]] = {}
    for r, b, e, t in spots.names:
        names.setdefault(_token_norm(t), set()).add((r, b, e))
    strings: dict[str, set[tuple[int, int, int]]] = {}
    for r, b, e, t in spots.strings:
        strings.setdefault(t, set()).add((r, b, e))
    chosen: list[tuple[str, list[tuple[int, int, int]]]] = []
    seen: set[str] = set()
    for kind, target in candidates:
        if len(chosen) >= MAX_CLOZES:
            break
        key = _token_norm(target)
        if key in seen or len(target) < 2 or "::" in target or "{" in target or "}" in target:
            continue
        seen.add(key)
        hits = sorted(names.get(key, ()) if kind == "name" else strings.get(target, ()))
        if not hits or any(_shows(h, target) for h in headings):
            continue
        if _still_shown(lines, folded, hits, target):
            continue
        chosen.append((target, hits))
    if not chosen:
        return lines, []
    marks: dict[int, list[tuple[int, int, int]]] = {}
    for number, (_, hits) in enumerate(chosen, start=1):
        for row, start, end in hits:
            marks.setdefault(row, []).append((start, end, number))
    out = []
    for row, line in enumerate(lines):
        for start, end, number in sorted(marks.get(row, []), reverse=True):
            line = f"{line[:start]}{{{{c{number}::{line[start:end]}}}}}{line[end:]}"
        out.append(line)
    return out, [target for target, _ in chosen]


def _walk(tree: ast.AST) -> list[ast.AST]:
    """Every node of the tree, each before the nodes under it (as :func:`ast.walk` gives them,
    in another order; the expression contexts left out)."""
    out: list[ast.AST] = []
    stack = [tree]
    node_type = ast.AST
    while stack:
        node = stack.pop()
        out.append(node)
        for name in node._fields:
            if name == "ctx":
                continue
            value = getattr(node, name, None)
            if type(value) is list:
                stack.extend(v for v in reversed(value) if isinstance(v, node_type))
            elif isinstance(value, node_type):
                stack.append(value)
    return out


class _Spots:
    """Where the names and one-line strings of parsed code are: (row, start, end, text), in
    characters. Found from the parser's positions, each checked against the text; a name that
    is nowhere here (in a comment, say) still shows, and keeps its candidate from being hidden."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.names: list[tuple[int, int, int, str]] = []
        self.strings: list[tuple[int, int, int, str]] = []
        self.in_fstring: set[int] = set()

    def col(self, row: int, byte: int) -> int:
        line = self.lines[row]
        if line.isascii():
            return byte
        return len(line.encode("utf-8")[:byte].decode("utf-8", "ignore"))

    def name_at(self, lineno: int, byte: int, name: str) -> None:
        row = lineno - 1
        if not 0 <= row < len(self.lines):
            return
        start = self.col(row, byte)
        if self.lines[row][start : start + len(name)] == name:
            self.names.append((row, start, start + len(name), name))

    def dotted(self, lineno: int, byte: int, dotted: str) -> None:
        """Each part of a dotted name written at ``byte``, or found after it on its line."""
        row = lineno - 1
        if not 0 <= row < len(self.lines):
            return
        line = self.lines[row]
        at = line.find(dotted, self.col(row, byte))
        if at < 0:
            return
        for part in dotted.split("."):
            self.names.append((row, at, at + len(part), part))
            at += len(part) + 1

    def add(self, node: ast.AST) -> None:
        if type(node) not in _SPOT_TYPES:
            return
        if isinstance(node, ast.Name):
            self.name_at(node.lineno, node.col_offset, node.id)
        elif isinstance(node, ast.Attribute) and node.end_col_offset is not None:
            end = node.end_lineno or node.lineno
            self.name_at(end, node.end_col_offset - len(node.attr.encode("utf-8")), node.attr)
        elif (isinstance(node, ast.keyword) and node.arg is not None) or isinstance(node, ast.arg):
            self.name_at(node.lineno, node.col_offset, node.arg)
        elif isinstance(node, ast.alias):
            self.dotted(node.lineno, node.col_offset, node.name)
            if node.asname:
                row = node.lineno - 1
                after = self.col(row, node.col_offset) + len(node.name)
                at = self.lines[row].find(node.asname, after) if row < len(self.lines) else -1
                if at >= 0:
                    self.names.append((row, at, at + len(node.asname), node.asname))
        elif isinstance(node, ast.ImportFrom) and node.module:
            self.dotted(node.lineno, node.col_offset + len("from"), node.module)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            row = node.lineno - 1
            at = self.lines[row].find(node.name, self.col(row, node.col_offset))
            if at >= 0:
                self.names.append((row, at, at + len(node.name), node.name))
        elif isinstance(node, ast.JoinedStr):
            self.in_fstring.update(id(v) for v in ast.walk(node))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in self.in_fstring
            and node.end_lineno == node.lineno
            and node.end_col_offset is not None
        ):
            row = node.lineno - 1
            start, end = self.col(row, node.col_offset), self.col(row, node.end_col_offset)
            self.strings.append((row, start, end, self.lines[row][start:end]))


_SPOT_TYPES = frozenset(
    [
        ast.Name,
        ast.Attribute,
        ast.keyword,
        ast.arg,
        ast.alias,
        ast.ImportFrom,
        ast.FunctionDef,
        ast.AsyncFunctionDef,
        ast.ClassDef,
        ast.JoinedStr,
        ast.Constant,
    ]
)  # the nodes :meth:`_Spots.add` reads


def _token_norm(text: str) -> str:
    return text.casefold().replace("_", "")


def _segment(lines: list[str], node: ast.expr) -> str:
    """The source of a node on one line (the parser's columns count UTF-8 bytes)."""
    if node.end_lineno != node.lineno or node.end_col_offset is None:
        return ""
    line = lines[node.lineno - 1].encode("utf-8")
    return line[node.col_offset : node.end_col_offset].decode("utf-8", "replace")


def _still_shown(
    lines: list[str], folded: list[str], hits: list[tuple[int, int, int]], target: str
) -> bool:
    """Whether the code, with these occurrences hidden, still shows the target (in a comment,
    a string, another spelling): then the card would give its answer away."""
    by_row: dict[int, list[tuple[int, int]]] = {}
    for row, start, end in hits:
        by_row.setdefault(row, []).append((start, end))
    words = _words(target)
    for row, line in enumerate(lines):
        if not all(w in folded[row] for w in words):
            continue
        spans = by_row.get(row)
        if spans:
            for start, end in sorted(spans, reverse=True):
                line = line[:start] + " " * (end - start) + line[end:]
            shown = line.casefold().replace("_", "")
            if not all(w in shown for w in words):
                continue
        if shows(line, target):
            return True
    return False


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    """The target's words as :func:`shows` compares them: a text shows the target only if each
    is in it (case folded, underscores left out), so only such texts are asked."""
    folded = (m.casefold().replace("_", "") for m in _WORD.findall(text))
    return tuple(w for w in folded if w)


_WORD = re.compile(r"\w+")


def _shows(text: str, target: str) -> bool:
    """:func:`shows`, asked only when the target's words are in the text at all."""
    folded = text.casefold().replace("_", "")
    if not all(w in folded for w in _words(target)):
        return False
    return shows(text, target)


# ------------------------------------------------------------------------ rendering


def _slug(text: str, fallback: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower()[:40].strip("-")
    return slug or fallback


def _fence_for(lines: list[str]) -> str:
    longest = max((len(m.group(1)) for m in map(_BACKTICKS.match, lines) if m), default=0)
    return "`" * max(3, longest + 1)


def _heading_line(level: int, text: str, anchor: str | None) -> str:
    tail = f" {{#{anchor}}}" if anchor else (" #" if text.endswith("#") else "")
    return f"{'#' * level} {text}{tail}"


def _term_text(term: str) -> str | None:
    if _IDENTIFIER.match(term):
        return f"`{term}`"
    if "*" in term or term.endswith(("_", " ")):
        return None
    return f"**{term}**"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


class _Renderer:
    """Pieces → the draft's lines, each piece's place in them, and anchors where two
    constructs would otherwise get the same card key (a heading repeated, a term defined twice
    under one heading)."""

    def __init__(self, deck_id: str, title: str) -> None:
        self.deck_id = deck_id
        self.title = title

    def render(self, pieces: list[_Piece]) -> str:
        out = ["---", f"id: {self.deck_id}", f"title: {self.title}", "---", ""]
        out.append(_heading_line(1, self.title, None))
        stack: list[tuple[int, str]] = [(1, normalize(self.title))]
        used: dict[tuple[str, str], int] = {}
        taken: dict[str, int] = {}  # stem → the last number its anchors took

        def anchor_for(base: str, fallback: str) -> str:
            # The number after the last "-" names the stem, so each stem counts on its own.
            stem = _slug(base, fallback)
            n = taken[stem] = taken.get(stem, 1) + 1
            return f"{stem}-{n}"

        def section() -> str:
            parts: list[str] = []
            for _, ident in stack:
                parts = [ident] if ident.startswith("#") else [*parts, ident]
            return "/".join(parts)

        def repeated(*identity: str) -> bool:
            key = (section(), "\x1f".join(identity))
            used[key] = used.get(key, 0) + 1
            return used[key] > 1

        previous: _Piece | None = None
        for piece in pieces:
            piece.anchors = {}
            lines = self.piece_lines(piece, repeated, anchor_for, stack, section)
            joined = (
                previous is not None
                and piece.kind == previous.kind == "definitions"
                and not piece.demoted
                and not previous.demoted
            )
            if not joined:
                out.append("")
            piece.start = len(out) + 1
            out.extend(lines)
            piece.end = len(out)
            previous = piece
        return "\n".join(out) + "\n"

    def piece_lines(
        self,
        piece: _Piece,
        repeated: Callable[..., bool],
        anchor_for: Callable[[str, str], str],
        stack: list[tuple[int, str]],
        section: Callable[[], str],
    ) -> list[str]:
        if piece.demoted == 2:
            fence = _fence_for(piece.notes)
            return [f"{fence}text", *piece.plain_text(), fence]
        if piece.demoted == 1 or piece.kind == "text":
            return piece.plain_text()
        if piece.kind == "heading":
            while stack and stack[-1][0] >= piece.level:
                stack.pop()
            ident = normalize(piece.title)
            path = f"{section()}/{ident}"
            anchor = None
            if repeated("heading", path):
                anchor = anchor_for(piece.title, "section")
            stack.append((piece.level, f"#{anchor}" if anchor else ident))
            return [_heading_line(piece.level, piece.title, anchor)]
        if piece.kind == "definitions":
            lines = []
            for n, (term, meaning) in enumerate(piece.terms):
                if not term:  # already a deck definition
                    lines.append(meaning)
                    continue
                shown = _term_text(term)
                if shown is None:
                    lines.append(f"{term}: {meaning}")  # cannot be a term: left as text
                    continue
                line = f"- {shown}: {meaning}"
                if repeated("def", normalize(term.strip("`*"))):
                    anchor = anchor_for(term, "definition")
                    piece.anchors[n] = anchor
                    line += f" {{#{anchor}}}"
                lines.append(line)
            return lines
        if piece.kind == "table":
            cells = [
                (normalize(r[0]), normalize(h or f"column {c + 1}"))
                for r in piece.rows
                for c, h in enumerate(piece.header)
                if c and r[c]
            ]
            again = [repeated("cell", *cell) for cell in cells]
            lines = []
            if any(again):
                lines.append(f"{{#{anchor_for('table', 'table')}}}")
            lines.append("| " + " | ".join(_cell(h) for h in piece.header) + " |")
            lines.append("|" + "---|" * len(piece.header))
            lines.extend("| " + " | ".join(_cell(c) for c in r) + " |" for r in piece.rows)
            return lines
        if piece.kind == "list":
            lines = ["<!-- learn -->"]
            if repeated("list"):
                lines.append(f"{{#{anchor_for('list', 'list')}}}")
            return lines + piece.body
        if piece.kind == "question":
            line = f"Q: {piece.question}"
            if repeated("qa", normalize(piece.question)):
                line += f" {{#{anchor_for(piece.question, 'question')}}}"
            body = piece.body or [""]
            return [line, f"A: {body[0].strip()}", *body[1:]]
        if piece.kind == "code":
            fence = _fence_for(piece.body)
            info = "python"
            if piece.clozes and repeated("code", normalize("\n".join(piece.body))):
                info += f" {{#{anchor_for('code', 'code')}}}"
            return [f"{fence}{info}", *piece.body, fence]
        raise AssertionError(piece.kind)


# ------------------------------------------------------------------------ the import


def draft_deck(
    text: str,
    *,
    deck_id: str,
    title: str,
    encoding: str = "UTF-8",
    complete: Callable[[Deck], Deck] | None = None,
) -> Draft:
    """Turn notes text into a deck draft; ``complete`` (the library's) fills in and checks what
    the parser leaves to others, so that the draft is one ``quizapp decks check`` accepts.

    Raises :class:`NotesError` when the notes hold no construct at all, or when a line cannot
    be written into a deck in any form."""
    if not gc.isenabled():
        return _draft_deck(text, deck_id=deck_id, title=title, encoding=encoding, complete=complete)
    # The notes' lines, pieces, parse trees and the draft's cards are hundreds of thousands of
    # small objects in no reference cycle: the cycle collector, run after every 700 of them,
    # would walk them again and again (a tenth of the import). Paused, it runs after, once.
    gc.disable()
    try:
        return _draft_deck(text, deck_id=deck_id, title=title, encoding=encoding, complete=complete)
    finally:
        gc.enable()


def _draft_deck(
    text: str,
    *,
    deck_id: str,
    title: str,
    encoding: str,
    complete: Callable[[Deck], Deck] | None,
) -> Draft:
    if not _DECK_ID.match(deck_id):
        raise NotesError(f"deck id {deck_id!r} must be letters, digits, - _ . (try --id)")
    title = " ".join(title.split())
    if not title:
        raise NotesError("the title is empty")
    if "\x00" in text:
        raise NotesError(
            f"line {text[: text.index(chr(0))].count(chr(10)) + 1}: a NUL character: not text"
        )
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    pieces = _Reader(lines, title).read()
    if not any(p.kind not in ("text", "heading") and not p.demoted for p in pieces):
        raise NotesError(
            f"no definition, table, code, list or question found in {len(lines)} lines: "
            "nothing to import"
        )
    renderer = _Renderer(deck_id, title)
    path = Path(f"{deck_id}.md")
    for _ in range(2 * len(pieces) + 2):
        draft = renderer.render(pieces)
        if len(draft.encode("utf-8")) > MAX_DECK_BYTES:
            raise NotesError(
                f"the draft would be larger than {MAX_DECK_BYTES // 1_000_000} MB, the most a "
                "deck may be: split the notes"
            )
        try:
            deck = parse_deck(draft, path, path.name)
            if complete is not None:
                deck = complete(deck)
        except DeckError as err:
            _demote(pieces, err)
            continue
        break
    else:  # pragma: no cover - every round demotes a piece, so the loop ends before
        raise NotesError("the notes cannot be written as a deck")
    if not deck.cards:
        raise NotesError(
            f"no definition, table, code to cloze, list or question found in {len(lines)} "
            "lines: nothing to import"
        )
    constructs = tuple(_constructs(pieces, deck))
    warnings = tuple(str(w).split(": warning: ", 1)[-1] for w in lint_deck(deck))
    return Draft(
        deck_id=deck_id,
        title=title,
        text=draft,
        encoding=encoding,
        line_count=len(lines),
        constructs=constructs,
        deck=deck,
        warnings=warnings,
    )


def _demote(pieces: list[_Piece], err: DeckError) -> None:
    """Write the piece the parser refused one step plainer: a construct as text, text as a
    fenced block of text; text refused even so is an error of the notes."""
    starts = [p.start for p in pieces]
    at = bisect_right(starts, err.line) - 1
    if at < 0 or err.line > pieces[at].end:
        # Front matter, the title, or a blank line between pieces: the pieces around it.
        at = max(at, 0)
    piece = pieces[at]
    if piece.demoted >= 2:
        raise NotesError(f"line {piece.first}: cannot be written into a deck: {err.message}")
    if piece.kind != "text" and piece.demoted == 0:
        piece.demoted, piece.why = 1, err.message
        piece.detail = f"kept as text: {err.message}"
    else:
        piece.demoted = 2
        piece.why = piece.why or err.message


def _constructs(pieces: list[_Piece], deck: Deck) -> Iterator[Construct]:
    lines = sorted(c.line for c in deck.cards)
    for p in pieces:
        cards = bisect_right(lines, p.end) - bisect_right(lines, p.start - 1)
        kind = "text" if p.demoted else p.kind
        detail = p.detail if p.kind != "text" else ""
        if p.demoted and p.kind == "text" and p.why:
            detail = f"as written, in a block of text: {p.why}"
        elif kind == "text" and not detail:
            detail = ""
        yield Construct(kind, p.first, p.last, cards, detail)


def import_notes(
    data: bytes,
    name: str,
    *,
    deck_id: str | None = None,
    title: str | None = None,
    complete: Callable[[Deck], Deck] | None = None,
) -> Draft:
    """Read a notes file's bytes (``name``: its file name, for the default id and title) and
    make its deck draft."""
    text, encoding = decode_notes(data)
    return draft_deck(
        text,
        deck_id=deck_id or deck_id_for(name),
        title=title if title is not None else title_for(name),
        encoding=encoding,
        complete=complete,
    )
