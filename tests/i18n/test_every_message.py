"""Every message of every state, in every catalog, for a sample account of each market.

Issue 32 point 5. The values come from the engine's own scope for a verified
borrower of each market (money, dates, the lender's name, crisis lines, payment
details, computed examples); what actions add later (plans, references, options)
is filled in the account's currency. Each text is then checked as a reviewer
would: no placeholder left, no stray English in Chinese, no line too long for a
phone (docs/style.md), money in the market's form, no example date in the past,
and no forbidden form (催收 and the rest of locales/glossary.yaml).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po

from bot.domain.accounts import Account, Charge, ChargeKind, catalog_locale
from bot.domain.plans import plan_for_monthly
from bot.domain.quiet_windows import EVERY_DAY, WEEKDAYS, QuietWindow
from bot.domain.regions import region_of
from bot.engine.scope import scope_of
from bot.engine.script import Message
from bot.engine.types import Context, MessageRef, MoneyValue, Param, Part, QuietTimes
from bot.i18n.messages import CODE_MESSAGES
from bot.i18n.render import Translator
from bot.service.glossary_lint import load_glossary
from tests.engine.driver import shipped_policy
from tests.statement_dates import line_dates

from .conftest import LOCALES_DIR

NOW = datetime.now(UTC)
TODAY = NOW.date()
QUIET = (
    QuietWindow(WEEKDAYS, time(9), time(18)),
    QuietWindow(frozenset({5, 6}), time(0), time(0)),
    QuietWindow(EVERY_DAY, time(0), time(8)),
    QuietWindow(frozenset({0, 2}), time(22), time(0)),
)


@dataclass(frozen=True)
class Market:
    locale: str
    timezone: str
    phone: str
    currency: str
    descriptions: tuple[str, str, str]
    money: str  # the market's form of an amount, as a regex
    principal: str = "1200.00"


MARKETS = {
    "en-US": Market(
        "en",
        "America/New_York",
        "+15550100001",
        "USD",
        ("Card balance", "October interest", "Late payment fee"),
        r"\$\d{1,3}(,\d{3})*\.\d\d",
    ),
    "en-GB": Market(
        "en",
        "Europe/London",
        "+447700900002",
        "GBP",
        ("Personal loan", "Interest", "Late fee September"),
        r"£\d{1,3}(,\d{3})*\.\d\d",
    ),
    "zh_Hans-CN": Market(
        "zh_Hans",
        "Asia/Shanghai",
        "+8613800000001",
        "CNY",
        ("信用卡欠款", "利息", "违约金"),
        r"¥\d{1,3}(,\d{3})*\.\d\d",
        "8000.00",
    ),
    # Taiwan dollars in whole units, as Taiwan's banks write them (NT$45,000).
    "zh_Hant-TW": Market(
        "zh_Hant",
        "Asia/Taipei",
        "+886912345678",
        "TWD",
        ("信用卡帳款", "利息", "違約金"),
        r"NT\$\d{1,3}(,\d{3})*(?!\.\d)",
        "45000",
    ),
    "zh_Hant-HK": Market(
        "zh_Hant",
        "Asia/Hong_Kong",
        "+85291230001",
        "HKD",
        ("信用卡結欠", "利息", "年費"),
        r"HK\$\d{1,3}(,\d{3})*\.\d\d",
        "6000.00",
    ),
}

# Latin words a Chinese text may keep: commands, the opt-out keywords, the
# "agent" a borrower can type, and the names of crisis lines as they are known.
ALLOWED_LATIN = {"STOP", "TD", "agent", "SOS"}
# Texts that are Latin on purpose: a language's own name, a bare date.
LATIN_ON_PURPOSE = {"repayment.language.choice.en", "repayment.date_option"}
# A date written into a text: ISO, Chinese, or an English month name with a year.
WRITTEN_DATE = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日|"
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2},? \d{4}"
)
# The only texts allowed an example date: a birth date is in the past by nature.
BIRTH_DATE_EXAMPLES = {"repayment.verify.ask_birth_date", "repayment.bad_date"}


# When the lender computed each line: the balance, the interest to month end, a fee.
POSTED = (date(2026, 10, 1), date(2026, 10, 31), date(2026, 11, 5))


def _account(market: Market) -> Account:
    # 19 days late: the early stage, where "a few days late" would be false.
    principal, interest, fee = market.descriptions
    whole = market.currency == "TWD"
    return Account(
        account_id="ACC-1",
        borrower_name="王小明" if market.locale.startswith("zh") else "Alex Doe",
        phone=market.phone,
        birth_date=date(1990, 5, 17),
        locale=market.locale,
        timezone=market.timezone,
        currency=market.currency,
        due_date=NOW.astimezone(ZoneInfo(market.timezone)).date() - timedelta(days=19),
        # Each line computed to its own day, none of them today (issue 34 point 5).
        charges=(
            Charge("C1", ChargeKind.PRINCIPAL, principal, Decimal(market.principal), POSTED[0]),
            Charge(
                "C2", ChargeKind.INTEREST, interest, Decimal("420" if whole else "85.50"), POSTED[1]
            ),
            Charge("C3", ChargeKind.LATE_FEE, fee, Decimal("300" if whole else "35.00"), POSTED[2]),
        ),
    )


def _values(market: Market) -> dict[str, Any]:
    """The engine's scope for a verified borrower, and what actions would add."""
    account = _account(market)
    context = Context(account=account, policy=shipped_policy(), now=NOW)
    scope = scope_of({}, True, market.locale, 0, context)
    currency = market.currency
    whole = currency == "TWD"

    def money(amount: str) -> MoneyValue:
        return MoneyValue(Decimal(amount.split(".")[0] if whole else amount), currency)

    later = TODAY + timedelta(days=14)
    return {
        **scope,
        "kind": MessageRef("charge_kind.interest"),
        "description": market.descriptions[1],
        "amount": money("85.50"),
        "dated": scope["undisputed_charges"][1]["dated"],
        "mark": "☐",
        "date": later,
        "days": 14,
        "new_due_date": later,
        "months": 6,
        "installment": money("220.00"),
        "ticket": "ESC-12345",
        "case_number": "DSP-12345",
        "arrangement_id": "ARR-12345",
        "arrangement_reference": "ARR-12345",
        "arrangement_in_review": "ARR-12345",
        "plan_on_hold": "ARR-12345",
        "arrangement_amount": money("500.00"),
        "arrangement_next_amount": money("220.00"),
        "arrangement_left": money("1100.00"),
        "arrangement_next_date": later,
        "breathing_space_until": later,
        "dispute_answer_by": TODAY + timedelta(days=30),
        "extension_new_due": later,
        "extension_latest": later,
        "extension_asked": later - timedelta(days=2),
        "promise_part": money("300.00"),
        "offered_monthly": money("300.00"),
        "min_monthly_offer": money("25.00"),
        "plan_months": 6,
        "plan_amount": money("1320.50"),
        "plan_installment": money("220.00"),
        "plan_first_due_date": TODAY + timedelta(days=7),
        "promise_amount": scope["collectible_total"],
        "promise_rest": money("1020.50"),
        "promise_date": later,
        "lock_minutes": 15,
        # R4 quiet times (one window of each kind), and the pieces they are built from.
        "quiet_now": QuietTimes(QUIET),
        "quiet_new": QuietTimes(QUIET),
        "start": "22:00",
        "end": "09:00",
        # What a person from the lender's team agrees or decides (console, issue 29).
        "count": 6,
        "first_date": TODAY + timedelta(days=7),
        "new_date": later,
        "reference": "ARR-12345",
        "case": "DSP-12345",
        "answer_by": (NOW + timedelta(days=2)).astimezone(ZoneInfo(market.timezone)),
    }


