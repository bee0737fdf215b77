"""Amounts and dates in the console as the person reading writes them (their locale)
in the account's currency, and the queue a page at a time (issue 29 points 5 and 7)."""

from __future__ import annotations

import pytest

from bot.service import desk, people
from bot.service.people import Role
from tests.runtime.conftest import NOW
from tests.web.conftest import PASSWORD, Console

# The T-HANS account owes 8,520.00 CNY, due 2026-10-01; its principal posted 2026-09-01;
# the transcript's lines were written at the tests' clock, 2026-11-22 15:00 UTC. CLDR
# puts a narrow no-break space before "PM" and a thin space before "下午".
SEEN_AS = {
    "en": ("CN¥8,520.00", "Oct 1, 2026", "Sep 1, 2026", "11/22/26, 3:00\u202fPM"),
    "zh_Hans": ("¥8,520.00", "2026年10月1日", "2026年9月1日", "2026/11/22 15:00"),
    "zh_Hant": ("CN¥8,520.00", "2026年10月1日", "2026年9月1日", "2026/11/22\u2009下午3:00"),
}


@pytest.mark.parametrize("locale", sorted(SEEN_AS))
async def test_amounts_and_dates_follow_the_reader_and_the_account(
    console: Console, locale: str
) -> None:
    ticket = await console.escalation("f1", "T-HANS", "1985-03-09")
    async with console.chat.app.sessions() as session, session.begin():
        await people.add_user(
            session, name="reader", role=Role.AGENT, password=PASSWORD, now=NOW, locale=locale
        )
        found = await desk.escalation(session, ticket)
    assert found is not None
    reader, _ = await console.signed_in("reader")
    amount, due, posted, moment = SEEN_AS[locale]
    queue = (await reader.get("/queue")).text
    assert f">{amount}<" in queue
    page = (await reader.get(f"/c/{found.conversation_id}")).text
    assert f"<dd>{amount}</dd>" in page
    assert f"<dd>{due}</dd>" in page
    assert f"<td>{posted}</td>" in page
    assert f"<time>{moment}</time>" in page
    if locale == "zh_Hans":
        assert "CN¥" not in page  # the reader's own currency needs no country


async def test_the_queue_comes_a_page_at_a_time(console: Console) -> None:
    tickets = [
        await console.escalation("g1", "T-EN"),
        await console.escalation("g2", "T-HANS", "1985-03-09"),
        await console.escalation("g3", "T-HANT", "1978-12-24"),
    ]
    app = console.chat.app
    async with app.sessions() as session:
        whole = await desk.queue(session, app.scripts.policy, NOW)
        first = await desk.queue_page(session, app.scripts.policy, NOW, limit=2)
        second = await desk.queue_page(session, app.scripts.policy, NOW, offset=2, limit=2)
        beyond = await desk.queue_page(session, app.scripts.policy, NOW, offset=9, limit=2)
    assert sorted(item.ticket for item in whole) == sorted(tickets)
    assert [item.ticket for item in first.items + second.items] == [i.ticket for i in whole]
    assert (first.total, first.more, second.total, second.more) == (3, 1, 3, 0)
    assert (beyond.items, beyond.total) == ([], 3)

    crm = console.api()
    page = (await crm.get("/api/escalations?limit=2")).json()
    assert [i["ticket"] for i in page["items"]] == [i.ticket for i in whole[:2]]
    assert page["total"] == 3 and page["next"] == "/api/escalations?status=open&limit=2&offset=2"
    rest = (await crm.get(page["next"])).json()
    assert [i["ticket"] for i in rest["items"]] == [whole[2].ticket]
    assert rest["next"] is None
    assert (await crm.get("/api/escalations?limit=0")).status_code == 422


def test_a_line_time_is_written_as_babel_writes_it_every_minute_of_the_day() -> None:
    """The transcript's times are built from a date kept per day and a time kept per
    minute (the conversation page's rendering): the same text babel gives, in every
    console language, at every minute, in UTC and in a zone."""
    from datetime import UTC, timedelta
    from zoneinfo import ZoneInfo

    from babel.dates import format_datetime

    from bot.web.texts import LOCALES, Formats

    start = NOW.astimezone(UTC).replace(hour=0, minute=0)
    for locale in LOCALES:
        formats = Formats(locale)
        expected = Formats(locale)._babel
        for minute in range(0, 24 * 60 * 2, 3):
            for zone in (UTC, ZoneInfo("Asia/Hong_Kong")):
                at = (start + timedelta(minutes=minute, seconds=minute % 60)).astimezone(zone)
                assert formats.moment(at) == format_datetime(at, "short", locale=expected)


async def test_a_hong_kong_borrower_gets_the_hong_kong_canned_text(console: Console) -> None:
    """The canned replies hold a Hong Kong text where Hong Kong words it differently
    (戶口, not Taiwan's 帳戶); the console offers that one for a Hong Kong account."""
    ticket = await console.escalation("hk1", "T-HANT", "1978-12-24")
    async with console.chat.app.sessions() as session, session.begin():
        await people.add_user(
            session, name="hk-agent", role=Role.AGENT, password=PASSWORD, now=NOW, locale="en"
        )
        found = await desk.escalation(session, ticket)
    assert found is not None
    agent, csrf = await console.signed_in("hk-agent")
    taken = await agent.post(
        f"/c/{found.conversation_id}/take", data={"ticket": ticket, "csrf": csrf}
    )
    assert taken.status_code < 400
    page = (await agent.get(f"/c/{found.conversation_id}")).text
    assert "您戶口的結欠總額為" in page
    assert "帳戶" not in page
