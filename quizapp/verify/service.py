"""The Keras checks service: what ``quizapp params`` and ``quizapp decks verify`` do.

The CLI only parses arguments and prints. This service joins the rooms: the deck library,
``quizapp.calc`` (formulas, the check language, the Keras oracle) and the store's
``keras_cache`` table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizapp.calc.expr import ExprError, format_shape, parse_shape
from quizapp.calc.stack import MAX_ORACLE_PARAMS, StackResult, compute_stack, parse_stack
from quizapp.verify.compare import VerifyReport, verify_cards


@dataclass
class ParamsOutcome:
    result: StackResult
    verified: dict[str, Any] | None = None  # {"keras": "3.15.1", "ok": bool}
    differences: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences

    def to_json(self) -> dict[str, Any]:
        out = self.result.to_json()
        out["verified"] = self.verified
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
        outcome.verified = {"keras": oracle.version, "ok": outcome.ok}
    return outcome


def render_params(outcome: ParamsOutcome) -> str:
    """A ``model.summary()``-like table with each layer's derivation, then the totals."""
    r = outcome.result
    rows = [(lr.layer, lr.output_text(), str(lr.params)) for lr in r.layers]
    w1 = max(28, *(len(a) for a, _, _ in rows))
    w2 = max(18, *(len(b) for _, b, _ in rows))
    w3 = max(9, *(len(c) for _, _, c in rows))
    rule = "─" * (w1 + w2 + w3 + 4)
    lines = [f"Input shape: {format_shape(r.input_shape)} (batch axis added: None)", rule]
    lines.append(f"{'Layer':<{w1}}  {'Output shape':<{w2}}{'Param #':>{w3}}")
    lines.append(rule)
    for lr, (a, b, c) in zip(r.layers, rows, strict=True):
        lines.append(f"{a:<{w1}}  {b:<{w2}}{c:>{w3}}")
        if lr.params:
            lines.append(f"    {lr.formula}")
        lines.extend(f"    {s}" for s in lr.steps)
    lines.append(rule)
    lines.append(f"Total params: {r.total}")
    lines.append(f"Trainable params: {r.trainable}")
    lines.append(f"Non-trainable params: {r.non_trainable}")
    if outcome.verified is None:
        lines.append("Not verified against Keras (add --verify to build it in Keras).")
    elif outcome.ok:
        lines.append(f"✓ Verified with Keras {outcome.verified['keras']}: every number agrees.")
    else:
        lines.append(f"✗ Keras {outcome.verified['keras']} disagrees:")
        lines.extend(f"  {d}" for d in outcome.differences)
    return "\n".join(lines)


def verify_decks_command(
    db_path: Path,
    deck_dirs: list[Path],
    deck_id: str | None,
    echo: Callable[[str], None],
    progress: Callable[[str], None],
) -> int:
    """``quizapp decks verify``: one line per computed card and check; the exit code.

    Results are cached in the database at ``db_path`` (table ``keras_cache``), so a second run
    with the same Keras builds nothing and does not even import TensorFlow.
    """
    from quizapp.verify.keras_oracle import KerasOracle, keras_version

    version = keras_version()
    if version is None:
        raise ExprError("Keras is not installed, so nothing can be verified")
    db, cache = _open_cache(db_path)
    try:
        oracle = KerasOracle(cache, progress=progress)
        report = verify_decks(deck_dirs, deck_id, oracle)
    finally:
        if db is not None:
            db.close()
    for err in report.errors:
        echo(f"✗ {err}")
    for line in report.lines:
        echo(line.render(report.keras))
    total = len(report.lines)
    cached = "all from the cache" if report.builds == 0 else f"{report.builds} built in Keras"
    echo(
        f"{total - report.failed} of {total} verified with Keras {report.keras} "
        f"({report.failed} ✗; {cached})"
    )
    return 1 if report.failed or report.errors else 0


def _open_cache(db_path: Path) -> tuple[Any, Any]:
    from quizapp.store.db import open_database
    from quizapp.store.oracle_cache import DbOracleCache

    db = open_database(db_path)
    return db, DbOracleCache(db)


def verify_decks(
    deck_dirs: list[Path],
    deck_id: str | None,
    oracle: Any,
    progress: Callable[[str], None] | None = None,
) -> VerifyReport:
    """Load the decks and verify every computed card and check (``quizapp decks verify``)."""
    from quizapp.library import load_library

    result = load_library(deck_dirs)
    # With --deck, other decks' errors are not this command's business.
    errors = [str(e) for e in result.errors] if deck_id is None else []
    decks = [d for d in result.decks if deck_id is None or d.id == deck_id]
    if deck_id is not None and not decks:
        known = ", ".join(d.id for d in result.decks)
        raise ExprError(f"unknown deck {deck_id!r} (known: {known})")
    cards = [c for d in decks for c in d.cards if c.kind == "computed" or c.checks]
    before = oracle.builds
    lines = verify_cards(cards, oracle, progress)
    return VerifyReport(oracle.version or "?", lines, oracle.builds - before, errors)
