"""One sending pace per bot token, whatever the number of processes (issue 31 point 4).

Every message (a send or an edit) takes the next free slot first: slots are 1/rate
apart, so no second ever holds more than `rate` of them. A reply to a borrower
writing now books the next slot however far ahead it is; outreach (reminders) takes
one only when the queue ahead is shorter than OUTREACH_AHEAD, so replies always go
first and outreach fills the rest. Telegram's 429 pauses every sender of the bot
until its retry_after has passed, not just the row that met it.

Where the slots live: `LocalSlots` in memory (SQLite: one process serves), or a
row of `send_rates` moved on by one conditional UPDATE (PostgreSQL: every process
shares it; bot.store.send_rate). Pacing is on the wall clock (seconds since the
epoch): processes on several machines need their clocks in step (NTP), as Telegram
counts on its own.

A chat's messages go in order through one process at a time (the outbox's head
claim), so the pace per chat is kept in this process: a burst of `chat_burst`,
then one every `seconds_per_chat_message`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from bot.domain.sending import SendingPolicy
from bot.errors import RetryLater

OUTREACH_AHEAD = 0.2  # seconds of queued slots outreach may book behind
# Network and scheduling jitter bunch messages booked evenly: pace a little below
# the limit so Telegram, counting arrivals, never sees more than it.
HEADROOM = 0.85
# A sender that wakes this much after its slot (the event loop was busy) books again
# rather than send late beside the slots after it: messages leave within LATE of
# their slot, so no second ever takes more than its share.
LATE = 0.05
MAX_WAIT = 20.0  # a longer wait (a 429's pause) goes back to the outbox as a retry


@dataclass(frozen=True)
class Booking:
    """A slot taken (`at`), or none now: try again at `retry_at`."""

    at: float | None
    retry_at: float = 0.0


class Slots(Protocol):
    """Where one bot's slots are kept: in this process, or shared in the database."""

    async def book(self, now: float, interval: float, outreach: bool) -> Booking: ...

    async def pause_until(self, until: float) -> None: ...

    async def paused_until(self) -> float:
        """Until when the bot is paused (a 429 since a slot was booked ahead)."""
        ...


def book_slot(
    next_slot: float, paused_until: float, now: float, interval: float, outreach: bool
) -> tuple[Booking, float]:
    """The rule both stores apply: (the booking, the new next_slot)."""
    if paused_until > now:
        return Booking(None, paused_until), next_slot
    if outreach and next_slot > now + OUTREACH_AHEAD:
        return Booking(None, next_slot - OUTREACH_AHEAD), next_slot
    slot = max(next_slot, now)
    return Booking(slot), slot + interval


class LocalSlots:
    """One process's slots (SQLite, where one process serves)."""

    def __init__(self) -> None:
        self._next = 0.0
        self._paused_until = 0.0

    async def book(self, now: float, interval: float, outreach: bool) -> Booking:
        booking, self._next = book_slot(self._next, self._paused_until, now, interval, outreach)
        return booking

    async def pause_until(self, until: float) -> None:
        self._paused_until = max(self._paused_until, until)

    async def paused_until(self) -> float:
        return self._paused_until


class Pace:
    """Waits for the bot's next slot and the chat's, before each message it sends."""

    def __init__(
        self,
        slots: Slots,
        policy: SendingPolicy,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._slots = slots
        self._sleep = sleep
        self.rate = policy.messages_per_second * HEADROOM
        self.paid = policy.allow_paid_broadcast
        self._interval = 1.0 / self.rate
        self._chat_gap = policy.seconds_per_chat_message
        self._chat_burst = policy.chat_burst
        self._clock = clock
        # chat -> the moment its burst allowance is whole again
        self._chat_full_at: dict[int, float] = {}

    async def take(self, chat_id: int, *, outreach: bool, max_wait: float = MAX_WAIT) -> None:
        """Wait for the chat's turn, then the bot's: RetryLater when that is too far."""
        await self._chat_turn(chat_id, max_wait)
        while True:
            now = self._clock()
            booking = await self._slots.book(now, self._interval, outreach)
            slot = booking.at
            if slot is not None:
                if slot <= now:
                    return  # booked with the pause checked, in one step
                await self._sleep(slot - now)
                # A 429 may have paused the bot while this waited for its slot.
                paused = await self._slots.paused_until()
                now = self._clock()
                if paused > now:
                    booking = Booking(None, paused)
                elif now - slot > LATE:
                    continue  # woke too late: a fresh slot, not a burst
                else:
                    return
            wait = booking.retry_at - now
            if wait > max_wait:
                raise RetryLater(wait)
            await self._sleep(max(wait, self._interval))

    async def pause(self, seconds: float) -> None:
        """Telegram said 429: nothing of this bot goes out for `seconds`."""
        await self._slots.pause_until(self._clock() + seconds)

    async def _chat_turn(self, chat_id: int, max_wait: float) -> None:
        """A token bucket per chat: `chat_burst` at once, then one per gap."""
        if self._chat_gap <= 0:
            return
        now = self._clock()
        span = self._chat_gap * self._chat_burst
        full_at = max(self._chat_full_at.get(chat_id, now), now)
        start = full_at - span  # the moment the bucket would have been empty
        wait = max(0.0, start + self._chat_gap - now)  # until one token is there
        if wait > max_wait:
            raise RetryLater(wait)
        self._chat_full_at[chat_id] = max(full_at, now + wait) + self._chat_gap
        if len(self._chat_full_at) > 10_000:
            self._forget(now)
        if wait > 0:
            await self._sleep(wait)

    def _forget(self, now: float) -> None:
        for chat, full_at in list(self._chat_full_at.items()):
            if full_at <= now:
                del self._chat_full_at[chat]
