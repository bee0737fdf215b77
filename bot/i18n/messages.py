"""Texts that live in code rather than in a dialog script.

Charge kind names are referenced from replies as `MessageRef("charge_kind.<kind>")`;
channel texts are said by the Telegram and terminal adapters outside any
conversation (group chats, linking, errors, the command menu). They are keyed by
an id, like script texts, and translated by the renderer with
`pgettext(message_id, english)`.

Each text is wrapped in the `pgettext` marker below so `pybabel extract`
(`-k pgettext:1c,2`) puts it in the catalogs with the id as msgctxt. The marker
only returns the English text: translation happens at render time, in the
borrower's locale.
"""

from __future__ import annotations

from types import MappingProxyType


def pgettext(context: str, message: str) -> str:
    """Mark a text for extraction under its id; the English text is returned as is."""
    del context
    return message


_CHARGE_KINDS = {
    "charge_kind.principal": pgettext("charge_kind.principal", "Principal"),
    "charge_kind.interest": pgettext("charge_kind.interest", "Interest"),
    "charge_kind.late_fee": pgettext("charge_kind.late_fee", "Late fee"),
    "charge_kind.annual_fee": pgettext("charge_kind.annual_fee", "Annual fee"),
    "charge_kind.other": pgettext("charge_kind.other", "Other charge"),
}

# The date a statement line is computed to, after its amount: interest to the day the
# lender worked it out, a fee on the day it was charged, the balance as of its posting.
# Never the day the borrower asks (issue 34 point 5).
_CHARGE_DATES = {
    "charge_date.principal": pgettext("charge_date.principal", "as of {date}"),
    "charge_date.interest": pgettext("charge_date.interest", "through {date}"),
    "charge_date.late_fee": pgettext("charge_date.late_fee", "charged {date}"),
    "charge_date.annual_fee": pgettext("charge_date.annual_fee", "charged {date}"),
    "charge_date.other": pgettext("charge_date.other", "charged {date}"),
}

_CHANNEL = {
    # R5: nothing about an account is ever said in a group, supergroup or channel.
    # R6: each text below can be the first thing someone hears from the bot, so each
    # names the lender and says it is an automated assistant (checked by the validator).
    "channel.group_refused": pgettext(
        "channel.group_refused",
        "This is the automated assistant of {lender}. To protect your privacy,"
        " account matters can't be handled in a group chat. Please message me privately.",
    ),
    "channel.welcome": pgettext(
        "channel.welcome",
        "Hello, this is the automated assistant of {lender}. To link your account,"
        " please open the link {lender} sent you, or share your phone number with the"
        " button below.",
    ),
    "channel.share_phone": pgettext("channel.share_phone", "Share my phone number"),
    "channel.link_invalid": pgettext(
        "channel.link_invalid",
        "This is the automated assistant of {lender}. This link is no longer valid."
        " Please ask {lender} for a new one, or share your phone number.",
    ),
    "channel.phone_unknown": pgettext(
        "channel.phone_unknown",
        "This is the automated assistant of {lender}. That phone number is not linked"
        " to any account we can discuss here. Please contact {lender} directly.",
    ),
    "channel.phone_not_own": pgettext(
        "channel.phone_not_own",
        "This is the automated assistant of {lender}. Please share your own phone"
        " number using the button below.",
    ),
    "channel.error": pgettext(
        "channel.error",
        "Something went wrong on our side. Your message was saved; please try again in a moment.",
    ),
    "channel.script_error": pgettext(
        "channel.script_error",
        "I'm sorry, something went wrong on my side. I've asked a person from our team"
        " to help you (reference {ticket}); they will reply in this chat.",
    ),
}

