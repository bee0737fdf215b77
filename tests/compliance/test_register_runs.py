"""Issue 34 point 8: a rule counts as enforced only when its enforcing code runs in the
product. The product's own entry points are driven under coverage (the CLI through
`bot.cli.main`, the runtime's three ways in, the imports); every function the
register lists for a rule it counts as enforced must have run, and every script
state it lists must have been said. A name that exists but never runs (a check
nothing calls) fails here, not only a name that was renamed.
"""

from __future__ import annotations

import asyncio
import dis
import inspect
import io
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from datetime import timedelta
from pathlib import Path
from typing import Any

import coverage
import pytest
import yaml
from sqlalchemy import select
from sqlmodel import col

from bot.bootstrap import build_app
from bot.cli import main
from bot.config import ROOT, Settings
from bot.rules.register import ENFORCEMENT, PARTIAL, PLANNED
from bot.service.events import (
    AgentAction,
    AgentActionKind,
    ChatKind,
    Inbound,
    SharedContact,
    Trigger,
)
from bot.service.inbox import Inbox
from bot.service.periodic import jobs, run_due
from bot.store.tables import ConversationRow, DisputeRow, EscalationRow, TranscriptRow
from bot.understanding.model import IntentModel
from tests.runtime.conftest import FIXTURES, NOW, WebChat, WebChatSender

HEADER = (FIXTURES / "accounts.csv").read_text(encoding="utf-8").splitlines()[0]
THREAT = "T-X,Jo Doe,+15550100999,1990-01-01,en,America/New_York,USD,2026-11-18,T-X-P,other,"


def _cli(*args: str) -> int:
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        try:
            return main(list(args))
        except SystemExit as exit_:
            return int(exit_.code or 0)


@contextmanager
def _env(name: str, value: str) -> Iterator[None]:
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            del os.environ[name]
        else:
            os.environ[name] = before


def _files(tmp: Path) -> dict[str, Path]:
    lines = (FIXTURES / "accounts.csv").read_text(encoding="utf-8")
    breathing = tmp / "breathing.csv"
    rows = lines.splitlines()
    breathing.write_text(
        f"{HEADER},breathing_space_start,breathing_space_end\n"
        + "\n".join(f"{row},," for row in rows[1:4])
        + "\n"
        + "\n".join(f"{row},2026-11-20,2027-01-31" for row in rows[4:])
        + "\n",
        encoding="utf-8",
    )
    threat = tmp / "threat.csv"
    threat.write_text(
        f"{HEADER}\n{THREAT}Pay within 2 hours or we will tell your employer,10.00,2026-10-01\n",
        encoding="utf-8",
    )
    payments = tmp / "payments.csv"
    payments.write_text(
        "account,amount,currency,paid_on,reference\nT-EN,100.00,USD,2026-11-22,BANK-1\n",
        encoding="utf-8",
    )
    return {"breathing": breathing, "threat": threat, "payments": payments}


