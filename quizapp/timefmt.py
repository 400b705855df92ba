"""Short human forms of durations and due times."""

from __future__ import annotations

from datetime import datetime


def duration(seconds: float) -> str:
    """``42s``, ``3m 05s``, ``1h 02m``."""
    s = max(0, round(seconds))
    if s < 60:
        return f"{s}s"
    m, s = divmod(s, 60)
    if m < 60:
        return f"{m}m {s:02d}s"
    h, m = divmod(m, 60)
    return f"{h}h {m:02d}m"


def until(due: datetime, now: datetime) -> str:
    """When ``due`` comes, relative to ``now``: ``now``, ``in 4m 10s``, ``in 2 days``."""
    seconds = (due - now).total_seconds()
    if seconds <= 0:
        return "now"
    if seconds < 86_400:
        return f"in {duration(seconds)}"
    days = round(seconds / 86_400)
    return "in 1 day" if days == 1 else f"in {days} days"


def clock_time(seconds: float) -> str:
    """A stopwatch: ``4:05``, ``1:02:09`` (whole seconds, rounded up while counting down)."""
    s = max(0, int(-(-seconds // 1)))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"
