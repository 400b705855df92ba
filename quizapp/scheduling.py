"""FSRS through the ``fsrs`` package: a card's state, answering, grade previews, the study day.

The settings (``config.toml``) are :mod:`quizapp.config`; this module applies them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from operator import attrgetter
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import fsrs

    from quizapp.config import DeckSettings

RATING_LABELS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


def _fsrs() -> ModuleType:
    """The ``fsrs`` package: the one place scheduling imports it, when a card is first
    scheduled, previewed or its recall computed (counting and listing cards do without it)."""
    import fsrs

    return fsrs


# --- card scheduling state ------------------------------------------------------------------


@dataclass(frozen=True)
class SchedState:
    """A card's scheduling state as stored: ``state`` is new/learning/review/relearning.

    This is the one place that knows the fields: :meth:`of` reads them from a card row (or any
    row with those columns), :meth:`copy_to` writes them back, :func:`to_fsrs_card` and
    :func:`from_fsrs_card` convert to and from the ``fsrs`` package's card.
    """

    state: str = "new"
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0

    @classmethod
    def of(cls, row: Any) -> SchedState:
        """The state held in a card row's (or a query row's) fields of the same names."""
        return cls(*_read_fields(row))

    def copy_to(self, row: Any) -> None:
        """Write the state into a card row's fields of the same names."""
        for name in STATE_FIELDS:
            setattr(row, name, getattr(self, name))

    def to_json(self) -> dict[str, Any]:
        out = {name: getattr(self, name) for name in STATE_FIELDS}
        for name in _TIME_FIELDS:
            out[name] = out[name].isoformat() if out[name] else None
        return out

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> SchedState:
        values = {name: d[name] for name in STATE_FIELDS}
        for name in _TIME_FIELDS:
            values[name] = datetime.fromisoformat(values[name]) if values[name] else None
        return cls(**values)


STATE_FIELDS = tuple(f.name for f in fields(SchedState))
_read_fields = attrgetter(*STATE_FIELDS)
_TIME_FIELDS = ("due", "last_review")


def to_fsrs_card(state: SchedState, card_id: int, now: datetime) -> fsrs.Card:
    """The ``fsrs`` card for a stored state (a new card is a learning card at step 0, due now)."""
    fsrs = _fsrs()
    if state.state == "new":
        return fsrs.Card(card_id=card_id, state=fsrs.State.Learning, step=0, due=now)
    return fsrs.Card(
        card_id=card_id,
        state=fsrs.State[state.state.capitalize()],  # learning/review/relearning
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=state.due or now,
        last_review=state.last_review,
    )


def from_fsrs_card(card: fsrs.Card, reps: int, lapses: int) -> SchedState:
    """The stored state for an ``fsrs`` card (which counts neither repetitions nor lapses)."""
    return SchedState(
        state=card.state.name.lower(),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
        reps=reps,
        lapses=lapses,
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
    fsrs = _fsrs()
    card = to_fsrs_card(before, card_id, now)
    saved = random.getstate()
    random.seed(f"{card_id}:{before.reps}")
    try:
        after, _log = settings.scheduler.review_card(card, fsrs.Rating(rating), now)
    finally:
        random.setstate(saved)
    lapse = before.state == "review" and after.state == fsrs.State.Relearning
    return from_fsrs_card(after, before.reps + 1, before.lapses + (1 if lapse else 0))


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


def interval_days(state: SchedState) -> float | None:
    """The card's interval in days: from its last review to its due time (what Anki calls the
    card's interval; mature cards have 21 days or more). None for a new card."""
    if state.state == "new" or state.due is None or state.last_review is None:
        return None
    return (state.due - state.last_review).total_seconds() / 86400


def elapsed_days(state: SchedState, now: datetime) -> float | None:
    """Days from the card's last review to ``now``; None for a card never answered."""
    if state.state == "new" or state.last_review is None:
        return None
    return max((now - state.last_review).total_seconds() / 86400, 0.0)


# --- memory -----------------------------------------------------------------------------------


def forgetting_curve(settings: DeckSettings) -> tuple[float, float]:
    """``(decay, factor)`` of FSRS's forgetting curve, ``R = (1 + factor * t / S) ** decay`` for
    ``t`` whole days since the last review and stability ``S`` in days: the curve the ``fsrs``
    package's retrievability follows with these settings' parameters (FSRS-6: the decay is the
    21st parameter, negated; the factor makes ``R = 0.9`` at ``t = S``). For aggregates that
    evaluate it over many cards at once; :func:`retrievability` is one card's, from ``fsrs``.
    """
    decay = -settings.parameters[20]
    return decay, 0.9 ** (1 / decay) - 1


def retrievability(settings: DeckSettings, card_id: int, state: SchedState, now: datetime) -> float:
    """The probability (0..1) of recalling the card at ``now``, as the ``fsrs`` package
    computes it; 0 for a new card."""
    if state.state == "new" or state.stability is None:
        return 0.0
    card = to_fsrs_card(state, card_id, now)
    return float(settings.scheduler.get_card_retrievability(card, now.astimezone(UTC)))


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
    return study_day_start(day, day_starts_at, tz), study_day_start(
        day + timedelta(days=1), day_starts_at, tz
    )


def study_day_start(day: date, day_starts_at: int = 4, tz: tzinfo | None = None) -> datetime:
    """When (aware UTC) the study day ``day`` begins: ``day_starts_at`` o'clock local time.

    On a day whose clocks jump forward over that hour, it begins when the clocks show the hour
    after it; so consecutive study days are 23, 24 or 25 hours long across a daylight-saving
    change, and every instant falls in exactly one of them.
    """
    return _local_at(day, day_starts_at, tz)


def local_hours(
    start: datetime, end: datetime, tz: tzinfo | None = None
) -> list[tuple[datetime, int]]:
    """``[start, end)`` cut where the local hour of the day changes: ``(from, hour)`` for each
    piece, in time order (the first from ``start``), with the hour 0..23 on the local clock.

    Every time zone's offset from UTC, and every daylight-saving change, is a whole number of
    quarter hours, so the pieces are found by walking quarter hours of UTC time: across a
    change an hour of the day may be missing or come twice.
    """
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    out: list[tuple[datetime, int]] = []
    step = timedelta(minutes=15)
    at = start
    while at < end:
        local = at.astimezone(tz) if tz is not None else at.astimezone()
        if not out or out[-1][1] != local.hour:
            out.append((at, local.hour))
        # The next quarter hour of UTC time (start itself may be between two).
        at = (
            at - timedelta(minutes=at.minute % 15, seconds=at.second, microseconds=at.microsecond)
        ) + step
    return out


def _local_at(day: date, hour: int, tz: tzinfo | None) -> datetime:
    naive = datetime.combine(day, time(hour))
    local = naive.replace(tzinfo=tz) if tz is not None else naive.astimezone()
    return local.astimezone(UTC)
