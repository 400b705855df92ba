"""The ``quizapp`` command line: parse arguments, call a service, print.

Every command shares the global options ``--db`` and ``--decks``; they reach commands through
:class:`Settings` on the click context object. An expected error (a
:class:`~quizapp.errors.QuizappError`) raised anywhere below a command becomes one line,
``Error: ...``, and exit status 1 in :class:`QuizappGroup`; click's own usage errors exit 2.
"""

from __future__ import annotations

import gc
import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from quizapp import __version__, paths
from quizapp.errors import OptionError, QuizappError, UnknownDeck, one_line, os_error_line

if TYPE_CHECKING:
    from quizapp.notes.model import CardSpec, Deck, LoadResult
    from quizapp.quiz import Exam
    from quizapp.review import DeckCounts, ExamStatus, ReviewService
    from quizapp.verify.compare import VerifyLine
    from quizapp.verify.model import Verification
    from quizapp.verify.service import ParamsOutcome


@dataclass
class Settings:
    """Paths every command may need; injectable so tests never touch a home directory."""

    db_path: Path
    extra_deck_dirs: tuple[Path, ...] = field(default_factory=tuple)

    @property
    def deck_dirs(self) -> list[Path]:
        return paths.deck_dirs(self.extra_deck_dirs)


pass_settings = click.make_pass_decorator(Settings)


_NEW_DATABASE = "quizapp.new_database"


