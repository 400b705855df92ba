"""The Keras line under a computed or Keras-checked card's answer: a result in words."""

from __future__ import annotations

from quizapp.verify.model import Verification


def keras_line(v: Verification) -> tuple[str, str]:
    """The line's text and its style class (``verified``, ``disagrees`` or ``unverified``)."""
    if v.status == "verified":
        return f"✓ verified with Keras {v.keras_version}", "verified"
    if v.status == "disagrees":
        return f"✗ Keras disagrees: {v.detail}", "disagrees"
    if v.status == "unavailable":
        return f"not verified (Keras unavailable: {v.detail})", "unverified"
    if v.detail:
        return f"not verified ({v.detail})", "unverified"
    return "not verified — press v to check with Keras", "unverified"
