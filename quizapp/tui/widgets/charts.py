"""Bar charts for the statistics screen, drawn by textual-plot (axes, ticks at nice numbers).

Imported when the statistics are first counted (textual-plot brings numpy along), never at the
app's start.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual_plot import HiResMode, PlotWidget


def whole_ticks(top: float, most: int = 5) -> list[float]:
    """Ticks at whole numbers from 0 to ``top``: steps of 1, 2, 5, 10, 20, 50, ..., at most
    ``most`` of them above 0 (a count is never 2.5)."""
    step = 1
    while top / step > most:
        for factor in (2, 5, 10):
            if top / (step * factor) <= most:
                step *= factor
                break
        else:
            step *= 10
    return [float(k * step) for k in range(int(top // step) + 1)]


class BarChart(PlotWidget, can_focus=False):
    """Bars from zero, optionally stacked; not focusable and fixed (no zoom, no pan), so the
    keys scroll the screen. ``series`` holds what the bars show, bottom layer first."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, allow_pan_and_zoom=False)
        self.series: tuple[tuple[float, ...], ...] = ()

    def on_mount(self) -> None:
        self.margin_top = 1
        self.margin_left = 8

    def show_bars(
        self,
        x: Sequence[float] | Sequence[str],
        layers: Sequence[tuple[Sequence[float], str]],
        *,
        xlabel: str = "",
        xticks: Sequence[float] | None = None,
    ) -> None:
        """Draw ``layers`` of ``(values, style)`` over the positions (or category names)
        ``x``: each layer stacked on the ones before it."""
        self.clear()
        self.series = tuple(tuple(float(v) for v in values) for values, _ in layers)
        tops = [0.0] * len(x)
        stacked: list[tuple[list[float], str]] = []
        for values, style in layers:
            tops = [t + float(v) for t, v in zip(tops, values, strict=True)]
            stacked.append((list(tops), style))
        # The tallest first: each lower layer is drawn over the one above it.
        for values, style in reversed(stacked):
            self.bar(list(x), values, width=0.8, bar_style=style, hires_mode=HiResMode.QUADRANT)
        top = max([*tops, 1.0])
        self.set_ylimits(0, top * 1.05)
        self.set_yticks(whole_ticks(top))
        if xticks is not None:
            self.set_xticks(list(xticks))
        self.set_xlabel(xlabel)
        self.margin_bottom = 2 if xlabel else 1
