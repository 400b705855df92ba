"""The optimizer as the command line (and the app) use it: fit, apply, show, choose the retention.

A history comes from the database's review log, a review-log CSV file or an Anki collection.
Fitting and simulating change nothing; ``apply`` stores the result for the deck (or, without a
deck, for every deck) in the database, where the review app picks it up (:meth:`Config.with_stored
<quizapp.config.Config.with_stored>`). ``config.toml``'s own ``parameters`` and
``desired_retention`` still win over a stored choice, and the outcome says so.

Without ``apply`` the database is only read (opened read-only); with a file for history it
is not even needed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from quizapp import config as cfg
from quizapp.config import Config, DeckSettings, load_config
from quizapp.errors import OptionError, UnknownDeck
from quizapp.optimize.fit import FitResult, fit, spare_core
from quizapp.optimize.items import (
    FsrsItems,
    History,
    StudyDays,
    TrainingSet,
    gc_paused,
    training_set,
)
from quizapp.optimize.simulate import Limits, Progress, RetentionChoice, choose_retention
from quizapp.store import deck_scheduling, queries
from quizapp.store.db import Database, open_database
from quizapp.store.deck_scheduling import EVERY_DECK, StoredScheduling
from quizapp.store.errors import StoreError

#: Below this many items the scores come faster in process than from a forked helper.
PARALLEL_MIN_ITEMS = 50_000


@dataclass(frozen=True)
class Source:
    """Where a history comes from: the review log, a CSV file (``--revlog``) or an Anki
    collection (``--anki``)."""

    kind: Literal["review log", "csv", "anki"] = "review log"
    path: Path | None = None

    @property
    def label(self) -> str:
        return "review log" if self.path is None else self.path.name

    @property
    def is_file(self) -> bool:
        return self.path is not None


@dataclass(frozen=True)
class InForce:
    """The parameters and retention a deck (None: every deck) is scheduled with, and whence."""

    deck: str | None
    parameters: tuple[float, ...]
    parameters_from: str  # in words: "FSRS-6 defaults", "config.toml", "fitted for ... on ..."
    desired_retention: float
    retention_from: str
    parameters_set_in_config: bool
    retention_set_in_config: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "deck": self.deck,
            "parameters": list(self.parameters),
            "parameters_from": self.parameters_from,
            "desired_retention": self.desired_retention,
            "retention_from": self.retention_from,
        }


@dataclass(frozen=True)
class OptimizeOutcome:
    deck: str | None
    source: str
    result: FitResult
    before: InForce
    applied: bool
    config_wins: bool  # config.toml's parameters stay in force for the deck
    seconds: float

    def to_json(self) -> dict[str, Any]:
        r = self.result
        split = r.time_series
        return {
            "reviews": r.reviews,
            "cards": r.cards,
            "items": r.items,
            "log_loss": {"before": r.before.log_loss, "after": r.after.log_loss},
            "rmse_bins": {"before": r.before.rmse_bins, "after": r.after.rmse_bins},
            "time_series": {
                "log_loss": split.log_loss if split else None,
                "rmse_bins": split.rmse_bins if split else None,
            },
            "parameters": list(r.parameters),
            "applied": self.applied,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class RetentionOutcome:
    deck: str | None
    choice: RetentionChoice
    parameters_from: str  # "fitted now" or the in-force words
    before: InForce
    limits: Limits
    applied: bool
    config_wins: bool  # config.toml's desired_retention stays in force
    seconds: float

    def to_json(self) -> dict[str, Any]:
        c = self.choice
        return {
            "deck": self.deck,
            "cards": c.cards,
            "simulated_cards": c.simulated,
            "new_per_day": self.limits.new_per_day,
            "reviews_per_day": self.limits.reviews_per_day,
            "parameters": list(c.parameters),
            "parameters_from": self.parameters_from,
            "retentions": [row.to_json() for row in c.rows],
            "optimal": c.optimal,
            "desired_retention": self.before.desired_retention,
            "applied": self.applied,
            "seconds": round(self.seconds, 3),
        }


class OptimizeService:
    """Personal scheduling on one database and ``config.toml``."""

    def __init__(
        self,
        db_path: Path,
        config_path: Path | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.db_path = Path(db_path)
        self.file_config: Config = load_config(config_path)
        self.clock = clock or (lambda: datetime.now(UTC))
        self._db: Database | None = None
        self._writable = False

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db, self._writable = None, False

    # -- reading ---------------------------------------------------------------------------

    def _database(self, write: bool, required: bool = False) -> Database | None:
        """The database. To ``write``, opened (created, migrated) as every command opens it;
        else read-only, as it is — None when there is no file and it is not ``required``."""
        if self._db is not None and (self._writable or not write):
            return self._db
        self.close()
        if write:
            self._db, self._writable = open_database(self.db_path), True
        elif required or self.db_path.exists():
            try:
                self._db = open_database(self.db_path, migrate=False)
            except StoreError:
                if not self.db_path.exists():
                    raise
                # Written by an older quizapp: migrated (and backed up) as by every command.
                self._db, self._writable = open_database(self.db_path), True
        return self._db

    def _stored(self, db: Database | None) -> dict[str, StoredScheduling]:
        return deck_scheduling.load_all(db) if db is not None else {}

    def config(self, db: Database | None) -> Config:
        if db is None:
            return self.file_config
        return self.file_config.with_stored(*deck_scheduling.overrides(db))

    def known_decks(self, db: Database | None) -> list[str]:
        if db is None:
            return []
        with db.session() as s:
            return [d.id for d in queries.active_decks(s)]

    def _check_deck(self, db: Database | None, deck: str | None) -> None:
        if deck is not None and deck not in (known := self.known_decks(db)):
            raise UnknownDeck(deck, known)

    def in_force(self, deck: str | None, db: Database | None = None) -> InForce:
        """What ``deck`` (None: every deck) is scheduled with now, and where it comes from."""
        db = db if db is not None else self._database(write=False)
        settings = _settings(self.config(db), deck)
        stored = self._stored(db)
        return InForce(
            deck=deck,
            parameters=settings.parameters,
            parameters_from=_parameters_words(settings, deck, stored),
            desired_retention=settings.desired_retention,
            retention_from=_retention_words(settings, deck, stored),
            parameters_set_in_config=settings.parameters_set_in_config,
            retention_set_in_config=settings.retention_set_in_config,
        )

    def show(self) -> list[InForce]:
        """Every deck's parameters and retention in force, after those for every deck."""
        db = self._database(write=False)
        return [self.in_force(None, db)] + [self.in_force(d, db) for d in self.known_decks(db)]

    def history(
        self, source: Source, deck: str | None, db: Database | None, durations: bool
    ) -> History:
        days = StudyDays(self.file_config.day_starts_at)
        if source.kind == "csv":
            from quizapp.optimize.sources import from_csv

            assert source.path is not None
            return from_csv(source.path, days)
        if source.kind == "anki":
            from quizapp.optimize.anki_log import from_anki

            assert source.path is not None
            return from_anki(source.path, days)
        from quizapp.optimize.sources import from_database

        assert db is not None
        return from_database(db, deck, days, durations=durations)

    def training_set(self, source: Source, deck: str | None, db: Database | None) -> TrainingSet:
        """The training items of a history; the review log's straight from its rows."""
        if source.kind == "review log":
            from quizapp.optimize.sources import training_set_from_database

            assert db is not None
            days = StudyDays(self.file_config.day_starts_at)
            return training_set_from_database(db, deck, days)
        return training_set(self.history(source, deck, db, durations=False))

    def _fsrs_items(
        self, source: Source, deck: str | None, db: Database | None
    ) -> TrainingSet | FsrsItems:
        """What :meth:`optimize` fits on: the review log's items straight as fsrs-rs objects."""
        if source.kind == "review log":
            from quizapp.optimize.sources import fsrs_items_from_database

            assert db is not None
            days = StudyDays(self.file_config.day_starts_at)
            return fsrs_items_from_database(db, deck, days)
        return self.training_set(source, deck, db)

    # -- fitting ---------------------------------------------------------------------------

    def optimize(
        self,
        deck: str | None = None,
        source: Source | None = None,
        apply: bool = False,
        force: bool = False,
        *,
        parallel: bool = False,
    ) -> OptimizeOutcome:
        """Fit FSRS to the history of ``deck`` (None: every deck) and score it against the
        parameters in force; with ``apply``, store the fitted ones if they beat those (or
        ``force``). Raises :class:`~quizapp.optimize.NotEnoughHistory`, changing nothing.

        ``parallel``: on a large history, score the parameters in force and the time-series
        split on a second core while fitting (:func:`~quizapp.optimize.fit.fit`), if one is
        free and the process runs one thread only: the ``optimize`` command asks for it."""
        if force and not apply:
            raise OptionError("--force only goes with --apply")
        start = time.perf_counter()
        source = source or Source()
        db = self._database(write=apply, required=not source.is_file)
        self._check_deck(db, deck)
        before = self.in_force(deck, db)
        settings = _settings(self.config(db), deck)
        # A million answers make millions of small objects, none in a cycle: the cycle
        # collector would scan them again and again, so it waits until they are gone.
        with gc_paused():
            ts = self._fsrs_items(source, deck, db)
            result = fit(
                ts,
                before.parameters,
                relearning_steps=len(settings.relearning_steps),
                parallel=parallel and len(ts) >= PARALLEL_MIN_ITEMS and spare_core(),
            )
            del ts
        outcome = OptimizeOutcome(
            deck=deck,
            source=source.label,
            result=result,
            before=before,
            applied=False,
            config_wins=before.parameters_set_in_config,
            seconds=time.perf_counter() - start,
        )
        if apply and (result.better or force):
            outcome = self.apply(outcome)
        return outcome

    def apply(self, outcome: OptimizeOutcome) -> OptimizeOutcome:
        """Store the parameters of a fit for its deck (None: every deck), with when and on how
        many reviews; the outcome, applied. The caller decides whether they beat those in
        force (``outcome.result.better``)."""
        db = self._database(write=True)
        assert db is not None
        r = outcome.result
        deck_scheduling.save_parameters(
            db,
            EVERY_DECK if outcome.deck is None else outcome.deck,
            r.parameters,
            at=self.clock(),
            reviews=r.reviews,
            items=r.items,
            source=outcome.source,
            log_loss=r.after.log_loss,
            rmse_bins=r.after.rmse_bins,
        )
        return replace(outcome, applied=True)

    # -- the retention ---------------------------------------------------------------------

    def retention(
        self,
        deck: str | None = None,
        source: Source | None = None,
        apply: bool = False,
        progress: Progress | None = None,
    ) -> RetentionOutcome:
        """Simulate a year of ``deck`` (None: every deck) at each retention from 0.70 to 0.97
        with the fitted parameters (or those in force, when the history is too short to fit or
        the fitted ones do not beat them); with ``apply``, store fsrs-rs's optimal retention."""
        from quizapp.optimize.errors import NotEnoughHistory

        start = time.perf_counter()
        source = source or Source()
        db = self._database(write=apply, required=not source.is_file)
        self._check_deck(db, deck)
        before = self.in_force(deck, db)
        conf = self.config(db)
        settings = _settings(conf, deck)
        history = self.history(source, deck, db, durations=True)
        parameters, parameters_from = before.parameters, before.parameters_from
        try:
            result = fit(
                training_set(history),
                before.parameters,
                relearning_steps=len(settings.relearning_steps),
                time_series=False,
            )
        except NotEnoughHistory:
            result = None
        if result is not None and result.better:
            where = "the review log" if source.path is None else source.label
            parameters, parameters_from = result.parameters, f"fitted now to {where}"
        limits = self._limits(db, conf, deck, history)
        choice = choose_retention(parameters, limits, history, progress)
        applied = False
        if apply:
            assert db is not None
            deck_scheduling.save_retention(
                db, EVERY_DECK if deck is None else deck, choice.optimal, at=self.clock()
            )
            applied = True
        return RetentionOutcome(
            deck=deck,
            choice=choice,
            parameters_from=parameters_from,
            before=before,
            limits=limits,
            applied=applied,
            config_wins=before.retention_set_in_config,
            seconds=time.perf_counter() - start,
        )

    def _limits(
        self, db: Database | None, conf: Config, deck: str | None, history: History
    ) -> Limits:
        """The deck's size and daily limits (every deck: the sum of the decks' limits). With no
        cards in the database, a history file's cards stand for the deck."""
        cards = 0
        if db is not None:
            with db.session() as s:
                cards = queries.card_count(s, deck)
        if cards == 0:
            cards = history.card_count
        decks = [deck] if deck is not None else self.known_decks(db)
        each = [conf.for_deck(d) for d in decks] or [conf.defaults]
        settings = _settings(conf, deck)
        return Limits(
            cards=cards,
            new_per_day=sum(s.new_cards_per_day for s in each),
            reviews_per_day=sum(s.maximum_reviews_per_day for s in each),
            maximum_interval=settings.maximum_interval,
            learning_steps=len(settings.learning_steps),
            relearning_steps=len(settings.relearning_steps),
        )


