"""The sender: reminders whose moment has come go out through `Runtime.on_trigger`.

Each is claimed (a conditional UPDATE: one process gets it), checked again
against every rule at the moment of sending, and handed to the runtime under the
trigger key `reminder:<id>`, which the runtime claims exactly once: a crash
between the send and the mark, or a claim taken back from a stopped process,
never sends twice. What the rules now forbid waits for its next allowed moment
(R1, R2, R4), is held (R3, R8, R12, R16, a person), or gives way to a later
stage (superseded); nothing is dropped without a status that says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.domain.cadence import RemindersPolicy
from bot.domain.contact_hours import zones_for
from bot.domain.contact_rules import R1, R2, R4, SUPERSEDED, UNREACHABLE, next_moment, send_check
from bot.service.events import Trigger
from bot.service.reminders.portfolio import Candidate, contacts
from bot.service.reminders.store import claim_due, settle

if TYPE_CHECKING:
    from bot.service.runtime import Runtime

WAIT_FOR = frozenset({R1, R2, R4})
CLAIM = 100  # reminders claimed at a time; the outbox paces the sending itself
GENERIC = "reminder"  # the script's plain reminder, in every version since the first


def trigger_key(reminder_id: int) -> str:
    """The runtime's exactly-once key for one reminder."""
    return f"reminder:{reminder_id}"


async def send_due(runtime: Runtime, now: datetime, *, limit: int = CLAIM) -> int:
    """Send what is due at `now`; returns how many reminders reached the outbox."""
    rules = runtime.registry.newest_policy().reminders
    sessions = runtime.sessions
    async with sessions() as session, session.begin():
        claimed = await claim_due(session, now, limit)
    if not claimed:
        return 0
    async with sessions() as session:
        found = await contacts(
            session, now, ids=sorted({r.account_id for r in claimed}), linked_only=False
        )
    by_account = {c.contact.account_id: c for c in found}
    sent = 0
    for row in claimed:
        values = await _send_one(runtime, rules, row, by_account.get(row.account_id), now)
        async with sessions() as session, session.begin():
            await settle(session, row.id, {**values, "updated_at": now})
        sent += values["status"] == "sent"
    return sent


async def _send_one(
    runtime: Runtime,
    rules: RemindersPolicy,
    row: Any,
    candidate: Candidate | None,
    now: datetime,
) -> dict[str, Any]:
    stage = rules.stage(row.stage)
    if candidate is None or stage is None or stage.state is None:
        return {"status": "superseded", "reason": "stage_removed"}
    contact = candidate.contact
    why = send_check(contact, rules.stages, row.stage, row.cycle, now, rules.contact)
    if why == SUPERSEDED:
        return {"status": "superseded", "reason": SUPERSEDED}
    if why in WAIT_FOR:
        zones = zones_for(contact.timezone, contact.phone)
        key = f"{contact.account_id}:{row.stage}:{row.cycle.isoformat()}"
        later, _ = next_moment(contact, zones, now, rules.contact, key)
        if later is None:
            return {"status": "held", "reason": why}
        return {"status": "queued", "send_at": later, "reason": why}
    if why is not None:
        return {"status": "held", "reason": why}
    if candidate.conversation_id is None:
        return {"status": "held", "reason": UNREACHABLE}
    handled = await runtime.on_trigger(
        Trigger(
            name=stage.state,
            conversation_id=candidate.conversation_id,
            trigger_key=trigger_key(row.id),
            on=row.cycle,
        )
    )
    if not (handled.queued or handled.duplicate):
        # A conversation keeps the script version it started on; one from before the
        # cadence has no trigger for the stage, but every version has the plain one.
        handled = await runtime.on_trigger(
            Trigger(
                name=GENERIC,
                conversation_id=candidate.conversation_id,
                trigger_key=f"{trigger_key(row.id)}:{GENERIC}",
                on=row.cycle,
            )
        )
    if handled.queued or handled.duplicate:
        return {"status": "sent", "sent_at": now, "reason": None}
    return {"status": "skipped", "reason": "not_sent"}


def summary(statuses: Sequence[str]) -> str:
    """One line for a log: how many of each status."""
    counts: dict[str, int] = {}
    for status in statuses:
        counts[status] = counts.get(status, 0) + 1
    return ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
