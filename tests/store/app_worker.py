"""One review app's session in its own process, driven line by line, for the two-apps tests.

Usage: python app_worker.py DB DECK_DIR CONFIG; then on stdin, one command a line:
``show`` (the next card: prints ``card KEY STATE``), ``answer RATING`` (answers the card last
shown: prints ``recorded`` or ``notice WORDS``, then the card shown next), ``undo`` (prints
``undone``, ``nothing`` or ``error WORDS``), ``quit``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from quizapp.errors import QuizappError
from quizapp.review import CardView, ReviewService, ReviewStep


def _card_line(card: CardView | None) -> str:
    return "card none" if card is None else f"card {card.key} {card.state}"


def main() -> None:
    db, deck_dir, config = sys.argv[1:4]
    service = ReviewService(Path(db), [Path(deck_dir)], config_path=Path(config))
    service.sync()
    session = service.start()
    shown: CardView | None = None
    print("ready", flush=True)
    for line in sys.stdin:
        command, *args = line.split()
        if command == "quit":
            break
        step: ReviewStep | None = None
        try:
            if command == "show":
                step = session.step()
                print(_card_line(step.card), flush=True)
            elif command == "answer":
                assert shown is not None
                step = session.answer(shown, int(args[0]), 1000)
                print(f"notice {step.notice}" if step.notice else "recorded", flush=True)
                print(_card_line(step.card), flush=True)
            elif command == "undo":
                step = session.undo()
                print("nothing" if step is None else "undone", flush=True)
        except QuizappError as err:
            print(f"error {err}", flush=True)
        if step is not None:
            shown = step.card
    service.close()


if __name__ == "__main__":
    main()
