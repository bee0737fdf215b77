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
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from html import escape
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from bot.domain.accounts import breathing_space_on, catalog_locale
from bot.domain.regions import region_of
from bot.engine.machine import step
from bot.engine.types import Context, EscalationReason, Event, EventKind, Priority
from bot.errors import AccountMissing, RepaybotError, ScriptFailure
from bot.i18n.render import Translator, locale_for_telegram
from bot.service import buttons, linking
from bot.service.choice_matching import match_choice
from bot.service.effects import apply_effects
from bot.service.events import (
    AgentAction,
    AgentActionKind,
    ChatKind,
    Handled,
    Inbound,
    Reachability,
    Trigger,
)
from bot.service.failures import (
    AlreadyReplayed,
    NoSuchFailedUpdate,
    ReplayFailed,
    claim_for_replay,
    describe,
    failed_again,
    inbound_of,
    park,
    traceback_text,
)
from bot.service.inbox import Claim, claim_kept
from bot.service.meaning import read_message
from bot.service.outbox import Outbox
from bot.service.queueing import TRANSCRIPT, Queue, transcript_line
from bot.service.record import (
    BOT,
    RECORD_COLUMNS,
    ConversationRecord,
    StoredConversation,
    agent_owner,
)
from bot.service.text import clean_text, parse_command
from bot.service.verification import VerificationState
from bot.service.versions import ScriptRegistry
from bot.store.pending import insert_at_commit, write_pending
from bot.store.repositories import read_account, write_account
from bot.store.retry import is_transient, retrying
from bot.store.tables import (
    AccountRow,
    ConversationRow,
    EscalationRow,
    FailedUpdateRow,
    OutboxRow,
    ProcessedUpdateRow,
    table_of,
)
from bot.understanding import is_crisis
from bot.understanding.model import IntentModel

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
AGENT_CHANNEL = "agent"
TRIGGER_CHANNEL = "trigger"


class AgentActionRefused(RepaybotError):
    """A person's action that does not fit the conversation (not theirs, unknown state)."""


class AlreadyTaken(AgentActionRefused):
    """Someone else holds the conversation: take it only after they transfer or release it."""


