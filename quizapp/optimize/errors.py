"""The optimizer's expected errors: a bad history file, or too little history to fit."""

from __future__ import annotations

from quizapp.errors import QuizappError


class OptimizeError(QuizappError):
    """A history that cannot be read (``FILE:LINE: message``) or cannot be fitted."""


class NotEnoughHistory(OptimizeError):
    """Too few training items for fsrs-rs to fit anything; nothing was changed."""

    def __init__(self, reviews: int, cards: int, items: int, usable: int, needed: int) -> None:
        self.reviews, self.cards, self.items = reviews, cards, items
        self.usable, self.needed = usable, needed
        kept = (
            ""
            if usable == items
            else f", of which fsrs-rs keeps {usable:,} (not rare first intervals)"
        )
        super().__init__(
            f"too little history to fit: {reviews:,} {_plural(reviews, 'review')} of "
            f"{cards:,} {_plural(cards, 'card')} give {items:,} training "
            f"{_plural(items, 'item')} (reviews a day or more after the card's previous one)"
            f"{kept}; fsrs-rs needs at least {needed}. Nothing was changed."
        )


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"
