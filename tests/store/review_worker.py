"""A review process for the reliability tests: answers cards and reports each committed answer.

Usage: python review_worker.py DB DECK_DIR CONFIG (free|step)
- free: answer every card as fast as possible;
- step: answer one card per line read on stdin (stop at EOF or "quit").
Prints ``recorded CARD_ID`` after each answer has returned (it is committed by then), or
``refused CARD_ID`` when the other process had answered that card since it was shown.
"""

from __future__ import annotations

import sys
from pathlib import Path

from quizapp.review import ReviewService


def main() -> None:
    db, deck_dir, config, mode = sys.argv[1:5]
    service = ReviewService(Path(db), [Path(deck_dir)], config_path=Path(config))
    service.sync()
    session = service.start()
    print("ready", flush=True)
    while True:
        if mode == "step":
            line = sys.stdin.readline()
            if not line or line.strip() == "quit":
                break
        card = session.next_card()
        if card is None:
            print("done", flush=True)
            if mode == "free":
                break
            continue
        step = session.answer(card, 4, 100)
        if step.notice:  # the other process answered this card first: nothing was written
            print(f"refused {card.card_id}", flush=True)
            continue
        print(f"recorded {card.card_id}", flush=True)
    service.close()


if __name__ == "__main__":
    main()
