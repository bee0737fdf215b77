"""Issue 34 point 6: complaints and pauses as a compliance officer reads them.

A complaint's details go to its own case's note, never to a second case; the
escalations export carries the note and who holds the case (R15). While collection
is paused, the message that says a charge can still be disputed lets the borrower
dispute one, typed or by its button (R16, R8). Driven through the runtime (the
web-chat channel), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlmodel import col

from bot.service.account_standing import set_breathing_space
from bot.service.exports import export
from bot.store.tables import DisputeRow, EscalationRow
from tests.runtime.conftest import NOW, WebChat

DETAILS = "Your agent was rude to me on the phone"


async def _escalations(web: WebChat) -> list[EscalationRow]:
    async with web.app.sessions() as session:
        query = select(EscalationRow).order_by(col(EscalationRow.id))
        return list((await session.execute(query)).scalars())


@pytest.mark.rule("R15")
async def test_a_complaints_details_go_to_its_own_case(web: WebChat) -> None:
    await web.verify("c1", "T-EN", "1990-05-17")
    logged = "\n".join(m.text for m in await web.say("c1", "I want to make a complaint"))
    # Words that name an agent are the complaint's details, not a request for one.
    thanked = "\n".join(m.text for m in await web.say("c1", DETAILS))
    more = "And I would like someone to call me back"
    await web.say("c1", more)
    (case,) = await _escalations(web)  # one case: no second, "requested" one
    assert (case.reason, case.owner) == ("complaint", "queue")
    assert case.ticket in logged
    assert case.note == f"{DETAILS}\n{more}"
    assert "passed that on" in thanked and "take over" not in thanked
    for fmt in ("csv", "jsonl"):
        out = io.StringIO()
        assert await export(web.app.sessions, what="escalations", fmt=fmt, out=out) == 1
        out.seek(0)
        row = (
            next(csv.DictReader(out))
            if fmt == "csv"
            else json.loads(out.getvalue().splitlines()[0])
        )
        assert (row["ticket"], row["owner"], row["note"]) == (case.ticket, "queue", case.note)


@pytest.mark.rule("R13")
async def test_a_note_for_the_person_reaches_the_requested_case(web: WebChat) -> None:
    await web.verify("c2", "T-EN", "1990-05-17")
    await web.say("c2", "I want to talk to a person")
    await web.say("c2", "Please ask the agent to call me after 6pm")
    (case,) = await _escalations(web)
    assert case.reason == "requested"
    assert case.note == "Please ask the agent to call me after 6pm"


NOTES = {
    "en": (
        "T-EN",
        "1990-05-17",
        "I want to talk to a person",
        "Please add a note to my file: I work nights",
    ),
    "zh_Hans": ("T-HANS", "1985年3月9日", "我要找人工客服", "麻烦在我的档案里备注一下，我上夜班"),
    "zh_Hant": ("T-HANT", "1978年12月24日", "我想搵真人", "我的留言：我返夜更，下晝先好搵我"),
}


@pytest.mark.rule("R13", "R12")
@pytest.mark.parametrize("locale", list(NOTES))
async def test_a_note_for_the_person_is_passed_on_and_is_no_crisis(
    web: WebChat, locale: str
) -> None:
    """What a borrower writes while waiting is often called a note ("add a note to my
    file", 我的留言); a note for the staff is no farewell note, so no crisis case opens.
    Going back to the assistant afterwards adds nothing to the note."""
    account, birth, ask, note = NOTES[locale]
    user = f"note-{locale}"
    await web.verify(user, account, birth)
    await web.say(user, ask)
    (noted,) = await web.say(user, note)
    back = noted.buttons[0][0]  # "Continue with the assistant": a button's id is no note
    await web.press(user, back)
    (case,) = await _escalations(web)
    # Kept as the runtime's door cleaned it (NFKC: "：" is ":").
    assert (case.reason, case.note) == ("requested", unicodedata.normalize("NFKC", note))


@pytest.mark.rule("R16", "R8")
@pytest.mark.parametrize("how", ["typed", "button"])
async def test_a_charge_can_be_disputed_where_the_paused_message_says_so(
    web: WebChat, how: str
) -> None:
    async with web.app.sessions() as session, session.begin():
        await set_breathing_space(
            session,
            account_id="T-EN",
            until=date(2026, 12, 31),
            actor="cli:ops",
            now=NOW - timedelta(days=1),
        )
    user = f"p-{how}"
    await web.verify(user, "T-EN", "1990-05-17")
    paused = "\n".join(m.text for m in await web.say(user, "I can pay 100 a month"))
    assert "You can still see your account, dispute a charge" in paused
    if how == "typed":
        reply = await web.say(user, "I dispute the late fee")
    else:
        reply = await web.press(user, "Dispute a charge")
    said = "\n".join(m.text for m in reply)
    assert "didn't understand" not in said
    # On through the dispute to its case number, as from the menu.
    if how == "button":
        fee = next(label for label, _ in web.sender.sent[user][-1].buttons if "35.00" in label)
        await web.press(user, fee)
    for text in ("yes", "I was never told about this fee"):
        said = "\n".join(m.text for m in await web.say(user, text))
    async with web.app.sessions() as session:
        disputes = list((await session.execute(select(DisputeRow))).scalars())
    assert [d.charge_ids for d in disputes] == [["T-EN-F"]], said
