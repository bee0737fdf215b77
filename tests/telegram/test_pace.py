"""The pace's rules on a controlled clock: the rate in every second, the pause, the
chat's burst, replies before outreach (bot/channels/telegram/pace.py)."""

from __future__ import annotations

import asyncio
import math

import pytest

from bot.channels.telegram.pace import HEADROOM, OUTREACH_AHEAD, LocalSlots, Pace
from bot.domain.sending import SendingPolicy
from bot.errors import RetryLater


class Clock:
    """Seconds that pass only when a sender sleeps."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)


def _pace(clock: Clock, rate: float = 10, **policy: object) -> Pace:
    return Pace(
        LocalSlots(),
        SendingPolicy(messages_per_second=rate, **policy),
        clock=clock,
        sleep=clock.sleep,
    )


def _most_in_a_second(times: list[float]) -> int:
    most, first = 0, 0
    for last, moment in enumerate(times):
        while moment - times[first] >= 1.0:
            first += 1
        most = max(most, last - first + 1)
    return most


async def test_no_second_holds_more_than_the_rate_one_chat_each() -> None:
    clock = Clock()
    pace = _pace(clock)
    sent = []
    for chat in range(100):
        await pace.take(chat, outreach=False)
        sent.append(clock())
    assert _most_in_a_second(sent) == math.ceil(10 * HEADROOM) <= 10
    assert sent[-1] - sent[0] == pytest.approx(99 / (10 * HEADROOM))


async def test_a_chat_gets_a_burst_of_three_then_one_a_second() -> None:
    clock = Clock()
    pace = _pace(clock, rate=30)
    start = clock()
    sent = []
    for _ in range(6):
        await pace.take(42, outreach=False)
        sent.append(round(clock() - start, 3))
    assert sent[:3] == pytest.approx([0, 1 / 25.5, 2 / 25.5], abs=1e-3)  # the bot's slots only
    # Then one a second, counted from the first: the burst is a second's worth of three.
    assert sent[3:] == pytest.approx([1.0, 2.0, 3.0], abs=0.05)


async def test_a_429_pauses_every_sender_and_a_long_pause_goes_back_to_the_outbox() -> None:
    clock = Clock()
    pace = _pace(clock)
    await pace.take(1, outreach=False)
    paused_at = clock()
    await pace.pause(3)
    await pace.take(2, outreach=False)
    assert clock() - paused_at >= 3
    await pace.pause(60)
    with pytest.raises(RetryLater) as waited:
        await pace.take(3, outreach=True)
    assert waited.value.seconds == pytest.approx(60, abs=0.5)


async def test_outreach_books_only_a_little_ahead_so_a_reply_goes_next() -> None:
    clock = Clock()
    slots = LocalSlots()
    pace = Pace(slots, SendingPolicy(messages_per_second=10), clock=clock, sleep=clock.sleep)
    interval = 1 / (10 * HEADROOM)
    # Three replies booked ahead: outreach may not queue behind them yet...
    for _ in range(4):
        await slots.book(clock(), interval, outreach=False)
    booked = await slots.book(clock(), interval, outreach=True)
    assert booked.at is None and booked.retry_at > clock()
    # ...while a reply always gets the next slot, however far ahead.
    reply = await slots.book(clock(), interval, outreach=False)
    assert reply.at == pytest.approx(clock() + 5 * interval)
    assert 5 * interval > OUTREACH_AHEAD
    await pace.take(7, outreach=True)  # waits until the queue is short, then goes
    assert reply.at is not None and clock() >= reply.at - OUTREACH_AHEAD


def test_the_policy_allows_thirty_free_and_a_thousand_paid() -> None:
    assert SendingPolicy().messages_per_second == 30
    with pytest.raises(ValueError, match="allow_paid_broadcast"):
        SendingPolicy(messages_per_second=31)
    assert SendingPolicy(allow_paid_broadcast=True, messages_per_second=1000)
    with pytest.raises(ValueError, match="1000"):
        SendingPolicy(allow_paid_broadcast=True, messages_per_second=1001)