class QuizappGroup(click.Group):
    """The command group: an expected error in any command is ``Error: ...`` and exit 1 (2 for
    a bad option, as for click's own usage errors)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            outcome = super().invoke(ctx)
        except QuizappError as err:
            failure = click.ClickException(one_line(err))
            failure.exit_code = 2 if isinstance(err, OptionError) else 1
            raise failure from err
        except BrokenPipeError:
            raise  # the reader went away (`quizapp cards | head`): click ends quietly
        except OSError as err:
            # The last net: a file-system refusal nobody foresaw is still one line, not a
            # traceback (every foreseen one is a QuizappError with its own words).
            raise click.ClickException(os_error_line(err)) from err
        new_db = ctx.meta.get(_NEW_DATABASE)
        if new_db is not None and not _is_new_database(new_db):
            # Said once the command has done its work (a failed command says only why).
            click.echo(f"Created a new database at {new_db}", err=True)
        return outcome


def _check_deck_dir(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> tuple[Path, ...]:
    out = []
    for v in value:
        if not v.strip():
            raise click.BadParameter("an empty path is not a directory", ctx=ctx, param=param)
        p = Path(v).expanduser()
        problem = paths.directory_problem(p)
        if problem == "not a directory":
            raise click.BadParameter(f"not a directory: {v}", ctx=ctx, param=param)
        if problem is not None:
            raise click.BadParameter(f"cannot read {v}: {problem}", ctx=ctx, param=param)
        out.append(p)
    return tuple(out)


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name too long, a directory that cannot be entered
        return False


def _check_environment() -> None:
    """Paths named in the environment must exist: a typo would otherwise hide a deck directory
    (and retire its cards) or silently fall back to the default settings."""
    for entry in os.environ.get("QUIZAPP_DECKS", "").split(os.pathsep):
        problem = paths.directory_problem(Path(entry).expanduser()) if entry else None
        if problem == "not a directory":
            raise QuizappError(f"QUIZAPP_DECKS names {entry}, which is not a directory")
        if problem is not None:
            raise QuizappError(f"QUIZAPP_DECKS names {entry}, which cannot be read: {problem}")
    config = os.environ.get("QUIZAPP_CONFIG")
    if config and not _is_file(Path(config).expanduser()):
        raise QuizappError(f"QUIZAPP_CONFIG names {config}, which is not a file")


def _is_new_database(path: Path) -> bool:
    """Missing or empty (0 bytes): quizapp makes a new database there when it opens it."""
    try:
        return not path.exists() or path.stat().st_size == 0
    except OSError:
        return False  # the store says what is wrong with the path


def _watch_database(ctx: click.Context, path: Path, *, explicit: bool) -> None:
    """Refuse a ``--db`` (or ``QUIZAPP_DB``) in a directory that does not exist (a typo would
    look like lost history); when the command makes a new database, say so on stderr."""
    if not _is_new_database(path):
        return
    if explicit:
        try:
            missing = not path.parent.exists()
        except OSError:
            missing = False  # the store says what is wrong with the path
        if missing:
            raise QuizappError(
                f"no such directory {path.parent} for the database {path} "
                "(create it first, or check the path)"
            )
    ctx.meta[_NEW_DATABASE] = path


@click.group(
    cls=QuizappGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="QUIZAPP_DB",
    default=None,
    help="SQLite file for reviews and schedules (env QUIZAPP_DB; default: user data dir).",
)
@click.option(
    "--decks",
    "deck_dirs",
    multiple=True,
    callback=_check_deck_dir,
    help="Add a deck directory (repeatable; env QUIZAPP_DECKS, separated by ':').",
)
@click.version_option(__version__, prog_name="quizapp")
@click.pass_context
def cli(ctx: click.Context, db_path: Path | None, deck_dirs: tuple[Path, ...]) -> None:
    """quizapp: spaced repetition and exam prep from your own Markdown notes.

    Run without a command to open the review app on today's cards.
    """
    _check_environment()
    ctx.obj = Settings(db_path=db_path or paths.default_db_path(), extra_deck_dirs=deck_dirs)
    if ctx.invoked_subcommand != "params":  # the one command that never opens the database
        _watch_database(ctx, ctx.obj.db_path, explicit=db_path is not None)
    if ctx.invoked_subcommand is None:
        _run_app(ctx.obj)


@cli.command()
@click.option("--deck", "deck_id", default=None, help="Only this deck (its id).")
@pass_settings
def review(settings: Settings, deck_id: str | None) -> None:
    """Review today's cards in the app (every deck, or one with --deck).

    Keys: Space/Enter show the answer, 1-4 grade, u undo, ! suspend, - bury,
    e edit the source, v check a computed card with Keras, q back, ? help.
    """
    _run_app(settings, review=True, deck=deck_id)


def _run_app(
    settings: Settings,
    *,
    review: bool = False,
    stats: bool = False,
    deck: str | None = None,
    period: str = "1m",
    exam: Exam | None = None,
) -> None:
    """Open the review app (home screen, or straight into reviewing, an exam or the
    statistics)."""
    from quizapp.tui.app import make_app

    app = make_app(
        db_path=settings.db_path,
        deck_dirs=settings.deck_dirs,
        config_path=paths.config_path(),
        review=review,
        stats=stats,
        deck=deck,
        period=period,
        exam=exam,
    )
    app.prepare()
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        # The app reads keys from stdin and draws on stderr: without a terminal it would wait
        # for keys forever.
        hint = "`quizapp quiz --print`" if exam is not None else "`quizapp due`, `quizapp cards`"
        raise QuizappError(
            f"the {'exam' if exam else 'review'} app needs a terminal (for scripts: {hint})"
        )
    app.run()


@cli.group()
def decks() -> None:
    """Check, copy, import and verify deck files."""


@decks.command("check")
@click.argument("paths_", metavar="[PATH ...]", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@pass_settings
def decks_check(settings: Settings, paths_: tuple[Path, ...], strict: bool) -> None:
    """Validate deck files (default: every deck directory); exit 1 on any error.

    Also warns about weak cards (a card that gives its answer away, an answer too long to
    recall); `<!-- ok: RULE -->` after a construct silences a rule there.
    """
    from quizapp.library import load_library
    from quizapp.notes.lint import lint_deck

    result = load_library(settings.deck_dirs, files=list(paths_) or None)
    if not result.decks and not result.errors:
        click.echo("No deck files (*.md) found.")
    warnings: list[object] = [_file_warning(deck) for deck in result.decks]
    warnings = [w for w in warnings if w is not None]
    warnings += [w for deck in result.decks for w in lint_deck(deck)]
    for deck in result.decks:
        click.echo(f"✓ {deck.source}  {deck.id}  {len(deck.cards)} cards")
    for warning in warnings:
        click.echo(str(warning), err=True)
    for err in result.errors:
        click.echo(str(err), err=True)
    if result.errors or (strict and warnings):
        sys.exit(1)


def _file_warning(deck: Deck) -> str | None:
    """A deck file that is probably not one: not ``*.md``, or no card in it at all."""
    if deck.path.suffix.lower() != ".md":
        return f"{deck.path}:0: warning: not a Markdown deck file (*.md)"
    if not deck.cards:
        return f"{deck.path}:0: warning: no cards in this file"
    return None


@decks.command("copy")
@click.argument("deck_id", metavar="DECK")
@click.option("--force", is_flag=True, help="Replace a copy made before (its edits are lost).")
@pass_settings
def decks_copy(settings: Settings, deck_id: str, force: bool) -> None:
    """Copy a bundled deck into your own deck directory, to edit it.

    The copy keeps the deck's id, so every card keeps its key and its review history; from then
    on the copy is the deck read, and the bundled one is left out.

    \b
    Example:
      quizapp decks copy keras-basics
    """
    from quizapp.library import copy_bundled_deck

    copied = copy_bundled_deck(deck_id, settings.deck_dirs, force=force)
    verb = "Replaced" if copied.replaced else "Copied"
    click.echo(
        f"{verb} {copied.deck} at {copied.target}: edit it there; it is read instead of the "
        "bundled deck, and its cards keep their history."
    )


@decks.command("import")
@click.argument("notes", type=click.Path(path_type=Path))
@click.option("--id", "deck_id", default=None, help="The deck's id (default: from the file name).")
@click.option("--title", default=None, help="The deck's title (default: from the file name).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the draft here (default: ID.md in your deck directory).",
)
@click.option("--dry-run", is_flag=True, help="Print the report and the draft; write nothing.")
@click.option("--force", is_flag=True, help="Replace a deck file that is already there.")
@pass_settings
def decks_import(
    settings: Settings,
    notes: Path,
    deck_id: str | None,
    title: str | None,
    output: Path | None,
    dry_run: bool,
    force: bool,
) -> None:
    """Turn a plain notes file into a deck draft, and report what became cards.

    Recognises <name> and short title lines as headings (and Markdown #), `name: meaning`
    lines, tab-separated or column-aligned tables, pasted Python (cloze deletions on imported
    names and keyword arguments), `# 1.` / `1.` / `-` lists and questions ending in `?`;
    the rest stays as plain text, word for word. Reads UTF-8, UTF-16 with a BOM and CP949/EUC-KR.
    Never overwrites a deck file without --force; the same notes give the same draft.

    \b
    Example:
      quizapp decks import keras-notes.txt --title "Keras notes"
    """
    from quizapp.library import import_notes_file

    done = import_notes_file(
        notes,
        settings.deck_dirs,
        deck_id=deck_id,
        title=title,
        output=output,
        force=force,
        dry_run=dry_run,
    )
    click.echo("\n".join(done.draft.report(notes.name)))
    if not done.written:
        click.echo("")
        click.echo(done.draft.text, nl=False)
        verb = "would replace" if done.replaced else "would be"
        click.echo(f"Dry run: nothing written (the draft {verb} {done.target}).", err=True)
        return
    verb = "Replaced" if done.replaced else "Wrote"
    click.echo(
        f"{verb} {done.target}: {done.draft.cards} cards. Touch up the plain text there; "
        f"`quizapp decks check {done.target}` checks it."
    )
    if not done.in_library:
        click.echo(
            f"{done.target.parent} is not a deck directory: add --decks {done.target.parent} "
            "to review the deck.",
            err=True,
        )


@decks.command("verify")
@click.option("--deck", "deck_id", default=None, help="Only this deck (its id).")
@pass_settings
def decks_verify(settings: Settings, deck_id: str | None) -> None:
    """Check every computed card and Keras fact against real Keras; exit 1 on any ✗.

    Results are cached in the database per Keras version, so a second run is fast.
    """
    from quizapp.verify.service import verify_decks

    report = verify_decks(
        settings.db_path,
        settings.deck_dirs,
        deck_id,
        progress=lambda msg: click.echo(msg, err=True),
    )
    for err_line in report.errors:
        click.echo(f"✗ {err_line}")
    for line in report.lines:
        click.echo(render_verify_line(line, report.keras))
    total = len(report.lines)
    cached = "all from the cache" if report.builds == 0 else f"{report.builds} built in Keras"
    click.echo(
        f"{total - report.failed} of {total} verified with Keras {report.keras} "
        f"({report.failed} ✗; {cached})"
    )
    sys.exit(1 if report.failed or report.errors else 0)


def render_verify_line(line: VerifyLine, keras: str) -> str:
    """``✓ decks/keras-basics.md:12  LSTM(10) on (5, 1): params 480  (Keras 3.15.1)``; a ✗ line
    ends with what Keras said."""
    mark = "✓" if line.ok else "✗"
    tail = f" — {line.detail}" if line.detail else ""
    return f"{mark} {line.location}  {line.what}  (Keras {keras}){tail}"


@cli.command()
@click.argument("layers", nargs=-1, required=True)
@click.option(
    "--input-shape",
    "-i",
    "input_shape",
    required=True,
    help="Input shape without the batch axis, e.g. 5,1 or '(28, 28, 1)'.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--verify", is_flag=True, help="Also build the model in Keras and compare.")
def params(layers: tuple[str, ...], input_shape: str, as_json: bool, verify: bool) -> None:
    """Parameters and output shapes of a stack of Keras layers, with derivations.

    LAYER is a Keras expression such as 'LSTM(10, return_sequences=True)'; give several
    (or separate them with ';') for a stack. Example:

        quizapp params 'LSTM(10)' --input-shape 5,1
    """
    from quizapp.verify.service import params as compute_params

    outcome = compute_params(
        layers, input_shape, verify=verify, progress=lambda m: click.echo(m, err=True)
    )
    if as_json:
        click.echo(json.dumps(outcome.to_json(), ensure_ascii=False))
    else:
        click.echo(render_params(outcome))
    if not outcome.ok:
        sys.exit(1)


def render_params(outcome: ParamsOutcome) -> str:
    """A ``model.summary()``-like table with each layer's derivation, then the totals."""
    from quizapp.calc.expr import format_shape

    r = outcome.result
    rows = [(lr.layer, lr.output_text(), str(lr.params)) for lr in r.layers]
    w1 = max(28, *(len(a) for a, _, _ in rows))
    w2 = max(18, *(len(b) for _, b, _ in rows))
    w3 = max(9, *(len(c) for _, _, c in rows))
    rule = "─" * (w1 + w2 + w3 + 4)
    lines = [f"Input shape: {format_shape(r.input_shape)} (batch axis added: None)", rule]
    lines.append(f"{'Layer':<{w1}}  {'Output shape':<{w2}}{'Param #':>{w3}}")
    lines.append(rule)
    for lr, (a, b, c) in zip(r.layers, rows, strict=True):
        lines.append(f"{a:<{w1}}  {b:<{w2}}{c:>{w3}}")
        if lr.params:
            lines.append(f"    {lr.formula}")
        lines.extend(f"    {s}" for s in lr.steps)
    lines.append(rule)
    lines.append(f"Total params: {r.total}")
    lines.append(f"Trainable params: {r.trainable}")
    lines.append(f"Non-trainable params: {r.non_trainable}")
    lines.extend(verification_words(outcome.verification, outcome.differences))
    return "\n".join(lines)


def verification_words(v: Verification, differences: list[str]) -> list[str]:
    """What ``quizapp params`` says about Keras under the table."""
    if v.status == "verified":
        return [f"✓ Verified with Keras {v.keras_version}: every number agrees."]
    if v.status == "disagrees":
        return [f"✗ Keras {v.keras_version} disagrees:", *(f"  {d}" for d in differences)]
    return ["Not verified against Keras (add --verify to build it in Keras)."]


@cli.command()
@click.option("--deck", "deck_id", default=None, help="Only this deck (its id).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@pass_settings
def cards(settings: Settings, deck_id: str | None, as_json: bool) -> None:
    """List the cards generated from the decks."""
    from quizapp.library import load_library

    result = load_library(settings.deck_dirs)
    for err in result.errors:
        click.echo(str(err), err=True)
    chosen = [c for c in result.cards if deck_id is None or c.deck == deck_id]
    if deck_id is not None and not any(d.id == deck_id for d in result.decks):
        raise UnknownDeck(deck_id, [d.id for d in result.decks])
    schedules = _schedules(settings, result) if as_json else {}
    for card in chosen:
        if as_json:
            click.echo(json.dumps(_card_json(card, schedules.get(card.key)), ensure_ascii=False))
        else:
            click.echo(f"{card.key}  [{card.kind}]  {card.context}")
            click.echo(f"  Q: {_shorten(card.prompt)}")
            click.echo(f"  A: {_shorten(card.answer)}")


def _shorten(text: str, width: int = 100) -> str:
    """The text on one line, whitespace collapsed, cut to ``width`` with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _card_json(card: CardSpec, schedule: tuple[str, datetime | None] | None) -> dict[str, Any]:
    """The JSON shape of a card for ``quizapp cards --json``.

    ``schedule`` is the card's (state, due) from the store; ``due`` is ISO 8601 or null (new).
    """
    state, due = schedule or ("new", None)
    return {
        "key": card.key,
        "note_key": card.note_key,
        "deck": card.deck,
        "section": list(card.section),
        "kind": card.kind,
        "prompt": card.prompt,
        "answer": card.answer,
        "extra": card.extra,
        "tags": list(card.tags),
        "source": card.location,
        "state": state,
        "due": due.isoformat() if due is not None else None,
    }


def _schedules(settings: Settings, result: LoadResult) -> dict[str, tuple[str, datetime | None]]:
    """Sync the loaded decks into the store and read every card's state and due time."""
    from quizapp.review import schedules_after_sync

    return schedules_after_sync(settings.db_path, result, read_only=_read_only(settings))


def _read_only(settings: Settings) -> bool:
    """Whether the database cannot be written; then a command that only reads opens it
    read-only, says so on stderr, and shows it as last synced."""
    from quizapp.store.db import read_only_reason

    reason = read_only_reason(settings.db_path)
    if reason is None:
        return False
    click.echo(f"Warning: {reason}: shown as last synced (deck changes not applied)", err=True)
    return True


@contextmanager
def _synced_service(
    settings: Settings, deck_id: str | None = None, *, reading: bool = False
) -> Iterator[ReviewService]:
    """The review service with the decks synced (deck file errors go to stderr) and ``deck_id``
    checked against the decks; closed when the block ends.

    ``reading``: the command only reads, so a database that cannot be written is opened
    read-only (and not synced) instead of refused.
    """
    from quizapp.review import ReviewService

    read_only = reading and _read_only(settings)
    service = ReviewService(
        settings.db_path, settings.deck_dirs, config_path=paths.config_path(), read_only=read_only
    )
    try:
        if not read_only:
            for err_line in service.sync().errors:
                click.echo(err_line, err=True)
        for warning in service.config_warnings():
            click.echo(warning, err=True)
        if deck_id is not None:
            known = service.deck_ids()
            if deck_id not in known:
                raise UnknownDeck(deck_id, known)
        yield service
    finally:
        service.close()


@cli.command()
@click.option("--deck", "deck_id", default=None, help="Only this deck (its id).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_settings
def due(settings: Settings, deck_id: str | None, as_json: bool) -> None:
    """Show today's New / Learning / Due counts per deck (daily limits applied).

    \b
    Examples:
      quizapp due
      quizapp due --deck keras-basics --json
    """
    with _synced_service(settings, deck_id, reading=True) as service:
        counts = [c for c in service.deck_counts() if deck_id is None or c.deck == deck_id]
    total = {k: sum(getattr(c, k) for c in counts) for k in ("new", "learning", "review")}
    if as_json:
        decks_json = [_counts_json(c) for c in counts]
        click.echo(json.dumps({"decks": decks_json, "total": total}, ensure_ascii=False))
        return
    width = max([len(c.deck) for c in counts] + [5])
    click.echo(f"{'deck':<{width}}  {'new':>5}  {'learn':>5}  {'due':>5}")
    for c in counts:
        click.echo(f"{c.deck:<{width}}  {c.new:>5}  {c.learning:>5}  {c.review:>5}")
    t = total
    click.echo(f"{'total':<{width}}  {t['new']:>5}  {t['learning']:>5}  {t['review']:>5}")
    for c in counts:
        if c.exam is not None:
            click.echo(f"{c.deck}: {_exam_words(c.exam)}")


def _counts_json(c: DeckCounts) -> dict[str, Any]:
    """A deck of ``quizapp due --json``; ``exam`` only for a deck with an exam today or ahead."""
    out: dict[str, Any] = {"deck": c.deck, "new": c.new, "learning": c.learning, "review": c.review}
    if c.exam is not None:
        out["exam"] = _exam_json(c.exam)
    return out


def _exam_json(e: ExamStatus) -> dict[str, Any]:
    return {
        "date": e.day.isoformat(),
        "days_left": e.days_left,
        "target": e.target,
        "ready": None if e.ready is None else round(e.ready, 4),
        "new_per_day": e.new_per_day,
    }


def _days_left(n: int) -> str:
    if n < 0:
        return "passed"
    if n == 0:
        return "today"
    return "1 day left" if n == 1 else f"{n} days left"


def _exam_words(e: ExamStatus) -> str:
    """``exam on Tue 15 Dec 2026, 14 days left, 42% ready for 0.90; 58 new cards a day (raised
    from 20)``: what ``quizapp due`` says under the table."""
    words = f"exam on {e.day:%a} {e.day.day} {e.day:%b %Y}, {_days_left(e.days_left)}"
    if e.ready is not None:
        words += f", {e.ready:.0%} ready for {e.target:.2f}"
    if e.raised:
        words += f"; {e.new_per_day} new cards a day (raised from {e.usual_new_per_day})"
    if e.reviews_raised:
        words += f"; {e.reviews_per_day} reviews today (raised from {e.usual_reviews_per_day})"
    return words


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _exam_day(value: str) -> date:
    try:
        if not _ISO_DATE.match(value.strip()):
            raise ValueError
        return date.fromisoformat(value.strip())
    except ValueError:
        raise OptionError(f"bad date {value!r}: give it as YYYY-MM-DD, e.g. 2026-12-15") from None


def _target(value: str | None) -> float:
    from quizapp.exam_plan import DEFAULT_TARGET, TARGET_RANGE

    if value is None:
        return DEFAULT_TARGET
    low, high = TARGET_RANGE
    try:
        number = float(value.strip())
    except ValueError:
        number = float("nan")
    if not low <= number <= high:
        raise OptionError(f"--target must be a recall from {low:.2f} to {high:.2f}, not {value!r}")
    return number


@cli.command("exam-date")
@click.argument("day", metavar="[DATE]", required=False)
@click.option(
    "--deck",
    "deck_ids",
    multiple=True,
    metavar="ID",
    help="Only this deck (repeatable; default: every deck).",
)
@click.option(
    "--target", default=None, metavar="R", help="Recall wanted on the day, 0.70-0.99 (default 0.9)."
)
@click.option("--clear", is_flag=True, help="Remove the exam date (of --deck, or of every deck).")
@pass_settings
def exam_date(
    settings: Settings, day: str | None, deck_ids: tuple[str, ...], target: str | None, clear: bool
) -> None:
    """Aim the decks at an exam on DATE (YYYY-MM-DD); without DATE, list the exam dates.

    Until the day, new cards are spread so that every card is learnt in time, and cards that
    would be below the target recall on the day are brought forward; after it, the decks go
    back to normal scheduling.

    \b
    Examples:
      quizapp exam-date 2026-12-15 --deck keras-basics
      quizapp exam-date 2026-12-15 --target 0.95
      quizapp exam-date
      quizapp exam-date --clear --deck keras-basics
    """
    if clear and day is not None:
        raise OptionError("give a DATE or --clear, not both")
    if target is not None and day is None:
        raise OptionError("--target goes with a DATE")
    exam_day = _exam_day(day) if day is not None else None
    recall = _target(target)
    with _synced_service(settings, reading=exam_day is None and not clear) as service:
        decks = list(deck_ids) or None
        if clear:
            cleared = service.clear_exam_dates(decks)
        elif exam_day is not None:
            statuses = service.set_exam_date(exam_day, decks, recall)
        else:
            statuses = service.exam_dates(decks)
    if clear:
        if cleared:
            click.echo(f"Cleared the exam date of {', '.join(cleared)}.")
        else:
            click.echo("No exam date to clear.")
        return
    if not statuses:
        click.echo("No exam dates (set one with `quizapp exam-date YYYY-MM-DD [--deck ID]`).")
        return
    _print_exam_table(statuses)


def _print_exam_table(statuses: list[ExamStatus]) -> None:
    rows = [
        (
            e.deck,
            f"{e.day:%a} {e.day.isoformat()}",
            _days_left(e.days_left).removesuffix(" left"),
            f"{e.target:.2f}",
            "—" if e.ready is None else f"{e.ready:.0%}",
            f"{e.new_per_day}" + (f" (raised from {e.usual_new_per_day})" if e.raised else ""),
        )
        for e in statuses
    ]
    head = ("deck", "exam", "left", "target", "ready", "new a day")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for r in [head, *rows]:
        click.echo(
            f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}  "
            f"{r[3]:>{widths[3]}}  {r[4]:>{widths[4]}}  {r[5]}".rstrip()
        )


#: ``quizapp.stats.model.BREAKDOWN_PERIODS``, written out: importing the statistics would slow
#: every command's start-up.
STATS_PERIODS = ("1m", "3m", "1y", "all")


@cli.command()
@click.option("--deck", "deck_id", default=None, help="Only this deck (its id).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option(
    "--period",
    default="1m",
    metavar="1m|3m|1y|all",
    help="What the hours and answer buttons cover: the last month (default), 3 months, year,"
    " or every answer.",
)
@pass_settings
def stats(settings: Settings, deck_id: str | None, as_json: bool, period: str) -> None:
    """Statistics: today, the streak, the calendar, cards due, true retention, FSRS memory,
    hours, answer buttons and exam scores (every deck, or one with --deck).

    In a terminal it opens the statistics screen (d switches deck / all, p the period, q goes
    back to the decks); piped or redirected it prints them as text, or with --json as one JSON
    object.

    \b
    Examples:
      quizapp stats
      quizapp stats --deck keras-basics --json
      quizapp stats --period 1y
    """
    if period not in STATS_PERIODS:
        raise OptionError(f"--period must be one of {', '.join(STATS_PERIODS)}, not {period!r}")
    if not as_json and sys.stdin.isatty() and sys.stdout.isatty() and sys.stderr.isatty():
        _run_app(settings, stats=True, deck=deck_id, period=period)
        return
    from quizapp.stats import collect_stats, stats_json
    from quizapp.stats.text import stats_text

    with _synced_service(settings, deck_id, reading=True) as service:
        result = collect_stats(
            service.db,
            service.config,
            now=service.now(),
            deck=deck_id,
            period=period,
            exam_dates=service.exam_dates(None if deck_id is None else [deck_id]),
        )
    if as_json:
        click.echo(json.dumps(stats_json(result), ensure_ascii=False))
    else:
        click.echo(stats_text(result))


@cli.command()
@click.option("--deck", "deck_id", default=None, help="Only this deck (its id).")
@pass_settings
def suspended(settings: Settings, deck_id: str | None) -> None:
    """List suspended cards (suspend one with ! while reviewing).

    \b
    Example:
      quizapp suspended --deck keras-basics
    """
    with _synced_service(settings, deck_id, reading=True) as service:
        cards = service.suspended(deck_id)
    if not cards:
        click.echo("No suspended cards.")
    for card in cards:
        click.echo(f"{card.key}  {card.source}  {_shorten(card.prompt, 70)}")


@cli.command()
@click.argument("keys", nargs=-1)
@click.option("--all", "everything", is_flag=True, help="Every suspended card (of --deck).")
@click.option("--deck", "deck_id", default=None, help="With --all: only this deck.")
@pass_settings
def unsuspend(
    settings: Settings, keys: tuple[str, ...], everything: bool, deck_id: str | None
) -> None:
    """Bring suspended cards back into review (keys from `quizapp suspended`).

    \b
    Examples:
      quizapp unsuspend keras-basics:lstm-gates
      quizapp unsuspend --all --deck keras-basics
    """
    if bool(keys) == everything:
        raise QuizappError("give card keys or --all (see `quizapp suspended`)")
    with _synced_service(settings, deck_id if everything else None) as service:
        chosen = (
            [c.key for c in service.suspended(deck_id)] if everything else list(dict.fromkeys(keys))
        )
        unknown = service.unsuspend(chosen)
    if unknown:
        raise QuizappError(f"not a suspended card: {', '.join(unknown)} (nothing was changed)")
    click.echo(f"Unsuspended {len(chosen)} card{'s' if len(chosen) != 1 else ''}.")


def _whole_number(name: str, value: str | None) -> int | None:
    """A count given on the command line: a one-line error and exit 2 unless it is >= 1."""
    if value is None:
        return None
    try:
        number = int(value.strip())
    except ValueError:
        raise OptionError(f"{name} must be a whole number, not {value!r}") from None
    if number < 1:
        raise OptionError(f"{name} must be at least 1, not {number}")
    return number


@cli.command()
@click.option(
    "--deck", "deck_ids", multiple=True, metavar="ID", help="Only this deck (repeatable)."
)
@click.option(
    "--section", default=None, metavar="TEXT", help="Only sections whose heading has TEXT."
)
@click.option("--tag", default=None, metavar="TAG", help="Only cards with this tag.")
@click.option("--count", default=None, metavar="N", help="Questions (default 20, or all if fewer).")
@click.option("--minutes", default=None, metavar="M", help="Time limit (default: none).")
@click.option(
    "--types",
    default=None,
    metavar="LIST",
    help="Question types, comma separated: mcq,typed,tf,match,computed (default: all).",
)
@click.option("--seed", default=None, metavar="S", help="The same seed gives the same exam.")
@click.option("--missed", is_flag=True, help="The cards missed in the last 5 exams.")
@click.option("--print", "to_print", is_flag=True, help="Write the exam instead of taking it.")
@click.option("--json", "as_json", is_flag=True, help="With --print or --history: JSON.")
@click.option("--markdown", is_flag=True, help="With --print: a printable Markdown page.")
@click.option("--history", is_flag=True, help="Past exams, section trends and confusions.")
@pass_settings
def quiz(
    settings: Settings,
    deck_ids: tuple[str, ...],
    section: str | None,
    tag: str | None,
    count: str | None,
    minutes: str | None,
    types: str | None,
    seed: str | None,
    missed: bool,
    to_print: bool,
    as_json: bool,
    markdown: bool,
    history: bool,
) -> None:
    """Take a timed exam of mixed question types, print one, or see past exams.

    \b
    Examples:
      quizapp quiz --deck keras-basics --count 10 --minutes 15
      quizapp quiz --types mcq,tf --seed 7 --print --markdown > exam.md
      quizapp quiz --missed
      quizapp quiz --history --json
    """
    from quizapp.quiz import TYPES, ExamOptions, QuizService

    if as_json and markdown:
        raise OptionError("choose one of --json and --markdown")
    if history and (to_print or markdown):
        raise OptionError("--history cannot be combined with --print or --markdown")
    if (as_json or markdown) and not (to_print or history):
        raise OptionError(
            f"{'--json' if as_json else '--markdown'} goes with --print (or --history)"
        )
    n = _whole_number("--count", count)
    limit = _whole_number("--minutes", minutes)
    seed_value: int | None = None
    if seed is not None:
        try:
            seed_value = int(seed.strip())
        except ValueError:
            raise OptionError(f"--seed must be a whole number, not {seed!r}") from None
    chosen = tuple(t.strip() for t in (types or "").split(",") if t.strip())
    for t in chosen:
        if t not in TYPES:
            raise OptionError(f"unknown question type {t!r} (known: {', '.join(TYPES)})")
    if types is not None and not chosen:
        raise OptionError(f"--types names no type (known: {', '.join(TYPES)})")
    options = ExamOptions(
        decks=deck_ids,
        section=section,
        tag=tag,
        count=n or 20,
        minutes=limit,
        types=chosen or TYPES,  # type: ignore[arg-type]
        seed=seed_value,
        missed=missed,
    )
    # A printed exam and the history only read: a database that cannot be written is read as
    # it is. Taking an exam records it, so that refuses such a database before it starts.
    read_only = (to_print or history) and _read_only(settings)
    service, report = QuizService.open(settings.db_path, settings.deck_dirs, read_only=read_only)
    try:
        for err_line in report.errors:
            click.echo(err_line, err=True)
        if history:
            _print_history(service.history(deck_ids), as_json)
            return
        exam = service.build(options)
    finally:
        service.close()
    if not to_print and not exam.questions:
        raise QuizappError(exam.note or "the chosen cards give no questions")
    if exam.note:
        click.echo(f"Note: {exam.note}", err=True)
    if not to_print:
        _run_app(settings, exam=exam)
        return
    from quizapp.quiz.paper import exam_json, exam_markdown

    if as_json:
        click.echo(json.dumps(exam_json(exam), ensure_ascii=False))
    else:
        click.echo(exam_markdown(exam), nl=False)


def _percent(score: float | None) -> str:
    return "—" if score is None else f"{100 * score:.0f}%"


def _print_history(history: object, as_json: bool) -> None:
    from quizapp.notes.model import SECTION_SEPARATOR
    from quizapp.quiz.model import History

    assert isinstance(history, History)
    if as_json:
        data = {
            "exams": [
                {
                    "id": e.id,
                    "started_at": e.started_at.isoformat(),
                    "decks": list(e.decks),
                    "questions": e.questions,
                    "answered": e.answered,
                    "score": None if e.score is None else round(100 * e.score, 1),
                    "seconds": round(e.seconds, 1),
                    "seed": e.seed,
                    "options": e.options,
                    "retake_of": e.retake_of,
                    "finished": e.finished,
                }
                for e in history.exams
            ],
            "sections": [
                {"section": list(t.section), "scores": [round(100 * x, 1) for x in t.scores]}
                for t in history.sections
            ],
            "confusions": [
                {
                    "card": c.card_key,
                    "prompt": c.prompt,
                    "answer": c.answer,
                    "confused_with": c.confused_with,
                    "times": c.times,
                    "weight": c.weight,
                }
                for c in history.confusions
            ],
        }
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    if not history.exams:
        click.echo("No exams yet (take one with `quizapp quiz`).")
        return
    from quizapp.timefmt import duration

    click.echo(
        f"{'exam':>5}  {'when (UTC)':<16}  {'questions':>9}  {'score':>5}  {'time':>7}  decks"
    )
    for e in history.exams:
        when = e.started_at.strftime("%Y-%m-%d %H:%M")
        mark = "" if e.finished else " (unfinished)"
        click.echo(
            f"{e.id:>5}  {when:<16}  {e.questions:>9}  {_percent(e.score):>5}  "
            f"{duration(e.seconds):>7}  {', '.join(e.decks)}{mark}"
        )
    if history.sections:
        click.echo("\nPer section, the last exams (oldest first):")
        for t in history.sections:
            trend = " → ".join(_percent(x) for x in t.scores)
            click.echo(f"  {_shorten(SECTION_SEPARATOR.join(t.section), 60)}  {trend}")
    if history.confusions:
        click.echo("\nConfusions (recent ones weigh more):")
        for c in history.confusions:
            click.echo(
                f"  {_shorten(c.prompt, 40)}: took {_shorten(c.confused_with, 30)!r} "
                f"for {_shorten(c.answer, 30)!r} ×{c.times}"
            )


@cli.group()
def export() -> None:
    """Export decks to Anki (.apkg) or to a text file."""


_deck_option = click.option(
    "--deck", "deck_ids", multiple=True, metavar="ID", help="Only this deck (repeatable)."
)


def _warn(warnings: list[str]) -> None:
    for w in warnings:
        click.echo(f"Warning: {w}", err=True)


@export.command("anki")
@_deck_option
@click.option("-o", "--output", type=click.Path(path_type=Path), help="The .apkg to write.")
@click.option(
    "--with-progress", is_flag=True, help="Include due dates, FSRS state and the review log."
)
@pass_settings
def export_anki(
    settings: Settings, deck_ids: tuple[str, ...], output: Path | None, with_progress: bool
) -> None:
    """Write an Anki package; import it in Anki with File › Import.

    Default file: quizapp-DECK.apkg (one deck) or quizapp.apkg. Importing a newer export
    updates the notes in place.
    """
    from quizapp.export import prepare_anki

    db = settings.db_path if with_progress else None
    job, warnings = prepare_anki(settings.deck_dirs, deck_ids, output, db)
    _warn(warnings)
    hidden = not sys.stderr.isatty()
    bar_ = click.progressbar(length=job.steps, label="Exporting", file=sys.stderr, hidden=hidden)
    with bar_ as bar:
        report = job.run(bar.update)
    extra = f", {report.reviews} reviews" if with_progress else ""
    click.echo(f"Wrote {report.path}: {report.notes} notes, {report.cards} cards{extra}")


@export.command("csv")
@_deck_option
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File to write (- stdout).")
@click.option("--plain", is_flag=True, help="Plain CSV: key, deck, section, prompt, answer, tags.")
@pass_settings
def export_csv(
    settings: Settings, deck_ids: tuple[str, ...], output: Path | None, plain: bool
) -> None:
    """Write a text file for Anki's File › Import (or, with --plain, for spreadsheets).

    Default file: quizapp-DECK.txt / quizapp.txt (quizapp-DECK.csv with --plain).
    """
    from quizapp.export import prepare_text

    job, warnings = prepare_text(settings.deck_dirs, deck_ids, output, plain)
    _warn(warnings)
    report = job.run()
    if report.path is None:
        sys.stdout.write(report.text)
        sys.stdout.flush()
    else:
        click.echo(f"Wrote {report.path}: {report.notes} rows from {report.cards} cards")


@cli.command()
@click.option(
    "--deck", "deck_id", default=None, help="Only this deck (its id); default: every deck."
)
@click.option(
    "--apply", "apply_", is_flag=True, help="Store the result for the deck (or every deck)."
)
@click.option(
    "--force", is_flag=True, help="With --apply: store fitted parameters that do not win."
)
@click.option("--show", is_flag=True, help="Say which parameters are in force, and whence.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option(
    "--revlog",
    type=click.Path(path_type=Path),
    default=None,
    metavar="FILE.csv",
    help="Fit a review-log CSV (card_id, review_rating, review_time, review_duration).",
)
@click.option(
    "--anki",
    "anki_file",
    type=click.Path(path_type=Path),
    default=None,
    metavar="FILE",
    help="Fit the review log of an Anki collection (.anki2, .colpkg, .apkg with scheduling).",
)
@click.option("--retention", is_flag=True, help="Simulate a year at each desired retention.")
@pass_settings
def optimize(
    settings: Settings,
    deck_id: str | None,
    apply_: bool,
    force: bool,
    show: bool,
    as_json: bool,
    revlog: Path | None,
    anki_file: Path | None,
    retention: bool,
) -> None:
    """Fit FSRS to your own reviews with fsrs-rs (Anki's engine), and choose the retention.

    Fits the 21 FSRS-6 parameters to the review log (of --deck, or every deck) and scores the
    parameters in force and the fitted ones on the same reviews (log loss, RMSE over bins),
    with fsrs-rs's time-series split besides. --apply stores the fitted parameters when they
    beat those in force (--force: anyway); the review app uses them from the next card on.
    config.toml's own parameters still win. --retention simulates a year at each desired
    retention from 0.70 to 0.97 and finds the optimal one; with --apply it becomes the deck's.

    \b
    Examples:
      quizapp optimize
      quizapp optimize --deck keras-basics --apply
      quizapp optimize --anki ~/collection.colpkg --apply
      quizapp optimize --retention --json
      quizapp optimize --show
    """
    from quizapp.optimize import report
    from quizapp.optimize.service import OptimizeService, Source

    if revlog is not None and anki_file is not None:
        raise OptionError("--revlog and --anki cannot be used together")
    if show and (apply_ or force or retention or revlog or anki_file):
        raise OptionError("--show goes only with --deck and --json")
    if force and not apply_:
        raise OptionError("--force only goes with --apply")
    if force and retention:
        raise OptionError("--force applies fitted parameters; it does not go with --retention")
    source = (
        Source("csv", revlog)
        if revlog is not None
        else Source("anki", anki_file)
        if anki_file is not None
        else Source()
    )
    service = OptimizeService(settings.db_path)
    try:
        if show:
            rows = service.show()
            if deck_id is not None:
                known = [r.deck for r in rows if r.deck is not None]
                if deck_id not in known:
                    raise UnknownDeck(deck_id, known)
                rows = [r for r in rows if r.deck == deck_id]
            if as_json:
                click.echo(json.dumps({"decks": [r.to_json() for r in rows]}, ensure_ascii=False))
            else:
                click.echo("\n".join(report.show_text(rows)))
            return
        if retention:
            outcome = service.retention(
                deck_id, source, apply_, progress=None if as_json else _progress_line()
            )
            _clear_progress(as_json)
            if as_json:
                click.echo(json.dumps(outcome.to_json(), ensure_ascii=False))
            else:
                click.echo("\n".join(report.retention_text(outcome)))
            return
        # The command runs nothing else meanwhile: a large fit may use the other core.
        fitted = service.optimize(deck_id, source, apply_, force, parallel=True)
        if as_json:
            click.echo(json.dumps(fitted.to_json(), ensure_ascii=False))
        else:
            click.echo("\n".join(report.optimize_text(fitted)))
    finally:
        service.close()


def _progress_line() -> Callable[[int, int | None, str], None] | None:
    """A progress line on stderr, on a terminal only."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int | None, what: str) -> None:
        count = f"{done}/{total}" if total is not None else f"{done} simulations"
        click.echo(f"\r\033[K{what} ({count})…", err=True, nl=False)

    return show


def _clear_progress(as_json: bool) -> None:
    if not as_json and sys.stderr.isatty():
        click.echo("\r\033[K", err=True, nl=False)


def main() -> None:
    try:
        cli(prog_name="quizapp")
    finally:
        # The process ends with the command: every object it made lives until then, so the
        # interpreter's last collection (a walk over all of them, about 6% of `quizapp due`)
        # finds nothing to free. Frozen, they are left out of it.
        gc.freeze()
