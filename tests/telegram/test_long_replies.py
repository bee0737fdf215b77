"""A reply longer than Telegram takes arrives whole, over both adapters and both
databases: an account of a hundred charge lines, imported through the real import
and verified through the real conversation, reads its statement in several messages
that each fit, in order, every line once, the keyboard on the last; pressing it and
ticking a multi-select still edit the right message."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path
from typing import Any

from bot.service.accounts_import import ACCOUNT_FIELDS, CHARGE_FIELDS, import_accounts
from bot.store.tables import OutboxRow
from tests.telegram.conftest import Harness
from tests.telegram.fake_bot_api import FakeUser, entity_texts

LINES = 100
LIMIT = 4096
ACCOUNT = "T-LONG"
HEADER = (*ACCOUNT_FIELDS, *CHARGE_FIELDS)  # the import's own columns, breathing left out
KINDS = ("principal", "interest", "late_fee", "annual_fee", "other")


def _description(number: int) -> str:
    # Near the import's 200-character limit, with markup characters that must stay text.
    return f"Item {number:03d} <fee> & co " + "x" * 170


def _amount(number: int) -> str:
    return f"{10 + number}.25"


def _write_account(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for number in range(LINES):
            writer.writerow(
                [
                    ACCOUNT,
                    "Jordan Lee",
                    "+15550109999",
                    "1991-02-03",
                    "en",
                    "America/New_York",
                    "USD",
                    "2026-11-18",
                    f"L-{number:03d}",
                    KINDS[number % len(KINDS)],
                    _description(number),
                    _amount(number),
                    "2026-10-01",
                ]
            )
    return path


async def _imported(bot: Harness, tmp_path: Path) -> None:
    report = await import_accounts(bot.app.sessions, _write_account(tmp_path / "long.csv"))
    assert report.charges_created == LINES


async def _until_keyboard(
    user: FakeUser, after: int, timeout: float = 15.0
) -> list[dict[str, Any]]:
    """The messages sent after the first `after`, up to the one that carries a keyboard."""
    for _ in range(int(timeout / 0.05)):
        new = user.messages[after:]
        ends = [i for i, m in enumerate(new) if user.keyboard(m)]
        if ends:
            return new[: ends[0] + 1]
        await asyncio.sleep(0.05)
    raise AssertionError(f"no keyboard after {len(user.messages) - after} messages")


async def _statement(bot: Harness, tmp_path: Path, user_id: int) -> tuple[FakeUser, list[Any]]:
    await _imported(bot, tmp_path)
    user = bot.tg.user(user_id, "Jordan")
    await user.send_command("/start", await bot.link_token(ACCOUNT))
    await user.next_messages()
    before = len(user.messages)
    await user.send_text("1991-02-03")
    return user, await _until_keyboard(user, before)


async def test_a_hundred_charge_lines_arrive_whole_and_in_order(
    bot: Harness, tmp_path: Path
) -> None:
    user, parts = await _statement(bot, tmp_path, 801)
    assert len(parts) > 1
    texts = [str(p["text"]) for p in parts]
    assert all(len(text) <= LIMIT for text in texts)
    assert "Thank you, Jordan Lee." in texts[0]
    assert "Total due:" in texts[-1] and "What would you like to do?" in texts[-1]
    # Every charge line once, in the statement's order, and no line cut in two.
    lines = "\n".join(texts).split("\n")
    items = [line for line in lines if line.startswith("• ")]
    assert len(items) == LINES
    for number, line in enumerate(items):
        assert f"Item {number:03d} <fee> & co " + "x" * 170 in line
        # The amount, then the day the line is computed to (posted 1 Oct in the file).
        assert f": ${10 + number}.25 (" in line and line.endswith(", 2026)")
    # Amounts stay bold in whichever part they landed.
    bold = [piece for p in parts for piece in entity_texts(p)]
    assert all(f"${10 + n}.25" in bold for n in range(LINES))
    # The keyboard only on the last part; each part its own outbox row, all sent.
    assert [bool(user.keyboard(p)) for p in parts] == [False] * (len(parts) - 1) + [True]
    assert await bot.count(OutboxRow, chat_key="801", status="failed") == 0

    # A press on the last part works, and its answer is written under that part.
    last = parts[-1]
    before = len(user.messages)
    await user.press("Ask for more time", last)
    (extension,) = await _until_keyboard(user, before)
    assert "Which new due date would suit you?" in extension["text"]
    answered = next(m for m in user.messages if m["message_id"] == last["message_id"])
    assert answered["text"].endswith("\n\n✓ Ask for more time")
    assert len(answered["text"]) <= LIMIT
    assert user.keyboard(answered) == []
    # The earlier parts were never touched.
    assert [m["text"] for m in user.messages[before - len(parts) : before - 1]] == texts[:-1]
    assert len(user.messages) == before + 1


async def test_a_multi_select_after_a_long_statement_still_ticks_in_place(
    bot: Harness, tmp_path: Path
) -> None:
    user, parts = await _statement(bot, tmp_path, 802)
    before = len(user.messages)
    await user.press("Dispute a charge", parts[-1])
    (select,) = await _until_keyboard(user, before)
    first = next(label for label, _ in user.keyboard(select) if label.startswith("☐"))
    sent = len(user.messages)
    await user.press(first, select)
    await user.wait_for_button(select, "☑" + first[1:])  # edited in place, not sent anew
    assert len(user.messages) == sent
    assert "Item 000 <fee> & co" in select["text"]


async def test_a_multi_select_that_outgrows_a_message_is_sent_anew_in_parts(
    bot: Harness, tmp_path: Path
) -> None:
    user, parts = await _statement(bot, tmp_path, 803)
    before = len(user.messages)
    await user.press("Dispute a charge", parts[-1])
    (select,) = await _until_keyboard(user, before)
    ticked = 0
    while True:  # each tick adds a line of ~215 characters: some twenty fit in one message
        label = next(label for label, _ in user.keyboard(select) if label.startswith("☐"))
        sent = len(user.messages)
        await user.press(label, select)
        ticked += 1
        for _ in range(200):
            if len(user.messages) > sent or "☑" + label[1:] in dict(user.keyboard(select)):
                break
            await asyncio.sleep(0.05)
        if len(user.messages) > sent:
            break
        assert ticked < 40, "the question never outgrew one message"
    # Too long to replace the pressed message: asked anew in parts, the pressed one answered.
    again = await _until_keyboard(user, sent)
    assert len(again) > 1
    assert all(len(m["text"]) <= LIMIT for m in again)
    assert [bool(user.keyboard(m)) for m in again] == [False] * (len(again) - 1) + [True]
    assert user.keyboard(select) == [] and select["text"].endswith(f"✓ {label}")
    shown = "\n".join(m["text"] for m in again)
    assert all(f"Item {n:03d} <fee>" in shown for n in range(ticked))
    answered_from = len(user.messages)
    await user.press("Continue", again[-1])
    (reason,) = (await user.wait_for(answered_from + 1))[answered_from:]
    assert "why you dispute" in reason["text"]
