"""Keras verification: a card's Keras facts (compute blocks and checks) against real Keras.

- :mod:`quizapp.verify.service`: what ``quizapp params --verify`` and ``quizapp decks verify`` do;
- :mod:`quizapp.verify.compare`: the formulas compared with what Keras reported;
- :mod:`quizapp.verify.child`: one review card checked in a child process;
- :mod:`quizapp.verify.cache`: where Keras's answers are kept;
- :mod:`quizapp.verify.keras_oracle`: the only module that imports Keras, and only lazily.
"""
