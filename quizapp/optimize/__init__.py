"""Personal scheduling: fit FSRS to the learner's own review history with fsrs-rs.

``fsrs_rs_python`` is Anki's own engine (fsrs-rs) on the package index. This room turns a review
history — quizapp's review log, a CSV file, or an Anki collection — into fsrs-rs training items
the way Anki does (:mod:`quizapp.optimize.items`), fits and evaluates the 21 FSRS-6 parameters
(:mod:`quizapp.optimize.fit`) and simulates a year of reviews to choose the desired retention
(:mod:`quizapp.optimize.simulate`). It never imports TensorFlow; only
:mod:`quizapp.optimize.anki_log` imports ``anki``.
"""

from quizapp.optimize.errors import NotEnoughHistory, OptimizeError

__all__ = ["NotEnoughHistory", "OptimizeError"]
