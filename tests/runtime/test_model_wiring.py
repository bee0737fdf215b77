"""The intent model is built once and handed down, not found (issue 28 point 4).

`build_app(model=...)` gives the runtime the model every message is read with,
on the bot's path and while a person is in charge. A fake model that reads
every message as crisis shows it is that model, and no hidden global, that reads.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.config import Settings
from bot.store.tables import AccountRow
from bot.understanding import Meaning
from bot.understanding.labels import MEANINGS
from bot.understanding.model import IntentModel
from tests.runtime.conftest import WebChat, web_chat

# No features, only intercepts: crisis is the likeliest meaning of anything.
ALWAYS_CRISIS = IntentModel(
    labels=MEANINGS,
    intercepts=tuple(5.0 if m is Meaning.CRISIS else 0.0 for m in MEANINGS),
    weights={},
    fingerprint="always-crisis",
)


@pytest.fixture
async def fearful(database_url: str) -> AsyncIterator[WebChat]:
    async with web_chat(Settings(database_url=database_url), ALWAYS_CRISIS) as chat:
        yield chat


@pytest.mark.rule("R12")
async def test_the_runtime_reads_with_the_model_build_app_was_given(fearful: WebChat) -> None:
    await fearful.say("m1", f"/start {await fearful.link('T-EN')}")
    # The real model reads a birth date; this one reads crisis in anything. The model
    # alone makes a crisis possible (the words decide a sure one): the bot asks.
    (care,) = await fearful.say("m1", "1990-05-17")
    assert "are you safe right now?" in care.text
    async with fearful.app.sessions() as session:
        account = await session.get(AccountRow, "T-EN")
        assert account is not None and account.collection_paused


async def test_the_session_model_reads_the_same_birth_date_as_an_answer(web: WebChat) -> None:
    await web.say("m2", f"/start {await web.link('T-EN')}")
    (statement, *_) = await web.say("m2", "1990-05-17")
    assert "You matter" not in statement.text
    async with web.app.sessions() as session:
        account = await session.get(AccountRow, "T-EN")
        assert account is not None and not account.collection_paused
