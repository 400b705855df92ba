"""Exam prep: timed exams of mixed question types, graded, remembered, printable.

:class:`QuizService` builds an exam from the cards of the store (sibling and confusion wrong
options, computed questions from ``calc.families``), runs it (:class:`ExamRun`: grading,
skipping, the clock) and remembers it (history, confusions, missed cards).
"""

from quizapp.quiz.model import (
    TYPES,
    Answered,
    Exam,
    ExamOptions,
    ExamResult,
    History,
    Question,
    QuizOptionError,
    Score,
)
from quizapp.quiz.service import ExamRun, QuizService

__all__ = [
    "TYPES",
    "Answered",
    "Exam",
    "ExamOptions",
    "ExamResult",
    "ExamRun",
    "History",
    "Question",
    "QuizOptionError",
    "QuizService",
    "Score",
]
