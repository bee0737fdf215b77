"""Each statement line's date as the market's bank writes it (issue 34 point 5), one
table for every test that reads a statement: the balance as of its posting (1 Oct),
the interest to the day it is computed to (31 Oct), a fee on the day it was charged
(a day of November the test's account says), each in the market's own form."""

from __future__ import annotations

# Per market: the three lines' endings; `{fee}` is the day of November the fee was charged.
_LINE_DATES = {
    "en-US": ("(as of Oct 1, 2026)", "(through Oct 31, 2026)", "(charged Nov {fee}, 2026)"),
    "en-GB": ("(as of 1 Oct 2026)", "(to 31 Oct 2026)", "(charged {fee} Nov 2026)"),
    "zh_Hans-CN": ("（截至2026年10月1日）", "（计至2026年10月31日）", "（2026年11月{fee}日收取）"),
    "zh_Hant-TW": ("（截至2026年10月1日）", "（計至2026年10月31日）", "（2026年11月{fee}日入帳）"),
    "zh_Hant-HK": ("（截至2026年10月1日）", "（計至2026年10月31日）", "（2026年11月{fee}日收取）"),
}


def line_dates(market: str, fee_day: int) -> tuple[str, str, str]:
    """How the principal's, the interest's and the fee's lines end in `market`."""
    principal, interest, fee = _LINE_DATES[market]
    return principal, interest, fee.format(fee=fee_day)
