"""Question families: seeded, right answers by formula, wrong options from labelled
misconceptions that never equal the right answer."""

from __future__ import annotations

import pytest

from quizapp.calc.expr import ExprError, format_shape
from quizapp.calc.families import ASKS, GENERATORS, make_question
from quizapp.calc.stack import analyze


@pytest.mark.parametrize("layer", sorted(GENERATORS))
@pytest.mark.parametrize("ask", ASKS)
def test_every_layer_has_sound_questions(layer: str, ask: str) -> None:
    for seed in range(6):
        q = make_question(layer, ask, seed=seed)
        result = analyze(q.config.layers, q.config.input_shape)
        right = (
            str(result.total) if ask == "params" else format_shape(result.layers[0].output_shape)
        )
        assert q.answer == right
        assert q.prompt.endswith("?") and q.config.layers in q.prompt
        assert q.derivation.startswith(q.config.layers)
        texts = [o.text for o in q.options]
        assert len(texts) == len(set(texts)), texts  # no duplicates
        assert [o.text for o in q.options if o.mistake is None] == [right]
        wrong = [o for o in q.options if o.mistake is not None]
        assert len(wrong) >= 2
        assert all(o.text != right for o in wrong)
        assert all(o.mistake for o in wrong)


def test_questions_are_reproducible_by_seed() -> None:
    a = make_question("LSTM", "params", seed=42)
    b = make_question("LSTM", "params", seed=42)
    c = make_question("LSTM", "params", seed=43)
    assert a == b
    assert (a.config, a.options) != (c.config, c.options)


def test_lstm_misconceptions_are_the_classic_ones() -> None:
    labels = set()
    for seed in range(20):
        q = make_question("LSTM", "params", seed=seed, n_wrong=6)
        labels |= {o.mistake for o in q.options if o.mistake}
    assert {"forgot the four gates", "forgot the bias", "forgot the recurrent weights"} <= labels


def test_labelled_mistakes_match_their_numbers() -> None:
    """A labelled option is what the mistake really gives, e.g. 'forgot the bias' on Dense."""
    q = make_question("Dense", "params", seed=3, n_wrong=6)
    result = analyze(q.config.layers, q.config.input_shape).layers[0]
    by_label = {o.mistake: o.text for o in q.options if o.mistake}
    n_in, units = result.input_shape[-1], result.weights[0].shape[1]
    if "forgot the bias" in by_label:
        assert by_label["forgot the bias"] == str(n_in * units)


def test_gru_offers_the_other_reset_after() -> None:
    seen = False
    for seed in range(20):
        q = make_question("GRU", "params", seed=seed, n_wrong=6)
        for o in q.options:
            if o.mistake == "GRU with the other reset_after":
                seen = True
                cfg = q.config.layers
                flipped = (
                    cfg.replace("reset_after=False", "reset_after=True")
                    if "reset_after=False" in cfg
                    else cfg[:-1] + ", reset_after=False)"
                )
                if "use_bias=False" not in cfg:
                    assert o.text == str(analyze(flipped, q.config.input_shape).total)
    assert seen


def test_conv_shape_questions_offer_padding_and_stride_mistakes() -> None:
    labels = set()
    for seed in range(20):
        q = make_question("Conv2D", "output_shape", seed=seed, n_wrong=6)
        labels |= {o.mistake for o in q.options if o.mistake}
    assert "'same' vs 'valid' padding" in labels
    assert "stride rounding (rounded the wrong way)" in labels


def test_unknown_family() -> None:
    with pytest.raises(ExprError, match="did you mean 'LSTM'"):
        make_question("LTSM")
