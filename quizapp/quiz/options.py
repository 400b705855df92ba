"""Choosing wrong options: the learner's past confusions first, then the nearest siblings, and
never a length tell.

Over many questions the right answer should be the longest option no more often than chance
(one in four). So the builder first draws how many of the three wrong options are to be longer
than the right one (0 to 3, evenly), then fills that many from the longer candidates and the
rest from the others, nearest siblings first. Where the candidates cannot give the number
drawn (a right answer longer than every sibling), the nearest possible number is taken.

What counts as the same kind: :func:`option_kind` (a number, a shape, code, a short term in
Korean or not, or prose); what an option should look like where there is a choice:
:func:`option_look` (prose opening in Korean, with code, or in another script).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache

from quizapp.quiz.grading import alternatives, answer_kind, has_hangul, normalize

CHOICES = 4
TERM_WORDS = 4  # a short term: at most this many words ...
TERM_LENGTH = 40  # ... and characters
_FIRST_LETTER = re.compile(r"[^\W\d_]")


def _opens_in_hangul(text: str) -> bool:
    m = _FIRST_LETTER.search(text)
    return bool(m and has_hangul(m.group(0)))


@lru_cache(maxsize=65536)
def option_kind(text: str) -> str:
    """The kind every option of a question shares with its answer: a number, a shape, code
    (:func:`~quizapp.quiz.grading.answer_kind`), or for text a short term (``term:ko`` when it
    opens in Korean, ``term`` otherwise) or prose. A short term among sentences, or a Korean
    term among English ones, would be a tell."""
    kind = answer_kind(text)
    if kind != "text":
        return kind
    s = " ".join(text.split())
    if len(s.split()) <= TERM_WORDS and len(s) <= TERM_LENGTH:
        return "term:ko" if _opens_in_hangul(s) else "term"
    return "prose"


@lru_cache(maxsize=65536)
def option_look(text: str) -> str:
    """How an answer opens: with code, in Korean, or otherwise. Wrong options that open alike
    are preferred where there are enough of them (not required: prose is often bilingual)."""
    s = text.lstrip()
    if s.startswith("`"):
        return "code"
    return "ko" if _opens_in_hangul(s) else "other"


class Tier:
    """Candidates read together (in a random order), those ``accept`` takes only: a deck-wide
    list shared by every card, read no further than needed."""

    __slots__ = ("accept", "items")

    def __init__(self, items: Sequence[str], accept: Callable[[str], bool] | None = None) -> None:
        self.items = items
        self.accept = accept

    def __iter__(self) -> Iterator[str]:
        accept = self.accept
        return iter(self.items) if accept is None else (c for c in self.items if accept(c))


Tiers = Sequence[Sequence[str] | Tier]


def siblings(tiers: Tiers) -> Iterator[str]:
    """Every candidate of the tiers, nearest first (in order, not shuffled)."""
    for tier in tiers:
        yield from tier


@lru_cache(maxsize=65536)
def shown_length(text: str) -> int:
    return len(" ".join(text.split()))


def random_order(items: Sequence[str], rng: random.Random) -> Iterator[str]:
    """The distinct items in a random order, drawn as they are read: a deck-wide tier of
    hundreds is seldom read past its first few."""
    if len(items) <= 16:
        t = list(dict.fromkeys(items))
        rng.shuffle(t)
        yield from t
        return
    n = len(items)
    taken: set[int] = set()
    given: set[str] = set()
    while len(taken) < n // 2:
        i = rng.randrange(n)
        if i in taken:
            continue
        taken.add(i)
        if items[i] not in given:
            given.add(items[i])
            yield items[i]
    rest = [x for i, x in enumerate(items) if i not in taken and x not in given]
    rng.shuffle(rest)
    yield from dict.fromkeys(rest)


def pick_distractors(
    right: str,
    kind: str,
    tiers: Tiers,
    rng: random.Random,
    preferred: Sequence[str] = (),
    k: int = CHOICES - 1,
    kind_of: Callable[[str], str] = answer_kind,
    also_right: Sequence[str] = (),
) -> list[str] | None:
    """``k`` wrong options for ``right``, or None when there are not enough.

    ``preferred`` (past confusions, heaviest first) are taken first; ``tiers`` are the
    siblings, nearest first, shuffled within a tier. Every option is of ``kind``
    (``kind_of`` each candidate); none is an accepted form of ``right`` or of ``also_right``
    (the other items of a list asked as "which is one of them").
    """
    seen = {normalize(a) for r in (right, *also_right) for a in alternatives(r)}

    def valid(c: str) -> bool:  # of the answer's kind, distinct from what is taken so far
        if kind_of(c) != kind:
            return False
        forms = {normalize(a) for a in alternatives(c)}
        if forms & seen or not all(forms):
            return False
        seen.update(forms)
        return True

    chosen: list[str] = []
    for c in dict.fromkeys(preferred):
        if len(chosen) < k and valid(c):
            chosen.append(c)
    need = k - len(chosen)
    if need == 0:
        return chosen
    size = shown_length(right)
    longer: list[str] = []
    other: list[str] = []
    # Nearest tiers first; a candidate is only checked while its length class has room, so a
    # deck-wide tier is read no further than needed.
    for tier in tiers:
        if len(longer) >= need and len(other) >= need:
            break
        items, accept = (tier.items, tier.accept) if isinstance(tier, Tier) else (tier, None)
        for c in random_order(items, rng):
            if len(longer) >= need and len(other) >= need:
                break
            if accept is not None and not accept(c):
                continue
            group = longer if shown_length(c) > size else other
            if len(group) < need and valid(c):
                group.append(c)
    if len(longer) + len(other) < need:
        return None
    target = rng.randint(0, k) - sum(shown_length(c) > size for c in chosen)
    take_longer = min(max(target, need - len(other), 0), len(longer), need)
    return chosen + longer[:take_longer] + other[: need - take_longer]


def arrange(right: str, wrong: Sequence[str], rng: random.Random) -> tuple[str, ...]:
    """The options in a random order."""
    options = [right, *wrong]
    rng.shuffle(options)
    return tuple(options)
