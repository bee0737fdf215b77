"""R12, R5, R16: the crisis path says what R12 promises, in every market we serve.

Walked through the real runtime (the web chat channel of tests/runtime) with a real
database, for a US, a UK, a mainland, a Taiwan and a Hong Kong account, from a chat
that has not passed verification and from one that has: the country's own emergency
number and support lines, an urgent hand-off that never says "one business day", a
closing that does not thank anyone for their time, not a word about an account or a
debt before verification, and, when a paused account comes back, a statement that
asks for nothing and says so once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col

from bot.service.account_standing import set_breathing_space
from bot.service.accounts_import import import_accounts
from bot.service.outbox import OutgoingMessage
from bot.store.tables import AccountRow, EscalationRow
from tests.runtime.conftest import NOW, WebChat, web

__all__ = ["web"]

# The fixture file has the US, mainland and Hong Kong accounts; these add the UK and Taiwan.
MORE_MARKETS = (
    "account_id,borrower_name,phone,birth_date,locale,timezone,currency,due_date,"
    "charge_id,charge_kind,charge_description,charge_amount,charge_posted_on\n"
    "C-GB,Jordan Lee,+447700900002,1982-08-30,en,Europe/London,GBP,2026-09-01,"
    "C-GB-P,principal,Personal loan,2400.00,2026-06-15\n"
    "C-TW,林美玲,+886912345678,1990-05-17,zh-Hant,Asia/Taipei,TWD,2026-09-01,"
    "C-TW-P,principal,信用卡帳款,30000.00,2026-08-01\n"
)


@dataclass(frozen=True)
class Market:
    account: str
    birth_date: str
    crisis_words: str
    emergency: str  # the country's emergency number as the borrower's language says it
    lines: tuple[str, ...]  # the country's support line numbers
    not_here: tuple[str, ...]  # other countries' emergency numbers, never shown here
    soon: str  # "as soon as possible"
    nothing_asked: str  # the paused statement's one plain sentence


MARKETS = {
    "en-US": Market(
        "T-EN",
        "1990-05-17",
        "I want to end my life",
        "call 911",
        ("988",),
        ("999", "112"),
        "as soon as possible",
        "Nothing is being asked of you",
    ),
    "en-GB": Market(
        "C-GB",
        "1982-08-30",
        "I want to end my life",
        "call 999",
        ("116 123",),
        ("911", "988"),
        "as soon as possible",
        "Nothing is being asked of you",
    ),
    "zh_Hans-CN": Market(
        "T-HANS",
        "1985-03-09",
        "我不想活了",
        "拨打 120 急救电话或 110",
        ("400-161-9995",),
        ("911", "119"),
        "尽快",
        "无需您还款",
    ),
    "zh_Hant-TW": Market(
        "C-TW",
        "1990-05-17",
        "我不想活了",
        "撥打 119 或 110",
        ("1925", "1995"),
        ("911", "120"),
        "盡快",
        "無需繳款",
    ),
    "zh_Hant-HK": Market(
        "T-HANT",
        "1978-12-24",
        "我不想活了",
        "致電 999",  # Hong Kong's own wording (zh_Hant_HK), not Taiwan's 撥打
        ("2389 2222", "2896 0000"),
        ("911", "110", "119"),
        "盡快",
        "無需還款",
    ),
}

# What tells a stranger that someone has an account, a debt or collection (R5).
_ACCOUNT_WORDS = re.compile(
    r"\b(?:accounts?|debts?|collection|collect|payments?|pay|repay\w*|balance|due|"
    r"loans?|owe\w*|arrears|overdue)\b"
    r"|账户|帳戶|戶口|账号|帳號|催收|欠款|结欠|結欠|还款|還款|繳款|债|債|逾期|贷|貸|余额|餘額|账单|帳單|結單",
    re.IGNORECASE,
)
_BUSINESS_DAY = re.compile(r"business day|working day|工作日|工作天|營業日|辦公日", re.IGNORECASE)
_THANKS_FOR_TIME = re.compile(r"thank|谢谢|謝謝|感谢|感謝|抽出时间|抽空|撥冗|拨冗", re.IGNORECASE)
# The due-date status and the total "due" (a charge named 逾期费 is a charge, not a status).
_PAST_DUE = re.compile(
    r"past due|in arrears|overdue|Total due|Due date|已逾期|逾期\s*\d|应还|應還|應繳|還款日|还款日"
    r"|到期日|繳款截止|結欠總額",
    re.IGNORECASE,
)
_PAYMENT_OFFERS = re.compile(
    r"instal+ments?|monthly payments?|pay in full|more time|payment plan|"
    r"分期|每月还|每月還|一次还清|一次還清|延期|还款计划|還款計劃|還款計畫",
    re.IGNORECASE,
)


def _text(messages: list[OutgoingMessage]) -> str:
    return "\n".join(m.text for m in messages)


def _labels(messages: list[OutgoingMessage]) -> list[str]:
    return [label for label, _ in messages[-1].buttons]


async def _open(web: WebChat, tmp_path: Path, chat: str, market: Market) -> None:
    source = tmp_path / "more.csv"
    source.write_text(MORE_MARKETS, encoding="utf-8")
    await import_accounts(web.app.sessions, source)
    await web.say(chat, f"/start {await web.link(market.account)}")


def _assert_promises(text: str, market: Market) -> None:
    """The country's emergency number and lines; urgent; never "one business day"."""
    assert market.emergency in text, text
    for number in market.lines:
        assert number in text, (number, text)
    for number in market.not_here:
        assert not re.search(rf"(?<![\d-]){number}(?![\d-])", text), (number, text)
    assert "local emergency number" not in text and "当地" not in text and "當地" not in text
    assert not _BUSINESS_DAY.search(text), text


