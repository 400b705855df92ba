"""The statistics as plain text (``quizapp stats`` without a terminal): every part, in lines of
at most 80 columns, the same numbers as the JSON and the screen."""

from __future__ import annotations

from datetime import date, timedelta

from quizapp.stats.model import PERIODS, Bin, Breakdown, Cell, Stats, ratio
from quizapp.timefmt import duration

SHADES = " ░▒▓█"  # the calendar: no answers, then four steps up to the busiest day
BARS = " ▁▂▃▄▅▆▇█"
PERIOD_LABELS = {
    "today": "today",
    "yesterday": "yesterday",
    "7d": "7 days",
    "30d": "30 days",
    "365d": "365 days",
}
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
#: The periods of the hours and the answer buttons (``quizapp stats --period``), as words.
BREAKDOWN_LABELS = {"1m": "1 month", "3m": "3 months", "1y": "1 year", "all": "all time"}


def days_left_words(n: int) -> str:
    """``today``, ``1 day left``, ``14 days left``: the study days to an exam."""
    if n <= 0:
        return "today"
    return "1 day left" if n == 1 else f"{n:,} days left"


def period_words(period: Breakdown) -> str:
    """``last 30 days``, or ``all time (412 days)``: what the hours and buttons cover."""
    if period.name == "all":
        return f"all time ({period.days:,} {'day' if period.days == 1 else 'days'})"
    return f"last {period.days} days"


def percent(x: float | None) -> str:
    """``85.0%``, or ``—`` when there is nothing to measure."""
    return "—" if x is None else f"{100 * x:.1f}%"


