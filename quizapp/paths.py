"""Where quizapp keeps things: bundled decks and migrations, the user's data and config.

Every path can be overridden (``--db`` / ``QUIZAPP_DB``, ``--decks`` / ``QUIZAPP_DECKS``,
``QUIZAPP_CONFIG``), so tests never touch a real home directory.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from types import ModuleType

APP_NAME = "quizapp"
_PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    """A directory shipped with the package: inside the wheel, or at the checkout's top level."""
    inside = _PACKAGE_DIR / "_bundled" / name
    if inside.is_dir():
        return inside
    return _PACKAGE_DIR.parent / name


def bundled_decks_dir() -> Path:
    return _bundled("decks")


def is_bundled(path: Path) -> bool:
    """Whether ``path`` is one of the bundled decks (read-only: part of the installed package)."""
    try:
        return Path(path).resolve().is_relative_to(bundled_decks_dir().resolve())
    except OSError:
        return False


def migrations_dir() -> Path:
    return _bundled("migrations")


def _platformdirs() -> ModuleType:
    """``platformdirs``, imported when a user directory is first asked for (``--help`` and
    commands given every path need none of it)."""
    import platformdirs

    return platformdirs


def user_data_dir() -> Path:
    return Path(_platformdirs().user_data_dir(APP_NAME, appauthor=False))


def user_decks_dir() -> Path:
    return user_data_dir() / "decks"


def default_db_path() -> Path:
    env = os.environ.get("QUIZAPP_DB")
    if env:
        return Path(env).expanduser()
    return user_data_dir() / "quizapp.sqlite3"


def config_path() -> Path:
    env = os.environ.get("QUIZAPP_CONFIG")
    if env:
        return Path(env).expanduser()
    return Path(_platformdirs().user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def deck_dirs(extra: list[Path] | tuple[Path, ...] = ()) -> list[Path]:
    """The deck directories in search order: bundled, the user's own, then any extra ones.

    ``QUIZAPP_DECKS`` (paths separated by ``os.pathsep``) adds to the extra ones. Duplicates
    are dropped; directories that do not exist are kept out silently, except explicit ones,
    which the caller validates.
    """
    dirs: list[Path] = [bundled_decks_dir(), user_decks_dir()]
    env = os.environ.get("QUIZAPP_DECKS", "")
    env_dirs = [Path(p).expanduser() for p in env.split(os.pathsep) if p]
    dirs.extend(env_dirs)
    dirs.extend(Path(p).expanduser() for p in extra)
    seen: set[Path] = set()
    out: list[Path] = []
    for d in dirs:
        key = d.resolve()
        if key in seen or not d.is_dir():
            continue
        seen.add(key)
        out.append(d)
    return out


def directory_problem(path: Path) -> str | None:
    """Why ``path`` cannot serve as a directory to read from (None when it can).

    ``"not a directory"`` for a path that is missing or names something else; otherwise the
    system's words (``Permission denied``, ``File name too long``, a symlink loop).
    """
    try:
        st = path.stat()
    except OSError as err:
        if err.errno in (errno.ENOENT, errno.ENOTDIR):
            return "not a directory"
        return err.strerror or str(err)
    if not stat.S_ISDIR(st.st_mode):
        return "not a directory"
    if not os.access(path, os.R_OK | os.X_OK):
        return "Permission denied"
    return None
