"""The CRM API's contract, through a real ASGI client, on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.runtime.conftest import CHANNEL
from tests.web.conftest import Console

FIELDS = {
    "ticket",
    "conversation_id",
    "account_id",
    "reason",
    "locale",
    "opened_at",
    "status",
    "owner",
    "days_past_due",
    "amount_due",
    "currency",
}


async def test_list_take_reply_note_transcript_and_close(console: Console) -> None:
    ticket = await console.escalation("a1")
    async with console.api() as api:
        listed = (await api.get("/api/escalations", params={"status": "open"})).json()
        (item,) = listed["items"]
        assert set(item) == FIELDS
        assert item["ticket"] == ticket and item["status"] == "open" and item["owner"] is None
        assert item["amount_due"] == "1320.5000" or item["amount_due"].startswith("1320.5")
        assert item["currency"] == "USD" and item["locale"] == "en"
        taken = await api.post(f"/api/escalations/{ticket}/take")
        assert taken.status_code == 200 and taken.json()["owner"] == "crm-agent"
        replied = await api.post(f"/api/escalations/{ticket}/reply", json={"text": "Hi, Mei here."})
        assert replied.status_code == 202
        noted = await api.post(f"/api/escalations/{ticket}/note", json={"text": "owes since May"})
        assert noted.status_code == 201
        await console.chat.app.outbox.deliver_chat(CHANNEL, "a1")
        sent = [m.text for m in console.chat.sender.sent["a1"]]
        assert "has joined this chat" in sent[-2] and sent[-1] == "Hi, Mei here."
        assert not any("owes since May" in text for text in sent)  # a note is never sent
        await console.chat.say("a1", "thanks, can I pay next week?")
        lines = (await api.get(f"/api/escalations/{ticket}/transcript")).json()["items"]
        assert {"at", "from", "text", "delivered"} == set(lines[0])
        tail = [(line["from"], line["text"]) for line in lines[-4:]]
        assert tail == [
            ("bot", sent[-2]),
            ("agent", "Hi, Mei here."),
            ("note", "owes since May"),
            ("borrower", "thanks, can I pay next week?"),
        ]
        assert lines[-3]["delivered"] is True
        assert (await api.get("/api/escalations", params={"status": "taken"})).json()["items"]
        closed = await api.post(f"/api/escalations/{ticket}/close", json={"outcome": "resolved"})
        assert closed.status_code == 200 and closed.json()["status"] == "closed"
        assert not (await api.get("/api/escalations")).json()["items"]


async def test_someone_else_holds_it_409_and_idempotency_keys_act_once(console: Console) -> None:
    ticket = await console.escalation("a2")
    async with console.api() as crm, console.api("supervisor") as other:
        assert (await crm.post(f"/api/escalations/{ticket}/take")).status_code == 200
        refused = await other.post(f"/api/escalations/{ticket}/take")
        assert refused.status_code == 409 and "error" in refused.json()
        headers = {"Idempotency-Key": "reply-1"}
        for _ in range(2):
            again = await crm.post(
                f"/api/escalations/{ticket}/reply", json={"text": "once"}, headers=headers
            )
            assert again.status_code == 202
        await console.chat.app.outbox.deliver_chat(CHANNEL, "a2")
        assert [m.text for m in console.chat.sender.sent["a2"]].count("once") == 1


async def test_hand_back_makes_the_bot_carry_on_in_the_borrowers_language(
    console: Console,
) -> None:
    ticket = await console.escalation("a3", "T-HANS", "1985-03-09")
    async with console.api() as api:
        await api.post(f"/api/escalations/{ticket}/take")
        handed = await api.post(
            f"/api/escalations/{ticket}/hand-back", json={"state": "menu", "outcome": "resolved"}
        )
        assert handed.status_code == 200 and handed.json()["status"] == "closed"
    await console.chat.app.outbox.deliver_chat(CHANNEL, "a3")
    menu = console.chat.sender.sent["a3"][-1].text
    assert "您" in menu  # the menu again, in Simplified Chinese
    (answer,) = await console.chat.say("a3", "每个月只能还一千")
    assert "¥" in answer.text  # the bot answers again


async def test_bad_input_is_a_4xx_with_an_error_never_a_500(console: Console) -> None:
    ticket = await console.escalation("a4")
    async with console.api() as api:
        cases = [
            await api.get("/api/escalations", params={"status": "lost"}),
            await api.post("/api/escalations/T-NOPE/take"),
            await api.post(f"/api/escalations/{ticket}/reply", json={"text": "x"}),  # not held
            await api.post(f"/api/escalations/{ticket}/note", json={}),
            await api.post(f"/api/escalations/{ticket}/note", content=b"{not json"),
            await api.post(f"/api/escalations/{ticket}/note", json={"text": "   "}),
            await api.post(f"/api/escalations/{ticket}/close", json={"outcome": "<b>"}),
            await api.post(
                f"/api/escalations/{ticket}/hand-back", json={"state": "nowhere", "outcome": "x"}
            ),
            await api.post(
                f"/api/escalations/{ticket}/take", headers={"Idempotency-Key": "k" * 99}
            ),
        ]
    for response in cases:
        assert 400 <= response.status_code < 500, (response.status_code, response.text)
        assert isinstance(response.json()["error"], str)


async def test_no_token_401_and_a_role_without_the_right_403(console: Console) -> None:
    ticket = await console.escalation("a5")
    async with console.client() as anonymous:
        assert (await anonymous.get("/api/escalations")).status_code == 401
        forged = await anonymous.get("/api/escalations", headers={"Authorization": "Bearer nope"})
        assert forged.status_code == 401 and forged.json()["error"]
    async with console.api("supervisor") as supervisor, console.api() as agent:
        await supervisor.post(f"/api/escalations/{ticket}/take")
        refused = await agent.post(f"/api/escalations/{ticket}/close", json={"outcome": "other"})
        assert refused.status_code == 403 and refused.json()["error"]


async def test_openapi_documents_the_contract_and_docs_load_nothing_from_outside(
    console: Console,
) -> None:
    async with console.client() as client:
        schema = (await client.get("/openapi.json")).json()
        docs = await client.get("/docs")
    for path in (
        "/api/escalations",
        "/api/escalations/{ticket}/take",
        "/api/escalations/{ticket}/reply",
        "/api/escalations/{ticket}/note",
        "/api/escalations/{ticket}/transcript",
        "/api/escalations/{ticket}/hand-back",
        "/api/escalations/{ticket}/close",
    ):
        assert path in schema["paths"]
    assert docs.status_code == 200
    assert "https://" not in docs.text and "/static/swagger/swagger-ui-bundle.js" in docs.text
