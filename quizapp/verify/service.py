"""The Keras checks service: what ``quizapp params`` and ``quizapp decks verify`` do.

The CLI parses arguments and prints (the words and the exit codes are its own). This service
joins the rooms: the deck library, ``quizapp.calc`` (formulas, the check language), the Keras
oracle and the store's ``keras_cache`` table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizapp.calc.expr import ExprError, parse_shape
from quizapp.calc.stack import MAX_ORACLE_PARAMS, StackResult, compute_stack, parse_stack
from quizapp.errors import UnknownDeck
from quizapp.verify.compare import Oracle, VerifyReport, verify_facts
from quizapp.verify.model import NOT_VERIFIED, KerasFacts, Verification

if TYPE_CHECKING:
    from quizapp.store.db import Database
    from quizapp.store.models import CardRow


@dataclass
class ParamsOutcome:
    """A stack by formula and, with ``--verify``, what Keras said (unverified otherwise)."""

    result: StackResult
    verification: Verification = NOT_VERIFIED
    differences: list[str] = field(default_factory=list)  # one line each, when Keras disagrees

    @property
    def ok(self) -> bool:
        return not self.differences

    def to_json(self) -> dict[str, Any]:
        """The stack's JSON, with ``"verified": {"keras": "3.15.1", "ok": true}`` or null."""
        out = self.result.to_json()
        v = self.verification
        checked = v.status in ("verified", "disagrees")
        out["verified"] = {"keras": v.keras_version, "ok": self.ok} if checked else None
        if self.differences:
            out["differences"] = self.differences
        return out


def params(
    layers: list[str] | tuple[str, ...],
    input_shape: str,
    verify: bool = False,
    progress: Callable[[str], None] | None = None,
) -> ParamsOutcome:
    """The stack by formula; with ``verify``, also built in Keras and compared.

    Raises ExprError for a bad expression or shape and OracleUnavailable when ``verify`` is asked
    but Keras cannot be imported; both carry one-line messages.
    """
    if not layers:
        raise ExprError("give at least one layer, e.g. quizapp params 'LSTM(10)' --input-shape 5,1")
    result = compute_stack(parse_stack(list(layers)), parse_shape(input_shape))
    outcome = ParamsOutcome(result)
    if verify:
        from quizapp.verify.compare import calls_of, compare_stack
        from quizapp.verify.keras_oracle import KerasOracle

        if result.total > MAX_ORACLE_PARAMS:
            raise ExprError(
                f"{result.total} parameters is too large to build with Keras "
                f"(at most {MAX_ORACLE_PARAMS})"
            )
        oracle = KerasOracle(progress=progress)
        keras = oracle.build_stack(calls_of(result.expression), result.input_shape)
        outcome.differences = compare_stack(result, keras)
        status = "disagrees" if outcome.differences else "verified"
        outcome.verification = Verification(status, oracle.version, "; ".join(outcome.differences))
    return outcome


def verify_decks(
    db_path: Path,
    deck_dirs: list[Path],
    deck_id: str | None,
    progress: Callable[[str], None] | None = None,
) -> VerifyReport:
    """Every computed card and check of the decks (or of one deck) against real Keras.

    Results are cached in the database at ``db_path`` (table ``keras_cache``), so a second run
    with the same Keras builds nothing and does not even import TensorFlow. Raises ExprError
    when Keras is not installed, UnknownDeck for an unknown deck, StoreError for a database
    problem.
    """
    from quizapp.store.db import open_database
    from quizapp.store.oracle_cache import DbOracleCache
    from quizapp.verify.keras_oracle import KerasOracle, keras_version

    if keras_version() is None:
        raise ExprError("Keras is not installed, so nothing can be verified")
    db = open_database(db_path)
    try:
        return _verify_decks(deck_dirs, deck_id, KerasOracle(DbOracleCache(db), progress=progress))
    finally:
        db.close()


def _verify_decks(deck_dirs: list[Path], deck_id: str | None, oracle: Oracle) -> VerifyReport:
    from quizapp.library import load_library

    result = load_library(deck_dirs)
    # With --deck, other decks' errors are not this command's business.
    errors = [str(e) for e in result.errors] if deck_id is None else []
    decks = [d for d in result.decks if deck_id is None or d.id == deck_id]
    if deck_id is not None and not decks:
        raise UnknownDeck(deck_id, [d.id for d in result.decks])
    facts = [f for d in decks for c in d.cards if (f := KerasFacts.of_card(c)) is not None]
    before = oracle.builds
    lines = verify_facts(facts, oracle)
    return VerifyReport(oracle.version or "?", lines, oracle.builds - before, errors)


def card_verification(db: Database, row: CardRow) -> Verification | None:
    """A review card's result from the Keras cache alone (cheap; never imports TensorFlow);
    None for a card without Keras facts."""
    facts = KerasFacts.from_row(row)
    if facts is None:
        return None
    from quizapp.store.oracle_cache import DbOracleCache
    from quizapp.verify.compare import cached_verification

    return cached_verification(facts, DbOracleCache(db))


def check_card(db_path: Path, key: str) -> Verification:
    """Check the card with ``key`` with real Keras, its facts read from its row.

    Results are cached in the database. Imports TensorFlow unless every result is cached
    already; raises :class:`~quizapp.verify.keras_oracle.OracleUnavailable` (one line) when
    Keras cannot be loaded. Run by the child process of :mod:`quizapp.verify.child`.
    """
    from quizapp.store import queries
    from quizapp.store.db import open_database
    from quizapp.store.oracle_cache import DbOracleCache
    from quizapp.verify.compare import cached_verification, verdict
    from quizapp.verify.keras_oracle import KerasOracle

    db = open_database(db_path)
    try:
        with db.plain_read() as s:
            row = queries.card_by_key(s, key)
            if row is None or row.retired:
                return Verification("unverified", None, "the card is no longer in its deck file")
            facts = KerasFacts.from_row(row)
        if facts is None:
            return Verification("unverified", None, "the card has no Keras facts to check")
        cache = DbOracleCache(db)
        cached = cached_verification(facts, cache)
        if cached != NOT_VERIFIED:
            return cached
        oracle = KerasOracle(cache)
        oracle.load()
        return verdict(verify_facts([facts], oracle), oracle.version)
    finally:
        db.close()
