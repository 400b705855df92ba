"""Choosing wrong options: the learner's past confusions first, then the nearest siblings, and
never a length tell.

Over many questions the right answer should be the longest option no more often than chance
(one in four). So the builder first draws how many of the three wrong options are to be longer
than the right one (0 to 3, evenly), then fills that many from the longer candidates and the
rest from the others, nearest siblings first. Where the candidates cannot give the number
drawn (a right answer longer than every sibling), the nearest possible number is taken.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from quizapp.quiz.grading import AnswerKind, answer_kind
from quizapp.quiz.pool import distinct_kind

CHOICES = 4


def shown_length(text: str) -> int:
    return len(" ".join(text.split()))


def pick_distractors(
    right: str,
    kind: AnswerKind,
    tiers: Sequence[Sequence[str]],
    rng: random.Random,
    preferred: Sequence[str] = (),
    k: int = CHOICES - 1,
    kind_of: Callable[[str], AnswerKind] = answer_kind,
) -> list[str] | None:
    """``k`` wrong options for ``right``, or None when there are not enough.

    ``preferred`` (past confusions, heaviest first) are taken first; ``tiers`` are the
    siblings, nearest first, shuffled within a tier.
    """
    ordered: list[str] = list(preferred)
    for tier in tiers:
        t = list(dict.fromkeys(tier))
        rng.shuffle(t)
        ordered += t
    valid = distinct_kind(right, ordered, kind, kind_of=kind_of)
    if len(valid) < k:
        return None
    pref = set(preferred)
    chosen = [c for c in valid if c in pref][:k]
    rest = [c for c in valid if c not in chosen]
    need = k - len(chosen)
    if need == 0:
        return chosen
    size = shown_length(right)
    longer = [c for c in rest if shown_length(c) > size]
    other = [c for c in rest if shown_length(c) <= size]
    target = rng.randint(0, k) - sum(shown_length(c) > size for c in chosen)
    take_longer = min(max(target, need - len(other), 0), len(longer), need)
    picked = set(longer[:take_longer]) | set(other[: need - take_longer])
    return chosen + [c for c in rest if c in picked]


def arrange(right: str, wrong: Sequence[str], rng: random.Random) -> tuple[str, ...]:
    """The options in a random order."""
    options = [right, *wrong]
    rng.shuffle(options)
    return tuple(options)