class Runtime:
    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        registry: ScriptRegistry,
        translator: Translator,
        button_secret: bytes,
        clock: Clock,
        model: IntentModel,
        script_id: str = "repayment",
    ) -> None:
        """`model`: the intent model `build_app` built once; every message is read with it."""
        self._sessions = sessions
        self._registry = registry
        self._translator = translator
        self._secret = button_secret
        self._clock = clock
        self._script_id = script_id
        self._model = model

    def now(self) -> datetime:
        return self._clock()

    @property
    def registry(self) -> ScriptRegistry:
        return self._registry

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
                _log_failure(inbound, exc, attempt)
                if attempt == MAX_TRIES:
                    return await self._park(inbound, exc)

    async def _inbound_once(self, inbound: Inbound, claim_for: Outbox | None) -> Handled:
        """One try: the event's transaction, or the answer a known failure gets."""
        try:
            return await retrying(lambda: self._inbound(inbound, claim_for), what="inbound update")
        except ScriptFailure as exc:
            # The script misbehaved: apologise, hand to a person, and move the
            # conversation out of the failing state (its own kind of escalation).
            log.error("script failure in %s: %s", inbound.channel, describe(exc, inbound))
            return await retrying(lambda: self._script_failed(inbound), what="script failure")
        except AccountMissing:
            log.warning("a linked account no longer exists (%s)", inbound.channel)
            return await retrying(
                lambda: self._notice_only(inbound, "channel.welcome", contact=True),
                what="welcome notice",
            )

    async def _park(self, inbound: Inbound, failure: Exception) -> Handled:
        """Park the update that failed every try, with one apology; if even the
        apology cannot be written (the chat itself is the trouble), park it alone."""
        error, trace = describe(failure, inbound), traceback_text(failure, inbound)
        try:
            handled = await retrying(
                lambda: self._park_in(inbound, error, trace, apologise=True), what="parking"
            )
        except Exception as exc:
            if is_transient(exc):
                raise
            log.error("no apology for update %s: %s", inbound.event_key, describe(exc, inbound))
            handled = await retrying(
                lambda: self._park_in(inbound, error, trace, apologise=False), what="parking"
            )
        if not handled.duplicate:
            key, channel = inbound.event_key, inbound.channel
            log.error("update %s in %s parked after %d tries", key, channel, MAX_TRIES)
        return handled

    async def _park_in(
        self, inbound: Inbound, error: str, trace: str, *, apologise: bool
    ) -> Handled:
        now = self._clock()
        async with self._sessions() as session, session.begin():
            if not await self._claim(session, inbound.channel, inbound.event_key, now):
                return Handled(duplicate=True)
            park(session, inbound, error=error, trace=trace, attempts=MAX_TRIES, now=now)
            if not apologise or inbound.chat_kind is not ChatKind.PRIVATE:
                return Handled()
            row = await self._row(session, inbound, create=True)
            assert row is not None  # noqa: S101 - create=True always gives one
            queue = Queue(session, self._translator, self._secret, now)
            locale = row.locale if row.started else _locale_of(inbound)
            queue.notice(row, "channel.error", locale, self._table())
            return Handled(conversation_id=row.id, queued=tuple(queue.queued))

    async def replay_failed(self, failed_id: int) -> Handled:
        """`repaybot inbox retry ID`: handle a parked update again, once.

        Raises NoSuchFailedUpdate or AlreadyReplayed, or ReplayFailed when handling
        fails again (the update stays parked, with the new error and traceback).
        The replies are queued in the outbox; the running bot sends them."""
        try:
            return await retrying(lambda: self._replay(failed_id), what="replaying an update")
        except (NoSuchFailedUpdate, AlreadyReplayed):
            raise
        except Exception as exc:
            if is_transient(exc):
                raise
            inbound = await retrying(lambda: self._parked_inbound(failed_id), what="replay")
            error, trace = describe(exc, inbound), traceback_text(exc, inbound)
            await retrying(
                lambda: failed_again(
                    self._sessions,
                    failed_id,
                    error=error,
                    trace=trace,
                    now=self._clock(),
                ),
                what="replay",
            )
            raise ReplayFailed(error) from exc

    async def _replay(self, failed_id: int) -> Handled:
        now = self._clock()
        async with self._sessions() as session, session.begin():
            inbound = await claim_for_replay(session, failed_id, now)
            return await self._inbound_in(session, inbound, now)

    async def _parked_inbound(self, failed_id: int) -> Inbound:
        async with self._sessions() as session:
            row = await session.get(FailedUpdateRow, failed_id)
            if row is None:
                raise NoSuchFailedUpdate(failed_id)
            return inbound_of(dict(row.inbound))

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
            account = await session.get(AccountRow, account_id) if account_id else None
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
            return await self._button(session, queue, inbound)
        row = await self._row(session, inbound, create=True)
        assert row is not None  # noqa: S101 - create=True always gives one
        record = ConversationRecord.from_row(row)
        linked = await self._link(session, inbound, command, payload, now)
        if isinstance(linked, str):
            return await self._notice(session, queue, row, inbound, linked)
        account_id, opening = linked
        if record.account_id != account_id:
            record = record.restarted_for(account_id)
        event = _event(inbound, command, opening, record)
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
        if inbound is not None:
            if stored.unreachable:
                # They wrote: reachable again. Only then: an unchanged account is not written.
                await write_account(session, account_id, unreachable=False)
            insert_at_commit(
                session,
                TRANSCRIPT,
                _transcript_in(record, event, now, for_agent=not record.owned_by_bot),
            )
        if not record.owned_by_bot:
            await self._watch_for_crisis(session, record, event, now)
            await _save(session, record, now)
            return Handled(conversation_id=record.conversation_id)
        fresh = event.kind is EventKind.START or record.ended or not record.started
        if fresh:
            script, policy_hash = self._registry.newest(self._script_id)
            record = replace(record, script_id=script.id, policy_version=policy_hash)
            if event.kind is EventKind.START:
                chosen = inbound.locale if inbound is not None else None
                record = replace(record, locale=chosen or account.locale or _locale_of(inbound))
            pinned = await self._registry.pinned(session, script.id, script.version, policy_hash)
        else:
            pinned = await self._registry.pinned(
                session, record.script_id, record.script_version, record.policy_version
            )
        if record.current not in pinned.script.states:
            event = Event(EventKind.START)
        verification = VerificationState.of(stored.verify_failures, stored.verify_locked_until, now)
        state = record.engine_state()
        state = replace(state, vars={**state.vars, **verification.engine_vars()})
        typed = _typed_choice(event, record.choices, record.step)
        ctx = Context(
            account=account,
            policy=pinned.policy,
            now=now.astimezone(_zone(account.timezone)),
            id_seed=uuid4().hex,  # ids unique by construction, never from a counter
        )
        if typed.kind is EventKind.TEXT and typed.text.strip():
            # Read once, here: the engine stays pure and never loads the model.
            reading = read_message(
                typed.text, account=account, locale=state.locale, today=ctx.today, model=self._model
            )
            typed = replace(typed, meaning=reading)
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

    async def _button(self, session: AsyncSession, queue: Queue, inbound: Inbound) -> Handled:
        """Button data is untrusted: the press must come from the chat's own user, for
        this conversation, at its current step. Anything else changes nothing and
        says nothing in the chat; the presser alone sees a short notice."""
        ref = buttons.decode(inbound.button, self._secret)
        row = await self._row(session, inbound, create=False)
        if (
            ref is None
            or row is None
            or row.id != ref.conversation_id
            or row.user_key != inbound.user_key
        ):
            return Handled()
        record = ConversationRecord.from_row(row)
        if ref.step != record.step or not 0 <= ref.index < len(record.choices):
            notice = queue.text(f"{record.script_id}.stale_choice", record.locale, self._table())
            return Handled(conversation_id=record.conversation_id, notice=notice)
        choice, label = record.choices[ref.index]
        if inbound.message_key is not None:
            shown = await _shown_html(
                session, inbound.channel, inbound.chat_key, inbound.message_key
            )
            if shown is not None:
                queue.answering(inbound.message_key, shown, label)
        event = Event(EventKind.CHOICE, choice=choice, step=ref.step)
        return await self._run(session, queue, row, record, event, inbound)

    async def _group(
        self, session: AsyncSession, queue: Queue, inbound: Inbound, command: str | None
    ) -> Handled:
        """R5: never a word about an account where others read; answer only when addressed."""
        if inbound.chat_kind is ChatKind.BROADCAST or command is None:
            return Handled()
        row = await self._row(session, inbound, create=True)
        assert row is not None  # noqa: S101
        return await self._notice(session, queue, row, inbound, "channel.group_refused")

    async def _link(
        self,
        session: AsyncSession,
        inbound: Inbound,
        command: str | None,
        payload: str,
        now: datetime,
    ) -> tuple[str, bool] | str:
        """(account id, whether this opens the conversation), or the notice to give."""
        user_key = inbound.user_key or ""
        if command == "start" and payload:
            redeemed = await linking.redeem_token(
                session, token=payload, channel=inbound.channel, user_key=user_key, now=now
            )
            if redeemed.outcome is linking.LinkOutcome.LINKED and redeemed.account_id:
                return redeemed.account_id, True
            if redeemed.outcome is linking.LinkOutcome.ALREADY_YOURS and redeemed.account_id:
                current = await linking.linked_account(
                    session, channel=inbound.channel, user_key=user_key
                )
                if current == redeemed.account_id:
                    return redeemed.account_id, False  # back to where they are
            return "channel.link_invalid"
        if inbound.contact is not None:
            contact = await linking.link_by_contact(
                session,
                phone=inbound.contact.phone,
                contact_user_id=inbound.contact.owner_key,
                sender_id=user_key,
                channel=inbound.channel,
                now=now,
            )
            if contact.outcome is linking.LinkOutcome.NOT_OWN_CONTACT:
                return "channel.phone_not_own"
            if contact.account_id is None:
                return "channel.phone_unknown"
            return contact.account_id, True
        account_id = await linking.linked_account(
            session, channel=inbound.channel, user_key=user_key
        )
        if account_id is None:
            return "channel.welcome"
        return account_id, command == "start"

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
        locale = _locale_of(inbound)
        insert_at_commit(
            session,
            TRANSCRIPT,
            _transcript_in(
                record, Event(EventKind.TEXT, text=inbound.text or ""), queue.now, for_agent=False
            ),
        )
        contact = message_id in CONTACT_NOTICES
        queue.notice(row, message_id, locale, self._table(), contact_button=contact)
        return Handled(conversation_id=record.conversation_id, queued=tuple(queue.queued))

    async def _notice_only(self, inbound: Inbound, message_id: str, *, contact: bool) -> Handled:
        """An answer in a transaction of its own (after the event's own failed), which
        claims the update: a failure here is the caller's to count (see on_inbound)."""
        if inbound.chat_kind is not ChatKind.PRIVATE:
            return Handled()
        now = self._clock()
        async with self._sessions() as session, session.begin():
            if not await self._claim(session, inbound.channel, inbound.event_key, now):
                return Handled(duplicate=True)
            row = await self._row(session, inbound, create=True)
            assert row is not None  # noqa: S101
            queue = Queue(session, self._translator, self._secret, now)
            locale = row.locale if row.started else _locale_of(inbound)
            queue.notice(row, message_id, locale, self._table(), contact_button=contact)
            return Handled(conversation_id=row.id, queued=tuple(queue.queued))

    async def _script_failed(self, inbound: Inbound) -> Handled:
        now = self._clock()
        async with self._sessions() as session, session.begin():
            if not await self._claim(session, inbound.channel, inbound.event_key, now):
                return Handled(duplicate=True)
            row = await self._row(session, inbound, create=True)
            assert row is not None  # noqa: S101
            record = ConversationRecord.from_row(row)
            queue = Queue(session, self._translator, self._secret, now)
            ticket = f"T-{uuid4().hex[:10].upper()}"
            session.add(
                EscalationRow(
                    ticket=ticket,
                    account_id=record.account_id,
                    conversation_id=record.conversation_id,
                    reason=EscalationReason.SCRIPT_FAILURE.value,
                    priority=Priority.HIGH.value,
                    status="open",
                    created_at=now,
                )
            )
            # Out of the failing state: the next message starts cleanly.
            await _save(session, replace(record, frames=(), choices=(), ended=True), now)
            queue.notice(row, "channel.script_error", record.locale, self._table(), ticket=ticket)
            return Handled(conversation_id=record.conversation_id, queued=tuple(queue.queued))

    async def _watch_for_crisis(
        self, session: AsyncSession, record: ConversationRecord, event: Event, now: datetime
    ) -> None:
        """With a person in charge the bot stays quiet, but a crisis still pauses
        collection and raises the person's queue to urgent (R12)."""
        if event.kind is not EventKind.TEXT:
            return
        if not is_crisis(event.text, model=self._model):
            return
        await session.execute(
            update(AccountRow)
            .where(col(AccountRow.account_id) == record.account_id)
            .values(collection_paused=True, updated_at=now)
        )
        await session.execute(
            update(EscalationRow)
            .where(col(EscalationRow.conversation_id) == record.conversation_id)
            .where(col(EscalationRow.status) != "closed")
            .values(priority=Priority.URGENT.value)
        )

    # ---- people ----

    async def on_agent(self, action: AgentAction) -> Handled:
        """A person's action, in one transaction (rerun on a dropped connection)."""
        return await retrying(lambda: self._agent(action), what="agent action")

    async def _agent(self, action: AgentAction) -> Handled:
        now = self._clock()
        async with self._sessions() as session, session.begin():
            if not await self._claim(session, AGENT_CHANNEL, action.action_key, now):
                return Handled(duplicate=True)
            row = await session.get(ConversationRow, action.conversation_id, with_for_update=True)
            if row is None:
                raise AgentActionRefused(f"no conversation {action.conversation_id}")
            record = ConversationRecord.from_row(row)
            queue = Queue(session, self._translator, self._secret, now)
            owner = agent_owner(action.agent)
            insert_at_commit(session, TRANSCRIPT, _agent_note(record, action, now))
            if action.kind is AgentActionKind.TAKE_OVER:
                if record.owner not in (BOT, owner):
                    raise AlreadyTaken(f"held by {record.owner}")
                if record.owner != owner:
                    # The borrower is told, in their language, that a person is here now.
                    queue.notice(row, "agent.joined", record.locale, self._table())
                record = replace(record, owner=owner)
                await session.execute(
                    update(EscalationRow)
                    .where(col(EscalationRow.conversation_id) == record.conversation_id)
                    .where(col(EscalationRow.status) == "open")
                    .values(status="taken", owner=owner)
                )
            elif action.kind is AgentActionKind.REPLY:
                if record.owner != owner:
                    raise AgentActionRefused("take the conversation over before replying")
                queue.raw(row, action.text, agent=action.agent)
            elif action.kind is AgentActionKind.HAND_BACK:
                if record.owner != owner:
                    raise AgentActionRefused("only the person who owns it can hand it back")
                record = replace(record, owner=BOT)
                event = Event(EventKind.RESUME, text=action.state)
                pinned = await self._registry.pinned(
                    session, record.script_id, record.script_version, record.policy_version
                )
                if action.state not in pinned.script.states:
                    raise AgentActionRefused(f"no state {action.state!r} in the script")
                if action.outcome:
                    await _close_escalations(session, record.conversation_id, action.outcome, now)
                return await self._run(session, queue, row, record, event, None)
            elif action.kind is AgentActionKind.UNLOCK_VERIFICATION:
                await session.execute(
                    update(AccountRow)
                    .where(col(AccountRow.account_id) == record.account_id)
                    .values(verify_failures=0, verify_locked_until=None, updated_at=now)
                )
            elif action.kind is AgentActionKind.RECORD_OUTCOME:
                closed = await session.execute(
                    update(EscalationRow)
                    .where(col(EscalationRow.conversation_id) == record.conversation_id)
                    .where(col(EscalationRow.ticket) == action.ticket)
                    .values(status="closed", outcome=action.outcome, closed_at=now)
                    .execution_options(synchronize_session=False)
                )
                if int(getattr(closed, "rowcount", 0) or 0) == 0:
                    raise AgentActionRefused(f"no escalation {action.ticket!r} here")
                # A person's work here is done: the bot listens again (silently).
                record = replace(record, owner=BOT)
            elif action.kind is AgentActionKind.NOTE:
                pass  # the transcript line above is the note; nothing is sent
            elif action.kind is AgentActionKind.TRANSFER:
                record = await _transfer(session, record, owner, agent_owner(action.to))
            elif action.kind is AgentActionKind.RELEASE:
                record = await _transfer(session, record, owner, BOT)
            await _save(session, record, now)
            return Handled(conversation_id=record.conversation_id, queued=tuple(queue.queued))

    # ---- the bot itself ----

    async def on_trigger(self, trigger: Trigger) -> Handled:
        """A bot-initiated event through the same engine. Nothing is sent to a chat a
        person owns, an account that is paused (R12, R16), opted out (R3) or unreachable."""
        return await retrying(lambda: self._trigger(trigger), what="trigger")

    async def _trigger(self, trigger: Trigger) -> Handled:
        now = self._clock()
        async with self._sessions() as session, session.begin():
            if not await self._claim(session, TRIGGER_CHANNEL, trigger.trigger_key, now):
                return Handled(duplicate=True)
            row = await session.get(ConversationRow, trigger.conversation_id, with_for_update=True)
            if row is None or row.account_id is None:
                return Handled()
            record = ConversationRecord.from_row(row)
            account = await session.get(AccountRow, row.account_id)
            if account is None or not record.owned_by_bot:
                return Handled(conversation_id=record.conversation_id)
            today = now.astimezone(_zone(account.timezone)).date()
            if (
                account.collection_paused
                or breathing_space_on(
                    account.breathing_space,
                    account.breathing_space_until,
                    today,
                    account.breathing_space_from,
                )
                or account.opted_out
                or account.unreachable
            ):
                return Handled(conversation_id=record.conversation_id)
            queue = Queue(session, self._translator, self._secret, now)
            event = Event(EventKind.TRIGGER, text=trigger.name)
            return await self._run(session, queue, row, record, event, None)

    # ---- storage helpers ----

    async def _claim(
        self, session: AsyncSession, channel: str, key: str | None, now: datetime
    ) -> bool:
        """Claim the event in this transaction; False when it was handled before.

        An update kept in the inbox is claimed by stamping it handled there (one
        UPDATE). Any other event, or one that never went through the inbox, by one
        INSERT ... ON CONFLICT DO NOTHING into processed_updates. Either way a
        duplicate, even one racing in from another process, is recognised without an
        error that would end the transaction.
        """
        if key is None:
            return True
        if channel in INBOX_CHANNELS:
            kept = await claim_kept(session, channel, key, now)
            if kept is not Claim.NOT_KEPT:
                return kept is Claim.FIRST
        claim = _CLAIM_UPDATE[session.get_bind().dialect.name]
        claimed = await session.execute(
            claim, {"channel": channel, "update_key": key, "processed_at": now}
        )
        return int(getattr(claimed, "rowcount", 0) or 0) == 1

    async def _row(
        self, session: AsyncSession, inbound: Inbound, *, create: bool
    ) -> StoredConversation | None:
        # Locked on PostgreSQL (and by BEGIN IMMEDIATE on SQLite): one chat's events
        # are handled one after the other, whichever process receives them. Read as
        # a Core row: the event only reads it, and saves its record with one UPDATE.
        found = await session.execute(
            _CONVERSATION, {"the_channel": inbound.channel, "the_chat": inbound.chat_key}
        )
        stored: StoredConversation | None = found.one_or_none()
        if stored is not None or not create:
            return stored
        now = self._clock()
        script, policy_hash = self._registry.newest(self._script_id)
        row = ConversationRow(
            channel=inbound.channel,
            chat_key=inbound.chat_key,
            user_key=inbound.user_key,
            owner=BOT,
            script_id=script.id,
            script_version=script.version,
            policy_version=policy_hash,
            locale=_locale_of(inbound),
            frames=[],
            choices=[],
            vars={},
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        await session.flush()
        return row

    def _table(self) -> dict[str, object]:
        script, _ = self._registry.newest(self._script_id)
        return script.message_table()  # type: ignore[return-value]


# Tries of one update before it is parked: a bug that meets one input fails every
# time, and each try costs a transaction; a lost connection is not counted.
MAX_TRIES = 3
# Channels that keep updates in the inbox before confirming them (see polling.py).
INBOX_CHANNELS = frozenset({"telegram"})
CONTACT_NOTICES = frozenset({"channel.welcome", "channel.link_invalid", "channel.phone_not_own"})

# The statements of every event, built once (building one costs more than running
# it on SQLite) and run with parameters.
_PROCESSED = table_of(ProcessedUpdateRow)
_ACCOUNTS = table_of(AccountRow)
_CONVERSATIONS = table_of(ConversationRow)
_OUTBOX = table_of(OutboxRow)
# The latest row sent as a channel message (ix_outbox_chat finds it).
_SHOWN_AS = (
    select(_OUTBOX.c.payload)
    .where(_OUTBOX.c.channel == bindparam("the_channel"))
    .where(_OUTBOX.c.chat_key == bindparam("the_chat"))
    .where(_OUTBOX.c.external_message_id == bindparam("the_message"))
    .order_by(_OUTBOX.c.id.desc())
    .limit(1)
)
_SAVE_CONVERSATION = (
    update(_CONVERSATIONS)
    .where(_CONVERSATIONS.c.id == bindparam("the_id"))
    .values({name: bindparam(f"new_{name}") for name in (*RECORD_COLUMNS, "updated_at")})
)
# Claiming an update: one INSERT ... ON CONFLICT DO NOTHING per dialect.
_CLAIM_UPDATE: dict[str, Any] = {
    "postgresql": postgresql_insert(_PROCESSED).on_conflict_do_nothing(),
    "sqlite": sqlite_insert(_PROCESSED).on_conflict_do_nothing(),
}
_CONVERSATION = (
    select(_CONVERSATIONS)
    .where(
        _CONVERSATIONS.c.channel == bindparam("the_channel"),
        _CONVERSATIONS.c.chat_key == bindparam("the_chat"),
    )
    .with_for_update()
)


def _log_failure(inbound: Inbound, error: Exception, attempt: int) -> None:
    """The kind and message of a failure, the traceback at debug level; never the
    borrower's text (bot.service.failures.describe takes their input out)."""
    log.error(
        "update %s failed in %s (try %d of %d): %s",
        inbound.event_key,
        inbound.channel,
        attempt,
        MAX_TRIES,
        describe(error, inbound),
    )
    if log.isEnabledFor(logging.DEBUG):
        # As text, not exc_info: the log's filter withholds exc_info whole (bot.logs).
        log.debug("traceback of update %s:\n%s", inbound.event_key, traceback_text(error, inbound))


def _event(
    inbound: Inbound, command: str | None, opening: bool, record: ConversationRecord
) -> Event:
    if opening or (command == "start" and not record.started):
        return Event(EventKind.START)
    if command == "start" or (inbound.contact is not None):
        # Their own link again, or /start mid-conversation: back to where they are.
        return (
            Event(EventKind.RESUME, text=record.current or "")
            if record.current
            else Event(EventKind.START)
        )
    if command is not None:
        return Event(EventKind.COMMAND, text=command)
    return Event(EventKind.TEXT, text=inbound.text or "")


async def _shown_html(
    session: AsyncSession, channel: str, chat_key: str, message_key: str
) -> str | None:
    """What the message with this channel id shows now (the latest row sent as it:
    a multi-select edited in place is one message for several rows)."""
    found = await session.execute(
        _SHOWN_AS, {"the_channel": channel, "the_chat": chat_key, "the_message": message_key}
    )
    payload = found.scalar_one_or_none()
    if not isinstance(payload, dict):
        return None
    html = payload.get("html")
    return str(html) if html is not None else escape(str(payload.get("text", "")), quote=False)


async def _save(session: AsyncSession, record: ConversationRecord, now: datetime) -> None:
    """The conversation as the record says, with one prebuilt UPDATE: the ORM's flush
    of the row (each attribute's history, the JSON columns compared by value) cost
    more than the statement."""
    values = {f"new_{name}": value for name, value in record.columns().items()}
    await session.execute(
        _SAVE_CONVERSATION, {**values, "new_updated_at": now, "the_id": record.conversation_id}
    )


def _typed_choice(event: Event, shown: tuple[tuple[str, str], ...], step_no: int) -> Event:
    if event.kind is not EventKind.TEXT:
        return event
    choice = match_choice(event.text, list(shown))
    if choice is None:
        return event
    return Event(EventKind.CHOICE, text=event.text, choice=choice, step=step_no)


def _locale_of(inbound: Inbound | None) -> str:
    return locale_for_telegram(inbound.language_tag if inbound is not None else None)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _transcript_in(
    record: ConversationRecord, event: Event, now: datetime, *, for_agent: bool
) -> dict[str, Any]:
    payload: dict[str, object] | None = None
    if event.kind is EventKind.CHOICE:
        payload = {"choice": event.choice, "step": event.step}
    if for_agent:
        payload = {**(payload or {}), "for_agent": True}
    return transcript_line(
        conversation_id=record.conversation_id,
        account_id=record.account_id,
        direction="in",
        kind=event.kind.value,
        text=event.text if event.kind is not EventKind.CHOICE else event.choice,
        payload=payload,
        script_version=record.script_version,
        created_at=now,
    )


def _agent_note(record: ConversationRecord, action: AgentAction, now: datetime) -> dict[str, Any]:
    return transcript_line(
        conversation_id=record.conversation_id,
        account_id=record.account_id,
        direction="evt",
        kind="agent",
        text=action.text if action.kind is AgentActionKind.NOTE else action.state or action.outcome,
        payload={
            "action": action.kind.value,
            "agent": action.agent,
            "ticket": action.ticket or None,
            **({"to": action.to} if action.to else {}),
        },
        script_version=record.script_version,
        created_at=now,
    )


async def _transfer(
    session: AsyncSession, record: ConversationRecord, holder: str, to: str
) -> ConversationRecord:
    """Give a held conversation to another person, or back to the queue (`to` is BOT):
    the open escalation follows; only its holder may pass it on."""
    if record.owner != holder:
        raise AgentActionRefused("only the person who holds it can pass it on")
    if to == holder:
        raise AgentActionRefused("it is yours already")
    status, escalation_owner = ("open", "queue") if to == BOT else ("taken", to)
    await session.execute(
        update(EscalationRow)
        .where(col(EscalationRow.conversation_id) == record.conversation_id)
        .where(col(EscalationRow.status) != "closed")
        .values(status=status, owner=escalation_owner)
    )
    return replace(record, owner=to)


async def _close_escalations(
    session: AsyncSession, conversation_id: int, outcome: str, now: datetime
) -> None:
    """A hand-back with an outcome closes what the person was asked about."""
    await session.execute(
        update(EscalationRow)
        .where(col(EscalationRow.conversation_id) == conversation_id)
        .where(col(EscalationRow.status) != "closed")
        .values(status="closed", outcome=outcome[:32], closed_at=now)
    )
