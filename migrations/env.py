"""Alembic environment for quizapp.

quizapp configures Alembic in code (``quizapp.store.db.alembic_config``) and hands over an open
connection whose foreign keys are already switched off; the pending migrations and a
``PRAGMA foreign_key_check`` run in one transaction, so a violation rolls everything back.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from quizapp.store.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    # One transaction for every pending step and the check; Alembic sees it as external and
    # leaves it alone (on SQLite it would otherwise commit after each step).
    with connection.begin():
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            compare_type=True,
        )
        context.run_migrations()
        problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if problems:
            table, rowid, parent, _ = problems[0]
            raise RuntimeError(
                f"foreign key check failed after migrating: {len(problems)} row(s), "
                f"e.g. {table} rowid {rowid} -> {parent}"
            )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    # Developer use, e.g. autogenerating a new revision against a scratch file:
    # command.revision(alembic_config(), "message", autogenerate=True) (see the README).
    from pathlib import Path

    from quizapp.store.db import make_engine

    engine = make_engine(
        Path(config.get_main_option("dev_db") or "quizapp-dev.sqlite3"), pooled=False
    )
    with engine.connect() as conn:
        conn.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("quizapp migrations run online only")
run_migrations_online()
