"""What each CLI command does; errors become clear messages and exit codes."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.engine.errors import ScriptError
from bot.errors import ChannelError

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.bootstrap import App


def _err(message: str) -> None:
    sys.stderr.write(message + "\n")


def telegram_failure(error: ChannelError, api_url: str) -> str:
    """One line that says what went wrong with Telegram and what to check."""
    from bot.channels.telegram.api import TokenRejected, Unavailable

    if isinstance(error, TokenRejected):
        return "Telegram rejected the bot token: check REPAYBOT_TELEGRAM_TOKEN (from @BotFather)."
    if isinstance(error, Unavailable):
        return (
            f"Cannot reach Telegram at {api_url} ({error}): "
            "check the network or REPAYBOT_TELEGRAM_API_URL."
        )
    return f"Telegram refused the request ({type(error).__name__}: {error})."


@contextlib.asynccontextmanager
async def _database(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """The migrated database of a one-off command, its engine closed after. Alembic
    runs only when the schema is behind (loading it is a third of a quick command)."""
    from bot.store.db import at_head, create_engine, session_factory, upgrade

    engine = create_engine(settings.database_url)
    try:
        if not await at_head(engine):
            await upgrade(settings.database_url)
        yield session_factory(engine)
    finally:
        await engine.dispose()


async def db_upgrade(settings: Settings) -> int:
    from bot.store.db import upgrade

    await upgrade(settings.database_url)
    print("Database is up to date.")
    return 0


async def import_accounts(settings: Settings, path: Path) -> int:
    from bot.service.accounts_import import import_accounts as run_import
    from bot.terminal_progress import progress_bar

    with progress_bar(f"Importing {path.name}", in_bytes=True) as progress:
        return await _import_file(
            settings, path, lambda sessions: run_import(sessions, path, progress)
        )


async def import_payments(settings: Settings, path: Path) -> int:
    from bot.service.payments import import_payments as run_import
    from bot.terminal_progress import progress_bar

    with progress_bar(f"Importing {path.name}", in_bytes=True) as progress:
        return await _import_file(
            settings,
            path,
            lambda sessions: run_import(sessions, path, now=datetime.now(UTC), progress=progress),
        )


async def promises_report(settings: Settings, since: date | None) -> int:
    """Promise-kept rate and broken-promise recovery, from the recorded outcomes."""
    from bot.service.promise_report import promise_figures

    async with _database(settings) as sessions, sessions() as session:
        figures = await promise_figures(session, since=since)
    print("\n".join(figures.lines()))
    return 0


async def _import_file(
    settings: Settings,
    path: Path,
    run_import: Callable[[async_sessionmaker[AsyncSession]], Awaitable[object]],
) -> int:
    """One lender file, all or nothing: the report, or every problem with its line."""
    from bot.service.accounts_import import ImportRejected

    if not path.is_file():  # noqa: ASYNC240 - one stat before any work starts
        _err(f"No such file: {path}")
        return 2
    try:
        async with _database(settings) as sessions:
            report = await run_import(sessions)
    except ImportRejected as rejected:
        _err(f"{path}: rejected, nothing was imported.")
        for problem in rejected.problems:
            _err(f"  line {problem.line}: {problem.field}: {problem.reason}")
        return 1
    print(f"{path.name}: {report}")
    return 0


def _operator() -> str:
    """Who ran the command, for the account's event record (an operator, not a borrower)."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"[:64]
    except (KeyError, OSError):
        return "cli"


async def pause_account(settings: Settings, account_id: str, until: date | None) -> int:
    from bot.service.account_standing import set_breathing_space

    if until is not None and until < datetime.now(UTC).date():
        _err(f"--until {until.isoformat()} has passed: a breathing space must end today or later.")
        return 2

    return await _standing(
        settings,
        account_id,
        lambda session, now: set_breathing_space(
            session, account_id=account_id, until=until, actor=_operator(), now=now
        ),
        f"{account_id}: breathing space "
        + (f"until {until.isoformat()}." if until else "until it is lifted."),
    )


async def resume_account(settings: Settings, account_id: str) -> int:
    from bot.service.account_standing import lift_breathing_space

    return await _standing(
        settings,
        account_id,
        lambda session, now: lift_breathing_space(
            session, account_id=account_id, actor=_operator(), now=now
        ),
        f"{account_id}: breathing space lifted.",
    )


async def _standing(
    settings: Settings,
    account_id: str,
    change: Callable[[AsyncSession, datetime], Awaitable[object]],
    done: str,
) -> int:
    try:
        async with _database(settings) as sessions, sessions() as session, session.begin():
            outcome = await change(session, datetime.now(UTC))
    except LookupError:
        _err(f"No account {account_id!r}.")
        return 2
    if outcome is False:
        _err(f"{account_id}: no breathing space to lift.")
        return 1
    print(done)
    return 0


