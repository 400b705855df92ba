"""An exam reads from the database only the cards it asks and their siblings. It must be the
very exam that reading every card of the decks at once gives (the same seed, the same exam),
and it follows the deck files: a changed file changes the next exam's options."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from quizapp import paths
from quizapp.library import load_library
from quizapp.quiz import ExamOptions, QuizService
from quizapp.quiz.model import Exam
from quizapp.quiz.paper import exam_json
from quizapp.quiz.pool import Pool
from quizapp.store import exam_cards as store
from quizapp.store.sync import sync_library
from tests.store.util import Clock, write_deck

# Alike prompts in other sections (the same question asked twice: its answer is right there
# too), a heading that comes twice, Korean, full-width letters, numbers with zeros.
TRICKY = """---
id: tricky
title: Tricky
---

# Tricky

## One

- `fit`: trains the model for some epochs
- `predict`: gives the model's outputs
- `evaluate`: gives the loss and the metrics
- `compile`: sets the optimizer, the loss and the metrics
- `과적합`: 훈련 데이터에만 맞는 것

Q: What does fit return?
A: a History object

Q: How big is the default batch?
A: 32

Q: What is the learning rate 0.50 for?
A: a large first step

Q: 과적합 줄이기?
A: 드롭아웃

## Two

- `Fit`: runs the training loop
- `summary`: prints the layers and their parameters
- `save`: writes the model to a file
- `과적합`: 일반화가 안 되는 것

Q: what does FIT return
A: the training history

Q: ＷＨＡＴ does fit return?
A: History

Q: What is the learning rate 0.5 for?
A: the size of a step

Q: 과적합줄이기?
A: 데이터 늘리기

Q: Which layer flattens?
A: Flatten

## One

- `layers`: the model's building blocks
- `weights`: what training changes

Q: How many outputs for 10 classes?
A: 10

| | binary | multiclass |
|---|---|---|
| activation | sigmoid | softmax |
| loss | binary_crossentropy | categorical_crossentropy |
| units | 1 | number of classes |
"""

PREPENDED = """## Zero

- `epoch`: one pass over the training data
- `batch`: the samples of one update

"""


def eager_exam(service: QuizService, options: ExamOptions) -> Exam:
    """The exam as built from every card of the decks read at once (no reads on demand): the
    service's own path for cards it keeps, given every head."""
    deck_ids = service.resolve_decks(options.decks)
    heads = store.exam_card_heads(service.db, deck_ids)
    reader = store.ExamCards(service.db, deck_ids)
    assert options.seed is not None
    with reader.reading():
        return service._build_from(options, deck_ids, reader, Pool(heads), heads)


@pytest.fixture
def tricky_service(tmp_path: Path, deck_dir: Path) -> QuizService:
    """The tricky deck and the bundled one, synced; then cards put before the others (so row
    ids no longer follow deck order) and a few suspended."""
    deck = write_deck(deck_dir, "tricky.md", TRICKY)
    bundled = paths.bundled_decks_dir() / "keras-basics.md"
    write_deck(deck_dir, "keras-basics.md", bundled.read_text(encoding="utf-8"))
    db_path = tmp_path / "q.sqlite3"
    service, report = QuizService.open(db_path, [deck_dir], Clock())
    assert not report.errors
    service.close()
    text = TRICKY.replace("# Tricky\n\n", "# Tricky\n\n" + PREPENDED)
    write_deck(deck_dir, deck.name, text)
    with sqlite3.connect(db_path) as con:
        con.execute(
            "UPDATE cards SET suspended = 1 WHERE key IN (SELECT key FROM cards WHERE kind"
            " IN ('definition', 'qa', 'table') ORDER BY key LIMIT 40 OFFSET 3)"
        )
    service, report = QuizService.open(db_path, [deck_dir], Clock())
    assert not report.errors
    return service


