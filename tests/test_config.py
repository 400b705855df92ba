"""The scheduling settings: config.toml read into per-deck settings, bad values named."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from quizapp.config import ConfigError, DeckSettings, load_config, parse_config


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_config_file(tmp_path: Path) -> None:
    config = load_config(tmp_path / "missing.toml")
    d = config.defaults
    assert d.desired_retention == 0.9
    assert d.learning_steps == (timedelta(minutes=1), timedelta(minutes=10))
    assert d.relearning_steps == (timedelta(minutes=10),)
    assert d.fuzz is True
    assert (d.new_cards_per_day, d.maximum_reviews_per_day) == (20, 200)
    assert config.day_starts_at == 4
    assert d.scheduler.desired_retention == 0.9


def test_settings_and_per_deck_overrides(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
desired_retention = 0.85
learning_steps = ["30s", "5m", "1h"]
relearning_steps = "15m"
maximum_interval = 365
fuzz = false
new_cards_per_day = 5
maximum_reviews_per_day = 50
day_starts_at = 6

[decks.keras-basics]
new_cards_per_day = 2
desired_retention = 0.95
""",
    )
    config = load_config(path)
    d = config.defaults
    assert d.desired_retention == 0.85
    assert d.learning_steps == (timedelta(seconds=30), timedelta(minutes=5), timedelta(hours=1))
    assert d.relearning_steps == (timedelta(minutes=15),)
    assert (d.maximum_interval, d.fuzz, d.new_cards_per_day, d.maximum_reviews_per_day) == (
        365,
        False,
        5,
        50,
    )
    assert config.day_starts_at == 6
    keras = config.for_deck("keras-basics")
    assert (keras.new_cards_per_day, keras.desired_retention) == (2, 0.95)
    assert keras.maximum_reviews_per_day == 50  # inherited from the global settings
    assert config.for_deck("other") == d


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("desired_retention = 1.5", "desired_retention"),
        ('desired_retention = "high"', "desired_retention"),
        ('learning_steps = ["1 minute"]', "learning_steps"),
        ("maximum_interval = 0", "maximum_interval"),
        ('fuzz = "yes"', "fuzz"),
        ("new_cards_per_day = -1", "new_cards_per_day"),
        ("maximum_reviews_per_day = 2.5", "maximum_reviews_per_day"),
        ("day_starts_at = 24", "day_starts_at"),
        ("new_cards = 3", "new_cards"),
        ("[decks.rnn]\nnew_cards_per_day = true", "decks.rnn.new_cards_per_day"),
        ("[decks.rnn]\nday_starts_at = 3", "decks.rnn.day_starts_at"),
        ("parameters = [1, 2, 3]", "parameters"),
        ("[decks.rnn]\nparameters = " + str([0.1] * 21), "decks.rnn.parameters"),
    ],
)
def test_bad_value_names_the_key(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(_write(tmp_path, text))
    assert key in str(err.value)
    assert "\n" not in str(err.value)


def test_invalid_toml_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(_write(tmp_path, "desired_retention = = 3"))


DEFAULT_P = DeckSettings().parameters
P_DECK, P_EVERY = (0.3, *DEFAULT_P[1:]), (0.4, *DEFAULT_P[1:])
P_CONFIG = [0.5, *DEFAULT_P[1:]]


def test_stored_choices_apply_a_decks_own_first_then_every_decks() -> None:
    config = parse_config({"decks": {"b": {"new_cards_per_day": 5}}})
    stored = config.with_stored({"a": P_DECK, "": P_EVERY}, {"b": 0.85})
    a, b, c = stored.for_deck("a"), stored.for_deck("b"), stored.for_deck("c")
    assert (a.parameters, a.parameters_from) == (P_DECK, "stored")
    assert (b.parameters, b.parameters_from) == (P_EVERY, "stored for every deck")
    assert (c.parameters, c.parameters_from) == (P_EVERY, "stored for every deck")
    assert (b.desired_retention, b.retention_from) == (0.85, "stored")
    assert (a.desired_retention, a.retention_from) == (0.9, "default")
    assert b.new_cards_per_day == 5  # the deck's other settings are its own
    assert stored.for_deck("a").scheduler.parameters == P_DECK


def test_config_toml_parameters_and_retention_win_over_stored_ones() -> None:
    config = parse_config(
        {"desired_retention": 0.8, "decks": {"a": {"parameters": P_CONFIG}, "b": {}}}
    )
    stored = config.with_stored({"a": P_DECK, "b": P_DECK}, {"a": 0.95, "": 0.85})
    a, b = stored.for_deck("a"), stored.for_deck("b")
    assert (a.parameters, a.parameters_from) == (tuple(P_CONFIG), "config.toml [decks.a]")
    assert (b.parameters, b.parameters_from) == (P_DECK, "stored")
    assert (a.desired_retention, a.retention_from) == (0.8, "config.toml")
    assert (stored.defaults.desired_retention, stored.defaults.retention_from) == (
        0.8,
        "config.toml",
    )


def test_default_parameters_are_fsrs_own() -> None:
    """The defaults written out in config (so that reading settings needs no fsrs) are the
    fsrs package's."""
    import fsrs

    from quizapp.config import DEFAULT_PARAMETERS, DeckSettings

    assert tuple(fsrs.scheduler.DEFAULT_PARAMETERS) == DEFAULT_PARAMETERS
    assert DeckSettings().parameters == DEFAULT_PARAMETERS