def check_dialogs(settings: Settings, directory: Path | None) -> int:
    from bot.service.scripts import check_dialogs as run_check

    if directory is not None and not directory.is_dir():
        _err(f"No such directory: {directory}")
        return 2
    problems = run_check(directory or settings.dialogs_dir, settings.locales_dir)
    for problem in problems:
        _err(str(problem))
    if problems:
        _err(f"{len(problems)} problem(s) found.")
        return 1
    print("Dialogs and policy are valid.")
    return 0


async def chat(
    settings: Settings, account_id: str, locale: str | None, *, console: bool = False
) -> int:
    from bot.bootstrap import build_app
    from bot.channels.terminal import run_chat
    from bot.errors import AccountMissing

    try:
        app = await build_app(settings)
    except ScriptError as exc:
        _err(f"The dialog scripts are broken; fix them first:\n{exc}")
        return 1
    try:
        async with _console_beside(app, 8081 if console else None, demo=True):
            return await run_chat(app, account_id=account_id, locale=locale)
    except AccountMissing:
        _err(f"No account {account_id!r}. Import one with: repaybot accounts import FILE")
        return 2
    finally:
        await app.close()


@contextlib.asynccontextmanager
async def _console_beside(app: App, port: int | None, *, demo: bool = False) -> AsyncIterator[None]:
    """The agents' console served in the background while the bot runs, stopped after.

    In the same process, so its live view hears the bot's commits on SQLite too. The
    demo gets a supervisor `demo` with a new password each run, printed here."""
    if port is None:
        yield
        return
    import asyncio
    import secrets

    from bot.web.serve import address, serve_console

    if demo:
        password = secrets.token_urlsafe(9)
        await _demo_person(app, password)
        _err(f"Agents' console: {address('127.0.0.1', port)} (sign in as demo / {password})")
    else:
        _err(f"Agents' console: {address('127.0.0.1', port)}")
    stop = asyncio.Event()
    task = asyncio.create_task(
        serve_console(app, port=port, stop=stop, secure_cookies=app.settings.console_secure_cookies)
    )
    try:
        yield
    finally:
        stop.set()
        await task


async def _demo_person(app: App, password: str) -> None:
    from bot.service import people

    async with app.sessions() as session, session.begin():
        if not await people.set_password(session, name="demo", password=password):
            await people.add_user(
                session,
                name="demo",
                role=people.Role.SUPERVISOR,
                password=password,
                now=app.runtime.now(),
            )


async def console(settings: Settings, host: str, port: int) -> int:
    from bot.bootstrap import build_app
    from bot.service.canned import CannedRepliesError
    from bot.web.serve import address, serve_console

    try:
        app = await build_app(settings)
    except ScriptError as exc:
        _err(f"The dialog scripts are broken; fix them first:\n{exc}")
        return 1
    _err(f"Agents' console and CRM API: {address(host, port)} (API docs at /docs)")
    try:
        await serve_console(
            app, host=host, port=port, secure_cookies=settings.console_secure_cookies
        )
    except CannedRepliesError as exc:
        _err(f"The console's canned replies are broken; fix them first:\n{exc}")
        return 1
    finally:
        await app.close()
    return 0


def _read_password() -> str:
    """Prompted twice at a terminal; one line from stdin otherwise (scripts, CI)."""
    import getpass

    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise ValueError("the two passwords differ")
    return first


async def add_user(settings: Settings, name: str, role: str, locale: str) -> int:
    from bot.service import audit, people

    try:
        password = _read_password()
        people.check_password(password)
        people.check_name(name)
    except (ValueError, people.PeopleError) as exc:
        _err(f"{exc}; nobody was added.")
        return 2
    now = datetime.now(UTC)
    try:
        async with _database(settings) as sessions, sessions() as session, session.begin():
            await people.add_user(
                session,
                name=name,
                role=people.Role(role),
                password=password,
                now=now,
                locale=locale,
            )
            audit.record(
                session,
                actor=_operator(),
                action="add_user",
                target=name,
                after={"role": role},
                now=now,
            )
    except people.PeopleError as exc:
        _err(f"{exc}; nobody was added.")
        return 2
    print(f"{name} can sign in to the console as {role}.")
    return 0


async def add_token(settings: Settings, name: str, role: str) -> int:
    from bot.service import audit, people

    now = datetime.now(UTC)
    try:
        async with _database(settings) as sessions, sessions() as session, session.begin():
            token = await people.add_token(session, name=name, role=people.Role(role), now=now)
            audit.record(
                session,
                actor=_operator(),
                action="add_token",
                target=name,
                after={"role": role},
                now=now,
            )
    except people.PeopleError as exc:
        _err(f"{exc}; no token was made.")
        return 2
    _err(f"API token for {name} ({role}); it is shown only this once, keep it safe:")
    print(token)
    return 0