async def _escalations(web: WebChat, account: str) -> list[tuple[str, str]]:
    async with web.app.sessions() as session:
        query = select(col(EscalationRow.reason), col(EscalationRow.priority)).where(
            col(EscalationRow.account_id) == account
        )
        return [(reason, priority) for reason, priority in (await session.execute(query)).all()]


@pytest.mark.rule("R12")
@pytest.mark.rule("R5")
@pytest.mark.parametrize("name", sorted(MARKETS))
async def test_a_crisis_before_verification_gets_care_and_lines_and_nothing_about_a_debt(
    web: WebChat, tmp_path: Path, name: str
) -> None:
    market = MARKETS[name]
    await _open(web, tmp_path, "u", market)
    crisis = await web.say("u", market.crisis_words)
    person, end = _labels(crisis)
    wait = await web.press("u", person)
    bye = await web.press("u", end)
    said = [*crisis, *wait, *bye]
    # R5: whoever is writing may not be the borrower; every text from the crisis on.
    leaked = [m.text for m in said if _ACCOUNT_WORDS.search(m.text)]
    assert leaked == []
    _assert_promises(_text(crisis), market)
    _assert_promises(_text(wait), market)
    assert market.soon in _text(crisis) and market.soon in _text(wait)
    # The hand-off is the crisis's own, at top priority: no second, ordinary ticket.
    assert await _escalations(web, market.account) == [("crisis", "urgent")]
    # The closing: the lines again, the door open, and no thanks for anyone's time.
    _assert_promises(_text(bye), market)
    assert not _THANKS_FOR_TIME.search(_text(bye)), _text(bye)
    assert re.search(r"any time|随时|隨時", _text(bye)), _text(bye)


@pytest.mark.rule("R12")
@pytest.mark.parametrize("name", sorted(MARKETS))
async def test_a_crisis_after_verification_pauses_the_account_and_stays_urgent(
    web: WebChat, tmp_path: Path, name: str
) -> None:
    market = MARKETS[name]
    await _open(web, tmp_path, "v", market)
    await web.say("v", market.birth_date)
    crisis = await web.say("v", market.crisis_words)
    _assert_promises(_text(crisis), market)
    # Verified: the borrower is told nobody will ask for a payment, and no more.
    assert not _PAYMENT_OFFERS.search(_text(crisis)), _text(crisis)
    async with web.app.sessions() as session:
        account = await session.get(AccountRow, market.account)
        assert account is not None and account.collection_paused
    # "agent" typed after the crisis: still the crisis wait, never "one business day".
    wait = await web.say("v", "agent" if name.startswith("en") else "人工")
    _assert_promises(_text(wait), market)
    assert market.soon in _text(wait)
    assert ("crisis", "urgent") in await _escalations(web, market.account)
    bye = await web.press("v", _labels(wait)[-1])  # End the conversation
    _assert_promises(_text(bye), market)
    assert not _THANKS_FOR_TIME.search(_text(bye)), _text(bye)


# What a greeting must not say to a paused account (or to anyone before verification).
_REPAY_TALK = re.compile(r"repay|payment|还款|還款|繳款|欠款", re.IGNORECASE)


async def _back_after_the_pause(web: WebChat, market: Market) -> list[OutgoingMessage]:
    """A new chat a day later: link, verify; what the bot says from the statement on.

    The greeting of a paused account is neutral: no offer of help repaying (R12, R16)."""
    greeting = await web.say("back", f"/start {await web.link(market.account)}")
    assert not _REPAY_TALK.search(_text(greeting)), _text(greeting)
    return await web.say("back", market.birth_date)


@pytest.mark.rule("R12")
@pytest.mark.rule("R16")
@pytest.mark.parametrize("name", sorted(MARKETS))
async def test_a_paused_account_comes_back_to_a_statement_that_asks_for_nothing(
    web: WebChat, tmp_path: Path, name: str
) -> None:
    market = MARKETS[name]
    await _open(web, tmp_path, "first", market)
    await web.say("first", market.crisis_words)
    statement = await _back_after_the_pause(web, market)
    text = _text(statement)
    assert text.count(market.nothing_asked) == 1, text
    assert not _PAST_DUE.search(text), text
    assert not _PAYMENT_OFFERS.search(text), text
    assert not _PAYMENT_OFFERS.search(" ".join(_labels(statement)))
    # An offer typed anyway is answered once, with nothing offered back.
    offer = await web.say("back", "I can pay 300 a month" if name.startswith("en") else "每月还500")
    answer = _text(offer)
    assert not _PAYMENT_OFFERS.search(answer), answer
    assert (
        len(re.findall(r"nothing is being asked|无需您还款|無需繳款|無需還款", answer, re.I)) == 1
    )


@pytest.mark.rule("R16")
async def test_a_uk_breathing_space_statement_offers_no_plan(web: WebChat, tmp_path: Path) -> None:
    market = MARKETS["en-GB"]
    await _open(web, tmp_path, "first", market)
    async with web.app.sessions() as session, session.begin():
        await set_breathing_space(
            session, account_id="C-GB", until=date(2027, 1, 21), actor="test", now=NOW
        )
    statement = await _back_after_the_pause(web, market)
    text = _text(statement)
    assert "breathing space until" in text
    assert text.count(market.nothing_asked) == 1, text
    assert not _PAST_DUE.search(text), text
    assert not _PAYMENT_OFFERS.search(text + " ".join(_labels(statement))), text
    hardship = await web.say("back", "I lost my job and can't pay")
    assert not _PAYMENT_OFFERS.search(_text(hardship) + " ".join(_labels(hardship)))
