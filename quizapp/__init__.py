"""quizapp: spaced repetition and exam prep in the terminal, from your own Markdown notes."""

__version__ = "0.1.0"
