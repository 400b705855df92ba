"""Keras verification: a card's Keras facts (compute blocks and checks) against real Keras.

- :mod:`quizapp.verify.model`: the plain data, :class:`~quizapp.verify.model.KerasFacts` (what a
  card states, kept on its row by the sync) and :class:`~quizapp.verify.model.Verification`
  (the one typed result; only the UI and the CLI put it into words);
- :mod:`quizapp.verify.service`: ``quizapp params --verify``, ``quizapp decks verify``, and one
  review card's check (from the cache, or with Keras);
- :mod:`quizapp.verify.compare`: the formulas compared with what an ``Oracle`` reported;
- :mod:`quizapp.verify.child`: one review card checked in a child process, so the app never
  imports TensorFlow;
- :mod:`quizapp.verify.cache`: the ``OracleCache`` protocol, in memory or in a JSON file (the
  database's ``keras_cache`` table is ``quizapp.store.oracle_cache``);
- :mod:`quizapp.verify.keras_oracle`: the only module that imports Keras, and only lazily.
"""