def _params(message: Message, values: dict[str, Any], count: int) -> dict[str, Param]:
    missing = message.placeholders() - set(values)
    assert not missing, f"{message.id}: give {sorted(missing)} a sample value in this test"
    params = {name: values[name] for name in message.placeholders()}
    if message.count:
        params[message.count] = count
    return params


def _table_and_code(table: dict[str, Message]) -> dict[str, Message]:
    code = {mid: Message(id=mid, text=text) for mid, text in CODE_MESSAGES.items()}
    return {**table, **code}


@pytest.mark.parametrize("name", sorted(MARKETS))
def test_every_message_reads_right_in_every_market(
    translator: Translator,
    table: dict[str, Message],
    name: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    market = MARKETS[name]
    region = region_of(market.timezone, market.phone)
    catalog = catalog_locale(market.locale, region)
    glossary = load_glossary(LOCALES_DIR)
    limit = glossary.line_limit(catalog)
    values = _values(market)
    chinese = market.locale.startswith("zh")
    problems: list[str] = []
    with caplog.at_level(logging.WARNING, logger="bot.i18n.render"):
        for message_id, message in _table_and_code(table).items():
            for count in (1, 3) if message.count else (1,):
                params = _params(message, values, count)
                text = translator.render_part(
                    Part(message_id, params), market.locale, table, region=region
                )
                shown = {
                    n: translator.format_param(v, market.locale, table, region=region)
                    for n, v in params.items()
                }
                problems += _check(
                    message_id, text, shown, params, market, catalog, limit, chinese, glossary
                )
    assert problems == [], "\n".join(problems)
    assert caplog.records == []


def _check(
    message_id: str,
    text: str,
    shown: dict[str, str],
    params: dict[str, Param],
    market: Market,
    catalog: str,
    limit: int,
    chinese: bool,
    glossary: Any,
) -> list[str]:
    found: list[str] = []
    if "{" in text or "}" in text:
        found.append(f"{message_id}: a placeholder left in {text!r}")
    for line in text.split("\n"):
        if len(line) > limit:
            found.append(f"{message_id}: a line of {len(line)} characters (limit {limit})")
    for name, value in params.items():
        if isinstance(value, MoneyValue):
            if not re.fullmatch(market.money, shown[name]):
                found.append(f"{message_id}: {name} written {shown[name]!r}")
            if shown[name] not in text:
                found.append(f"{message_id}: {name} not shown")
    # The words of the text, without the values filled in: data is not wording.
    words = text
    for value in sorted(shown.values(), key=len, reverse=True):
        if value:
            words = words.replace(value, " ")
    if chinese and message_id not in LATIN_ON_PURPOSE:
        latin = {w for w in re.findall(r"/?[A-Za-z][A-Za-z']+", words) if not w.startswith("/")}
        stray = latin - ALLOWED_LATIN
        if stray:
            found.append(f"{message_id}: English left in Chinese text: {sorted(stray)}")
    if "催收" in text:
        found.append(f"{message_id}: 催收 faces the borrower")
    for form in glossary.forms_in(words, catalog):
        found.append(f"{message_id}: says {form.form!r} in {catalog}")
    for value in params.values():
        if isinstance(value, date) and WRITTEN_DATE.search(words):
            found.append(f"{message_id}: a date written into the text")
            break
    return found


def test_no_text_in_any_catalog_writes_an_example_date() -> None:
    """An example date in a text is soon in the past; it is computed at render instead."""
    written: list[tuple[str, str, str]] = []
    for po in sorted(LOCALES_DIR.glob("*/LC_MESSAGES/messages.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if not message.context or message.context in BIRTH_DATE_EXAMPLES:
                continue
            ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
            strings = (
                message.string if isinstance(message.string, tuple | list) else (message.string,)
            )
            for text in (*ids, *strings):
                if text and WRITTEN_DATE.search(str(text)):
                    written.append((po.parent.parent.name, message.context, str(text)))
    assert written == []


@pytest.mark.parametrize("name", sorted(MARKETS))
def test_the_computed_examples_are_ahead_and_acceptable(name: str) -> None:
    """The example date is after today and within the promise window; the example
    monthly amount is one the bot accepts for the account (not below the minimum)."""
    market = MARKETS[name]
    values = _values(market)
    policy = shipped_policy()
    example_date = values["promise_example_date"]
    assert TODAY < example_date <= TODAY + timedelta(days=policy.promise.max_days_ahead)
    example = Decimal(values["monthly_example"])
    assert example >= policy.installments.minimum_for(market.currency)
    collectible: MoneyValue = values["collectible_total"]
    decision = plan_for_monthly(collectible.amount, market.currency, example, policy.installments)
    assert decision.accepted is not None, (name, example, decision.reason)


@pytest.mark.parametrize("name", sorted(MARKETS))
def test_the_early_stage_never_says_a_few_days_at_nineteen_days(
    translator: Translator, table: dict[str, Message], name: str
) -> None:
    market = MARKETS[name]
    region = region_of(market.timezone, market.phone)
    values = _values(market)
    assert values["stage"] == "early" and values["days_past_due"] == 19
    message = table["repayment.statement.tone_early"]
    text = translator.render_part(
        Part("repayment.statement.tone_early", _params(message, values, 1)),
        market.locale,
        table,
        region=region,
    )
    assert not re.search(r"few days|几天|幾天", text), text


@pytest.mark.parametrize("name", sorted(MARKETS))
def test_each_statement_line_says_its_own_date_in_the_markets_form(
    translator: Translator, table: dict[str, Message], name: str
) -> None:
    """The statement's lines from the engine's own items, rendered in the market's
    catalog: each ends with its own day, and the header claims none (not today's)."""
    market = MARKETS[name]
    region = region_of(market.timezone, market.phone)
    values = _values(market)
    message = table["repayment.statement.line"]
    lines = [
        translator.render_part(
            Part("repayment.statement.line", _params(message, {**values, **item}, 1)),
            market.locale,
            table,
            region=region,
        )
        for item in values["undisputed_charges"]
    ]
    ends = line_dates(name, fee_day=5)  # the fee of _values' account: 5 November
    assert [line[-len(said) :] for line, said in zip(lines, ends, strict=True)] == list(ends)
    header = translator.render_part(
        Part("repayment.statement.header"), market.locale, table, region=region
    )
    assert not re.search(r"\d", header), header


LENDER_IN = {
    "en-US": "Harbor Consumer Finance",
    "en-GB": "Harbor Consumer Finance",
    "zh_Hans-CN": "海港消费金融",
    "zh_Hant-TW": "海港消費金融",
    "zh_Hant-HK": "海港消費金融",
}


@pytest.mark.parametrize("name", sorted(MARKETS))
def test_the_lender_is_named_in_the_borrowers_language(
    translator: Translator, table: dict[str, Message], name: str
) -> None:
    """The payee's name in a Chinese text is Chinese, as on the bank account it pays."""
    market = MARKETS[name]
    region = region_of(market.timezone, market.phone)
    values = _values(market)
    greeting = translator.render_part(
        Part("repayment.greeting.hello", {"lender": values["lender"]}),
        market.locale,
        table,
        region=region,
    )
    assert LENDER_IN[name] in greeting
    assert ("Harbor" in greeting) == market.locale.startswith("en")


def test_a_lender_name_in_an_unknown_language_is_refused() -> None:
    policy = shipped_policy()
    with pytest.raises(ValueError, match="unknown language"):
        type(policy).model_validate(
            {**policy.model_dump(), "lender_names": {"fr": "Harbour Finance"}}
        )
    assert policy.lender_name_in("zh_Hant_HK") == "海港消費金融"
    assert policy.lender_name_in("en_GB") == policy.lender_name