OPTION_SETS = [
    {},
    {"decks": ("tricky",)},
    {"decks": ("tricky",), "types": ("mcq",)},
    {"decks": ("tricky",), "types": ("tf", "typed")},
    {"decks": ("tricky",), "section": "Two"},
    {"types": ("match", "mcq")},
    {"section": "LSTM"},
    {"tag": "keras", "count": 30},
    {"count": 200},
    {"types": ("match",), "count": 12},  # past the first sample: the rest read as taken
    {"types": ("computed", "tf"), "count": 25},
]


@pytest.mark.parametrize("options", OPTION_SETS)
def test_an_exam_read_on_demand_is_the_exam_of_every_card_read_at_once(
    tricky_service: QuizService, options: dict[str, object]
) -> None:
    service = tricky_service
    for seed in range(1, 9):
        opts = ExamOptions(seed=seed, **options)  # type: ignore[arg-type]
        built = service.build(opts)
        assert built.questions
        assert exam_json(built) == exam_json(eager_exam(service, opts))
        fresh = QuizService(service.db, service.clock)  # a first exam of a new service
        assert exam_json(fresh.build(opts)) == exam_json(built)


def test_the_cards_that_ask_the_same_are_found_alike_from_the_store(
    tricky_service: QuizService,
) -> None:
    """The answers right too (another card asks the same: ``What does fit return?`` and
    ``what does FIT return``, ``과적합 줄이기?`` and ``과적합줄이기?``), read on demand."""
    db = tricky_service.db
    heads = store.exam_card_heads(db, ["tricky"])
    eager = Pool(heads)
    reader = store.ExamCards(db, ["tricky"])
    lazy = Pool(source=reader)
    found = {}
    for card in heads:
        if card.kind in ("definition", "reverse", "qa"):
            assert set(lazy.also_right(card)) == set(eager.also_right(card)), card.prompt
            found[card.prompt] = set(lazy.also_right(card))
    assert found["What does fit return?"] == {"the training history", "History"}
    assert found["과적합 줄이기?"] == {"데이터 늘리기"}
    # Alike in letters and digits but for a zero: read as a candidate, and not the same.
    assert found["What is the learning rate 0.50 for?"] == set()
    assert found["Which layer flattens?"] == set()


def test_the_draw_lists_the_cards_in_deck_order(tricky_service: QuizService) -> None:
    reader = store.ExamCards(tricky_service.db, ["tricky", "keras-basics"])
    with sqlite3.connect(tricky_service.db.path) as con:
        expected = [
            i
            for (i,) in con.execute(
                "SELECT id FROM cards WHERE deck IN ('tricky', 'keras-basics') AND retired = 0"
                " AND suspended = 0 ORDER BY deck, position, key"
            )
        ]
    assert expected != sorted(expected)  # the cards put first came last into the table
    assert reader.every() == expected


DEFINITIONS = """---
id: d
title: D
---

# D

## Terms

- `epoch`: one pass over the training data
- `batch`: the samples of one weight update
- `dropout`: units silenced at random while training
- `kernel`: the weights of a convolution
"""


def _options_shown(service: QuizService) -> set[str]:
    exam = service.build(ExamOptions(seed=3, types=("mcq",), count=4))
    assert len(exam.questions) == 4
    return {o for q in exam.questions for o in q.options}


def test_a_changed_deck_file_changes_the_next_exams_options(tmp_path: Path, deck_dir: Path) -> None:
    write_deck(deck_dir, "d.md", DEFINITIONS)
    service, _ = QuizService.open(tmp_path / "q.sqlite3", [deck_dir], Clock())
    assert "the weights of a convolution" in _options_shown(service)
    assert "the weights of a convolution" in _options_shown(service)  # the cards kept
    write_deck(
        deck_dir, "d.md", DEFINITIONS.replace("the weights of a convolution", "a sliding filter")
    )
    sync_library(service.db, [deck_dir], load_library)  # as the app syncs before an exam
    shown = _options_shown(service)
    assert "a sliding filter" in shown and "the weights of a convolution" not in shown
    service.close()
    again, _ = QuizService.open(tmp_path / "q.sqlite3", [deck_dir], Clock())
    shown = _options_shown(again)
    assert "a sliding filter" in shown and "the weights of a convolution" not in shown
    again.close()
