"""Each market through the engine (issue 7 point 9): the statement reads as the
account's country writes money and dates, and a borrower in crisis gets the support
lines of their own country, in their language."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from bot.domain.regions import region_of
from bot.engine.types import PauseCollection
from bot.i18n.build import compile_catalogs
from bot.i18n.render import Translator
from tests.engine.driver import Driver, make_account
from tests.statement_dates import line_dates

ROOT = Path(__file__).resolve().parents[2]

# (market, locale, time zone, phone, currency)
MARKETS = {
    "us": ("en", "America/New_York", "+15550100001", "USD"),
    "gb": ("en", "Europe/London", "+447700900002", "GBP"),
    "tw": ("zh_Hant", "Asia/Taipei", "+886912345678", "TWD"),
    "hk": ("zh_Hant", "Asia/Hong_Kong", "+85291230001", "HKD"),
    "cn": ("zh_Hans", "Asia/Shanghai", "+8613800000001", "CNY"),
    "sg": ("zh_Hans", "Asia/Singapore", "+6581234567", "SGD"),
    "elsewhere": ("en", "Europe/Paris", "+33612345678", "EUR"),
}


@pytest.fixture(scope="module")
def translator(tmp_path_factory: pytest.TempPathFactory) -> Translator:
    locales = tmp_path_factory.mktemp("catalogs") / "locales"
    shutil.copytree(ROOT / "locales", locales, ignore=shutil.ignore_patterns("*.mo"))
    compile_catalogs(locales)
    return Translator(locales)


def _driver(market: str) -> Driver:
    locale, zone, phone, currency = MARKETS[market]
    account = replace(make_account(currency=currency, locale=locale), timezone=zone, phone=phone)
    return Driver(account=account)


def _shown(driver: Driver, translator: Translator) -> str:
    account = driver.account
    region = region_of(account.timezone, account.phone)
    table = driver.script.message_table()
    assert driver.state is not None
    return "\n".join(
        translator.render(reply, driver.state.locale, table, region=region).text
        for reply in driver.replies
    )


@pytest.mark.rule("R7")
@pytest.mark.parametrize(
    ("market", "total", "due", "wording"),
    [
        ("us", "Total due: $1,320.50", "Due date: Nov 18, 2026", "Your statement:"),
        ("gb", "Total due: £1,320.50", "Due date: 18 Nov 2026", "Your statement:"),
        ("tw", "本期應繳總額：NT$1,320.50", "繳款截止日：2026年11月18日", "您的帳單明細："),
        ("hk", "結欠總額：HK$1,320.50", "還款到期日：2026年11月18日", "您的結單明細："),
        ("cn", "¥1,320.50", "2026年11月18日", "您的账单明细："),
        ("sg", "S$1,320.50", "2026年11月18日", "您的账单明细："),
        ("elsewhere", "Total due: €1,320.50", "Due date: Nov 18, 2026", "Your statement:"),
    ],
)
def test_the_statement_in_each_market(
    translator: Translator, market: str, total: str, due: str, wording: str
) -> None:
    d = _driver(market)
    d.verified_start()
    assert d.at == "menu"
    shown = _shown(d, translator)
    assert total in shown
    assert due in shown
    assert wording in shown
    assert "$" not in shown.replace("NT$", "").replace("HK$", "").replace("S$", "") or (
        market == "us"
    )


# The account's lines (make_account): the balance posted 1 Oct, interest to 31 Oct,
# a late fee charged 19 Nov; each line says its own day in the market's words and form.
LINE_MARKETS = {
    "us": "en-US",
    "gb": "en-GB",
    "tw": "zh_Hant-TW",
    "hk": "zh_Hant-HK",
    "cn": "zh_Hans-CN",
}


@pytest.mark.parametrize("market", sorted(LINE_MARKETS))
def test_each_statement_line_says_the_day_it_is_computed_to(
    translator: Translator, market: str
) -> None:
    """Issue 34 point 5: not today's date over figures the lender worked out earlier."""
    d = _driver(market)
    d.verified_start()
    lines = [line for line in _shown(d, translator).split("\n") if line.startswith("•")]
    principal, interest, fee = line_dates(LINE_MARKETS[market], fee_day=19)
    assert len(lines) == 3
    assert lines[0].endswith(principal)
    assert lines[1].endswith(interest)
    assert lines[2].endswith(fee)


@pytest.mark.rule("R12")
@pytest.mark.parametrize(
    ("market", "lines"),
    [
        ("us", ["988 Suicide & Crisis Lifeline (call or text): 988"]),
        ("gb", ["Samaritans (free, any time): 116 123"]),
        ("tw", ["安心專線：1925", "生命線：1995"]),
        ("hk", ["香港撒瑪利亞防止自殺會：2389 2222", "撒瑪利亞會（多語言）：2896 0000"]),
        ("cn", ["希望24热线：400-161-9995"]),
        ("sg", ["新加坡援人协会（SOS）：1767"]),
        ("elsewhere", ["A free helpline in your country: findahelpline.com"]),
    ],
)
def test_crisis_lines_are_the_borrowers_countrys_in_their_language(
    translator: Translator, market: str, lines: list[str]
) -> None:
    d = _driver(market)
    d.start()  # before verification too: the lines are public
    d.text("I want to kill myself" if d.account.locale == "en" else "我不想活了")
    assert d.at == "crisis"
    assert d.of_type(PauseCollection)
    assert d.params("repayment.crisis.contacts")["support_contacts"] == tuple(lines)
    shown = _shown(d, translator)
    for line in lines:
        assert line in shown
    others = {"988", "116 123", "1925", "2389 2222", "400-161-9995", "1767"} - {
        line.rsplit(":", 1)[-1].rsplit("：", 1)[-1].strip() for line in lines
    }
    assert not [number for number in others if number in shown]


def test_a_borrower_abroad_in_another_language_gets_their_countrys_lines() -> None:
    """A Simplified Chinese reader in London: the UK line, named in Chinese."""
    d = _driver("gb")
    d = Driver(account=replace(d.account, locale="zh_Hans"))
    d.start()
    d.text("我不想活了")
    assert d.params("repayment.crisis.contacts")["support_contacts"] == (
        "Samaritans 撒玛利亚会（免费，全天候）：116 123",
    )
