"""A person's action on an escalation, from the console or the API, the same way:
found by ticket, checked against the person's role, handed to `Runtime.on_agent`
(which writes the conversation, the escalation and the outbox), then audited.

An Idempotency-Key (the API's header, the console's per-form key) becomes the
action's key, which the runtime claims exactly once: the same key twice acts once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from bot.bootstrap import App
from bot.service import audit, desk
from bot.service.disputes_desk import DECISIONS
from bot.service.events import AgentAction, AgentActionKind, Handled
from bot.service.people import Person, Role
from bot.service.runtime import AgentActionRefused, AlreadyTaken
from bot.store.tables import ConversationRow, EscalationRow

MAX_TEXT = 4000  # Telegram's limit for one message
OUTCOME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
OUTCOMES = (
    "resolved",
    "promise_to_pay",
    "arrangement",
    "dispute_resolved",
    "dispute_rejected",
    "identity_confirmed",
    "callback",
    "no_answer",
    "other",
)
# Where the bot may take over again; a borrower not yet verified only at `verify` (R5).
HAND_BACK_STATES = ("menu", "statement", "plan_options", "extension", "promise", "payment_info")
UNVERIFIED_STATES = ("verify",)
DISPUTE_DECISIONS = DECISIONS  # upheld: the charges stand; waived: written off


class ActionFailed(Exception):
    """What the person is told: an HTTP status and a short reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Done:
    handled: Handled
    escalation: EscalationRow


def clean_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise ActionFailed(422, "text is empty")
    if len(text) > MAX_TEXT:
        raise ActionFailed(422, f"text is longer than {MAX_TEXT} characters")
    return text


def check_outcome(outcome: str) -> str:
    if not OUTCOME.match(outcome):
        raise ActionFailed(422, "outcome is a code: lowercase letters, digits and _")
    return outcome


def action_key(person: Person, idempotency_key: str | None) -> str:
    if idempotency_key is None:
        return f"{person.name}:{uuid4().hex}"
    key = idempotency_key.strip()
    if not key or len(key) > 40:
        raise ActionFailed(422, "Idempotency-Key is 1-40 characters")
    return f"{person.name[:20]}:{key}"


async def act(
    app: App,
    person: Person,
    ticket: str,
    kind: AgentActionKind,
    *,
    key: str | None = None,
    address: str = "",
    **fields: Any,
) -> Done:
    """Do one action on the ticket's conversation; raises ActionFailed with what to say."""
    async with app.sessions() as session:
        found = await desk.escalation(session, ticket)
        conversation = (
            await session.get(ConversationRow, found.conversation_id)
            if found is not None and found.conversation_id is not None
            else None
        )
    if found is None or conversation is None or conversation.id is None:
        raise ActionFailed(404, f"no escalation {ticket!r}")
    _check_allowed(person, kind, found, conversation.owner, conversation.verified, fields)
    before = _snapshot(found, conversation.owner)
    try:
        handled = await app.runtime.on_agent(
            AgentAction(
                kind=kind,
                agent=person.name,
                conversation_id=conversation.id,
                action_key=action_key(person, key),
                ticket=ticket,
                **fields,
            )
        )
    except AlreadyTaken as exc:
        raise ActionFailed(409, "someone else holds this conversation") from exc
    except AgentActionRefused as exc:
        raise ActionFailed(409, str(exc)) from exc
    async with app.sessions() as session, session.begin():
        after = await desk.escalation(session, ticket)
        owner = await session.get(ConversationRow, conversation.id)
        if not handled.duplicate and after is not None:
            audit.record(
                session,
                actor=person.name,
                action=kind.value,
                target=ticket,
                before=before,
                after={
                    **_snapshot(after, owner.owner if owner else ""),
                    **_said(kind, fields),
                },
                address=address,
                now=app.runtime.now(),
            )
    return Done(handled, after or found)


def _snapshot(escalation: EscalationRow, conversation_owner: str) -> dict[str, Any]:
    return {
        "status": escalation.status,
        "owner": escalation.owner,
        "conversation_owner": conversation_owner,
        "outcome": escalation.outcome,
    }


def _said(kind: AgentActionKind, fields: dict[str, Any]) -> dict[str, Any]:
    """What the audit keeps of the action: where to and which outcome, and the length
    of a reply or note (their words stay in the transcript, not twice)."""
    kept = {k: fields[k] for k in ("state", "outcome", "to") if fields.get(k)}
    if kind is AgentActionKind.RESOLVE_DISPUTE:
        return {**kept, "dispute": fields.get("text"), "dispute_before": "open"}
    if fields.get("text"):
        kept["chars"] = len(str(fields["text"]))
    return kept


def _check_allowed(
    person: Person,
    kind: AgentActionKind,
    escalation: EscalationRow,
    conversation_owner: str,
    verified: bool,
    fields: dict[str, Any],
) -> None:
    holder = f"agent:{person.name}"
    holds = conversation_owner == holder
    if escalation.status == "closed" and kind is not AgentActionKind.NOTE:
        raise ActionFailed(409, "this escalation is closed")
    if kind is AgentActionKind.RECORD_OUTCOME and not (holds or person.may(Role.SUPERVISOR)):
        raise ActionFailed(403, "only its holder or a supervisor can close it")
    if kind is AgentActionKind.UNLOCK_VERIFICATION and not (holds or person.may(Role.SUPERVISOR)):
        raise ActionFailed(403, "take the conversation before unlocking")
    if kind is AgentActionKind.RESOLVE_DISPUTE:
        if not (holds or person.may(Role.SUPERVISOR)):
            raise ActionFailed(403, "take the conversation before deciding a dispute")
        if fields.get("outcome") not in DISPUTE_DECISIONS:
            raise ActionFailed(422, f"decision must be one of {', '.join(DISPUTE_DECISIONS)}")
        if not fields.get("text"):
            raise ActionFailed(422, "name the dispute")
    if kind is AgentActionKind.HAND_BACK:
        allowed = HAND_BACK_STATES if verified else UNVERIFIED_STATES
        if fields.get("state") not in allowed:
            raise ActionFailed(422, f"state must be one of {', '.join(allowed)}")
    if kind is AgentActionKind.TRANSFER and not fields.get("to"):
        raise ActionFailed(422, "name the person to transfer to")
