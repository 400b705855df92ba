"""FSRS scheduling through the ``fsrs`` package: settings, grade previews, the study day.

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
"""

from __future__ import annotations

import random
import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cached_property
from pathlib import Path
from typing import Any

import fsrs

from quizapp.errors import QuizappError

RATING_LABELS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}

_FSRS_STATE = {
    fsrs.State.Learning: "learning",
    fsrs.State.Review: "review",
    fsrs.State.Relearning: "relearning",
}
_STATE_FSRS = {v: k for k, v in _FSRS_STATE.items()}


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
    parameters: tuple[float, ...] = tuple(fsrs.scheduler.DEFAULT_PARAMETERS)

    @cached_property
    def scheduler(self) -> fsrs.Scheduler:
        return fsrs.Scheduler(
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

    out: dict[str, Any] = {}
    if "desired_retention" in d:
        v = d["desired_retention"]
        if isinstance(v, bool) or not isinstance(v, int | float) or not 0.7 <= v <= 0.99:
            raise bad("desired_retention", "a number from 0.70 to 0.99")
        out["desired_retention"] = float(v)
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
            fsrs.Scheduler(parameters=v)
        except ValueError as err:
            detail = "; ".join(line.strip() for line in str(err).splitlines() if line.strip())
            raise bad("parameters", f"valid FSRS-6 parameters ({detail})") from None
        out["parameters"] = tuple(float(x) for x in v)
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


# --- card scheduling state ------------------------------------------------------------------


@dataclass(frozen=True)
class SchedState:
    """A card's scheduling state as stored: ``state`` is new/learning/review/relearning."""

    state: str = "new"
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0

    def to_fsrs(self, card_id: int, now: datetime) -> fsrs.Card:
        if self.state == "new":
            return fsrs.Card(card_id=card_id, state=fsrs.State.Learning, step=0, due=now)
        return fsrs.Card(
            card_id=card_id,
            state=_STATE_FSRS[self.state],
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due or now,
            last_review=self.last_review,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": self.due.isoformat() if self.due else None,
            "last_review": self.last_review.isoformat() if self.last_review else None,
            "reps": self.reps,
            "lapses": self.lapses,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> SchedState:
        return cls(
            state=d["state"],
            step=d["step"],
            stability=d["stability"],
            difficulty=d["difficulty"],
            due=datetime.fromisoformat(d["due"]) if d["due"] else None,
            last_review=datetime.fromisoformat(d["last_review"]) if d["last_review"] else None,
            reps=d["reps"],
            lapses=d["lapses"],
        )


def review(
    settings: DeckSettings, card_id: int, before: SchedState, rating: int, now: datetime
) -> SchedState:
    """The state after answering ``rating`` at ``now`` (aware UTC), computed by fsrs.

    The fuzz is seeded by the card and its repetition count, so a preview and the answer agree.
    """
    if rating not in RATING_LABELS:
        raise ValueError(f"rating must be 1..4, not {rating!r}")
    now = now.astimezone(UTC)
    card = before.to_fsrs(card_id, now)
    saved = random.getstate()
    random.seed(f"{card_id}:{before.reps}")
    try:
        after, _log = settings.scheduler.review_card(card, fsrs.Rating(rating), now)
    finally:
        random.setstate(saved)
    lapse = before.state == "review" and after.state == fsrs.State.Relearning
    return SchedState(
        state=_FSRS_STATE[after.state],
        step=after.step,
        stability=after.stability,
        difficulty=after.difficulty,
        due=after.due,
        last_review=after.last_review,
        reps=before.reps + 1,
        lapses=before.lapses + (1 if lapse else 0),
    )


def previews(
    settings: DeckSettings, card_id: int, before: SchedState, now: datetime
) -> list[tuple[int, str, str]]:
    """``(rating, label, interval)`` for Again..Easy, e.g. ``(1, "Again", "10m")``."""
    out = []
    for rating, label in RATING_LABELS.items():
        after = review(settings, card_id, before, rating, now)
        assert after.due is not None
        out.append((rating, label, format_interval(after.due - now)))
    return out


def format_interval(delta: timedelta) -> str:
    """A short interval: ``45s``, ``10m``, ``3h``, ``8d``, ``1.5mo``, ``2.1y``."""
    seconds = max(delta.total_seconds(), 0.0)
    if seconds < 60:
        return f"{round(seconds)}s" if seconds >= 1 else "now"
    minutes = seconds / 60
    if minutes < 59.5:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if hours < 23.5:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 29.5:
        return f"{round(days)}d"
    if days < 365:
        return _one_decimal(days / 30) + "mo"
    return _one_decimal(days / 365) + "y"


def _one_decimal(x: float) -> str:
    s = f"{x:.1f}"
    return s[:-2] if s.endswith(".0") else s


# --- the study day --------------------------------------------------------------------------


def study_day(now: datetime, day_starts_at: int = 4, tz: tzinfo | None = None) -> date:
    """The study day ``now`` falls in: before ``day_starts_at`` (local) it is still yesterday."""
    local = now.astimezone(tz) if tz is not None else now.astimezone()
    if local.hour < day_starts_at:
        return local.date() - timedelta(days=1)
    return local.date()


def study_day_bounds(
    now: datetime, day_starts_at: int = 4, tz: tzinfo | None = None
) -> tuple[datetime, datetime]:
    """Start and end (aware UTC) of the study day containing ``now``, DST-safe."""
    day = study_day(now, day_starts_at, tz)
    return _local_at(day, day_starts_at, tz), _local_at(day + timedelta(days=1), day_starts_at, tz)


def _local_at(day: date, hour: int, tz: tzinfo | None) -> datetime:
    naive = datetime.combine(day, time(hour))
    local = naive.replace(tzinfo=tz) if tz is not None else naive.astimezone()
    return local.astimezone(UTC)
