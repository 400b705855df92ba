"""A sync's changes written into the rows: deck files, decks and cards added, updated, retired
and restored (see :mod:`quizapp.store.sync`, which calls this only when something changed)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from quizapp.notes.model import CardSpec, Deck, LoadResult
from quizapp.store.db import Database
from quizapp.store.models import CardRow, DeckFile, DeckRow
from quizapp.store.sync import SyncReport, file_hash

_CHUNK = 500


def write_changes(
    db: Database,
    result: LoadResult,
    *,
    vanished_paths: Iterable[str],
    touched: list[dict[str, Any]],
    skip_unchanged: bool = False,
) -> SyncReport:
    report = SyncReport(errors=[str(e) for e in result.errors])
    vanished = set(vanished_paths)
    error_paths = {str(Path(e.path).resolve()) for e in result.errors}
    now = datetime.now(UTC)
    with db.session(write=True) as s:
        if touched:
            s.execute(update(DeckFile), touched)
        files = {r.path: r for r in s.scalars(select(DeckFile))}
        claimed = {d.id for d in result.decks if str(Path(d.path).resolve()) not in error_paths}
        for path in vanished:  # a deck moved to another file is not retired
            row = files.pop(path, None)
            if row is None:
                continue
            if row.deck_id and row.deck_id not in claimed:
                report.retired += _retire_deck(s, row.deck_id, now)
            s.delete(row)
        s.flush()
        for deck in result.decks:
            path = str(Path(deck.path).resolve())
            if path in error_paths:
                continue
            try:
                data = Path(path).read_bytes()
                st = Path(path).stat()
            except OSError as err:
                report.errors.append(f"{path}: cannot read: {err.strerror or err}")
                continue
            digest = file_hash(data)
            row = files.get(path)
            if skip_unchanged and row is not None and row.content_hash == digest:
                report.unchanged_files += 1
                continue
            owner = next((p for p, r in files.items() if r.deck_id == deck.id and p != path), None)
            if owner is not None:
                report.errors.append(f"{path}:1: deck id {deck.id!r} is already used by {owner}")
                continue
            report.parsed_files += 1
            if row is None:
                row = DeckFile(path=path, size=0, mtime_ns=0, content_hash="", synced_at=now)
                s.add(row)
                s.flush()
                files[path] = row
            if row.deck_id and row.deck_id != deck.id:
                report.retired += _retire_deck(s, row.deck_id, now)
            _sync_deck(s, deck, row.id, now, report)
            row.deck_id = deck.id
            row.size, row.mtime_ns, row.content_hash, row.synced_at = (
                st.st_size,
                st.st_mtime_ns,
                digest,
                now,
            )
    return report


def _retire_deck(s: Session, deck_id: str, now: datetime) -> int:
    s.execute(update(DeckRow).where(DeckRow.id == deck_id).values(retired=True))
    res = s.execute(
        update(CardRow)
        .where(CardRow.deck == deck_id, CardRow.retired.is_(False))
        .values(retired=True, updated_at=now)
    )
    return res.rowcount or 0


def _content(card: CardSpec, position: int) -> dict[str, Any]:
    return {
        "note_key": card.note_key,
        "deck": card.deck,
        "position": position,
        "section": json.dumps(list(card.section), ensure_ascii=False),
        "kind": card.kind,
        "prompt": card.prompt,
        "answer": card.answer,
        "extra": card.extra,
        "tags": json.dumps(list(card.tags), ensure_ascii=False),
        "source": card.source,
        "line": card.line,
        **_keras_facts(card),
        "cloze_text": card.cloze_text if card.kind == "cloze" else None,
        "cloze_number": card.cloze_number if card.kind == "cloze" else None,
    }


def _keras_facts(card: CardSpec) -> dict[str, str | None]:
    """The card's Keras facts as JSON columns (see ``CardRow.compute`` and ``CardRow.checks``)."""
    compute = [list(f) for f in card.compute] if card.kind == "computed" else None
    checks = [[text, card.check_line(i)] for i, text in enumerate(card.checks)]
    return {
        "compute": json.dumps(compute, ensure_ascii=False) if compute is not None else None,
        "checks": json.dumps(checks, ensure_ascii=False) if checks else None,
    }


def _hash_content(content: dict[str, Any]) -> str:
    # A card without Keras facts (or cloze passage) hashes as it did before they were kept.
    optional = ("compute", "checks", "cloze_text", "cloze_number")
    kept = {k: v for k, v in content.items() if v is not None or k not in optional}
    return hashlib.sha256(json.dumps(kept, sort_keys=True).encode()).hexdigest()


def _sync_deck(s: Session, deck: Deck, file_id: int, now: datetime, report: SyncReport) -> None:
    deck_row = s.get(DeckRow, deck.id)
    deck_fields = {
        "title": deck.title,
        "source": deck.source,
        "file_path": str(Path(deck.path).resolve()),
        "retired": False,
    }
    if deck_row is None:
        s.add(DeckRow(id=deck.id, **deck_fields))
    else:
        for k, v in deck_fields.items():
            setattr(deck_row, k, v)
    s.flush()

    cols = (CardRow.id, CardRow.key, CardRow.content_hash, CardRow.retired, CardRow.file_id)
    existing = {r.key: r for r in s.execute(select(*cols).where(CardRow.deck == deck.id))}
    wanted = {c.key: c for c in deck.cards}
    missing = [k for k in wanted if k not in existing]
    for i in range(0, len(missing), _CHUNK):  # a card that moved here from another deck
        chunk = missing[i : i + _CHUNK]
        for r in s.execute(select(*cols).where(CardRow.key.in_(chunk))):
            existing[r.key] = r

    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for position, card in enumerate(deck.cards):
        content = _content(card, position)
        digest = _hash_content(content)
        old = existing.get(card.key)
        if old is None:
            inserts.append(
                {
                    **content,
                    "key": card.key,
                    "file_id": file_id,
                    "content_hash": digest,
                    "retired": False,
                    "suspended": False,
                    "state": "new",
                    "reps": 0,
                    "lapses": 0,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            report.added += 1
            continue
        if old.retired:
            report.restored += 1
        elif old.content_hash != digest:
            report.updated += 1
        if old.retired or old.content_hash != digest or old.file_id != file_id:
            updates.append(
                {
                    "id": old.id,
                    **content,
                    "file_id": file_id,
                    "content_hash": digest,
                    "retired": False,
                    "updated_at": now,
                }
            )
    gone = [
        {"id": r.id, "retired": True, "updated_at": now}
        for k, r in existing.items()
        if k not in wanted and not r.retired
    ]
    report.retired += len(gone)
    if inserts:
        s.execute(insert(CardRow), inserts)
    if updates:
        s.execute(update(CardRow), updates)
    if gone:
        s.execute(update(CardRow), gone)
