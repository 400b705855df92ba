"""The keys a screen offers now, in one line at the bottom of it.

It shows what Textual's ``Footer`` shows, looking the same: a key, then what it does, for each
binding shown; dimmed when it does nothing now; a click on one presses it, and the pointer
over one shows its tooltip. ``Footer`` draws a widget for every key and mounts them anew
whenever the screen's keys change (each answer changes them); this draws the line itself, so
a change of keys is one repaint and a screen shown at launch mounts one widget for them.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.text import Text
from textual import events
from textual.widget import Widget


class ShownKey(NamedTuple):
    """A key as the bar draws it: which columns it takes (``start`` to ``end``)."""

    key: str
    action: str
    disabled: bool
    tooltip: str
    start: int
    end: int


class KeyBar(Widget, can_focus=False):
    """The screen's keys, as ``Footer`` shows them, drawn as one line."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-bar--item",
        "key-bar--key",
        "key-bar--description",
        "key-bar--hover",
        "key-bar--disabled",
    }
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        text-wrap: nowrap;
        text-overflow: clip;
        color: $footer-foreground;
        background: $footer-background;
        .key-bar--item {
            background: $footer-item-background;
        }
        .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .key-bar--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        .key-bar--disabled {
            text-style: dim;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown: tuple[ShownKey, ...] = ()
        """The keys as last drawn (what a person sees now), in order."""
        self._hover: str | None = None  # the action under the pointer

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._keys_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _keys_changed(self, _screen: object) -> None:
        self.refresh()

    def render(self) -> Text:
        item = self.get_component_rich_style("key-bar--item")
        key_style = item + self.get_component_rich_style("key-bar--key", partial=True)
        description_style = item + self.get_component_rich_style(
            "key-bar--description", partial=True
        )
        hover = self.get_component_rich_style("key-bar--hover", partial=True)
        dim = self.get_component_rich_style("key-bar--disabled", partial=True)
        line = Text(no_wrap=True, overflow="crop", end="")
        shown: list[ShownKey] = []
        seen: set[str] = set()
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue  # one key per action: the first one bound to it
            seen.add(binding.action)
            start = line.cell_len
            extra = hover if binding.action == self._hover else None
            parts = [(f" {self.app.get_key_display(binding)} ", key_style)]
            if binding.description:
                parts.append((f"{binding.description} ", description_style))
            for text, style in parts:
                line.append(text, style + extra if extra else style)
            if not enabled:
                line.stylize(dim, start)
            shown.append(
                ShownKey(
                    binding.key,
                    binding.action,
                    not enabled,
                    tooltip or binding.tooltip,
                    start,
                    line.cell_len,
                )
            )
        self.shown = tuple(shown)
        return line

    def key_at(self, x: int) -> ShownKey | None:
        """The key drawn at column ``x`` of the bar, if any."""
        return next((k for k in self.shown if k.start <= x < k.end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        shown = self.key_at(event.x)
        action = shown.action if shown else None
        if action != self._hover:
            self._hover = action
            self.tooltip = (shown.tooltip or None) if shown else None
            self.refresh()

    def on_leave(self, _event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        shown = self.key_at(event.x)
        if shown is None:
            return
        if shown.disabled:
            self.app.bell()
        else:
            self.app.simulate_key(shown.key)
