"""A script that fails at run time never leaves a borrower stuck (issue 6 point 6)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import col

from bot.engine.loader import load_script
from bot.service.scripts import ScriptSet
from bot.store.tables import ConversationRow, EscalationRow
from tests.runtime.conftest import WebChat


async def test_a_failing_action_apologises_hands_to_a_person_and_starts_clean(
    web: WebChat,
) -> None:
    loaded = web.app.scripts
    # A published version whose help "Continue" calls an action with an argument it
    # cannot use: valid for the validator, broken at run time.
    source = loaded.sources["repayment"].replace(
        '      - {id: back, label: "Continue", to: "@return"}',
        '      - {id: back, label: "Continue", to: "@return", actions: [{set_locale: {locale: xx}}]}',
    )
    assert source != loaded.sources["repayment"]
    script, _ = load_script(source, "repayment.yaml")
    await web.app.runtime.registry.publish(
        ScriptSet(
            {"repayment": script}, loaded.policy, {"repayment": source}, loaded.policy_source
        ),
        now=web.app.runtime.now(),
    )
    await web.say("f1", f"/start {await web.link('T-EN')}")
    await web.say("f1", "1990-05-17")
    await web.say("f1", "/help")
    (apology,) = await web.press("f1", "Continue")
    assert "something went wrong on my side" in apology.text
    assert "T-" in apology.text  # the reference of the escalation
    async with web.app.sessions() as session:
        failures = await session.execute(
            select(func.count())
            .select_from(EscalationRow)
            .where(col(EscalationRow.reason) == "script_failure")
        )
        assert failures.scalar_one() == 1
        row = (
            await session.execute(
                select(ConversationRow).where(col(ConversationRow.chat_key) == "f1")
            )
        ).scalar_one()
        assert row.frames == []  # not left in the failing state
    (again,) = await web.say("f1", "hello")
    assert "automated assistant" in again.text  # a clean start, not the same failure
