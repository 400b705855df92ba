"""The optimizer's outcomes in words, for the command line and the app (plain text)."""

from __future__ import annotations

import textwrap

from quizapp.optimize.service import InForce, OptimizeOutcome, RetentionOutcome

WIDTH = 96


def whom(deck: str | None) -> str:
    return "every deck" if deck is None else deck


def _wrapped(lines: list[str]) -> list[str]:
    """Sentences wrapped at :data:`WIDTH` (the indented table rows are left as they are)."""
    out = []
    for line in lines:
        if line.startswith(" ") or len(line) <= WIDTH:
            out.append(line)
        else:
            out += textwrap.wrap(line, WIDTH, subsequent_indent="  ", break_on_hyphens=False)
    return out


def optimize_text(o: OptimizeOutcome, actions: bool = True) -> list[str]:
    """The outcome in words; without ``actions``, no advice on command-line options (the app
    asks its own question)."""
    r = o.result
    where = "the review log" if o.source == "review log" else o.source
    scope = "" if o.source != "review log" else f" of {whom(o.deck)}"
    lines = [
        f"Fitted FSRS-6 to {where}{scope} in {o.seconds:.2f} s: {r.reviews:,} reviews of "
        f"{r.cards:,} cards, {r.items:,} training items.",
        f"  {'':<34}{'log loss':>9}  {'RMSE (bins)':>11}",
        f"  {'in force (' + _short(o.before.parameters_from) + ')':<34}"
        f"{r.before.log_loss:>9.4f}  {r.before.rmse_bins:>11.4f}",
        f"  {'fitted':<34}{r.after.log_loss:>9.4f}  {r.after.rmse_bins:>11.4f}",
    ]
    if r.time_series is not None:
        lines.append(
            f"  {'time-series split':<34}{r.time_series.log_loss:>9.4f}  "
            f"{r.time_series.rmse_bins:>11.4f}  (fitted on the past, scored on the future)"
        )
    lines.append("Parameters: " + " ".join(f"{x:.4f}" for x in r.parameters))
    if r.partial:
        lines.append(
            "Only the four initial stabilities were fitted: fsrs-rs fits the rest from 64 "
            "training items on."
        )
    comparison = f"RMSE (bins) {r.after.rmse_bins:.4f} against {r.before.rmse_bins:.4f}"
    if r.better:
        lines.append(f"The fitted parameters beat those in force: {comparison}.")
    else:
        lines.append(f"The fitted parameters do not beat those in force: {comparison}.")
    forced = "" if r.better else " anyway (--force)"
    if o.applied and o.config_wins:
        lines.append(
            f"Stored{forced} for {whom(o.deck)}; but config.toml sets parameters for it "
            f"({o.before.parameters_from}), and those stay in force over stored ones."
        )
    elif o.applied:
        lines.append(
            f"Applied{forced}: {whom(o.deck)} is scheduled with them from the next card on."
        )
    elif actions and r.better:
        lines.append(f"Run with --apply to use them for {whom(o.deck)}.")
    elif actions:
        lines.append("Kept the parameters in force; --apply --force would store the fitted ones.")
    if o.config_wins and not o.applied:
        lines.append(
            f"Note: config.toml sets parameters for {whom(o.deck)} "
            f"({o.before.parameters_from}); they stay in force over any stored ones."
        )
    return _wrapped(lines)


def show_text(rows: list[InForce]) -> list[str]:
    width = max(len(whom(r.deck)) for r in rows)
    out = []
    for r in rows:
        out.append(f"{whom(r.deck):<{width}}  parameters: {r.parameters_from}")
        out.append(
            f"{'':<{width}}  desired retention: {r.desired_retention:.2f} ({r.retention_from})"
        )
    return out


def retention_text(o: RetentionOutcome) -> list[str]:
    c, lim = o.choice, o.limits
    sample = "" if c.simulated == c.cards else f", simulated on {c.simulated:,} of them"
    lines = [
        f"A year of {whom(o.deck)} simulated at each desired retention in {o.seconds:.1f} s:",
        f"  {c.cards:,} cards{sample}, at most {lim.new_per_day:,} new and "
        f"{lim.reviews_per_day:,} reviews a day;",
        f"  parameters: {o.parameters_from}.",
        f"  {'retention':>9}  {'reviews/day':>11}  {'minutes/day':>11}  {'remembered':>10}"
        f"  {'s per card remembered':>21}",
    ]
    now = o.before.desired_retention
    for row in c.rows:
        marks = []
        if abs(row.desired_retention - c.optimal) < 0.005:
            marks.append("optimal")
        if abs(row.desired_retention - now) < 0.005:
            marks.append("in force")
        lines.append(
            f"  {row.desired_retention:>9.2f}  {row.reviews_per_day:>11.1f}  "
            f"{row.minutes_per_day:>11.1f}  {row.remembered:>10,.0f}  "
            f"{row.seconds_per_remembered:>21.1f}" + (f"  ◀ {', '.join(marks)}" if marks else "")
        )
    lines.append(
        f"Optimal retention (least time per card remembered, fsrs-rs): {c.optimal:.2f}; "
        f"in force: {now:.2f} ({o.before.retention_from})."
    )
    if o.applied:
        lines.append(
            f"Applied: {whom(o.deck)} is scheduled for a retention of {c.optimal:.2f} from the "
            "next card on."
        )
    else:
        lines.append(f"Run with --apply to use {c.optimal:.2f} for {whom(o.deck)}.")
    if o.config_wins:
        lines.append(
            f"Note: config.toml sets desired_retention for {whom(o.deck)} "
            f"({o.before.retention_from}); it stays in force over a stored one."
        )
    return _wrapped(lines)


def _short(words: str) -> str:
    return words if len(words) <= 22 else words.split(" on ")[0]
