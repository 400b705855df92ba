"""The scheduling settings: ``config.toml`` parsed into one :class:`DeckSettings` per deck.

Settings live in ``config.toml`` (:func:`quizapp.paths.config_path`); every key is optional::

    desired_retention = 0.9
    learning_steps = ["1m", "10m"]
    relearning_steps = ["10m"]
    maximum_interval = 36500        # days
    fuzz = true
    new_cards_per_day = 20
    maximum_reviews_per_day = 200
    day_starts_at = 4               # local hour the study day begins
    learn_ahead_minutes = 20

    [decks.keras-basics]            # per-deck overrides of the scheduling keys above
    new_cards_per_day = 10

What the settings do to a card (FSRS, previews, the study day) is :mod:`quizapp.scheduling`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizapp.errors import QuizappError

if TYPE_CHECKING:
    import fsrs

#: ``fsrs.scheduler.DEFAULT_PARAMETERS`` (FSRS-6), written out so that reading the settings
#: does not import ``fsrs``; a test keeps the two equal.
DEFAULT_PARAMETERS: tuple[float, ...] = (
    0.212,
    1.2931,
    2.3065,
    8.2956,
    6.4133,
    0.8334,
    3.0194,
    0.001,
    1.8722,
    0.1666,
    0.796,
    1.4835,
    0.0614,
    0.2629,
    1.6483,
    0.6014,
    1.8729,
    0.5425,
    0.0912,
    0.0658,
    0.1542,
)


def fsrs_scheduler(**settings: Any) -> fsrs.Scheduler:
    """An ``fsrs`` scheduler: the one place the settings import ``fsrs``, when a card is first
    scheduled or a ``parameters`` setting is checked (counting and listing do without it)."""
    import fsrs

    return fsrs.Scheduler(**settings)


class ConfigError(QuizappError):
    """A bad setting in config.toml, with a one-line message naming the key."""


@dataclass(frozen=True)
class DeckSettings:
    """Scheduling settings for one deck (the global ones, with the deck's overrides applied)."""

    desired_retention: float = 0.9
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    maximum_interval: int = 36500
    fuzz: bool = True
    new_cards_per_day: int = 20
    maximum_reviews_per_day: int = 200
    parameters: tuple[float, ...] = DEFAULT_PARAMETERS
    #: Where ``parameters`` and ``desired_retention`` come from: :data:`DEFAULT`,
    #: ``"config.toml"``, ``"config.toml [decks.ID]"``, :data:`STORED` (``quizapp optimize
    #: --apply`` for this deck) or :data:`STORED_EVERY_DECK`.
    parameters_from: str = field(default="default", compare=False)
    retention_from: str = field(default="default", compare=False)

    @property
    def parameters_set_in_config(self) -> bool:
        return self.parameters_from.startswith("config.toml")

    @property
    def retention_set_in_config(self) -> bool:
        return self.retention_from.startswith("config.toml")

    @cached_property
    def scheduler(self) -> fsrs.Scheduler:
        return fsrs_scheduler(
            parameters=self.parameters,
            desired_retention=self.desired_retention,
            learning_steps=self.learning_steps,
            relearning_steps=self.relearning_steps,
            maximum_interval=self.maximum_interval,
            enable_fuzzing=self.fuzz,
        )


@dataclass(frozen=True)
class Config:
    """All scheduling settings: defaults, per-deck overrides, and the study day."""

    defaults: DeckSettings = field(default_factory=DeckSettings)
    decks: dict[str, DeckSettings] = field(default_factory=dict)
    day_starts_at: int = 4
    learn_ahead: timedelta = timedelta(minutes=20)

    def for_deck(self, deck_id: str) -> DeckSettings:
        return self.decks.get(deck_id, self.defaults)

    def with_stored(
        self, parameters: Mapping[str, Sequence[float]], retention: Mapping[str, float]
    ) -> Config:
        """These settings with what ``quizapp optimize --apply`` stored, by deck id (``""``: for
        every deck): a deck's own stored value first, then the one for every deck. A value set
        in ``config.toml`` (for the deck, or at the top) still wins."""

        def choice(table: Mapping[str, Any], deck: str | None) -> tuple[Any, str] | None:
            """The deck's own stored value, else the one for every deck, with where it is from."""
            if deck is not None and deck in table:
                return table[deck], STORED
            if EVERY_DECK in table:
                return table[EVERY_DECK], STORED_EVERY_DECK
            return None

        def stored(base: DeckSettings, deck: str | None) -> DeckSettings:
            out: dict[str, Any] = {}
            if not base.parameters_set_in_config and (got := choice(parameters, deck)):
                out["parameters"] = tuple(float(x) for x in got[0])
                out["parameters_from"] = got[1]
            if not base.retention_set_in_config and (got := choice(retention, deck)):
                out["desired_retention"], out["retention_from"] = got
            return replace(base, **out) if out else base

        decks = {deck: stored(s, deck) for deck, s in self.decks.items()}
        for deck in (set(parameters) | set(retention)) - {EVERY_DECK} - set(decks):
            decks[deck] = stored(self.defaults, deck)
        return replace(self, defaults=stored(self.defaults, None), decks=decks)


#: The deck id under which ``quizapp optimize --apply`` stores a choice for every deck.
EVERY_DECK = ""
DEFAULT, STORED, STORED_EVERY_DECK = "default", "stored", "stored for every deck"


_DECK_KEYS = {
    "desired_retention",
    "learning_steps",
    "relearning_steps",
    "maximum_interval",
    "fuzz",
    "new_cards_per_day",
    "maximum_reviews_per_day",
    "parameters",
}
_GLOBAL_KEYS = {"day_starts_at", "learn_ahead_minutes", "decks"}


def load_config(path: Path | None = None) -> Config:
    """Read ``config.toml`` (missing file: defaults). Raises :class:`ConfigError`."""
    if path is None:
        from quizapp.paths import config_path

        path = config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config()
    except OSError as err:
        raise ConfigError(f"{path}: cannot read: {err.strerror or err}") from None
    import tomllib  # here, not at the top: with no settings file there is nothing to parse

    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))  # editors on Windows may add a BOM
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from None
    return parse_config(data, str(path))


