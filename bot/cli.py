"""The `repaybot` command: one entry point for every job, on a fresh database too."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from bot.config import ROOT, Settings
from bot.logs import configure

DEMO_FILE = ROOT / "data" / "demo_accounts.csv"
ROLES = ("agent", "supervisor", "manager", "admin")


def locale_tag(value: str) -> str:
    """`en`, `zh_Hans`, `zh_Hant`, or a tag as the import and Telegram write it
    (`zh-Hant`, `zh-TW`, `zh-HK`, `zh-CN`, `en-GB`)."""
    from bot.i18n.render import locale_for_telegram

    primary = value.strip().lower().replace("_", "-").split("-")[0]
    if primary not in ("en", "zh"):
        raise argparse.ArgumentTypeError(f"{value!r}: use en, zh-Hans or zh-Hant (or zh-TW, zh-HK)")
    return locale_for_telegram(value)


# How `repaybot --help` lists the commands: by what an operator is doing, each with
# examples in its own `--help`. Every command is in exactly one group (a test checks).
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Serve borrowers", ("telegram", "demo", "chat", "link", "links", "reminders")),
    ("The lender's files", ("accounts", "payments", "promises", "export")),
    ("People: the agents' console and the CRM API", ("console", "users", "tokens")),
    ("When something went wrong", ("inbox", "outbox")),
    ("Records kept and let go (R17, R18)", ("retention",)),
    ("Scripts, rules and understanding", ("dialogs", "rules", "nlu")),
    ("The database", ("db",)),
)
EXAMPLES: dict[str, tuple[str, ...]] = {
    "telegram": (
        "repaybot telegram                      # long polling with aiogram",
        "repaybot telegram --framework ptb --console",
        "repaybot telegram --webhook https://bot.example.com/telegram/webhook --listen 0.0.0.0:8080",
    ),
    "demo": ("repaybot demo", "repaybot demo --account DEMO-HANT-1 --locale zh-Hant"),
    "chat": (
        "repaybot chat --account DEMO-EN-1",
        "printf '1990-05-17\\n2\\n' | repaybot chat --account DEMO-EN-1",
    ),
    "link": ("repaybot link ACC-1001", "repaybot link ACC-1001 --days 3"),
    "reminders": (
        "repaybot reminders plan",
        "repaybot reminders plan --at 2026-12-08T09:00:00Z",
        "repaybot reminders simulate --start 2026-12-01 --days 60 --format jsonl",
        "repaybot reminders simulate --start 2026-12-01 --days 30 --payments payments.csv",
    ),
    "links": (
        "repaybot links create --unlinked --output first-links.csv",
        "repaybot links create --unlinked --format jsonl --days 14 | head",
    ),
    "accounts": (
        "repaybot accounts import export.csv",
        "repaybot accounts pause ACC-1001 --kind breathing-space --until 2027-02-28",
        "repaybot accounts resume ACC-1001",
        "repaybot accounts erase ACC-1001 --reason 'erasure request 2026-118 (PIPL art. 47)'",
    ),
    "retention": ("repaybot retention run --dry-run", "repaybot retention run"),
    "payments": ("repaybot payments import payments-2026-12-06.csv",),
    "promises": ("repaybot promises report", "repaybot promises report --since 2026-11-01"),
    "export": (
        "repaybot export arrangements --output arrangements.csv",
        "repaybot export disputes --format jsonl | head",
    ),
    "console": ("repaybot console", "repaybot console --host 0.0.0.0 --port 8081"),
    "users": ("repaybot users add mei --role agent --locale zh_Hant",),
    "tokens": ("repaybot tokens add crm --role agent",),
    "inbox": ("repaybot inbox failed", "repaybot inbox retry 12"),
    "outbox": ("repaybot outbox failed --limit 50", "repaybot outbox retry 3481"),
    "dialogs": ("repaybot dialogs check", "repaybot dialogs check --dir ./my-dialogs"),
    "rules": ("repaybot rules",),
    "nlu": ("repaybot nlu train", "repaybot nlu evaluate", "repaybot nlu rounds --misses"),
    "db": ("repaybot db upgrade",),
}
HELP_OF_COMMAND = "Run `repaybot COMMAND --help` for a command's options and examples."


class _Commands:
    """Adds subcommands with a description and examples, and remembers each one's help."""

    def __init__(self, sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
        self._sub = sub
        self.helps: dict[str, str] = {}

    def add(self, name: str, help_text: str) -> argparse.ArgumentParser:
        self.helps[name] = help_text
        examples = EXAMPLES.get(name, ())
        epilog = "examples:\n" + "\n".join(f"  {line}" for line in examples) if examples else None
        return self._sub.add_parser(
            name,  # no `help`: the overview lists the commands by group instead
            description=help_text[0].upper() + help_text[1:] + ".",
            epilog=epilog,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )


def _overview(helps: dict[str, str]) -> str:
    width = max(len(name) for name in helps) + 2
    blocks = []
    for title, names in GROUPS:
        lines = [f"  {name:<{width}}{helps[name]}" for name in names]
        blocks.append(f"{title}:\n" + "\n".join(lines))
    return "\n\n".join(blocks) + "\n\n" + HELP_OF_COMMAND


def _moment(value: str) -> datetime:
    from bot.reminders_cli import moment

    try:
        return moment(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r}: write a date-time like 2026-12-08T09:00:00Z"
        ) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="repaybot",
        description="A repayment negotiation bot: borrowers on Telegram, agents in a console.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", help="one of the commands below"
    )
    commands = _Commands(sub)

    db = commands.add("db", "create or migrate the database schema")
    db.add_argument("action", choices=["upgrade"])

    accounts = commands.add("accounts", "import the lender's accounts, pause, resume or erase one")
    account_actions = accounts.add_subparsers(dest="action", required=True)
    account_import = account_actions.add_parser("import", help="import the lender's export")
    account_import.add_argument("file", type=Path, help="CSV or JSON Lines export")
    pause = account_actions.add_parser("pause", help="pause collection on one account")
    pause.add_argument("account_id")
    pause.add_argument("--kind", choices=["breathing-space"], required=True)
    pause.add_argument(
        "--until", type=date.fromisoformat, default=None, help="last day (YYYY-MM-DD)"
    )
    resume = account_actions.add_parser("resume", help="lift a breathing space")
    resume.add_argument("account_id")
    erase = account_actions.add_parser(
        "erase", help="erase a borrower's personal data on a valid request (R18)"
    )
    erase.add_argument("account_id")
    erase.add_argument("--reason", required=True, help="the request, kept in the audit")
    erase.add_argument("--by", default=None, help="who erases (default: your user name)")

    retention = commands.add("retention", "let go of records older than the policy's duty")
    retention.add_argument("action", choices=["run"])
    retention.add_argument("--dry-run", action="store_true", help="count, change nothing")

    payments = commands.add("payments", "import payments from the lender's file")
    payments.add_argument("action", choices=["import"])
    payments.add_argument("file", type=Path, help="CSV or JSON Lines")

    promises = commands.add("promises", "how often arrangements are kept, and recovered")
    promises.add_argument("action", choices=["report"])
    promises.add_argument(
        "--since", type=date.fromisoformat, default=None, help="only payments due from this date"
    )

    dialogs = commands.add("dialogs", "validate the dialog scripts and the policy")
    dialogs.add_argument("action", choices=["check"])
    dialogs.add_argument("--dir", type=Path, default=None, help="dialogs directory")

    chat = commands.add("chat", "a borrower's conversation in the terminal")
    chat.add_argument("--account", required=True, help="account id")
    chat.add_argument("--locale", type=locale_tag, default=None, help="en, zh-Hans, zh-Hant")

    demo = commands.add("demo", "load the demo portfolio and chat as a demo borrower")
    demo.add_argument("--account", default="DEMO-EN-1")
    demo.add_argument("--locale", type=locale_tag, default=None, help="en, zh-Hans, zh-Hant")

    telegram = commands.add("telegram", "serve borrowers on Telegram")
    telegram.add_argument("--framework", choices=["aiogram", "ptb"], default="aiogram")
    telegram.add_argument("--webhook", metavar="URL", default=None, help="public HTTPS URL")
    telegram.add_argument(
        "--listen", default="127.0.0.1:8080", help="HOST:PORT the webhook server binds"
    )
    telegram.add_argument("--console", action="store_true", help="serve the agents' console too")
    telegram.add_argument("--console-port", type=int, default=8081)

    console = commands.add("console", "serve the agents' console and the CRM API")
    console.add_argument("--host", default="127.0.0.1")
    console.add_argument("--port", type=int, default=8081)

    users = commands.add("users", "add people who sign in to the console")
    user_actions = users.add_subparsers(dest="action", required=True)
    user_add = user_actions.add_parser("add", help="add a person (the password is prompted)")
    user_add.add_argument("name")
    user_add.add_argument("--role", choices=ROLES, required=True)
    user_add.add_argument("--locale", choices=["en", "zh_Hans", "zh_Hant"], default="en")

    tokens = commands.add("tokens", "add API tokens for a lender's CRM")
    token_actions = tokens.add_subparsers(dest="action", required=True)
    token_add = token_actions.add_parser("add", help="print a new token once")
    token_add.add_argument("name")
    token_add.add_argument("--role", choices=ROLES, required=True)

    inbox = commands.add("inbox", "list and replay updates whose handling failed every try")
    inbox_actions = inbox.add_subparsers(dest="action", required=True)
    inbox_actions.add_parser("failed", help="list the parked updates, with why they failed")
    inbox_retry = inbox_actions.add_parser("retry", help="handle a parked update again")
    inbox_retry.add_argument("failed_id", metavar="ID", type=int, help="its id in the list")

    link = commands.add("link", "print a one-time Telegram link for an account")
    link.add_argument("account_id")
    link.add_argument("--days", type=int, default=None, help="days the link stays valid")

    reminders = commands.add("reminders", "see what reminders the bot will send, and when")
    reminder_actions = reminders.add_subparsers(dest="action", required=True)
    reminder_plan = reminder_actions.add_parser("plan", help="what is due now, and what is held")
    reminder_plan.add_argument("--at", type=_moment, default=None, help="ISO 8601 date-time")
    reminder_plan.add_argument("--format", dest="fmt", choices=["text", "jsonl"], default="text")
    reminder_sim = reminder_actions.add_parser("simulate", help="play the cadence over days")
    reminder_sim.add_argument("--start", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
    reminder_sim.add_argument("--days", type=int, required=True)
    reminder_sim.add_argument("--format", dest="fmt", choices=["text", "jsonl"], default="text")
    reminder_sim.add_argument("--payments", type=Path, default=None, help="payments file")
    links = commands.add("links", "write a one-time link per account not linked yet")
    links.add_argument("action", choices=["create"])
    links.add_argument(
        "--unlinked", action="store_true", required=True, help="every account with no chat linked"
    )
    links.add_argument("--format", dest="fmt", choices=["csv", "jsonl"], default="csv")
    links.add_argument("--days", type=int, default=None, help="days the links stay valid")
    links.add_argument("--output", type=Path, default=None, help="file (default: stdout)")

    commands.add("rules", "print the rules register: enforcement and tests per rule")
    nlu = commands.add("nlu", "build the understanding model, or measure it")
    nlu.add_argument("action", choices=["train", "evaluate", "rounds"])
    nlu.add_argument(
        "--misses", action="store_true", help="rounds: list every misread line of each round"
    )
    nlu.add_argument(
        "--heldout",
        action="store_true",
        help="rounds: the held-out round too (looking at it spends it: measure it once, last)",
    )

    outbox = commands.add("outbox", "list and resend messages a channel refused for good")
    outbox_actions = outbox.add_subparsers(dest="action", required=True)
    failed = outbox_actions.add_parser("failed", help="list failed messages, newest first")
    failed.add_argument("--limit", type=int, default=20, help="rows to show (default 20)")
    retry = outbox_actions.add_parser("retry", help="send one failed message again")
    retry.add_argument("id", type=int, help="the ID `repaybot outbox failed` shows")

    export = commands.add("export", "export arrangements, disputes or escalations")
    export.add_argument("what", choices=["arrangements", "disputes", "escalations"])
    export.add_argument("--format", dest="fmt", choices=["csv", "jsonl"], default="csv")
    export.add_argument("--output", type=Path, default=None, help="file (default: stdout)")

    parser.epilog = _overview(commands.helps)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings()
    secrets = [
        secret.get_secret_value()
        for secret in (
            settings.telegram_token,
            settings.telegram_webhook_secret,
            settings.secret_key,
        )
        if secret is not None
    ]
    configure(settings.log_level, secrets)
    try:
        code = asyncio.run(_run(args, settings))
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
        return code
    except KeyboardInterrupt:
        return 130
    except StartFailure as failure:
        sys.stderr.write(f"{failure}\n")
        return 1
    except BrokenPipeError:
        # The reader went away (`repaybot export ... | head`): stop quietly, and point
        # stdout at /dev/null so the interpreter's final flush does not complain.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


# The commands that never open the database: a bad database URL does not stop them.
WITHOUT_DATABASE = frozenset({"dialogs", "rules", "nlu"})


class StartFailure(Exception):
    """What stopped a command before it could do its work, said in one line."""


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    """The command, with what commonly stops every command said in one line (the
    README's promise): a database URL that cannot be read, a database that cannot
    be opened, a file or directory that is not there. One place, so that a command
    added later is covered too."""
    from bot.errors import ConfigurationError
    from bot.store.failures import database_failure, read_database_url

    try:
        if args.command not in WITHOUT_DATABASE:
            read_database_url(settings.database_url)
        return await _command(args, settings)
    except ConfigurationError as error:
        raise StartFailure(str(error)) from None
    except BrokenPipeError:
        raise  # the reader went away: `main` stops quietly
    except Exception as error:
        said = database_failure(error, settings.database_url)
        if said is not None:
            raise StartFailure(said) from None
        if isinstance(error, OSError) and error.filename is not None:
            raise StartFailure(f"{error.strerror}: {error.filename}") from None
        raise


async def _command(args: argparse.Namespace, settings: Settings) -> int:
    from bot import commands

    if args.command == "db":
        return await commands.db_upgrade(settings)
    if args.command == "accounts" and args.action == "pause":
        return await commands.pause_account(settings, args.account_id, args.until)
    if args.command == "accounts" and args.action == "resume":
        return await commands.resume_account(settings, args.account_id)
    if args.command == "accounts" and args.action == "erase":
        from bot.records_commands import erase_account

        return await erase_account(settings, args.account_id, args.reason, args.by)
    if args.command == "retention":
        from bot.records_commands import run_retention

        return await run_retention(settings, dry_run=args.dry_run)
    if args.command == "accounts":
        return await commands.import_accounts(settings, args.file)
    if args.command == "payments":
        return await commands.import_payments(settings, args.file)
    if args.command == "promises":
        return await commands.promises_report(settings, args.since)
    if args.command == "dialogs":
        return commands.check_dialogs(settings, args.dir)
    if args.command == "chat":
        return await commands.chat(settings, args.account, args.locale)
    if args.command == "demo":
        code = await commands.import_accounts(settings, DEMO_FILE)
        return code or await commands.chat(settings, args.account, args.locale, console=True)
    if args.command == "telegram":
        port = args.console_port if args.console else None
        return await commands.telegram(settings, args.framework, args.webhook, args.listen, port)
    if args.command == "console":
        return await commands.console(settings, args.host, args.port)
    if args.command == "users":
        return await commands.add_user(settings, args.name, args.role, args.locale)
    if args.command == "tokens":
        return await commands.add_token(settings, args.name, args.role)
    if args.command == "inbox" and args.action == "failed":
        return await commands.inbox_failed(settings)
    if args.command == "inbox":
        return await commands.inbox_retry(settings, args.failed_id)
    if args.command == "link":
        return await commands.link(settings, args.account_id, args.days)
    if args.command == "reminders":
        from bot import reminders_cli

        if args.action == "plan":
            return await reminders_cli.plan(settings, args.at, args.fmt)
        return await reminders_cli.simulate(
            settings, args.start, args.days, args.fmt, args.payments
        )
    if args.command == "links":
        return await commands.links_create(settings, args.fmt, args.days, args.output)
    if args.command == "rules":
        from bot.rules.command import print_register

        return print_register()
    if args.command == "nlu":
        from bot.understanding.cli import run

        return run(args.action, misses=args.misses, heldout=args.heldout)
    if args.command == "outbox" and args.action == "failed":
        return await commands.outbox_failed(settings, args.limit)
    if args.command == "outbox":
        return await commands.outbox_retry(settings, args.id)
    if args.command == "export":
        return await commands.export(settings, args.what, args.fmt, args.output)
    raise AssertionError(args.command)  # argparse rejects unknown commands


if __name__ == "__main__":
    raise SystemExit(main())
