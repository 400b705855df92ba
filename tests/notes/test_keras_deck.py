"""The bundled Keras deck: every topic of the notes is a card, and no card teaches a mistake."""

from __future__ import annotations

import re

import pytest

from quizapp.notes import load_decks
from quizapp.notes.lint import lint_deck
from quizapp.paths import bundled_decks_dir

NOTES_CONV2D_ARGS = [
    "filters",
    "kernel_size",
    "strides",
    "padding",
    "data_format",
    "dilation_rate",
    "groups",
    "activation",
    "use_bias",
    "kernel_initializer",
    "bias_initializer",
    "kernel_regularizer",
    "bias_regularizer",
    "activity_regularizer",
    "kernel_constraint",
    "bias_constraint",
]


@pytest.fixture(scope="module")
def deck():
    result = load_decks([bundled_decks_dir()])
    assert result.errors == ()
    (keras,) = [d for d in result.decks if d.id == "keras-basics"]
    return keras


def all_text(card) -> str:
    return "\n".join([card.prompt, card.answer, card.extra, card.cloze_text or ""])


def cards_in(deck, section_word: str):
    return [c for c in deck.cards if section_word.lower() in c.context.lower()]


def test_deck_identity_and_source(deck) -> None:
    assert deck.title == "Keras basics"
    assert deck.source == "decks/keras-basics.md"
    assert all(c.location.startswith("decks/keras-basics.md:") for c in deck.cards)


def test_every_conv2d_argument_has_a_meaning_card_and_its_reverse(deck) -> None:
    terms = {c.answer.strip("`") for c in deck.cards if c.kind == "reverse"}
    defined = {c.prompt.strip("`") for c in deck.cards if c.kind == "definition"}
    assert set(NOTES_CONV2D_ARGS) <= defined
    assert set(NOTES_CONV2D_ARGS) <= terms
    for card in deck.cards:
        if card.kind == "reverse":
            assert card.answer.strip("`") not in card.prompt  # the prompt does not give it away


# The topics of the notes, each with the kinds of card the deck teaches it by and what its cards
# must mention (the import of the notes measures its coverage against this list too).
TOPICS: list[tuple[str, set[str], list[str]]] = [
    ("imshow", {"cloze", "qa"}, ["imshow", "'gray'"]),
    ("과적합", {"list"}, ["훈련 데이터를 늘린다", "DropOut", "정규화"]),
    ("input_shape", {"table", "qa"}, ["(열, )", "(열, 몇)", "(h, w, f)", "(행, h, w, f)"]),
    (
        "LSTM",
        {"qa"},
        [
            "return_sequences=True",
            "tanh",
            "forget gate",
            "batch_shape",
            "input_shape = (time_step, input_dim)",
            "4x(1+1+10)x10",
        ],
    ),
    ("GRU", {"qa"}, ["reset_after", "3 × n × (n + m + 2)"]),
    ("train_test_split", {"cloze", "qa"}, ["stratify=y", "test_size=0.2"]),
    ("MinMaxScaler", {"cloze", "qa"}, ["scaler.fit(x_train)", "transform(x_test)"]),
    ("원핫", {"cloze", "qa"}, ["OneHotEncoder", "to_categorical", "reshape(-1, 1)"]),
    ("r2", {"cloze", "qa"}, ["r2_score(y_test, y_predict)", "mean_squared_error"]),
    ("early_stopping", {"cloze", "qa"}, ["monitor='val_loss'", "patience=20"]),
    (
        "이진 vs 다중",
        {"table"},
        [
            "sigmoid",
            "softmax",
            "binary_crossentropy",
            "categorical_crossentropy",
            "np.argmax",
            "np.where",
        ],
    ),
]


@pytest.mark.parametrize(("section", "kinds", "must_mention"), TOPICS)
def test_every_topic_of_the_notes_has_cards(deck, section, kinds, must_mention) -> None:
    cards = cards_in(deck, section)
    assert cards, f"no cards in a section about {section}"
    assert kinds <= {c.kind for c in cards}
    text = "\n".join(all_text(c) for c in cards)
    for phrase in must_mention:
        assert phrase in text, f"{section}: {phrase!r} is not taught"


def test_code_snippets_cloze_the_parts_worth_remembering(deck) -> None:
    hidden = set()
    for c in deck.cards:
        if c.kind == "cloze":
            for m in re.finditer(r"\{\{c(\d+)::(.*?)\}\}", c.cloze_text or ""):
                hidden.add(m.group(2))
    for part in ["stratify=y", "fit", "x_train", "'val_loss'", "to_categorical", "y_test"]:
        assert part in hidden


def test_no_card_teaches_the_mistakes_of_the_notes(deck) -> None:
    for card in deck.cards:
        teaching = card.prompt + "\n" + card.answer
        assert "reshape(-1.1)" not in teaching
        assert "r2_score(y_predict, y_test)" not in teaching
        assert "cell state))" not in teaching
        assert "batch_input_shape" not in teaching


def test_the_corrections_say_what_the_notes_had(deck) -> None:
    extras = "\n".join(c.extra for c in deck.cards)
    assert "The notes had `y.reshape(-1.1)`" in extras
    assert "The notes had `r2 = r2_score(y_predict, y_test)`" in extras
    assert "reset_after=True" in extras and "no cell state" in extras
    gru = next(c for c in deck.cards if "GRU" in c.context and c.kind == "qa")
    assert "not a cell state" in gru.extra


def test_korean_wording_is_kept_beside_english(deck) -> None:
    text = "\n".join(all_text(c) + c.context for c in deck.cards)
    for korean in [
        "하이퍼볼릭 탄젠트",
        "과적합 줄이기",
        "의미 잘 생각해야함",
        "첫번째 1은 인풋딤",
        "위에층에",
        "이진",
        "다중",
        "원핫 인코딩",
    ]:
        assert korean in text


def test_the_bundled_deck_has_no_weak_card_warnings(deck) -> None:
    assert [str(w) for w in lint_deck(deck)] == []


def test_the_corrected_claims_are_taught_and_checked(deck) -> None:
    padding = next(c for c in deck.cards if c.kind == "definition" and c.prompt == "`padding`")
    assert "only when strides = 1" in padding.answer
    assert "The notes had" in padding.extra
    assert any("strides=2" in k and "(None, 14, 14, 8)" in k for k in padding.checks)
    table = {c.prompt: c for c in cards_in(deck, "이진 vs 다중") if c.kind == "table"}
    assert table["predict — 다중 (multiclass)"].answer == "`np.argmax(pred, axis=1)`"
    assert table["predict — 이진 (binary)"].answer == "`np.where(pred > 0.5, 1, 0)`"
    sparse = {p for p, c in table.items() if "sparse_categorical_crossentropy" in c.extra}
    assert sparse == {p for p in table if p.startswith(("y onehot", "loss"))}
    twice = next(c for c in deck.cards if c.key == "keras-basics:onehot-twice")
    assert "(n, k, 2)" in twice.answer and "use one, not both" in twice.answer


def test_only_what_the_notes_wrote_is_attributed_to_them(deck) -> None:
    said = {c.key: dict(c.compute).get("notes") for c in deck.cards if c.kind == "computed"}
    assert {k: v for k, v in said.items() if v} == {"keras-basics:lstm-10-params": "4x(1+1+10)x10"}