# Said when a person from the lender's team takes the conversation over (issue 29).
_AGENT = {
    "agent.joined": pgettext(
        "agent.joined",
        "A member of our team has joined this chat and will reply to you here.",
    ),
    # An arrangement a person agreed with the borrower outside the bot's offers.
    "agent.plan_agreed": pgettext(
        "agent.plan_agreed",
        "As agreed with our team, your payment plan is set up: {amount} in {count} payments"
        " of about {installment}, the first on {first_date}. Reference: {reference}.",
    ),
    "agent.promise_agreed": pgettext(
        "agent.promise_agreed",
        # "Payment arranged", never "you will pay": nothing holds the borrower to a pledge.
        "As agreed with our team, a payment of {amount} by {first_date} is arranged."
        " Reference: {reference}.",
    ),
    "agent.extension_agreed": pgettext(
        "agent.extension_agreed",
        "As agreed with our team, your payment date has moved to {new_date}."
        " Reference: {reference}.",
    ),
    # A person's decision on a dispute (R8).
    "agent.dispute_upheld": pgettext(
        "agent.dispute_upheld",
        "We have reviewed your dispute {case}. The charges of {amount} were found to be"
        " correct, so they are part of your balance again. If you disagree, reply here"
        " and a person will look at it with you, or ask to make a complaint.",
    ),
    "agent.dispute_waived": pgettext(
        "agent.dispute_waived",
        "We have reviewed your dispute {case} and agree with you: the charges of {amount}"
        " have been removed, and we will not ask you for them.",
    ),
    # The desk's timers: an honest word when the wait runs long, and the way back.
    "agent.wait_long": pgettext(
        "agent.wait_long",
        "We're sorry you are still waiting (reference {ticket}). Our team is taking longer"
        " than usual to answer; a person will reply here by {answer_by} at the latest."
        " You don't need to do anything.",
    ),
    # The same, to a borrower whose collection is paused for a crisis (R12): the hold
    # said again, and the emergency and support lines below it.
    "agent.wait_long_crisis": pgettext(
        "agent.wait_long_crisis",
        "We're sorry nobody from our team has been able to reply yet (reference {ticket})."
        " A person will reply here by {answer_by} at the latest. Your account stays on"
        " hold: nobody will ask you for any payment.",
    ),
    "agent.back_to_bot": pgettext(
        "agent.back_to_bot",
        "We're sorry: nobody from our team has been able to pick up your request yet."
        " It stays open (reference {ticket}) and a person will reply here as soon as they"
        " can. In the meantime, the assistant can help you with your account.",
    ),
}

# Descriptions shown in Telegram's command menu (setMyCommands), by command name.
_COMMANDS = {
    "command.start": pgettext("command.start", "Start or restart"),
    "command.help": pgettext("command.help", "What I can do"),
    "command.language": pgettext("command.language", "Change language"),
    "command.human": pgettext("command.human", "Talk to a person"),
    "command.stop": pgettext("command.stop", "Stop reminder messages"),
    "command.reminders": pgettext("command.reminders", "Reminders and quiet times"),
}

# R4: the pieces bot/i18n/quiet.py builds "on weekdays before 18:00" from.
_QUIET = {
    "quiet.weekdays": pgettext("quiet.weekdays", "on weekdays"),
    "quiet.weekends": pgettext("quiet.weekends", "at weekends"),
    "quiet.every_day": pgettext("quiet.every_day", "every day"),
    "quiet.days": pgettext("quiet.days", "on {days}"),
    "quiet.all_day": pgettext("quiet.all_day", "{days}, all day"),
    "quiet.before": pgettext("quiet.before", "{days} before {end}"),
    "quiet.after": pgettext("quiet.after", "{days} after {start}"),
    "quiet.between": pgettext("quiet.between", "{days} between {start} and {end}"),
}

CHARGE_KIND_IDS = tuple(_CHARGE_KINDS)
CHARGE_DATE_IDS = tuple(_CHARGE_DATES)
CHANNEL_IDS = tuple(_CHANNEL)
COMMAND_IDS = tuple(_COMMANDS)
# The command names for setMyCommands, in menu order ("command.help" -> "help").
COMMANDS = tuple(message_id.removeprefix("command.") for message_id in _COMMANDS)

# Every code text by message id: the renderer's fallback table after the script's.
CODE_MESSAGES: MappingProxyType[str, str] = MappingProxyType(
    {**_CHARGE_KINDS, **_CHARGE_DATES, **_CHANNEL, **_AGENT, **_COMMANDS, **_QUIET}
)


def charge_kind_id(kind: str) -> str:
    """The message id of a charge kind's name, as the engine's scope builds it."""
    return f"charge_kind.{kind}"
