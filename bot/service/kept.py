"""What the transcript keeps of a borrower's message, and whose account it is (R17, R18).

Every line carries its account once the chat is linked: the lines written before
(the greeting, a notice) are given it when the link is made. A typed date of
birth, or the button that picks one, is compared and never kept: the line says
only that one was given (whether it matched is the verification's record).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.engine.script import DATE_CHOICE, InputType, Script
from bot.engine.types import Event, EventKind
from bot.service.queueing import transcript_line
from bot.service.record import ConversationRecord
from bot.store.tables import TranscriptRow

WITHHELD = "[date of birth given]"  # the transcript's text for a typed birth date


def gives_birth_date(script: Script, state_name: str | None, event: Event) -> bool:
    """The message answers a birth-date question with a date (typed, or one of the
    bot's "which date?" buttons): it is compared and never kept. Anything else said
    there ("I want a person") is kept as said."""
    state = script.states.get(state_name) if state_name is not None else None
    if state is None or state.input is None or state.input.type is not InputType.BIRTH_DATE:
        return False
    if event.kind is EventKind.CHOICE:
        return event.choice.startswith(DATE_CHOICE)
    reading = event.meaning
    return reading is not None and bool(reading.birth_dates or reading.value_date)


def transcript_in(
    record: ConversationRecord,
    event: Event,
    now: datetime,
    *,
    for_agent: bool,
    secret: bool = False,
) -> dict[str, Any]:
    """The borrower's line (R17); `secret`: an answer to a birth-date question (R18)."""
    payload: dict[str, object] | None = None
    text = event.text if event.kind is not EventKind.CHOICE else event.choice
    if event.kind is EventKind.CHOICE:
        payload = {"choice": event.choice, "step": event.step}
    if secret:
        text, payload = WITHHELD, ({"step": event.step} if payload else None)
    if for_agent:
        payload = {**(payload or {}), "for_agent": True}
    return transcript_line(
        conversation_id=record.conversation_id,
        account_id=record.account_id,
        direction="in",
        kind=event.kind.value,
        text=text,
        payload=payload,
        script_version=record.script_version,
        created_at=now,
    )


async def adopt_transcript(session: AsyncSession, conversation_id: int, account_id: str) -> None:
    """The chat is now linked: its lines written before without an account get it (R17).
    Lines of an account linked before keep theirs."""
    await session.execute(
        update(TranscriptRow)
        .where(col(TranscriptRow.conversation_id) == conversation_id)
        .where(col(TranscriptRow.account_id).is_(None))
        .values(account_id=account_id)
    )
