"""Issue 31 point 3: a broken promise or a missed installment brings one kind
follow-up, a kept one a thank-you; each outcome is recorded and reported. Every
follow-up waits for R1 hours and the borrower's R4 quiet windows, and is held for
good after STOP (R3) or a pause (R12, R16)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col

from bot.bootstrap import build_app
from bot.config import Settings
from bot.domain.quiet_windows import EVERY_DAY, QuietWindow, to_data
from bot.service.accounts_import import import_accounts
from bot.service.payments import import_payments
from bot.service.periodic import jobs, run_due
from bot.service.promise_followup import follow_up_promises
from bot.service.promise_report import promise_figures
from bot.store.tables import AccountRow, ArrangementRow, PromiseOutcomeRow
from bot.understanding.model import IntentModel
from tests.runtime.conftest import FIXTURES, WebChat, WebChatSender

CURRENCY = {"T-EN": "USD", "T-HANS": "CNY", "T-HANT": "HKD"}
# 10:00 on 22 November where each borrower lives.
MORNING = {
    "T-EN": datetime(2026, 11, 22, 15, 0, tzinfo=UTC),
    "T-HANS": datetime(2026, 11, 22, 2, 0, tzinfo=UTC),
    "T-HANT": datetime(2026, 11, 22, 2, 0, tzinfo=UTC),
}
FOLLOW_UP = {
    "T-EN": "We'd like to check in about your payment arrangement.",
    "T-HANS": "想和您确认一下之前约定的还款安排",
    "T-HANT": "想與您確認之前約定的還款安排",  # a Hong Kong account
}
# R3: how to stop, in each market's own words (docs/style.md glossary: mainland SMS usage).
HOW_TO_STOP = {"T-EN": "Reply STOP", "T-HANS": "回复TD退订", "T-HANT": "回覆 STOP"}
THANKS = {"T-EN": "Thank you for your payment.", "T-HANS": "感谢您的还款", "T-HANT": "多謝您的還款"}


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Lender:
    web: WebChat
    clock: Clock
    tmp: Path

    async def arrangement(
        self, account: str, kind: str, dues: list[tuple[date, str]], made: date
    ) -> str:
        reference = f"A-{account}-{kind[:4]}-{made.isoformat()}"
        async with self.web.app.sessions() as session, session.begin():
            session.add(
                ArrangementRow(
                    id=reference,
                    account_id=account,
                    kind=kind,
                    status="active",
                    amount=sum((Decimal(a) for _, a in dues), Decimal(0)),
                    currency=CURRENCY[account],
                    installments=[{"due_date": d.isoformat(), "amount": a} for d, a in dues],
                    script_version="test",
                    created_at=datetime.combine(made, time(12), tzinfo=UTC),
                )
            )
        return reference

    async def paid(self, account: str, amount: str, on: date, reference: str) -> None:
        path = self.tmp / f"{reference}.csv"
        path.write_text(
            "account,amount,currency,paid_on,reference\n"
            f"{account},{amount},{CURRENCY[account]},{on.isoformat()},{reference}\n",
            encoding="utf-8",
        )
        await import_payments(self.web.app.sessions, path, now=self.clock.now)

    async def run(self) -> int:
        return await follow_up_promises(self.web.app.runtime, self.clock.now)

    async def outcomes(self) -> list[PromiseOutcomeRow]:
        async with self.web.app.sessions() as session:
            query = select(PromiseOutcomeRow).order_by(col(PromiseOutcomeRow.id))
            return list((await session.execute(query)).scalars())

    async def set_account(self, account: str, **values: object) -> None:
        async with self.web.app.sessions() as session, session.begin():
            row = await session.get(AccountRow, account)
            assert row is not None
            for name, value in values.items():
                setattr(row, name, value)

    def said(self, chat: str) -> list[str]:
        return [message.text for message in self.web.sender.sent[chat]]


@pytest.fixture
async def lender(
    database_url: str, intent_model: IntentModel, tmp_path: Path
) -> AsyncIterator[Lender]:
    clock = Clock(MORNING["T-EN"])
    app = await build_app(Settings(database_url=database_url), clock=clock, model=intent_model)
    await import_accounts(app.sessions, FIXTURES / "accounts.csv")
    sender = WebChatSender()
    app.outbox.register(sender)
    try:
        yield Lender(WebChat(app, sender), clock, tmp_path)
    finally:
        await app.close()


async def _linked(lender: Lender, chat: str, account: str) -> None:
    await lender.web.say(chat, f"/start {await lender.web.link(account)}")


async def _deliver(lender: Lender, chat: str) -> None:
    await lender.web.app.outbox.deliver_chat("webchat", chat)


@pytest.mark.parametrize("account", sorted(CURRENCY))
async def test_a_broken_promise_is_followed_up_once_kindly(lender: Lender, account: str) -> None:
    chat = f"c-{account}"
    await _linked(lender, chat, account)
    await lender.arrangement(
        account, "promise_to_pay", [(date(2026, 11, 20), "500")], date(2026, 11, 15)
    )
    lender.clock.now = MORNING[account]
    assert await lender.run() == 1
    assert await lender.run() == 0  # found, recorded and sent once
    await _deliver(lender, chat)
    follow_ups = [text for text in lender.said(chat) if FOLLOW_UP[account] in text]
    assert len(follow_ups) == 1
    assert HOW_TO_STOP[account] in follow_ups[0]  # R3: how to stop, in every bot-started message
    (outcome,) = await lender.outcomes()
    assert (outcome.outcome, outcome.follow_up, outcome.due_on) == (
        "broken",
        "sent",
        date(2026, 11, 20),
    )


async def test_the_follow_up_offers_a_new_date_a_plan_or_a_person(lender: Lender) -> None:
    await _linked(lender, "c1", "T-EN")
    await lender.arrangement(
        "T-EN", "promise_to_pay", [(date(2026, 11, 20), "500")], date(2026, 11, 15)
    )
    await lender.run()
    await _deliver(lender, "c1")
    labels = [label for label, _ in lender.web.sender.sent["c1"][-1].buttons]
    assert labels == ["Choose a new date", "Set up a plan", "Talk to a person", "Not now"]


async def test_a_promise_not_yet_past_its_grace_day_is_not_judged(lender: Lender) -> None:
    await _linked(lender, "c2", "T-EN")
    await lender.arrangement(
        "T-EN", "promise_to_pay", [(date(2026, 11, 21), "500")], date(2026, 11, 15)
    )
    assert await lender.run() == 0  # due yesterday: the payments file may still bring it
    assert await lender.outcomes() == []


async def test_a_kept_promise_gets_a_thank_you_and_counts_as_kept(lender: Lender) -> None:
    await _linked(lender, "c3", "T-HANS")
    lender.clock.now = MORNING["T-HANS"]
    await lender.arrangement(
        "T-HANS", "promise_to_pay", [(date(2026, 11, 25), "800")], date(2026, 11, 15)
    )
    await lender.paid("T-HANS", "800", date(2026, 11, 21), "P-1")
    assert await lender.run() == 1  # kept before its date: thanked now
    await _deliver(lender, "c3")
    assert sum(THANKS["T-HANS"] in text for text in lender.said("c3")) == 1
    async with lender.web.app.sessions() as session:
        figures = await promise_figures(session)
    assert (figures.kept, figures.broken, figures.kept_rate) == (1, 0, 1.0)


async def test_a_missed_installment_is_followed_up_and_the_next_waits(lender: Lender) -> None:
    await _linked(lender, "c4", "T-EN")
    dues = [(date(2026, 11, 10), "300"), (date(2026, 12, 10), "300"), (date(2027, 1, 10), "300")]
    await lender.arrangement("T-EN", "installment_plan", dues, date(2026, 11, 1))
    await lender.paid("T-EN", "100", date(2026, 11, 12), "P-2")  # less than the first
    assert await lender.run() == 1
    (outcome,) = await lender.outcomes()
    assert (outcome.kind, outcome.due_on, outcome.amount_due) == (
        "installment_plan",
        date(2026, 11, 10),
        Decimal("300"),
    )


async def test_recovery_after_the_follow_up_is_recorded_and_reported(lender: Lender) -> None:
    await _linked(lender, "c5", "T-EN")
    await lender.arrangement(
        "T-EN", "promise_to_pay", [(date(2026, 11, 18), "500")], date(2026, 11, 10)
    )
    await lender.arrangement(
        "T-EN", "promise_to_pay", [(date(2026, 11, 16), "200")], date(2026, 11, 1)
    )
    assert await lender.run() == 1
    # R2: one reminder a day; the other follow-up asks for a payment too: tomorrow.
    assert [o.follow_up for o in await lender.outcomes()] == ["sent", None]
    lender.clock.now = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
    assert await lender.run() == 1
    await lender.paid("T-EN", "500", date(2026, 11, 23), "P-3")  # the missed one, paid late
    await lender.run()
    outcomes = await lender.outcomes()
    recovered = [o.recovered_by for o in outcomes]
    assert sorted(recovered, key=str) == ["payment", "payment"]
    async with lender.web.app.sessions() as session:
        figures = await promise_figures(session)
    assert figures.broken == 2
    assert figures.recovered == figures.recovered_after_follow_up == 2
    assert figures.recovery_rate == 1.0
    assert "Broken-promise recovery rate: 100.0%" in figures.lines()


@pytest.mark.rule("R1")
async def test_r1_a_follow_up_waits_for_the_borrowers_morning(lender: Lender) -> None:
    await _linked(lender, "c6", "T-EN")
    await lender.arrangement(
        "T-EN", "promise_to_pay", [(date(2026, 11, 20), "500")], date(2026, 11, 15)
    )
    lender.clock.now = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)  # 01:00 in New York
    assert await lender.run() == 0
    (waiting,) = await lender.outcomes()
    assert waiting.followed_up_at is None  # deferred, not dropped
    lender.clock.now = datetime(2026, 11, 22, 13, 30, tzinfo=UTC)  # 08:30 there
    assert await lender.run() == 1


@pytest.mark.rule("R4")
async def test_r4_a_follow_up_waits_out_the_borrowers_quiet_window(lender: Lender) -> None:
    await _linked(lender, "c7", "T-EN")
    await lender.set_account(
        "T-EN", quiet_windows=to_data([QuietWindow(EVERY_DAY, time(0), time(12))])
    )
    await lender.arrangement(
        "T-EN", "promise_to_pay", [(date(2026, 11, 20), "500")], date(2026, 11, 15)
    )
    assert await lender.run() == 0  # 10:00 there: quiet until noon
    lender.clock.now = datetime(2026, 11, 22, 17, 5, tzinfo=UTC)  # 12:05
    assert await lender.run() == 1


@pytest.mark.rule("R3")
@pytest.mark.rule("R12")
@pytest.mark.rule("R16")
@pytest.mark.parametrize(
    ("flags", "rule"),
    [
        ({"opted_out": True}, "R3"),
        ({"collection_paused": True}, "R12"),
        ({"breathing_space": True}, "R16"),
    ],
)
async def test_r3_r12_r16_hold_a_follow_up_for_good(
    lender: Lender, flags: dict[str, object], rule: str
) -> None:
    await _linked(lender, "c8", "T-EN")
    await lender.set_account("T-EN", **flags)
    await lender.arrangement(
        "T-EN", "promise_to_pay", [(date(2026, 11, 20), "500")], date(2026, 11, 15)
    )
    before = len(lender.said("c8"))
    assert await lender.run() == 0
    (held,) = await lender.outcomes()
    assert held.follow_up == rule
    await lender.set_account(
        "T-EN", opted_out=False, collection_paused=False, breathing_space=False
    )
    assert await lender.run() == 0  # not sent later either
    await _deliver(lender, "c8")
    assert len(lender.said("c8")) == before


async def test_two_processes_running_the_job_at_once_send_one_follow_up(lender: Lender) -> None:
    await _linked(lender, "c9", "T-EN")
    await lender.arrangement(
        "T-EN", "promise_to_pay", [(date(2026, 11, 20), "500")], date(2026, 11, 15)
    )
    runtime = lender.web.app.runtime
    done = await asyncio.gather(
        run_due(runtime, jobs(), lender.clock.now), run_due(runtime, jobs(), lender.clock.now)
    )
    assert sum(done) == 1
    await _deliver(lender, "c9")
    assert sum(FOLLOW_UP["T-EN"] in text for text in lender.said("c9")) == 1
    assert len(await lender.outcomes()) == 1


async def test_a_plan_paid_off_early_is_thanked_once(lender: Lender) -> None:
    await _linked(lender, "c10", "T-EN")
    dues = [(date(2026, 12, 10), "300"), (date(2027, 1, 10), "300"), (date(2027, 2, 10), "300")]
    await lender.arrangement("T-EN", "installment_plan", dues, date(2026, 11, 15))
    await lender.paid("T-EN", "900", date(2026, 11, 20), "P-4")
    assert await lender.run() == 1
    await _deliver(lender, "c10")
    assert sum(THANKS["T-EN"] in text for text in lender.said("c10")) == 1
    outcomes = await lender.outcomes()
    assert [o.outcome for o in outcomes] == ["kept"] * 3  # each counted in the figures
    assert sorted(str(o.follow_up) for o in outcomes) == ["merged", "merged", "sent"]


async def test_a_broken_promise_made_good_before_its_follow_up_is_not_chased(
    lender: Lender,
) -> None:
    await _linked(lender, "c11", "T-EN")
    await lender.arrangement(
        "T-EN", "promise_to_pay", [(date(2026, 11, 20), "500")], date(2026, 11, 15)
    )
    lender.clock.now = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)  # night there: it waits
    assert await lender.run() == 0
    await lender.paid("T-EN", "500", date(2026, 11, 22), "P-5")
    lender.clock.now = MORNING["T-EN"]
    assert await lender.run() == 0
    (outcome,) = await lender.outcomes()
    assert (outcome.outcome, outcome.recovered_by, outcome.follow_up) == (
        "broken",
        "payment",
        "recovered",
    )