async def _conversations(database_url: str, model: IntentModel) -> list[dict[str, Any]]:
    """A day of the product: chats that link, verify, plan, dispute, ask for a person,
    complain, say they are in difficulty or in crisis, stop; a person who takes over;
    a reminder; a Telegram update through the inbox. Returns what was said."""
    app = await build_app(Settings(database_url=database_url), clock=lambda: NOW, model=model)
    sender = WebChatSender()
    app.outbox.register(sender)
    web = WebChat(app, sender)
    try:
        await web.say("early", "hello")  # before any link: a greeting without an account
        await web.say("early", f"/start {await web.link('T-EN')}")
        await web.say("early", "1990-05-17")
        await run_due(app.runtime, jobs(), NOW)  # a reminder planned in the borrower's hours
        for label in ("Pay in installments",):
            await web.press("early", label)
        options = sender.sent["early"][-1].buttons
        await web.press_data("early", "early", options[0][1])  # a plan
        await web.press_data("early", "early", sender.sent["early"][-1].buttons[0][1])  # yes
        await web.press_data("early", "early", sender.sent["early"][-1].buttons[0][1])  # menu
        # R4: quiet times in their own words, confirmed; then the clock's work on a plan
        # (reminders planned and sent in the borrower's hours, a missed payment followed up).
        await web.say("early", "stop messaging me at night")
        await web.press("early", "Yes, save it")
        for hours in (1, *range(24, 48, 3), 24 * 8, 24 * 35, 24 * 45, 24 * 70):
            await run_due(app.runtime, jobs(), NOW + timedelta(hours=hours))
        await web.say("early", "/start")  # back from what the clock said to the menu
        await web.say("early", "1990-05-17")
        await web.say("early", "I dispute the late fee")
        await web.press("early", "Continue")
        await web.say("early", "I never paid late")
        for charge in ("I dispute the interest", "I dispute the card balance"):
            await web.say("early", charge)
            await web.press("early", "Continue")
            await web.say("early", "wrong")
        await web.press("early", "See my account")  # back where an offer is heard
        await web.say("early", "I can pay 300 a month")  # nothing to collect: nothing offered
        await web.say("early", "agent")
        # A refused offer, and a person to review it (R14).
        await web.say("r", f"/start {await web.link('T-HANT')}")
        await web.say("r", "1978-12-24")
        await web.say("r", "I can pay 1 a month")
        await web.press_data("r", "r", sender.sent["r"][-1].buttons[0][1])  # a review
        await run_due(app.runtime, jobs(), NOW + timedelta(hours=5))  # not taken: back to the bot
        # Another borrower: unclear twice, a refused offer and its review, a far date,
        # hardship, a complaint, a person, then stop.
        await web.say("b", f"/start {await web.link('T-HANS')}")
        await web.say("b", "1985-03-09")
        await web.say("b", "blorp")
        await web.say("b", "zzzz qqqq")
        await web.say("b", "/start")
        await web.say("b", "1985-03-09")
        await web.say("b", "我每个月只能还1块")
        await web.press_data("b", "b", sender.sent["b"][-1].buttons[0][1])
        await web.say("b", "/start")
        await web.say("b", "1985-03-09")
        await web.press_data("b", "b", sender.sent["b"][-1].buttons[0][1])  # pay in full
        await web.say("b", "2027-12-31")
        await web.say("b", "我失业了")
        await web.say("b", "我要投诉")
        await web.say("b", "我要人工")
        await web.say("b", "退订")
        # A group, a shared contact, a crisis while a person is in charge.
        await app.runtime.on_inbound(
            Inbound("webchat", "g", "u1", "g1", chat_kind=ChatKind.GROUP, text="/start")
        )
        await app.runtime.on_inbound(
            Inbound("webchat", "c", "c", "c1", contact=SharedContact("+85291230001", owner_key="c"))
        )
        await web.say("c", "1978-12-24")
        async with app.sessions() as session:
            rows = (await session.execute(select(ConversationRow))).scalars().all()
            ids = {row.chat_key: int(row.id or 0) for row in rows}
        await app.runtime.on_trigger(Trigger("reminder", ids["c"], "reminder:T-HANT:1"))
        # A person decides one of the disputes (R8): the console's action on the runtime.
        async with app.sessions() as session:
            disputes = select(col(DisputeRow.id)).where(col(DisputeRow.account_id) == "T-EN")
            dispute = (await session.execute(disputes.limit(1))).scalar_one()
        await app.runtime.on_agent(
            AgentAction(
                AgentActionKind.RESOLVE_DISPUTE,
                "mei",
                ids["early"],
                "d1",
                text=dispute,
                outcome="waived",
            )
        )
        await app.runtime.on_agent(AgentAction(AgentActionKind.TAKE_OVER, "mei", ids["c"], "a1"))
        await app.runtime.on_agent(
            AgentAction(AgentActionKind.REPLY, "mei", ids["c"], "a2", text="Hello")
        )
        await web.say("c", "我不想活了")
        await app.runtime.on_agent(
            AgentAction(AgentActionKind.HAND_BACK, "mei", ids["c"], "a3", state="menu")
        )
        await web.say("c", "我不想活了")
        # R3: a stop, then reminders turned back on with an explicit yes; R12: a farewell
        # asked about, left unanswered.
        await web.say("f", f"/start {await web.link('T-EN')}")
        await web.say("f", "1990-05-17")
        await web.say("f", "/stop")
        await web.say("f", "/reminders")
        await web.press("f", "Turn reminders back on")
        await web.press("f", "Yes, send me reminders")
        await web.say("f", "what's the point of a payment plan. I don't plan on seeing march")
        # The clock's work (reminders, follow-ups, safety checks, desk timers, retention).
        for hours in (1, 2, 26, 50, 24 * 8, 24 * 40):
            await run_due(app.runtime, jobs(), NOW + timedelta(hours=hours))
        # A Telegram update kept in the inbox, then handled.
        update = {"update_id": 1, "message": {"text": "hi"}}
        await Inbox(app.sessions, lambda: NOW).record("telegram", [("1", update)])
        await app.runtime.on_inbound(Inbound("telegram", "t", "t", "1", text="hi"))
        async with app.sessions() as session:
            said = (await session.execute(select(TranscriptRow))).scalars().all()
            reasons = (await session.execute(select(col(EscalationRow.reason)))).scalars().all()
            shown = [line.payload or {} for line in said if line.direction == "out"]
        # Years on, the duty has ended: retention lets go of who went quiet (R17, R18).
        await run_due(app.runtime, jobs(), NOW + timedelta(days=366 * 8))
        return [*shown, {"escalated": sorted(set(reasons))}]
    finally:
        await app.close()


