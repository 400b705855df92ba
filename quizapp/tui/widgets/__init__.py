"""Reusable widgets of the review app."""

from quizapp.tui.widgets.card_text import CardText, render_card_text
from quizapp.tui.widgets.grade_bar import GradeBar
from quizapp.tui.widgets.remaining import RemainingBar
from quizapp.tui.widgets.status_line import StatusLine

__all__ = ["CardText", "GradeBar", "RemainingBar", "StatusLine", "render_card_text"]
