"""What a borrower can mean, as the understanding layer names it."""

from __future__ import annotations

from enum import StrEnum


class Meaning(StrEnum):
    """One label per thing a borrower may want; the engine maps them to states."""

    INSTALLMENT = "installment"  # pay in parts: "can we break it up", "每个月还八百"
    EXTENSION = "extension"  # more time: "can I get a couple more weeks?"
    PAY_IN_FULL = "pay_in_full"  # the whole balance, now or by a date: "ill clear it all by dec 5"
    PROMISE = "promise"  # some or all on a day, without a plan: "I'll pay on Friday"
    DISPUTE = "dispute"  # a charge or the debt is wrong: "I never agreed to that late fee"
    HARDSHIP = "hardship"  # cannot pay because life went wrong: "lost my job"
    CRISIS = "crisis"  # self-harm or suicide, said or hinted (R12)
    HUMAN = "human"  # a person, now (R13)
    COMPLAINT = "complaint"  # a complaint about the lender or the bot (R15)
    STOP = "stop"  # no more messages (R3)
    LANGUAGE = "language"  # another language
    HELP = "help"  # lost: what can I do here
    CONFIRM = "confirm"  # yes
    DECLINE = "decline"  # no
    HOW_TO_PAY = "how_to_pay"  # where and how to send the money
    INFORM = "inform"  # a bare answer: a date, an amount, a number
    OFF_TOPIC = "off_topic"  # greetings, chatter, anything else


MEANINGS: tuple[Meaning, ...] = tuple(Meaning)


class CrisisLevel(StrEnum):
    """The three answers to "is this a crisis?" (R12, safe-messaging practice)."""

    SURE = "sure"  # pause, the lines, a person at once (urgent)
    POSSIBLE = "possible"  # pause, ask kindly whether they are safe, a person soon (high)
    NONE = "none"  # the conversation goes on
