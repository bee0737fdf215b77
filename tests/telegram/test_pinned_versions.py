"""A conversation keeps the script and policy it started on when new ones are published.

The dialogs are copied, the policy's terms and the script's version edited, and a
new App is built on the same database: after a restart (the old App gone) and with
both Apps serving at once. The new App has never held the old versions in memory,
so it reads them from the registry inside the borrower's own event. Whole
conversations through the real adapters in webhook mode, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import select
from sqlmodel import col

from bot.bootstrap import App, build_app
from bot.config import ROOT, Settings
from bot.service.accounts_import import import_accounts
from bot.service.linking import create_link_token
from bot.service.versions import content_hash
from bot.store.tables import ArrangementRow, ConversationRow, TranscriptRow
from tests.telegram.conftest import FIXTURES, clock
from tests.telegram.fake_bot_api import FakeTelegram, FakeUser
from tests.telegram.serving import Served, serving

OLD_SCRIPT = content_hash((ROOT / "dialogs" / "repayment.yaml").read_text(encoding="utf-8"))
OLD_POLICY = content_hash((ROOT / "dialogs" / "policy.yaml").read_text(encoding="utf-8"))
SIX_MONTHS = "6 monthly payments of $220.09"


def _published_anew(tmp_path: Path) -> Path:
    """The dialogs as a manager would change them: new plan terms, a new script version."""
    dialogs = tmp_path / "dialogs"
    shutil.copytree(ROOT / "dialogs", dialogs)
    policy = dialogs / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    assert "terms_months: [3, 6, 12]" in text
    policy.write_text(
        text.replace("terms_months: [3, 6, 12]", "terms_months: [4, 8]", 1).replace(
            'version: "2026.11.1"', 'version: "2026.12.1"', 1
        ),
        encoding="utf-8",
    )
    script = dialogs / "repayment.yaml"
    text = script.read_text(encoding="utf-8")
    script.write_text(text.replace('version: "2026.11.1"', 'version: "2026.12.1"', 1))
    return dialogs


async def _app(database_url: str, tg: FakeTelegram, dialogs: Path | None = None) -> App:
    settings = Settings(
        database_url=database_url,
        telegram_token=tg.token,
        telegram_api_url=tg.base_url,
        dialogs_dir=dialogs or ROOT / "dialogs",
    )
    return await build_app(settings, clock=clock)


async def _link(app: App, account_id: str) -> str:
    async with app.sessions() as session, session.begin():
        return await create_link_token(session, account_id=account_id, now=clock(), valid_days=7)


async def _to_the_plans(served: Served, user: FakeUser, token: str) -> None:
    """Link, verify and ask for installments: the plans of the policy in force are shown."""
    assert await served.post(user.text_update(f"/start {token}")) == 200
    await user.next_messages()
    assert await served.post(user.text_update("1990-05-17")) == 200
    await user.next_messages()
    assert (
        await served.post(user.press_update(_data(user, "Pay in installments"), user.last)) == 200
    )
    await user.next_messages()


async def _agree(served: Served, user: FakeUser, label: str) -> list[str]:
    """Press a plan and confirm it; the texts the borrower was shown."""
    assert await served.post(user.press_update(_data(user, label), user.last)) == 200
    (confirm,) = await user.next_messages()
    assert await served.post(user.press_update(_data(user, "Yes, set it up"), user.last)) == 200
    (done,) = await user.next_messages()
    return [str(confirm["text"]), str(done["text"])]


def _data(user: FakeUser, label: str) -> str:
    data = dict(user.keyboard()).get(label)
    assert data is not None, f"no button {label!r} in {user.keyboard()}"
    return data


async def _assert_ran_on_the_old_versions(app: App, chat: str) -> None:
    async with app.sessions() as session:
        conversation = (
            await session.execute(
                select(ConversationRow).where(col(ConversationRow.chat_key) == chat)
            )
        ).scalar_one()
        plan = (
            await session.execute(
                select(ArrangementRow).where(col(ArrangementRow.conversation_id) == conversation.id)
            )
        ).scalar_one()
        versions = set(
            (
                await session.execute(
                    select(col(TranscriptRow.script_version)).where(
                        col(TranscriptRow.conversation_id) == conversation.id
                    )
                )
            ).scalars()
        )
    assert (conversation.script_version, conversation.policy_version) == (OLD_SCRIPT, OLD_POLICY)
    assert len(plan.installments) == 6  # a term the new policy no longer offers
    assert plan.script_version == OLD_SCRIPT
    assert versions == {OLD_SCRIPT}  # R17: every line says which script it ran on


async def _new_borrower_gets_the_new_terms(served: Served, token: str) -> None:
    newcomer = served.tg.user(712, "Alex")
    await _to_the_plans(served, newcomer, token)
    labels = [label for label, _ in newcomer.keyboard()]
    assert "4 monthly payments of $330.13" in labels
    assert SIX_MONTHS not in labels


async def test_a_restart_with_new_files_keeps_a_conversation_on_its_versions(
    database_url: str, framework: str, tmp_path: Path
) -> None:
    async with FakeTelegram() as tg:
        before = await _app(database_url, tg)
        await import_accounts(before.sessions, FIXTURES / "accounts.csv")
        tokens = [await _link(before, "T-EN"), await _link(before, "T-EN")]
        user = tg.user(711, "Alex")
        try:
            async with serving(before, tg, framework) as served:
                await _to_the_plans(served, user, tokens[0])
                assert SIX_MONTHS in [label for label, _ in user.keyboard()]
        finally:
            await before.close()
        after = await _app(database_url, tg, _published_anew(tmp_path))
        try:
            async with serving(after, tg, framework) as served:
                confirm, done = await _agree(served, user, SIX_MONTHS)
                assert "6 monthly payments, $1,320.50 in total" in confirm
                assert "Your plan is set up" in done
                await _assert_ran_on_the_old_versions(after, "711")
                await _new_borrower_gets_the_new_terms(served, tokens[1])
        finally:
            await after.close()


async def test_two_apps_on_one_database_run_a_conversation_on_its_versions(
    database_url: str, framework: str, tmp_path: Path
) -> None:
    async with FakeTelegram() as tg:
        old = await _app(database_url, tg)
        await import_accounts(old.sessions, FIXTURES / "accounts.csv")
        tokens = [await _link(old, "T-EN"), await _link(old, "T-EN")]
        new = await _app(database_url, tg, _published_anew(tmp_path))
        user = tg.user(711, "Alex")
        try:
            async with serving(old, tg, framework) as first:
                await _to_the_plans(first, user, tokens[0])
                async with serving(new, tg, framework) as second:
                    # The press reaches the App that never loaded the old versions.
                    confirm, done = await _agree(second, user, SIX_MONTHS)
                    assert "6 monthly payments, $1,320.50 in total" in confirm
                    assert "Your plan is set up" in done
                    await _assert_ran_on_the_old_versions(new, "711")
                    await _new_borrower_gets_the_new_terms(second, tokens[1])
        finally:
            await old.close()
            await new.close()