async def export(settings: Settings, what: str, fmt: str, output: Path | None) -> int:
    from bot.service.exports import export as run_export
    from bot.terminal_progress import progress_bar

    if output is not None and not output.parent.is_dir():
        _err(f"No such directory: {output.parent} (for --output {output})")
        return 2

    async with _database(settings) as sessions:
        with progress_bar(f"Exporting {what}", in_bytes=False) as progress:
            if output is None:
                count = await run_export(
                    sessions,
                    what=what,  # type: ignore[arg-type]
                    fmt=fmt,  # type: ignore[arg-type]
                    out=sys.stdout,
                    progress=progress,
                )
            else:
                with output.open("w", encoding="utf-8", newline="") as out:
                    count = await run_export(
                        sessions,
                        what=what,  # type: ignore[arg-type]
                        fmt=fmt,  # type: ignore[arg-type]
                        out=out,
                        progress=progress,
                    )
    _err(f"{count} {what} exported.")
    return 0


async def outbox_failed(settings: Settings, limit: int) -> int:
    """The messages a channel refused for good: id, channel, chat, when, why (no text)."""
    from bot.service.outbox_review import failed_messages

    if limit < 1:
        _err(f"--limit {limit}: show at least 1 row.")
        return 2
    async with _database(settings) as sessions:
        failed = await failed_messages(sessions, limit=limit)
    if not failed:
        print("No failed messages.")
        return 0
    print(f"{'ID':>8}  {'CHANNEL':<10}  {'CHAT':<20}  {'QUEUED (UTC)':<19}  {'TRIES':>5}  REASON")
    for row in failed:
        queued = row.queued_at.astimezone(UTC) if row.queued_at.tzinfo else row.queued_at
        print(
            f"{row.row_id:>8}  {row.channel:<10}  {row.chat_key:<20}  "
            f"{queued:%Y-%m-%d %H:%M:%S}  {row.attempts:>5}  {row.reason}"
        )
    return 0


async def outbox_retry(settings: Settings, row_id: int) -> int:
    """Put one failed message back in the queue; a running bot sends it."""
    from bot.service.outbox_review import retry_failed

    async with _database(settings) as sessions:
        status = await retry_failed(sessions, row_id)
    if status is None:
        _err(f"No outbox message {row_id}.")
        return 2
    if status != "failed":
        _err(f"Outbox message {row_id} is {status}, not failed: nothing to retry.")
        return 1
    print(f"Outbox message {row_id} is queued again; a running bot sends it.")
    return 0


async def telegram(
    settings: Settings,
    framework: str,
    webhook: str | None,
    listen: str,
    console_port: int | None = None,
) -> int:
    from bot.bootstrap import build_app
    from bot.channels.telegram.runner import TelegramOptions, run

    if settings.telegram_token is None:
        _err("Set REPAYBOT_TELEGRAM_TOKEN (in the environment or .env); see the README.")
        return 2
    secret = settings.telegram_webhook_secret
    if webhook and secret is None:
        _err("Webhook mode needs REPAYBOT_TELEGRAM_WEBHOOK_SECRET (1-256 of A-Z a-z 0-9 _ -).")
        return 2
    host, _, port = listen.rpartition(":")
    if not host or not port.isdigit():
        _err(f"--listen must be HOST:PORT, not {listen!r}")
        return 2
    app = await build_app(settings)
    try:
        async with _console_beside(app, console_port):
            await run(
                app,
                TelegramOptions(
                    token=settings.telegram_token.get_secret_value(),
                    api_url=settings.telegram_api_url,
                    framework=framework,
                    webhook_url=webhook,
                    webhook_secret=secret.get_secret_value() if secret else None,
                    listen_host=host,
                    listen_port=int(port),
                    poll_timeout=settings.telegram_poll_timeout,
                    settle_heap=True,
                ),
            )
    except ChannelError as error:
        _err(telegram_failure(error, settings.telegram_api_url))
        return 1
    finally:
        await app.close()
    return 0


async def inbox_failed(settings: Settings) -> int:
    """The parked updates, one a line: no message text or phone, only ids and the error."""
    from bot.service.failures import parked
    from bot.store.db import as_utc

    async with _database(settings) as sessions:
        rows = await parked(sessions)
    if not rows:
        print("No failed updates.")
        return 0
    print("ID\tCHANNEL\tUPDATE\tFAILED AT (UTC)\tTRIES\tERROR")
    for row in rows:
        failed_at = as_utc(row.failed_at).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
        print(
            f"{row.id}\t{row.channel}\t{row.event_key or '-'}\t{failed_at}"
            f"\t{row.attempts}\t{row.error}"
        )
    return 0


