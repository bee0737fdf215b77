"""The outbox only grows, so every statement a message runs on it must find the
chat's rows by index, never read the whole table (issue 11). Checked on SQLite's
own query plans for the statements the bot really ran in a conversation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event

from bot.bootstrap import build_app
from bot.config import Settings
from bot.service.accounts_import import import_accounts
from bot.service.events import Inbound
from tests.runtime.conftest import CHANNEL, FIXTURES, NOW, WebChat, WebChatSender


async def test_no_statement_of_a_conversation_reads_the_whole_outbox(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    app = await build_app(Settings(database_url=url), clock=lambda: NOW)
    ran: list[tuple[str, Any]] = []

    def executed(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if "outbox" in statement and not statement.startswith("INSERT"):
            ran.append((statement, params))

    try:
        await import_accounts(app.sessions, FIXTURES / "accounts.csv")
        sender = WebChatSender()
        app.outbox.register(sender)
        web = WebChat(app, sender)
        event.listen(app.engine.sync_engine, "before_cursor_execute", executed)
        await web.say("i1", f"/start {await web.link('T-EN')}")
        await web.say("i1", "1990-05-17")  # the statement, with the menu's buttons
        # A press on the statement's message: the message it shows is looked up.
        shown = sender.sent["i1"][-1]
        data = dict(shown.buttons)["Pay in installments"]
        message_key = f"i1-{len(sender.sent['i1'])}"  # the id WebChatSender gave it
        press = Inbound(CHANNEL, "i1", "i1", "i1-press", button=data, message_key=message_key)
        assert await web._deliver(press, "i1")
        await web.say("i1", "/help")  # the menu's buttons taken away
        event.remove(app.engine.sync_engine, "before_cursor_execute", executed)

        kinds = {statement.split()[0] for statement, _ in ran}
        assert {"SELECT", "UPDATE"} <= kinds, ran
        async with app.engine.connect() as connection:
            raw = await connection.get_raw_connection()
            cursor = raw.driver_connection.cursor()  # type: ignore[union-attr]
            for statement, params in ran:
                cursor.execute(f"EXPLAIN QUERY PLAN {statement}", params)
                plan = [str(row[3]) for row in cursor.fetchall()]
                scans = [step for step in plan if step.startswith("SCAN")]
                assert not scans, (statement, plan)
    finally:
        await app.close()
