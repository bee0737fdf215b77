"""The console's pages through a real ASGI client: who sees what, CSRF, sessions."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.service import people
from bot.store.tables import AuditRow, ConsoleSessionRow
from tests.runtime.conftest import CHANNEL, NOW
from tests.web.conftest import PASSWORD, Console


async def test_a_signed_out_visitor_sees_nothing(console: Console) -> None:
    ticket = await console.escalation("c1")
    async with console.client() as visitor:
        for path in ("/queue", "/queue/rows", "/c/1", "/c/1/lines", "/audit", "/events"):
            page = await visitor.get(path)
            assert page.status_code == 303 and page.headers["location"] == "/login", path
            assert ticket not in page.text
        posted = await visitor.post("/c/1/take", data={"ticket": ticket})
        assert posted.status_code == 303 and posted.headers["location"] == "/login"


async def test_an_agent_cannot_open_supervisor_or_admin_pages(console: Console) -> None:
    agent, _ = await console.signed_in("mei")
    supervisor, _ = await console.signed_in("sue")
    admin, _ = await console.signed_in("ada")
    assert (await agent.get("/audit")).status_code == 403
    assert (await agent.get("/admin/sessions")).status_code == 403
    assert (await supervisor.get("/audit")).status_code == 200
    assert (await supervisor.get("/admin/sessions")).status_code == 403
    assert (await admin.get("/admin/sessions")).status_code == 200


async def test_a_post_without_the_sessions_csrf_token_is_refused(console: Console) -> None:
    ticket = await console.escalation("c2")
    agent, csrf = await console.signed_in("mei")
    queue = await agent.get("/queue")
    conversation_id = int(queue.text.split('href="/c/')[1].split('"')[0])
    for token in (None, "forged", (await console.signed_in("ken"))[1]):
        data = {"ticket": ticket} | ({"csrf": token} if token else {})
        refused = await agent.post(f"/c/{conversation_id}/take", data=data)
        assert refused.status_code == 403, token
    taken = await agent.post(f"/c/{conversation_id}/take", data={"ticket": ticket, "csrf": csrf})
    assert taken.status_code == 303
    page = await agent.get(f"/c/{conversation_id}")
    assert "Send to the borrower" in page.text
    # An htmx call sends the token as a header instead.
    assert (await agent.post("/me", data={"available": "0"})).status_code == 403
    away = await agent.post("/me", data={"available": "0"}, headers={"X-CSRF-Token": csrf})
    assert away.status_code == 303


async def test_the_login_form_has_its_own_csrf_token(console: Console) -> None:
    async with console.client() as client:
        await client.get("/login")
        refused = await client.post("/login", data={"name": "mei", "password": PASSWORD})
        assert refused.status_code == 403
        assert "repaybot_session" not in refused.cookies


async def test_sign_out_and_an_admins_revocation_are_refused_at_once(console: Console) -> None:
    agent, csrf = await console.signed_in("mei")
    assert (await agent.get("/queue")).status_code == 200
    cookie = agent.cookies["repaybot_session"]
    assert "HttpOnly" in (await _login_cookie_header(console))
    admin, admin_csrf = await console.signed_in("ada")
    async with console.chat.app.sessions() as session:
        rows = (await session.execute(select(ConsoleSessionRow))).scalars().all()
    target = next(r for r in rows if r.id_hash == people._digest(cookie))
    done = await admin.post(
        "/admin/sessions/revoke", data={"id_hash": target.id_hash, "csrf": admin_csrf}
    )
    assert done.status_code == 303
    assert (await agent.get("/queue")).status_code == 303  # the very next request
    ken, ken_csrf = await console.signed_in("ken")
    await ken.post("/logout", data={"csrf": ken_csrf})
    async with console.client() as replay:
        replay.cookies.set("repaybot_session", ken.cookies.get("repaybot_session") or "old")
        assert (await replay.get("/queue")).status_code == 303
    async with console.chat.app.sessions() as session:
        actions = {a.action for a in (await session.execute(select(AuditRow))).scalars()}
    assert {"sign_in", "sign_out", "revoke_session"} <= actions
    assert csrf


async def _login_cookie_header(console: Console) -> str:
    async with console.client() as client:
        page = await client.get("/login")
        token = page.text.split('name="csrf" value="')[1].split('"')[0]
        done = await client.post(
            "/login", data={"name": "ken", "password": PASSWORD, "csrf": token}
        )
        header = done.headers["set-cookie"]
        assert "samesite=strict" in header.lower()
        return header


async def test_failed_sign_ins_lock_the_name_and_are_kept(console: Console) -> None:
    async with console.chat.app.sessions() as session, session.begin():
        for _ in range(people.FREE_FAILURES + 1):
            refused = await people.sign_in(
                session, name="mei", password="wrong", address="10.0.0.9", now=NOW
            )
            assert isinstance(refused, people.Refused)
        locked = await people.sign_in(
            session, name="mei", password=PASSWORD, address="10.0.0.10", now=NOW
        )
        assert isinstance(locked, people.Refused) and locked.locked_for is not None
        later = NOW + people.MAX_LOCK
        assert isinstance(
            await people.sign_in(
                session, name="mei", password=PASSWORD, address="10.0.0.10", now=later
            ),
            people.SignedIn,
        )


@pytest.mark.parametrize("hostile", ["<script>alert(1)</script>", "{{ 7*7 }}<b>x</b>", "{amount}"])
async def test_what_people_type_is_escaped_everywhere(console: Console, hostile: str) -> None:
    """A borrower's text, a name from the lender's file, a canned reply's filling and
    a note are shown as text in the console, the API and Telegram's HTML."""
    from sqlalchemy import update

    from bot.store.tables import AccountRow

    async with console.chat.app.sessions() as session, session.begin():
        await session.execute(
            update(AccountRow)
            .where(AccountRow.account_id == "T-EN")  # type: ignore[arg-type]
            .values(borrower_name=f"Alex {hostile}")
        )
    ticket = await console.escalation("c9")
    await console.chat.say("c9", hostile)
    agent, csrf = await console.signed_in("mei")
    queue = await agent.get("/queue")
    conversation_id = int(queue.text.split('href="/c/')[1].split('"')[0])
    await agent.post(f"/c/{conversation_id}/take", data={"ticket": ticket, "csrf": csrf})
    for kind in ("note", "reply"):
        await agent.post(
            f"/c/{conversation_id}/{kind}", data={"ticket": ticket, "csrf": csrf, "text": hostile}
        )
    page = (await agent.get(f"/c/{conversation_id}")).text + queue.text
    assert "<script>alert" not in page and "<b>x</b>" not in page
    shown = {
        "<script>alert(1)</script>": "&lt;script&gt;alert(1)&lt;/script&gt;",
        "{{ 7*7 }}<b>x</b>": "{{ 7*7 }}&lt;b&gt;x&lt;/b&gt;",  # never run as a template
        "{amount}": "Alex {amount}",  # a name is filled into a canned reply once, as is
    }[hostile]
    assert shown in page
    async with console.api() as api:
        lines = (await api.get(f"/api/escalations/{ticket}/transcript")).json()["items"]
    assert [line["text"] for line in lines if line["from"] in ("borrower", "note", "agent")][
        -3:
    ] == [
        hostile,
        hostile,
        hostile,
    ]
    await console.chat.app.outbox.deliver_chat(CHANNEL, "c9")
    sent = console.chat.sender.sent["c9"][-1]
    assert sent.text == hostile
    assert sent.html is not None and "<script>" not in sent.html and "<b>" not in sent.html
