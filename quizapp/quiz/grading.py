"""Grading answers: lenient where a person would be, strict where it matters.

Lenient: case, surrounding and repeated spaces, trailing punctuation, quote style, full- and
half-width forms (NFKC), Korean spacing (``과적합 줄이기`` = ``과적합줄이기``), thousands
separators (``1,234`` = ``1234``), shapes and code with or without spaces around punctuation,
inline-code backticks. Strict: a number is that number, ``sigmoid`` is not ``softmax``,
``x_train`` is not ``x_test``. A near miss (one or two characters off a long answer, digits
untouched, not another option's answer) is *almost*: shown as a character diff, and the learner
may accept it.

Pure functions over text; rapidfuzz gives the edit distance (optimal string alignment, so a
swap of two neighbouring letters is one typo), difflib the character diff.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from typing import Literal, NamedTuple

AnswerKind = Literal["number", "shape", "code", "text"]
Result = Literal["right", "almost", "partial", "wrong", "skipped"]

_QUOTES = str.maketrans({c: "'" for c in '"‘’‚‛“”„‟´′″«»「」『』'})
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:[,_ \u00a0\u202f]\d{3})+|\d+)(?:\.\d+)?$")
_SHAPE = re.compile(r"^\(\s*(?:(?:none|\d+)\s*(?:,\s*(?:none|\d+)\s*)*,?\s*)?\)$", re.I)
_CODE_SPAN = re.compile(r"^`[^`\n]+`$")
_FENCED = re.compile(r"^(`{3,}|~{3,})[^\n]*\n.*\n\1\s*$", re.S)
# Korean letters: classes of thousands of characters, which take milliseconds to compile. They
# are compiled when a text that is not ASCII first needs them (an ASCII text has none).
_HANGUL = r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]"
_SPACE_IN_HANGUL = r"(?<=[\uac00-\ud7a3\u3130-\u318f]) (?=[\uac00-\ud7a3\u3130-\u318f])"
# Punctuation around which spaces mean nothing: `test_size = 0.2` = `test_size=0.2`.
_SPACE_NEAR_PUNCT = re.compile(r" ?([()\[\]{},.:;=+\-*/<>!'|&%@^~]) ?")
_TRAILING = re.compile(r"[\s.,;:!?。、…·]+$")
_GLOSS = re.compile(r"^(?P<head>.+?)\s*\((?P<gloss>[^()]+)\)$", re.S)
_DIGITS = re.compile(r"\d+")


@lru_cache(maxsize=65536)
def answer_kind(text: str) -> AnswerKind:
    """What an answer is: a number, a shape, code, or text (options are of one kind)."""
    s = text.strip()
    if _NUMBER.match(s):
        return "number"
    if _SHAPE.match(s):
        return "shape"
    if _CODE_SPAN.match(s) or _FENCED.match(s):
        return "code"
    return "text"


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """The lenient form two answers are compared in (see the module docstring)."""
    # Quotes are kept (``'gray'`` is not ``gray``), in one style; backticks only mark code.
    s = unicodedata.normalize("NFKC", text).casefold().translate(_QUOTES).replace("`", "")
    s = " ".join(s.split())
    if not s.isascii():
        s = _compiled(_SPACE_IN_HANGUL).sub("", s)
    s = _SPACE_NEAR_PUNCT.sub(r"\1", s)
    s = _TRAILING.sub("", s)
    if _NUMBER.match(s):
        s = re.sub(r"[,_ \u00a0\u202f]", "", s)
        if "." in s:
            s = s.rstrip("0").rstrip(".") or "0"
    if _SHAPE.match(s):
        s = s.replace(" ", "").replace(",)", ")")
    return s


def same(a: str, b: str) -> bool:
    return normalize(a) == normalize(b)


@lru_cache(maxsize=65536)
def alternatives(answer: str) -> tuple[str, ...]:
    """The forms of an answer a person would accept: the whole text; for ``text (gloss)`` also
    the text alone; and for a translation pair (one side Korean) the gloss alone too:
    ``sigmoid (sig)`` accepts ``sigmoid``; ``훈련 데이터를 늘린다 (get more training data)``
    accepts either language."""
    s = answer.strip()
    out = [s]
    m = _GLOSS.match(s)
    if m:
        head, gloss = m.group("head").strip(), m.group("gloss").strip()
        if head:
            out.append(head)
        if gloss and has_hangul(head) != has_hangul(gloss):
            out.append(gloss)
    return tuple(dict.fromkeys(out))


def _weight(text: str) -> int:
    """Length as information: a Hangul syllable counts two."""
    if text.isascii():
        return len(text)
    hangul = _compiled(_HANGUL)
    return sum(2 if hangul.match(c) else 1 for c in text)


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def has_hangul(text: str) -> bool:
    """Whether the text has a Korean letter."""
    return not text.isascii() and _compiled(_HANGUL).search(text) is not None


def near_miss(given: str, expected: str, kind: AnswerKind) -> bool:
    """One or two characters off a long answer, with every number in it untouched."""
    if kind in ("number", "shape"):
        return False
    g, e = normalize(given), normalize(expected)
    if not g or g == e or _DIGITS.findall(g) != _DIGITS.findall(e):
        return False
    size = _weight(e)
    allowed = 2 if size >= 16 else 1 if size >= 8 else 0
    if kind == "code" and size < 12:
        allowed = 0
    if allowed == 0:
        return False
    from rapidfuzz.distance import OSA  # imported when a typed answer is graded

    return OSA.distance(g, e, score_cutoff=allowed) <= allowed


class DiffPart(NamedTuple):
    """A piece of the character diff: ``equal`` text, text the answer lacks (``missing``),
    text it has in excess (``extra``)."""

    op: Literal["equal", "missing", "extra"]
    text: str


def char_diff(given: str, expected: str) -> tuple[DiffPart, ...]:
    """The answer given against the right one, character by character."""
    import difflib  # imported when a near miss is shown

    g, e = given.strip(), expected.strip()
    parts: list[DiffPart] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, g, e, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(DiffPart("equal", g[i1:i2]))
            continue
        if i2 > i1:
            parts.append(DiffPart("extra", g[i1:i2]))
        if j2 > j1:
            parts.append(DiffPart("missing", e[j1:j2]))
    return tuple(parts)


class Grade(NamedTuple):
    """How one answer was graded. ``credit`` is 0..1 (per item or pair where there are
    several); ``confused_with`` is the other answer the learner took for this one."""

    result: Result
    credit: float
    diff: tuple[DiffPart, ...] = ()
    expected: str = ""  # the accepted form the answer was closest to
    confused_with: tuple[tuple[str, str, str | None], ...] = ()  # (card key, text, mistake)
    note: str = ""
    override: bool = False
    wrong: tuple[int, ...] = ()  # matching: the pairs matched wrongly (by term index)

    @property
    def missed(self) -> bool:
        return self.result != "right" and not self.override


SKIPPED = Grade("skipped", 0.0)


def grade_typed(
    given: str,
    answer: str,
    kind: AnswerKind,
    others: Iterable[str] = (),
    card_key: str = "",
) -> Grade:
    """A typed answer against ``answer`` (and its :func:`alternatives`). ``others`` are the
    answers of the card's siblings: typing one of them is a confusion, never *almost*."""
    if not given.strip():
        return SKIPPED
    forms = alternatives(answer)
    g = normalize(given)
    if any(g == normalize(f) for f in forms):
        return Grade("right", 1.0, expected=answer)
    for other in others:
        if any(g == normalize(f) for f in alternatives(other)):
            return Grade("wrong", 0.0, expected=answer, confused_with=((card_key, other, None),))
    for form in forms:
        if near_miss(given, form, kind):
            return Grade("almost", 0.0, diff=char_diff(given, form), expected=form)
    return Grade("wrong", 0.0, expected=answer)


