"""Messages the screens send to the app (handled on the main thread)."""

from __future__ import annotations

from textual.message import Message

from quizapp.verify.model import Verification


class StartReview(Message):
    """Review one deck (``deck`` is its id) or, with ``deck=None``, every deck."""

    def __init__(self, deck: str | None) -> None:
        super().__init__()
        self.deck = deck


class KerasChecked(Message):
    """A card's Keras facts were checked (sent from a worker thread): the result."""

    def __init__(self, card_id: int, verification: Verification) -> None:
        super().__init__()
        self.card_id = card_id
        self.verification = verification
