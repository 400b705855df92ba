"""The key bar at the bottom of every screen: it shows the screen's keys as they are now, a
click presses one, the pointer over one shows what it does."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType

from quizapp.tui.widgets.key_bar import KeyBar
from tests.tui.conftest import AppFactory
from tests.tui.helpers import press, review_screen, running, screen_lines, settle, wait_until


async def test_a_click_on_a_key_presses_it(new_app: AppFactory) -> None:
    app = new_app(review=True, deck="demo")
    async with running(app) as pilot:
        screen = review_screen(app)
        bar = screen.query_one(KeyBar)
        show = next(k for k in bar.shown if k.action == "reveal")
        assert screen_lines(app)[-1][show.start : show.end] == " Space Show "
        assert not screen.revealed
        await pilot.click(KeyBar, offset=(show.start + 2, 0))
        await settle(pilot)
        assert screen.revealed
        assert screen.card is not None and screen.card.answer.splitlines()[0] in "\n".join(
            screen_lines(app)
        )


class TwoKeys(App[None]):
    """An app with two keys, one of which does nothing until ``armed``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "fire", "Fire", tooltip="fire"),
        Binding("a", "arm", "Arm", tooltip="arm"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.armed = False
        self.fired = 0

    def compose(self) -> ComposeResult:
        yield KeyBar()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "fire" and not self.armed else True

    def action_fire(self) -> None:
        self.fired += 1

    def action_arm(self) -> None:
        self.armed = True
        self.refresh_bindings()


def brightness(app: App[None], x: int, y: int) -> int:
    """How bright the text at a cell is (a dimmed key is drawn in a fainter colour)."""
    color = app.screen.get_style_at(x, y).color
    assert color is not None and color.triplet is not None
    return sum(color.triplet)


async def test_a_key_that_does_nothing_now_is_dimmed_and_a_click_on_it_does_nothing() -> None:
    app = TwoKeys()
    async with app.run_test(size=(40, 3)) as pilot:
        await wait_until(pilot, lambda: len(app.query_one(KeyBar).shown) == 2)
        bar = app.query_one(KeyBar)
        fire, arm = bar.shown
        assert (fire.action, fire.disabled) == ("fire", True)
        assert (arm.action, arm.disabled) == ("arm", False)
        assert screen_lines(app)[-1].startswith(" f Fire  a Arm ")
        y = 2
        dimmed = [brightness(app, x, y) for x in range(fire.start, fire.end)]
        assert brightness(app, fire.start + 1, y) < brightness(app, arm.start + 1, y)
        await pilot.click(KeyBar, offset=(fire.start + 1, 0))  # does nothing: not armed
        await pilot.click(KeyBar, offset=(arm.start + 1, 0))
        # Keys are handled in order: once armed, the click before it has been handled too.
        await wait_until(pilot, lambda: app.armed and not bar.shown[0].disabled)
        assert app.fired == 0
        lit = [brightness(app, x, y) for x in range(fire.start, fire.end)]
        assert all(d < b for d, b in zip(dimmed, lit, strict=True))
        await pilot.click(KeyBar, offset=(fire.start + 1, 0))
        await wait_until(pilot, lambda: app.fired == 1)


async def test_the_pointer_over_a_key_shows_what_it_does(new_app: AppFactory) -> None:
    app = new_app(review=True, deck="demo")
    async with running(app) as pilot:
        bar = review_screen(app).query_one(KeyBar)
        undo = next(k for k in bar.shown if k.action == "undo")
        await pilot.hover(KeyBar, offset=(undo.start + 1, 0))
        await settle(pilot)
        assert bar.tooltip == "undo the last answer, suspend or bury"
        past_the_keys = bar.shown[-1].end + 1
        await pilot.hover(KeyBar, offset=(past_the_keys, 0))
        await settle(pilot)
        assert bar.tooltip is None


async def test_the_keys_change_in_place_as_the_card_is_answered(new_app: AppFactory) -> None:
    """Show, then a grade: the bar's keys follow (Show goes and comes back with the next card)
    on the same widget, with nothing mounted for them."""
    app = new_app(review=True, deck="demo")
    async with running(app) as pilot:
        screen = review_screen(app)
        bar = screen.query_one(KeyBar)
        before = [k.action for k in bar.shown]
        assert before[0] == "reveal" and "Space Show" in screen_lines(app)[-1]
        widgets = len(list(screen.walk_children()))
        await press(pilot, "space")
        assert "reveal" not in [k.action for k in bar.shown]
        assert "Space Show" not in screen_lines(app)[-1]
        await press(pilot, "3")
        assert screen.query_one(KeyBar) is bar and not bar.children
        assert [k.action for k in bar.shown] == before
        assert "Space Show" in screen_lines(app)[-1]
        assert len(list(screen.walk_children())) == widgets