def _settings(conf: Config, deck: str | None) -> DeckSettings:
    return conf.defaults if deck is None else conf.for_deck(deck)


def _fitted_words(x: StoredScheduling, whom: str) -> str:
    when = x.fitted_at.astimezone().strftime("%Y-%m-%d") if x.fitted_at else "?"
    return f"fitted for {whom} on {when} to {x.reviews:,} reviews ({x.source})"


def _parameters_words(
    settings: DeckSettings, deck: str | None, stored: dict[str, StoredScheduling]
) -> str:
    origin = settings.parameters_from
    if origin == cfg.STORED and deck is not None and deck in stored:
        return _fitted_words(stored[deck], deck)
    if origin == cfg.STORED_EVERY_DECK and EVERY_DECK in stored:
        return _fitted_words(stored[EVERY_DECK], "every deck")
    if origin == cfg.DEFAULT:
        return "FSRS-6 defaults"
    return origin  # config.toml, config.toml [decks.ID]


def _retention_words(
    settings: DeckSettings, deck: str | None, stored: dict[str, StoredScheduling]
) -> str:
    origin = settings.retention_from

    def chosen(x: StoredScheduling, whom: str) -> str:
        when = x.retention_at.astimezone().strftime("%Y-%m-%d") if x.retention_at else "?"
        return f"chosen for {whom} on {when} by simulation"

    if origin == cfg.STORED and deck is not None and deck in stored:
        return chosen(stored[deck], deck)
    if origin == cfg.STORED_EVERY_DECK and EVERY_DECK in stored:
        return chosen(stored[EVERY_DECK], "every deck")
    return "default" if origin == cfg.DEFAULT else origin
