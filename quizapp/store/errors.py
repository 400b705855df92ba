"""The store's one error type."""

from __future__ import annotations


class StoreError(Exception):
    """A database problem, with a one-line message fit for the user."""
