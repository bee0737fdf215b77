"""One conversation runtime for every channel, person and timer.

Three ways in, each one database transaction that claims the event (exactly
once), loads the typed conversation record, runs the engine unless a person
owns the conversation, applies the effects, keeps the transcript (R17) and
queues the replies in the outbox:

- `on_inbound`: a borrower's message, button or shared contact, from any channel.
  Linking, refusing group chats (R5), choosing the locale and checking button
  data happen here, so a channel only translates.
- `on_agent`: a person's action (take over, reply, hand back, unlock, outcome).
- `on_trigger`: something the bot starts itself, through the same engine.

The runtime keeps only the ways in and the transaction. Its statements are in
bot.store.conversations, a person's actions in bot.service.agent_actions (one
handler each), escalations are written by bot.service.escalations alone, the
inbound-only steps (linking, buttons) are in bot.service.inbound, and the answers
to a failed update in bot.service.recovery.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from functools import partial
from uuid import uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.accounts import catalog_locale
from bot.domain.regions import region_of
from bot.engine.machine import step
from bot.engine.types import Context, Event, EventKind, Priority
from bot.errors import AccountMissing, ScriptFailure
from bot.service import desk_timers, escalations, linking
from bot.service.agent_actions import (
    HANDLERS,
    ActionContext,
    AgentActionRefused,
    AlreadyTaken,
    transcript_note,
)
from bot.service.effects import apply_effects
from bot.service.events import AgentAction, ChatKind, Handled, Inbound, Reachability, Trigger
from bot.service.failures import describe, log_failure, traceback_text
from bot.service.inbound import CONTACT_NOTICES, event_of, link, locale_of, pressed, typed_choice
from bot.service.kept import adopt_transcript, gives_birth_date, transcript_in
from bot.service.meaning import read_message
from bot.service.outbox import Outbox
from bot.service.queueing import TRANSCRIPT, Queue
from bot.service.record import ConversationRecord, StoredConversation
from bot.service.recovery import MAX_TRIES, Recovery
from bot.service.text import clean_text, parse_command
from bot.service.triggers import asks_for_money, nothing_to_ask, silenced, zone
from bot.service.verification import VerificationState
from bot.store.conversations import account_row, locked_conversation, save_conversation
from bot.store.pending import insert_at_commit, write_pending
from bot.store.repositories import read_account, write_account
from bot.store.retry import is_transient, retrying
from bot.understanding import CrisisLevel, crisis_of

log = logging.getLogger(__name__)

AGENT_CHANNEL = "agent"
TRIGGER_CHANNEL = "trigger"


# The console's names, where it has always imported them from.
__all__ = ["MAX_TRIES", "AgentActionRefused", "AlreadyTaken", "Handled", "Runtime"]


class Runtime(Recovery):
    """The ways in. What they share is in bot.service.transaction, the answers to a
    failed update in bot.service.recovery, a person's actions in agent_actions."""

    # ---- borrowers ----

    async def on_inbound(self, inbound: Inbound, *, claim_for: Outbox | None = None) -> Handled:
        """Handle a borrower's update; a failure is answered with one apology, never lost.

        `claim_for`: the outbox that will deliver the replies. The event's transaction
        then also claims the chat's first message (`Handled.head`), and the caller
        must hand that to `claim_for.deliver_chat`, which sends it without a claim
        of its own (left unsent, the claim holds the chat until the lease runs out).

        A dropped database connection reruns the transaction (bot.store.retry); if
        the database stays away, the error is raised and the update stays in the
        inbox for later. Any other failure is tried again up to MAX_TRIES times in
        all; then the update is parked (bot.service.failures) in the transaction that
        claims it, with one apology, and no restart replays it.
        """
        inbound = replace(inbound, text=clean_text(inbound.text))
        attempt = 0
        while True:
            attempt += 1
            try:
                return await self._inbound_once(inbound, claim_for)
            except Exception as exc:
                if is_transient(exc):
                    raise  # the database is out of reach: nothing to park it in
                log_failure(log, inbound, exc, attempt, MAX_TRIES)
                if attempt == MAX_TRIES:
                    return await self._park(inbound, exc)

    async def _inbound_once(self, inbound: Inbound, claim_for: Outbox | None) -> Handled:
        """One try: the event's transaction, or the answer a known failure gets."""
        try:
            return await retrying(lambda: self._inbound(inbound, claim_for), what="inbound update")
        except ScriptFailure as exc:
            # The script misbehaved: apologise, hand to a person, and move the
            # conversation out of the failing state (its own kind of escalation).
            log.error(
                "script failure in %s: %s\n%s",
                inbound.channel,
                describe(exc, inbound),
                traceback_text(exc, inbound),
            )
            return await retrying(lambda: self._script_failed(inbound), what="script failure")
        except AccountMissing:
            log.warning("a linked account no longer exists (%s)", inbound.channel)
            return await retrying(
                lambda: self._notice_only(inbound, "channel.welcome", contact=True),
                what="welcome notice",
            )

    async def on_reachability(self, change: Reachability) -> Handled:
        """Mark the linked account reachable or not; nothing is said to anyone."""
        return await retrying(lambda: self._reachability(change), what="reachability")

    async def _reachability(self, change: Reachability) -> Handled:
        now = self._clock()
        async with self._sessions() as session, session.begin():
            if not await self._claim(session, change.channel, change.event_key, now):
                return Handled(duplicate=True)
            account_id = await linking.linked_account(
                session, channel=change.channel, user_key=change.user_key
            )
            account = await account_row(session, account_id) if account_id else None
            if account is not None:
                account.unreachable = not change.reachable
            return Handled()

    async def _inbound(self, inbound: Inbound, claim_for: Outbox | None) -> Handled:
        now = self._clock()
        async with self._sessions() as session, session.begin():
            if not await self._claim(session, inbound.channel, inbound.event_key, now):
                return Handled(duplicate=True)
            handled = await self._inbound_in(session, inbound, now)
            if not handled.queued or claim_for is None:
                return handled
            # The replies' first message, claimed here: the channel sends it as soon
            # as this commits, without a transaction of its own to claim it.
            await write_pending(session)  # the claim must see the replies just queued
            head = await claim_for.claim_head_in(session, inbound.channel, inbound.chat_key)
            return replace(handled, head=head)

    async def _inbound_in(self, session: AsyncSession, inbound: Inbound, now: datetime) -> Handled:
        queue = Queue(session, self._translator, self._secret, now)
        queue.after_contact = inbound.contact is not None
        command, payload = parse_command(inbound.text)
        if inbound.chat_kind is not ChatKind.PRIVATE or inbound.user_key is None:
            return await self._group(session, queue, inbound, command)
        if inbound.button is not None:
            found = await self._row(session, inbound, create=False)
            press = await pressed(
                session, queue, inbound, found, secret=self._secret, message_table=self._table
            )
            if isinstance(press, Handled):
                return press
            pressed_row, record, event = press
            return await self._run(session, queue, pressed_row, record, event, inbound)
        row = await self._row(session, inbound, create=True)
        assert row is not None  # noqa: S101 - create=True always gives one
        record = ConversationRecord.from_row(row)
        linked = await link(session, inbound, command, payload, now)
        if isinstance(linked, str):
            return await self._notice(session, queue, row, inbound, linked)
        account_id, opening = linked
        if record.account_id != account_id:
            record = record.restarted_for(account_id)
            await adopt_transcript(session, record.conversation_id, account_id)  # R17
        event = event_of(inbound, command, opening, record)
        return await self._run(session, queue, row, record, event, inbound)

    async def _run(
        self,
        session: AsyncSession,
        queue: Queue,
        row: StoredConversation,
        record: ConversationRecord,
        event: Event,
        inbound: Inbound | None,
    ) -> Handled:
        now = queue.now
        account_id = record.account_id or ""
        read = await read_account(session, account_id=account_id, now=now)
        if read is None:
            raise AccountMissing(account_id)
        account, stored = read
        if inbound is not None and stored.unreachable:
            # They wrote: reachable again. Only then: an unchanged account is not written.
            await write_account(session, account_id, unreachable=False)
        if not record.owned_by_bot:
            if inbound is not None:
                insert_at_commit(
                    session, TRANSCRIPT, transcript_in(record, event, now, for_agent=True)
                )
            await self._watch_for_crisis(session, record, event, now)
            await _save(session, record, now)
            return Handled(conversation_id=record.conversation_id)
        fresh = event.kind is EventKind.START or record.ended or not record.started
        if fresh:
            script, policy_hash = self._registry.newest(self._script_id)
            record = replace(record, script_id=script.id, policy_version=policy_hash)
            if event.kind is EventKind.START:
                chosen = inbound.locale if inbound is not None else None
                record = replace(record, locale=chosen or account.locale or locale_of(inbound))
            pinned = await self._registry.pinned(session, script.id, script.version, policy_hash)
        else:
            pinned = await self._registry.pinned(
                session, record.script_id, record.script_version, record.policy_version
            )
        said = event  # as it came, for the transcript
        if record.current not in pinned.script.states:
            event = Event(EventKind.START)
        verification = VerificationState.of(stored.verify_failures, stored.verify_locked_until, now)
        state = record.engine_state()
        state = replace(state, vars={**state.vars, **verification.engine_vars()})
        typed = typed_choice(event, record.choices, record.step)
        ctx = Context(
            account=account,
            policy=pinned.policy,
            now=now.astimezone(zone(account.timezone)),
            id_seed=uuid4().hex,  # ids unique by construction, never from a counter
        )
        if typed.kind is EventKind.TEXT and typed.text.strip():
            # Read once, here: the engine stays pure and never loads the model.
            reading = read_message(
                typed.text, account=account, locale=state.locale, today=ctx.today, model=self._model
            )
            typed = replace(typed, meaning=reading)
        if inbound is not None:  # a birth date typed or picked is never kept (R18)
            secret = gives_birth_date(pinned.script, record.current, typed)
            line = transcript_in(record, said, now, for_agent=False, secret=secret)
            insert_at_commit(session, TRANSCRIPT, line)
        result = step(pinned.script, state, typed, ctx)
        counted = verification.changes(result.state.vars, pinned.policy, now)
        if counted:
            await write_account(session, account_id, **counted)
        await apply_effects(session, effects=result.effects, conversation=row, ctx=ctx, now=now)
        region = region_of(account.timezone, account.phone)
        shown = queue.replies(row, record, result, pinned.script, region=region)
        changed = result.state.step != record.step
        record = record.after_step(result.state, shown if changed else None)
        await _save(session, record, now)
        return Handled(
            conversation_id=record.conversation_id,
            queued=tuple(queue.queued),
            # The chat menu's language: Hong Kong wording for a zh_Hant account there.
            locale=catalog_locale(record.locale, region),
        )

    async def _group(
        self, session: AsyncSession, queue: Queue, inbound: Inbound, command: str | None
    ) -> Handled:
        """R5: never a word about an account where others read; answer only when addressed."""
        if inbound.chat_kind is ChatKind.BROADCAST or command is None:
            return Handled()
        row = await self._row(session, inbound, create=True)
        assert row is not None  # noqa: S101
        return await self._notice(session, queue, row, inbound, "channel.group_refused")

    async def _notice(
        self,
        session: AsyncSession,
        queue: Queue,
        row: StoredConversation,
        inbound: Inbound,
        message_id: str,
    ) -> Handled:
        """Answer outside a dialog (not linked, a group): kept and sent like any reply."""
        record = ConversationRecord.from_row(row)
        locale = locale_of(inbound)
        insert_at_commit(
            session,
            TRANSCRIPT,
            transcript_in(
                record, Event(EventKind.TEXT, text=inbound.text or ""), queue.now, for_agent=False
            ),
        )
        contact = message_id in CONTACT_NOTICES
        queue.notice(row, message_id, locale, self._table(), contact_button=contact)
        return Handled(conversation_id=record.conversation_id, queued=tuple(queue.queued))

    async def _watch_for_crisis(
        self, session: AsyncSession, record: ConversationRecord, event: Event, now: datetime
    ) -> None:
        """With a person in charge the bot stays quiet, but a crisis still pauses
        collection and raises the person's queue: urgent, or high when possible (R12)."""
        if event.kind is not EventKind.TEXT:
            return
        level = crisis_of(event.text, model=self._model)
        if level is CrisisLevel.NONE:
            return
        await write_account(
            session, record.account_id or "", collection_paused=True, updated_at=now
        )
        raised = Priority.URGENT if level is CrisisLevel.SURE else Priority.HIGH
        await escalations.raise_priority(session, record.conversation_id, raised)

    # ---- people ----

    async def on_agent(self, action: AgentAction) -> Handled:
        """A person's action, in one transaction (rerun on a dropped connection)."""
        return await retrying(lambda: self._agent(action), what="agent action")

    async def _agent(self, action: AgentAction) -> Handled:
        now = self._clock()
        async with self._sessions() as session, session.begin():
            if not await self._claim(session, AGENT_CHANNEL, action.action_key, now):
                return Handled(duplicate=True)
            row = await locked_conversation(session, action.conversation_id)
            if row is None:
                raise AgentActionRefused(f"no conversation {action.conversation_id}")
            record = ConversationRecord.from_row(row)
            queue = Queue(session, self._translator, self._secret, now)
            insert_at_commit(session, TRANSCRIPT, transcript_note(record, action, now))

            async def resume(record: ConversationRecord, event: Event) -> Handled:
                return await self._run(session, queue, row, record, event, None)

            context = ActionContext(
                action=action,
                session=session,
                queue=queue,
                row=row,
                record=record,
                now=now,
                registry=self._registry,
                message_table=self._table,
                resume=resume,
            )
            done = await HANDLERS[action.kind](context)
            if isinstance(done, Handled):
                return done  # the engine ran, and saved the record
            await _save(session, done, now)
            return Handled(conversation_id=done.conversation_id, queued=tuple(queue.queued))

    # ---- the bot itself ----

    async def on_trigger(self, trigger: Trigger) -> Handled:
        """A bot-initiated event through the same engine. Nothing is sent to a chat a
        person owns, an account that is paused (R12, R16), opted out (R3) or unreachable;
        the desk's wait notice, an answer to the borrower's own request for a person,
        stops only for a chat that cannot be reached (desk_timers.held_back)."""
        return await retrying(lambda: self._trigger(trigger), what="trigger")

    async def _trigger(self, trigger: Trigger) -> Handled:
        now = self._clock()
        async with self._sessions() as session, session.begin():
            if not await self._claim(session, TRIGGER_CHANNEL, trigger.trigger_key, now):
                return Handled(duplicate=True)
            row = await locked_conversation(session, trigger.conversation_id)
            if row is None or row.account_id is None:
                return Handled()
            record = ConversationRecord.from_row(row)
            account = await account_row(session, row.account_id)
            if account is None or not record.owned_by_bot:
                return Handled(conversation_id=record.conversation_id)
            desk_timer = trigger.name in desk_timers.TRIGGERS  # the console's, not the script's
            if (
                desk_timers.held_back(trigger.name, account, now)
                if desk_timer
                else silenced(account, now)
                or (
                    asks_for_money(trigger.name)
                    and await nothing_to_ask(session, account.account_id, now)
                )
            ):
                return Handled(conversation_id=record.conversation_id)
            queue = Queue(session, self._translator, self._secret, now)
            if desk_timer:
                run = partial(self._run, session, queue, row, inbound=None)
                turn = desk_timers.DeskTurn(
                    session, queue, row, record, account, trigger, now, self._registry
                )
                return await desk_timers.TRIGGERS[trigger.name](turn, self._table(), run)
            event = Event(EventKind.TRIGGER, text=trigger.name)
            return await self._run(session, queue, row, record, event, None)


async def _save(session: AsyncSession, record: ConversationRecord, now: datetime) -> None:
    """The conversation as the record says (one prebuilt UPDATE, in the store)."""
    await save_conversation(session, record.conversation_id, record.columns(), now)
