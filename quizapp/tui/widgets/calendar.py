"""The calendar heatmap: a year of study days, weeks as columns, shaded by answers (Rich Text,
drawn by hand: no chart library draws a calendar grid)."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual.widget import Widget

from quizapp.stats.text import shade

GLYPHS = "·░▒▓█"  # no answers, then four steps up to the busiest day
STYLES = ("dim", "#2f6f3e", "#3f9a52", "#5cc46f", "#8af59b")
WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
LABEL = 4  # the weekday labels' column


def heatmap(days: list[tuple[date, int]], busiest: int, width: int) -> Text:
    """Month names, then a row per weekday (Monday first), a column per week; each day two
    cells wide when ``width`` has room for it, else one."""
    text = Text(no_wrap=True, overflow="crop")
    if not days:
        return text
    first = days[0][0]
    start = first - timedelta(days=first.weekday())
    weeks = (days[-1][0] - start).days // 7 + 1
    cell = 2 if LABEL + 2 * weeks <= width else 1
    grid: list[list[tuple[str, str]]] = [[(" ", "")] * weeks for _ in range(7)]
    for day, n in days:
        offset = (day - start).days
        level = shade(n, busiest)
        grid[offset % 7][offset // 7] = (GLYPHS[level], STYLES[level])
    months = [" "] * (weeks * cell)
    for week in range(weeks):
        monday = start + timedelta(days=7 * week)
        sunday = monday + timedelta(days=6)
        if sunday.day <= 7 and sunday >= first:  # the week in which a month begins
            name = MONTHS[sunday.month - 1]
            at = week * cell
            fits = at + len(name) <= len(months)
            if fits and all(c == " " for c in months[max(0, at - 1) : at + len(name)]):
                months[at : at + len(name)] = list(name)
    text.append(" " * LABEL + "".join(months).rstrip() + "\n", style="dim")
    for row in range(7):
        text.append(f"{WEEKDAYS[row]:<{LABEL}}", style="dim")
        for glyph, style in grid[row]:
            text.append(glyph * cell, style=style or None)
        if row < 6:
            text.append("\n")
    return text


def legend() -> Text:
    text = Text("less ", style="dim")
    for glyph, style in zip(GLYPHS, STYLES, strict=True):
        text.append(glyph, style=style)
        text.append(" ")
    text.append("more", style="dim")
    return text


class CalendarHeatmap(Widget):
    """The heatmap of :func:`heatmap`, redrawn to the widget's width."""

    DEFAULT_CSS = """
    CalendarHeatmap {
        height: 8;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.days: list[tuple[date, int]] = []
        self.busiest = 0

    def show(self, days: list[tuple[date, int]], busiest: int) -> None:
        self.days, self.busiest = days, busiest
        self.refresh()

    def render(self) -> Text:
        return heatmap(self.days, self.busiest, self.size.width)