def parse_config(data: dict[str, Any], where: str = "config.toml") -> Config:
    for key in data:
        if key not in _DECK_KEYS | _GLOBAL_KEYS:
            raise ConfigError(f"{where}: unknown key '{key}'")
    defaults = _deck_settings(DeckSettings(), data, "", where)
    day_starts_at = data.get("day_starts_at", 4)
    if not _is_int(day_starts_at) or not 0 <= day_starts_at <= 23:
        raise ConfigError(f"{where}: day_starts_at must be an hour from 0 to 23")
    ahead = data.get("learn_ahead_minutes", 20)
    if not _is_int(ahead) or not 0 <= ahead <= 24 * 60:
        raise ConfigError(f"{where}: learn_ahead_minutes must be minutes from 0 to 1440")
    decks_raw = data.get("decks", {})
    if not isinstance(decks_raw, dict):
        raise ConfigError(f"{where}: decks must be a table of [decks.DECK-ID] sections")
    decks: dict[str, DeckSettings] = {}
    for deck_id, overrides in decks_raw.items():
        prefix = f"decks.{deck_id}."
        if not isinstance(overrides, dict):
            raise ConfigError(f"{where}: decks.{deck_id} must be a table")
        for key in overrides:
            if key in _GLOBAL_KEYS:
                raise ConfigError(f"{where}: {prefix}{key}: {key} applies to all decks only")
            if key not in _DECK_KEYS:
                raise ConfigError(f"{where}: unknown key '{prefix}{key}'")
        decks[deck_id] = _deck_settings(defaults, overrides, prefix, where)
    return Config(
        defaults=defaults,
        decks=decks,
        day_starts_at=day_starts_at,
        learn_ahead=timedelta(minutes=ahead),
    )


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _deck_settings(base: DeckSettings, d: dict[str, Any], prefix: str, where: str) -> DeckSettings:
    def bad(key: str, what: str) -> ConfigError:
        return ConfigError(f"{where}: {prefix}{key} must be {what}")

    where_set = f"config.toml [{prefix.rstrip('.')}]" if prefix else "config.toml"

    out: dict[str, Any] = {}
    if "desired_retention" in d:
        v = d["desired_retention"]
        if isinstance(v, bool) or not isinstance(v, int | float) or not 0.7 <= v <= 0.99:
            raise bad("desired_retention", "a number from 0.70 to 0.99")
        out["desired_retention"] = float(v)
        out["retention_from"] = where_set
    for key in ("learning_steps", "relearning_steps"):
        if key in d:
            try:
                out[key] = parse_steps(d[key])
            except ValueError as err:
                raise bad(key, f'a list of durations like ["1m", "10m"] ({err})') from None
    if "maximum_interval" in d:
        v = d["maximum_interval"]
        if not _is_int(v) or not 1 <= v <= 36500:
            raise bad("maximum_interval", "a whole number of days from 1 to 36500")
        out["maximum_interval"] = v
    if "fuzz" in d:
        if not isinstance(d["fuzz"], bool):
            raise bad("fuzz", "true or false")
        out["fuzz"] = d["fuzz"]
    for key in ("new_cards_per_day", "maximum_reviews_per_day"):
        if key in d:
            v = d[key]
            if not _is_int(v) or not 0 <= v <= 100_000:
                raise bad(key, "a whole number from 0 to 100000")
            out[key] = v
    if "parameters" in d:
        v = d["parameters"]
        if not isinstance(v, list) or not all(
            isinstance(x, int | float) and not isinstance(x, bool) for x in v
        ):
            raise bad("parameters", "a list of numbers")
        try:
            fsrs_scheduler(parameters=v)
        except ValueError as err:
            detail = "; ".join(line.strip() for line in str(err).splitlines() if line.strip())
            raise bad("parameters", f"valid FSRS-6 parameters ({detail})") from None
        out["parameters"] = tuple(float(x) for x in v)
        out["parameters_from"] = where_set
    return replace(base, **out)


_STEP_RE = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhd])$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_LONGEST_STEP_DAYS = 36500


def parse_steps(value: Any) -> tuple[timedelta, ...]:
    """``["1m", "10m"]`` or ``"1m 10m"`` → timedeltas."""
    items = value.split() if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise ValueError("not a list")
    steps = []
    for item in items:
        m = _STEP_RE.match(str(item).strip())
        if not m:
            raise ValueError(f"bad duration {item!r}")
        seconds = float(m.group(1)) * _UNIT[m.group(2)]
        if seconds <= 0:
            raise ValueError(f"bad duration {item!r}")
        if seconds > _LONGEST_STEP_DAYS * 86400:
            raise ValueError(f"duration {item!r} is longer than {_LONGEST_STEP_DAYS}d")
        steps.append(timedelta(seconds=seconds))
    return tuple(steps)