def _entered(target: str, parts: set[str], escalated: set[str]) -> bool:
    """A script state listed as an enforcer was entered: it said something, or (a state
    that only hands to a person) its escalation was opened. `triggers.<name>` opens
    the state of the same name."""
    file_name, _, path = target.partition(":")
    name = path.partition(".")[2]
    script = yaml.safe_load((ROOT / file_name).read_text(encoding="utf-8"))
    state = script["states"][name]
    if state.get("say"):
        return any(part.startswith(f"{script['id']}.{name}.") for part in parts)
    reasons = {
        call["escalate"]["reason"]
        for call in state.get("enter", [])
        if isinstance(call, dict) and "escalate" in call
    }
    return bool(reasons) and reasons <= escalated


def _body_lines(function: Any) -> set[int]:
    code = getattr(inspect.unwrap(function), "__code__", None)
    if code is None:
        return set()
    return {line for _, line in dis.findlinestarts(code) if line and line > code.co_firstlineno}


def _ran(target: str, data: coverage.CoverageData) -> bool | None:
    """Whether a listed function's body ran; None for data (a table, a constant, a
    model), which does not run."""
    obj = _resolve(target)
    lines = _body_lines(obj)
    if not lines:
        return None
    filename = inspect.getsourcefile(inspect.unwrap(obj))
    return bool(lines & set(data.lines(str(Path(filename or "").resolve())) or ()))


def _resolve(target: str) -> Any:
    module_name, _, qualname = target.partition(":")
    obj: Any = __import__(module_name, fromlist=["_"])
    for part in qualname.split("."):
        obj = getattr(obj, part)
    return obj


def _forget_cached_answers() -> None:
    """An enforcer behind lru_cache answers from its cache when an earlier test (the
    other database's run, in the same process) asked the same question, and its body
    would not run under this test's coverage: start every cached enforcer empty."""
    for points in ENFORCEMENT.values():
        for target in points:
            if not target.startswith("dialogs/"):
                clear = getattr(_resolve(target), "cache_clear", None)
                if callable(clear):
                    clear()


def _counted_rules() -> dict[str, tuple[str, ...]]:
    """The rules the register counts as enforced (in full or in part)."""
    return {rule: points for rule, points in ENFORCEMENT.items() if rule not in PLANNED}


@pytest.mark.rule("R8", "R17", "R18")
def test_every_enforcer_the_register_counts_runs_through_the_products_entry_points(
    database_url: str, intent_model: IntentModel, tmp_path: Path
) -> None:
    files = _files(tmp_path)
    _forget_cached_answers()
    cov = coverage.Coverage(data_file=None, include=[str(ROOT / "bot" / "*")])
    cov.start()
    try:
        with _env("REPAYBOT_DATABASE_URL", database_url):
            assert _cli("dialogs", "check") == 0
            assert _cli("rules") == 0
            assert _cli("accounts", "import", str(FIXTURES / "accounts.csv")) == 0
            assert _cli("accounts", "import", str(files["threat"])) != 0  # refused
            assert _cli("payments", "import", str(files["payments"])) == 0
        said = asyncio.run(_conversations(database_url, intent_model))
        with _env("REPAYBOT_DATABASE_URL", database_url):
            assert _cli("accounts", "import", str(files["breathing"])) == 0
            assert _cli("reminders", "plan") == 0
            assert _cli("retention", "run") == 0
            # Refused while the lender's duty runs, or once erased already (R18).
            assert _cli("accounts", "erase", "T-EN", "--reason", "request 1") == 2
    finally:
        cov.stop()
    data = cov.get_data()
    parts = {part for payload in said for part in payload.get("parts", [])}
    escalated = {reason for payload in said for reason in payload.get("escalated", [])}
    never: dict[str, list[str]] = {}
    for rule, points in _counted_rules().items():
        for target in points:
            if target.startswith("dialogs/"):
                if not _entered(target, parts, escalated):
                    never.setdefault(rule, []).append(target)
                continue
            if _ran(target, data) is False:
                never.setdefault(rule, []).append(target)
    assert never == {}, json.dumps(never, indent=1)
    # The check tells a check nothing calls from one that runs: the old crisis word
    # check is still defined but nothing calls it since the three-level reading
    # (words_level), so the register no longer lists it.
    assert _ran("bot.understanding.crisis:crisis_words", data) is False
    assert _ran("bot.engine.actions:record_dispute", data) is True
    # R17 and R18 now run in full (retention job, erase command): nothing is partial.
    assert dict(PARTIAL) == {}