def split_items(given: str) -> list[str]:
    """A typed list: one item per line, or separated by ``;``."""
    parts = re.split(r"[;\n]", given)
    return [re.sub(r"^\s*(?:\d{1,3}[.)]|[-*•])\s+", "", p).strip() for p in parts if p.strip()]


def grade_list(given: str, items: Sequence[str]) -> Grade:
    """The items of a list in any order, with credit per item; near misses are *almost* (an
    override accepts them)."""
    if not given.strip():
        return SKIPPED
    left = list(range(len(items)))
    right = almost = 0
    for g in split_items(given):
        hit = next((i for i in left if any(same(g, f) for f in alternatives(items[i]))), None)
        if hit is not None:
            left.remove(hit)
            right += 1
            continue
        near = next(
            (
                i
                for i in left
                if any(near_miss(g, f, answer_kind(f)) for f in alternatives(items[i]))
            ),
            None,
        )
        if near is not None:
            left.remove(near)
            almost += 1
    n = len(items) or 1
    note = f"{right} of {len(items)} items" + (f", {almost} almost" if almost else "")
    if right == len(items):
        return Grade("right", 1.0, note=note)
    if right + almost == len(items):
        return Grade("almost", right / n, note=note)
    if right + almost == 0:
        return Grade("wrong", 0.0, note=note)
    return Grade("partial", right / n, note=note)


def accept_override(grade: Grade) -> Grade:
    """ "I was right": an *almost* counts as right, and the exam records the override."""
    if grade.result != "almost":
        return grade
    return grade._replace(credit=1.0, confused_with=(), override=True)