def shade(count: int, busiest: int) -> int:
    """The calendar's shade (0..4) of a day with ``count`` answers: 0 for none, then four
    equal steps of the busiest day's count."""
    if count <= 0 or busiest <= 0:
        return 0
    return min(4, 1 + (4 * (count - 1)) // busiest)


def bars(values: list[int] | tuple[int, ...]) -> str:
    """One block character per value, its height relative to the largest (a sparkline)."""
    top = max(values, default=0)
    if top <= 0:
        return " " * len(values)
    return "".join(BARS[0] if v <= 0 else BARS[max(1, round(8 * v / top))] for v in values)


def calendar_grid(days: list[tuple[date, int]], busiest: int) -> list[str]:
    """Weeks as columns (Monday on top), one shade character a day; blank before the first
    day and after the last."""
    if not days:
        return []
    first = days[0][0]
    start = first - timedelta(days=first.weekday())
    weeks = (days[-1][0] - start).days // 7 + 1
    cells = [[" "] * weeks for _ in range(7)]
    for day, n in days:
        offset = (day - start).days
        cells[offset % 7][offset // 7] = SHADES[shade(n, busiest)]
    return [f"{WEEKDAYS[row]} {''.join(cells[row])}" for row in range(7)]


def _cell(c: Cell) -> str:
    n = c.passed + c.failed
    return f"{percent(c.retention):>6} {n:>7,}"


def _bins(bins: tuple[Bin, ...], unit: str) -> str:
    parts = []
    for b in bins:
        if unit == "%":
            label = f"{round(100 * b.lo)}-{round(100 * b.hi)}%" if b.hi is not None else ""
        else:
            label = f"{b.lo:g}-{b.hi:g}d" if b.hi is not None else f"{b.lo:g}d+"
        parts.append(f"{label} {b.cards:,}")
    return "  ".join(parts)


def _wrap(text: str, width: int = 78, indent: str = "  ") -> list[str]:
    lines, line = [], ""
    for word in text.split("  "):
        candidate = f"{line}  {word}" if line else word
        if len(indent) + len(candidate) > width and line:
            lines.append(indent + line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(indent + line)
    return lines


def stats_text(st: Stats) -> str:
    """Every part of the statistics as text."""
    scope = f"deck {st.deck}" if st.deck else "all decks"
    out = [f"Statistics, {scope}: study day {st.day.isoformat()} (from {st.day_starts_at:02d}:00)"]

    t = st.today
    out += ["", "Today"]
    out.append(
        f"  {t.reviews:,} reviews ({t.new:,} new) in {duration(t.seconds)}; Again {t.again:,}"
        f" ({percent(ratio(t.correct, t.reviews))} correct)"
    )
    days = "day" if st.streak.current == 1 else "days"
    out.append(f"  streak {st.streak.current:,} {days} (longest {st.streak.longest:,})")

    cal = st.calendar
    total = sum(d.reviews for d in cal.days)
    out += ["", f"Calendar, last {len(cal.days)} days"]
    out.append(
        f"  {total:,} reviews on {cal.days_studied:,} days; busiest day {cal.busiest:,};"
        f" shades {SHADES[1:]!r} up to {cal.busiest:,}"
    )
    out += [
        "  " + row for row in calendar_grid([(d.day, d.reviews) for d in cal.days], cal.busiest)
    ]

    f = st.future
    out += ["", f"Future due, next {len(f.days)} days"]
    out.append(
        f"  overdue {f.overdue:,}; today {f.days[0] if f.days else 0:,};"
        f" tomorrow {f.days[1] if len(f.days) > 1 else 0:,}; 7 days {sum(f.days[:7]):,};"
        f" {len(f.days)} days {sum(f.days):,}; daily load {f.daily_load:.1f}"
    )
    out.append(f"  per day |{bars(f.days)}| up to {max(f.days, default=0):,}")

    r = st.reviews
    learning = sum(d.learning for d in r)
    review = sum(d.review for d in r)
    relearning = sum(d.relearning for d in r)
    out += ["", f"Reviews, last {len(r)} days"]
    out.append(
        f"  {learning + review + relearning:,} reviews in {duration(sum(d.seconds for d in r))}:"
        f" learning {learning:,}, review {review:,}, relearning {relearning:,}"
    )
    totals = [d.total for d in r]
    out.append(f"  per day |{bars(totals)}| up to {max(totals, default=0):,}")

    c = st.cards
    out += ["", f"Cards ({c.total:,})"]
    out.append(
        f"  new {c.new:,}, learning {c.learning:,}, review {c.review:,} (young {c.young:,},"
        f" mature {c.mature:,}), relearning {c.relearning:,}"
    )
    out.append(f"  suspended {c.suspended:,}, buried {c.buried:,}, retired {c.retired:,}")

    m = st.memory
    out += ["", "Memory (FSRS)"]
    out.append(
        f"  {m.cards:,} cards studied; estimated total knowledge {m.total_knowledge:,.0f} cards"
        f" (average retrievability {percent(m.average_retrievability)})"
    )
    for name, bins, unit in (
        ("retrievability", m.retrievability, "%"),
        ("stability", m.stability, "d"),
        ("difficulty", m.difficulty, "%"),
        ("interval", m.interval, "d"),
    ):
        out.append(f"  {name}")
        out += _wrap(_bins(bins, unit), indent="    ")

    tr = st.true_retention
    total_cells = tr.total
    out += ["", f"True retention (desired {percent(tr.desired)}); retention and answers counted"]
    out.append(f"  {'':<10} {'young':>14} {'mature':>14} {'total':>14}")
    for p in PERIODS:
        out.append(
            f"  {PERIOD_LABELS[p]:<10} {_cell(tr.young[p])} {_cell(tr.mature[p])}"
            f" {_cell(total_cells[p])}"
        )

    out += ["", f"Hours, {period_words(st.period)} (reviews, correct)"]
    row = []
    for h in st.hours:
        row.append(f"{h.hour:02d}h {h.reviews:>6,} {percent(h.success):>6}")
        if len(row) == 3:
            out.append("  " + "   ".join(row))
            row = []

    b = st.buttons
    out += ["", f"Answer buttons, {period_words(st.period)} (Again, Hard, Good, Easy)"]
    for name, counts in (("learning", b.learning), ("young", b.young), ("mature", b.mature)):
        n = sum(counts)
        shares = " ".join(f"{percent(ratio(x, n)):>6}" for x in counts)
        out.append(f"  {name:<9} {shares}   ({n:,} answers)")

    out += ["", "Exams, last scores per deck (newest first)"]
    if not st.exams:
        out.append("  none yet (take one with `quizapp quiz`)")
    for e in st.exams:
        scores = " ".join(f"{100 * x.score:.0f}%" for x in e.scores)
        out.append(f"  {e.deck}: {scores}")

    out += ["", "Exam dates (ready: the cards at the target recall on the day, as things stand)"]
    if not st.exam_dates:
        out.append("  none (set one with `quizapp exam-date YYYY-MM-DD`)")
    for x in st.exam_dates:
        out.append(
            f"  {x.deck}: {x.day:%a} {x.day.isoformat()}, {days_left_words(x.days_left)},"
            f" {percent(x.ready)} ready for {x.target:.2f}"
        )
    return "\n".join(out)