async def inbox_retry(
    settings: Settings, failed_id: int, *, clock: Callable[[], datetime] | None = None
) -> int:
    """Handle a parked update again; its replies wait in the outbox for the running bot.
    `clock`: the bot's own, where it is not the wall clock (tests)."""
    from uuid import uuid4

    from bot.bootstrap import build_app, utc_now
    from bot.service.failures import AlreadyReplayed, NoSuchFailedUpdate, ReplayFailed
    from bot.service.outbox import WorkerIdentity

    try:
        # A node of its own: starting as the bot's node would declare the running
        # bot dead and take its leases back (bot.service.outbox.take_back_leases).
        app = await build_app(
            settings,
            clock=clock or utc_now,
            worker=WorkerIdentity(node=f"cli-{uuid4().hex[:12]}"),
        )
    except ScriptError as exc:
        _err(f"The dialog scripts are broken; fix them first:\n{exc}")
        return 1
    try:
        handled = await app.runtime.replay_failed(failed_id)
    except NoSuchFailedUpdate:
        _err(f"No failed update {failed_id}; `repaybot inbox failed` lists them.")
        return 2
    except AlreadyReplayed:
        _err(f"Failed update {failed_id} was replayed already.")
        return 1
    except ReplayFailed as failed:
        _err(f"Failed update {failed_id} failed again ({failed}); it stays parked.")
        return 1
    finally:
        await app.close()
    replies = len(handled.queued)
    print(
        f"Failed update {failed_id} handled: {replies} "
        f"{'reply' if replies == 1 else 'replies'} queued for the bot to send."
    )
    return 0


async def link(settings: Settings, account_id: str, days: int | None) -> int:
    """One link, fast: no framework, no scripts, no model; the bot's name is the one
    kept in the database (asked of Telegram once, see bot.service.bot_identity)."""
    from bot.service.linking import create_link_token

    if days is not None and days < 1:
        _err(f"--days {days}: a link must stay valid for at least 1 day.")
        return 2
    if settings.telegram_token is None:
        _err("Set REPAYBOT_TELEGRAM_TOKEN first: the link names the bot's username.")
        return 2
    async with _database(settings) as sessions:
        try:
            username = await bot_username(settings, sessions)
        except ChannelError as error:
            _err(telegram_failure(error, settings.telegram_api_url))
            return 1
        async with sessions() as session, session.begin():
            try:
                token = await create_link_token(
                    session,
                    account_id=account_id,
                    now=datetime.now(UTC),
                    valid_days=settings.link_token_days if days is None else days,
                )
            except LookupError:
                _err(f"No account {account_id!r}.")
                return 2
    print(f"https://t.me/{username}?start={token}")
    return 0


async def links_create(settings: Settings, fmt: str, days: int | None, output: Path | None) -> int:
    """A single-use link per account not linked on Telegram yet, for the lender's SMS
    or e-mail: CSV (or JSON Lines) on stdout or in --output, a count on stderr."""
    from bot.service.link_batch import create_unlinked_links
    from bot.terminal_progress import progress_bar

    if days is not None and days < 1:
        _err(f"--days {days}: a link must stay valid for at least 1 day.")
        return 2
    if settings.telegram_token is None:
        _err("Set REPAYBOT_TELEGRAM_TOKEN first: the links name the bot's username.")
        return 2
    if output is not None and not output.parent.is_dir():
        _err(f"No such directory: {output.parent} (for --output {output})")
        return 2
    async with _database(settings) as sessions:
        try:
            username = await bot_username(settings, sessions)
        except ChannelError as error:
            _err(telegram_failure(error, settings.telegram_api_url))
            return 1
        with contextlib.ExitStack() as files:
            out = (
                sys.stdout
                if output is None
                else files.enter_context(output.open("w", encoding="utf-8", newline=""))
            )
            with progress_bar("Creating links", in_bytes=False) as progress:
                count = await create_unlinked_links(
                    sessions,
                    username=username,
                    channel="telegram",
                    now=datetime.now(UTC),
                    valid_days=settings.link_token_days if days is None else days,
                    fmt="jsonl" if fmt == "jsonl" else "csv",
                    out=out,
                    progress=progress,
                )
    _err(f"{count} {'link' if count == 1 else 'links'} created for accounts not linked yet.")
    return 0


async def bot_username(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> str:
    """The bot's username as kept in the database; asked of Telegram (and kept) once."""
    from bot.service.bot_identity import ask_username, known_username, remember_username

    assert settings.telegram_token is not None  # noqa: S101 - checked by the caller
    token = settings.telegram_token.get_secret_value()
    async with sessions() as session:
        known = await known_username(session, token)
    if known is not None:
        return known
    username = await ask_username(token, settings.telegram_api_url)
    async with sessions() as session, session.begin():
        await remember_username(session, token, username, datetime.now(UTC))
    return username
