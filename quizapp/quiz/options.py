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

from quizapp.quiz.grading import AnswerKind, alternatives, answer_kind, normalize

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
    seen = {normalize(a) for a in alternatives(right)}

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
        t = list(dict.fromkeys(tier))
        rng.shuffle(t)
        for c in t:
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
