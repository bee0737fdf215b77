"""Whether each reply reached the borrower, as the conversation page, its live
lines and the CRM transcript show it: delivered, refused by the channel, or still
on its way (the outbox rows each reply was sent as, read for the whole
conversation at once). On SQLite and PostgreSQL."""

from __future__ import annotations

import re

from bot.errors import Rejected
from bot.service.outgoing import OutgoingMessage
from tests.runtime.conftest import CHANNEL, WebChatSender
from tests.web.conftest import Console


class RefusingSender(WebChatSender):
    """The test channel, refusing for good any message that contains `refuse`."""

    def __init__(self, refuse: str) -> None:
        super().__init__()
        self.refuse = refuse

    async def send(self, message: OutgoingMessage) -> str:
        if self.refuse in message.text:
            raise Rejected("Bad Request: chat not found")
        return await super().send(message)


def _line_of(html: str, text: str) -> str:
    """The <li> of the transcript line that says `text`."""
    found: list[str] = [li for li in re.findall(r"<li .*?</li>", html, re.S) if text in li]
    assert len(found) == 1, (text, found)
    return found[0]


async def test_delivered_refused_and_on_its_way_are_told_apart(console: Console) -> None:
    ticket = await console.escalation("d1")
    await console.chat.say("d1", "is anyone there?")
    console.chat.app.outbox.register(RefusingSender(refuse="never arrives"))
    async with console.api() as api:
        assert (await api.post(f"/api/escalations/{ticket}/take")).status_code == 200
        for text in ("First, this arrives.", "This one never arrives."):
            sent = await api.post(f"/api/escalations/{ticket}/reply", json={"text": text})
            assert sent.status_code == 202
        await console.chat.app.outbox.deliver_chat(CHANNEL, "d1")
        # Written after the last delivery round: still on its way.
        await api.post(f"/api/escalations/{ticket}/reply", json={"text": "Third, waiting."})
        listed = await api.get("/api/escalations", params={"status": "taken"})
        (item,) = listed.json()["items"]
        lines = (await api.get(f"/api/escalations/{ticket}/transcript")).json()["items"]
    delivered = {line["text"]: line["delivered"] for line in lines if line["from"] == "agent"}
    assert delivered == {
        "First, this arrives.": True,
        "This one never arrives.": False,
        "Third, waiting.": None,
    }
    # The borrower's own lines carry no delivery state; the bot's replies do.
    assert all(line["delivered"] is None for line in lines if line["from"] == "borrower")
    assert any(line["delivered"] is True for line in lines if line["from"] == "bot")

    agent, _ = await console.signed_in("mei")
    conversation = item["conversation_id"]
    page = (await agent.get(f"/c/{conversation}")).text
    live = (await agent.get(f"/c/{conversation}/lines")).text
    for html in (page, live):
        arrived = _line_of(html, "First, this arrives.")
        assert 'class="line agent"' in arrived and 'class="status ok">Delivered' in arrived
        assert 'class="from">crm-agent<' in arrived
        refused = _line_of(html, "This one never arrives.")
        assert 'class="line agent failed"' in refused
        assert 'class="status bad">Not delivered' in refused
        waiting = _line_of(html, "Third, waiting.")
        assert 'class="line agent"' in waiting and 'class="status">Sending' in waiting
        said = _line_of(html, "is anyone there?")
        assert 'class="line borrower"' in said and 'class="from">Borrower<' in said
        assert "status" not in said
