"""The `repaybot` command: one entry point for every job, on a fresh database too."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from datetime import date
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="repaybot", description="Repayment negotiation bot")
    sub = parser.add_subparsers(dest="command", required=True)

    db = sub.add_parser("db", help="database schema")
    db.add_argument("action", choices=["upgrade"])

    accounts = sub.add_parser("accounts", help="the lender's accounts")
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

    payments = sub.add_parser("payments", help="payments from the lender's file")
    payments.add_argument("action", choices=["import"])
    payments.add_argument("file", type=Path, help="CSV or JSON Lines")

    dialogs = sub.add_parser("dialogs", help="dialog scripts and policy")
    dialogs.add_argument("action", choices=["check"])
    dialogs.add_argument("--dir", type=Path, default=None, help="dialogs directory")

    chat = sub.add_parser("chat", help="a conversation in the terminal")
    chat.add_argument("--account", required=True, help="account id")
    chat.add_argument("--locale", type=locale_tag, default=None, help="en, zh-Hans, zh-Hant")

    demo = sub.add_parser("demo", help="load the demo portfolio and chat as a demo borrower")
    demo.add_argument("--account", default="DEMO-EN-1")
    demo.add_argument("--locale", type=locale_tag, default=None, help="en, zh-Hans, zh-Hant")

    telegram = sub.add_parser("telegram", help="serve borrowers on Telegram")
    telegram.add_argument("--framework", choices=["aiogram", "ptb"], default="aiogram")
    telegram.add_argument("--webhook", metavar="URL", default=None, help="public HTTPS URL")
    telegram.add_argument(
        "--listen", default="127.0.0.1:8080", help="HOST:PORT the webhook server binds"
    )
    telegram.add_argument("--console", action="store_true", help="serve the agents' console too")
    telegram.add_argument("--console-port", type=int, default=8081)

    console = sub.add_parser("console", help="the agents' console and the CRM API")
    console.add_argument("--host", default="127.0.0.1")
    console.add_argument("--port", type=int, default=8081)

    users = sub.add_parser("users", help="people who sign in to the console")
    user_actions = users.add_subparsers(dest="action", required=True)
    user_add = user_actions.add_parser("add", help="add a person (the password is prompted)")
    user_add.add_argument("name")
    user_add.add_argument("--role", choices=ROLES, required=True)
    user_add.add_argument("--locale", choices=["en", "zh_Hans", "zh_Hant"], default="en")

    tokens = sub.add_parser("tokens", help="API tokens for a lender's CRM")
    token_actions = tokens.add_subparsers(dest="action", required=True)
    token_add = token_actions.add_parser("add", help="print a new token once")
    token_add.add_argument("name")
    token_add.add_argument("--role", choices=ROLES, required=True)

    inbox = sub.add_parser("inbox", help="updates whose handling failed every try")
    inbox_actions = inbox.add_subparsers(dest="action", required=True)
    inbox_actions.add_parser("failed", help="list the parked updates, with why they failed")
    inbox_retry = inbox_actions.add_parser("retry", help="handle a parked update again")
    inbox_retry.add_argument("failed_id", metavar="ID", type=int, help="its id in the list")

    link = sub.add_parser("link", help="print a one-time Telegram link for an account")
    link.add_argument("account_id")
    link.add_argument("--days", type=int, default=None, help="days the link stays valid")

    sub.add_parser("rules", help="the rules register: enforcement and tests per rule")
    nlu = sub.add_parser("nlu", help="the understanding model: build it, measure it")
    nlu.add_argument("action", choices=["train", "evaluate"])

    outbox = sub.add_parser("outbox", help="messages a channel refused for good")
    outbox_actions = outbox.add_subparsers(dest="action", required=True)
    failed = outbox_actions.add_parser("failed", help="list failed messages, newest first")
    failed.add_argument("--limit", type=int, default=20, help="rows to show (default 20)")
    retry = outbox_actions.add_parser("retry", help="send one failed message again")
    retry.add_argument("id", type=int, help="the ID `repaybot outbox failed` shows")

    export = sub.add_parser("export", help="what conversations produced")
    export.add_argument("what", choices=["arrangements", "disputes", "escalations"])
    export.add_argument("--format", dest="fmt", choices=["csv", "jsonl"], default="csv")
    export.add_argument("--output", type=Path, default=None, help="file (default: stdout)")
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
    except BrokenPipeError:
        # The reader went away (`repaybot export ... | head`): stop quietly, and point
        # stdout at /dev/null so the interpreter's final flush does not complain.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    from bot import commands

    if args.command == "db":
        return await commands.db_upgrade(settings)
    if args.command == "accounts" and args.action == "pause":
        return await commands.pause_account(settings, args.account_id, args.until)
    if args.command == "accounts" and args.action == "resume":
        return await commands.resume_account(settings, args.account_id)
    if args.command == "accounts":
        return await commands.import_accounts(settings, args.file)
    if args.command == "payments":
        return await commands.import_payments(settings, args.file)
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
    if args.command == "rules":
        from bot.rules.command import print_register

        return print_register()
    if args.command == "nlu":
        from bot.understanding.cli import run

        return run(args.action)
    if args.command == "outbox" and args.action == "failed":
        return await commands.outbox_failed(settings, args.limit)
    if args.command == "outbox":
        return await commands.outbox_retry(settings, args.id)
    if args.command == "export":
        return await commands.export(settings, args.what, args.fmt, args.output)
    raise AssertionError(args.command)  # argparse rejects unknown commands


if __name__ == "__main__":
    raise SystemExit(main())
