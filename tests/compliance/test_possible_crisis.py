"""R12, issue 30: a possible crisis is asked about, kindly and directly.

A farewell or giving up without a method ("I've said goodbye to everyone",
"活不到下個月") is a possible crisis: the bot asks whether the borrower is safe,
in their language, with their country's lines; collection pauses and a crisis
case opens at high priority. "I'm safe" lowers it to normal (noted), any other
answer raises it to urgent, and so does silence, through the periodic job
(bot/service/safety_checks.py) run here with a controllable clock. Walked
through the real runtime and database, in every market.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col

from bot.service.accounts_import import import_accounts
from bot.service.events import AgentAction, AgentActionKind
from bot.service.outbox import OutgoingMessage
from bot.service.periodic import jobs, run_due
from bot.store.tables import AccountRow, ConversationRow, EscalationRow
from tests.compliance.test_crisis_path import MARKETS as CRISIS_MARKETS
from tests.compliance.test_crisis_path import MORE_MARKETS
from tests.runtime.conftest import CHANNEL, NOW, WebChat, web

__all__ = ["web"]

# The job that raises a silent safety check; the desk's own timers (a wait notice
# once the case's first-response time has passed) run beside it in the product and
# are tested with the desk (tests/web/test_desk_timers.py).
SAFETY_CHECKS = tuple(job for job in jobs() if job.name == "safety_checks")


@dataclass(frozen=True)
class Asked:
    farewell: str  # a possible crisis, in the borrower's words
    question: str  # "are you safe right now?" in their language
    fine: str  # a clear "I'm fine"
    glad: str  # the answer to it
    unclear: str  # any other answer


ASKED = {
    "en-US": Asked(
        "what's the point of a payment plan. I don't plan on seeing march",
        "are you safe right now?",
        "yes I'm ok",
        "I'm glad you're safe",
        "I don't know",
    ),
    "en-GB": Asked(
        "nothing matters anymore, I've said goodbye to everyone",
        "are you safe right now?",
        "I'm fine, thanks",
        "I'm glad you're safe",
        "whatever",
    ),
    "zh_Hans-CN": Asked(
        "不重要了，我已经跟所有人告别了",
        "您现在安全吗？",
        "我没事",
        "知道您安全",
        "不知道",
    ),
    "zh_Hant-TW": Asked(
        "多少都沒差，我應該活不到下個月了",
        "您現在安全嗎？",
        "我沒事",
        "知道您安全",
        "不知道",
    ),
    "zh_Hant-HK": Asked(
        "核對嚟做咩，我已經決定咗同呢個世界講再見",
        "您現在安全嗎？",
        "冇事",
        "知道您安全",
        "唔知",
    ),
}


def _text(messages: list[OutgoingMessage]) -> str:
    return "\n".join(m.text for m in messages)


async def _open(web: WebChat, tmp_path: Path, chat: str, name: str, *, verify: bool) -> None:
    source = tmp_path / "more.csv"
    source.write_text(MORE_MARKETS, encoding="utf-8")
    await import_accounts(web.app.sessions, source)
    market = CRISIS_MARKETS[name]
    await web.say(chat, f"/start {await web.link(market.account)}")
    if verify:
        await web.say(chat, market.birth_date)


async def _cases(web: WebChat, account: str) -> list[tuple[str, str, str]]:
    async with web.app.sessions() as session:
        query = select(
            col(EscalationRow.reason), col(EscalationRow.priority), col(EscalationRow.note)
        ).where(col(EscalationRow.account_id) == account)
        return [(r, p, n) for r, p, n in (await session.execute(query)).all()]


async def _paused(web: WebChat, account: str) -> bool:
    async with web.app.sessions() as session:
        row = await session.get(AccountRow, account)
        assert row is not None
        return row.collection_paused


def _asks_with_lines(text: str, name: str) -> None:
    market = CRISIS_MARKETS[name]
    assert ASKED[name].question in text, text
    assert market.emergency in text, text
    for number in market.lines:
        assert number in text, (number, text)


@pytest.mark.rule("R12")
@pytest.mark.parametrize("name", sorted(ASKED))
async def test_r12_a_farewell_asks_whether_they_are_safe_pauses_and_opens_a_high_case(
    web: WebChat, tmp_path: Path, name: str
) -> None:
    account = CRISIS_MARKETS[name].account
    await _open(web, tmp_path, "p", name, verify=True)
    asked = await web.say("p", ASKED[name].farewell)
    _asks_with_lines(_text(asked), name)
    assert await _paused(web, account)
    assert [(r, p) for r, p, _ in await _cases(web, account)] == [("crisis", "high")]


@pytest.mark.rule("R12")
@pytest.mark.parametrize("name", sorted(ASKED))
async def test_r12_a_clear_fine_answer_lowers_the_case_to_normal_and_notes_it(
    web: WebChat, tmp_path: Path, name: str
) -> None:
    account = CRISIS_MARKETS[name].account
    await _open(web, tmp_path, "f", name, verify=True)
    await web.say("f", ASKED[name].farewell)
    eased = await web.say("f", ASKED[name].fine)
    text = _text(eased)
    assert ASKED[name].glad in text, text
    for number in CRISIS_MARKETS[name].lines:
        assert number in text, (number, text)
    ((reason, priority, note),) = await _cases(web, account)
    assert (reason, priority) == ("crisis", "normal")
    assert "safe" in note
    # The conversation goes on: the next message is read as usual, no crisis.
    assert await _paused(web, account)  # a person looks before collection resumes


@pytest.mark.rule("R12")
@pytest.mark.parametrize("name", sorted(ASKED))
async def test_r12_any_other_answer_raises_the_case_to_urgent(
    web: WebChat, tmp_path: Path, name: str
) -> None:
    account = CRISIS_MARKETS[name].account
    await _open(web, tmp_path, "o", name, verify=True)
    await web.say("o", ASKED[name].farewell)
    crisis = await web.say("o", ASKED[name].unclear)
    assert CRISIS_MARKETS[name].emergency in _text(crisis)
    assert CRISIS_MARKETS[name].soon in _text(crisis)
    assert [(r, p) for r, p, _ in await _cases(web, account)] == [("crisis", "urgent")]


@pytest.mark.rule("R12")
async def test_r12_the_not_safe_button_raises_to_urgent(web: WebChat, tmp_path: Path) -> None:
    await _open(web, tmp_path, "b", "en-US", verify=True)
    asked = await web.say("b", ASKED["en-US"].farewell)
    labels = [label for label, _ in asked[-1].buttons]
    assert labels[:2] == ["Yes, I'm safe", "No, I'm not safe"]
    await web.press("b", "No, I'm not safe")
    assert [(r, p) for r, p, _ in await _cases(web, "T-EN")] == [("crisis", "urgent")]


@pytest.mark.rule("R12")
async def test_r12_silence_past_the_policy_time_raises_to_urgent_once(
    web: WebChat, tmp_path: Path
) -> None:
    await _open(web, tmp_path, "s", "zh_Hant-HK", verify=True)
    await web.say("s", ASKED["zh_Hant-HK"].farewell)
    runtime = web.app.runtime
    # Within the policy's 30 minutes nothing changes.
    assert await run_due(runtime, SAFETY_CHECKS, NOW + timedelta(minutes=29)) == 0
    assert [(r, p) for r, p, _ in await _cases(web, "T-HANT")] == [("crisis", "high")]
    assert await run_due(runtime, SAFETY_CHECKS, NOW + timedelta(minutes=31)) == 1
    ((reason, priority, note),) = await _cases(web, "T-HANT")
    assert (reason, priority) == ("crisis", "urgent")
    assert "No answer" in note
    # Run again (or on a second process): nothing more to raise.
    assert await run_due(runtime, SAFETY_CHECKS, NOW + timedelta(minutes=32)) == 0


@pytest.mark.rule("R12")
async def test_r12_silence_after_a_fine_answer_raises_nothing(web: WebChat, tmp_path: Path) -> None:
    await _open(web, tmp_path, "q", "en-GB", verify=True)
    await web.say("q", ASKED["en-GB"].farewell)
    await web.say("q", ASKED["en-GB"].fine)
    assert await run_due(web.app.runtime, SAFETY_CHECKS, NOW + timedelta(hours=2)) == 0
    assert [(r, p) for r, p, _ in await _cases(web, "C-GB")] == [("crisis", "normal")]


@pytest.mark.rule("R12")
@pytest.mark.rule("R5")
async def test_r12_a_farewell_at_the_birth_date_question_is_asked_about_not_a_bad_date(
    web: WebChat, tmp_path: Path
) -> None:
    await _open(web, tmp_path, "v", "zh_Hant-HK", verify=False)
    asked = await web.say("v", ASKED["zh_Hant-HK"].farewell)
    text = _text(asked)
    _asks_with_lines(text, "zh_Hant-HK")
    assert not re.search(r"日期|date", text, re.IGNORECASE), text
    # Before verification not a word about an account (R5).
    assert not re.search(r"戶口|帳戶|還款|account", text, re.IGNORECASE), text
    async with web.app.sessions() as session:
        row = await session.get(AccountRow, "T-HANT")
        assert row is not None and row.verify_failures == 0


@pytest.mark.rule("R12")
async def test_r12_with_a_person_in_charge_a_farewell_pauses_and_raises_to_high_then_urgent(
    web: WebChat, tmp_path: Path
) -> None:
    await _open(web, tmp_path, "h", "zh_Hans-CN", verify=True)
    await web.say("h", "人工")  # a person asked for: a normal case
    async with web.app.sessions() as session:
        query = select(ConversationRow).where(col(ConversationRow.chat_key) == "h")
        conversation = (await session.execute(query)).scalar_one()
    assert conversation.id is not None
    await web.app.runtime.on_agent(
        AgentAction(AgentActionKind.TAKE_OVER, "mei", conversation.id, action_key="h-take")
    )
    await web.app.outbox.deliver_chat(CHANNEL, "h")
    assert [(r, p) for r, p, _ in await _cases(web, "T-HANS")] == [("requested", "normal")]
    # The person answers, not the bot; the queue shows the farewell as high.
    assert await web.say("h", ASKED["zh_Hans-CN"].farewell) == []
    assert await _paused(web, "T-HANS")
    assert [(r, p) for r, p, _ in await _cases(web, "T-HANS")] == [("requested", "high")]
    # A sure crisis then: urgent; a later farewell never lowers it again.
    await web.say("h", "我不想活了")
    await web.say("h", ASKED["zh_Hans-CN"].farewell)
    assert [(r, p) for r, p, _ in await _cases(web, "T-HANS")] == [("requested", "urgent")]
