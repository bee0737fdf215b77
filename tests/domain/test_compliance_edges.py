"""R10 deadlines exactly at, and one unit either side of, each limit (R1's hours:
tests/domain/test_contact_hours.py)."""

from __future__ import annotations

import pytest

from bot.domain.compliance import Violation, find_violations, first_contact_problems

DEADLINE = "deadline shorter than the policy's minimum"


def deadlines(text: str, min_days: int) -> list[str]:
    return [
        v.phrase
        for v in find_violations(text, "en", min_deadline_days=min_days)
        if v.kind == DEADLINE
    ]


@pytest.mark.rule("R10")
@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Pay within 1440 minutes.", 1),
        ("Pay within 2880 mins.", 2),
        ("Pay within 24 hours.", 1),
        ("Pay within 48 HOURS.", 2),
        ("Pay within twenty-four hours.", 1),
        ("Pay within 1 week.", 7),
        ("Pay within 2 weeks.", 14),
        ("Pay within 3 days.", 3),
        ("Pay within a couple of days.", 2),
        ("Pay within a few days.", 3),
        ("1440分钟内还款", 1),
        ("24小时内还款", 1),
        ("48小時內還款", 2),
        ("24个钟头内还款", 1),
        ("24個鐘頭內還款", 1),
        ("1周内还款", 7),
        ("1週內還款", 7),
        ("1星期内还款", 7),
        ("1个礼拜内还款", 7),
        ("1個禮拜內還款", 7),
        ("3个工作日内还款", 3),
        ("三天内还款", 3),
        ("十天内还款", 10),
        ("十二天内还款", 12),
        ("二十天内还款", 20),
        ("一百天内还款", 100),
        ("一百二十天内还款", 120),
        ("两百天内还款", 200),
        ("两天内还款", 2),
        ("２天内还款", 2),
        ("Pay tomorrow.", 1),
        ("请明天还款", 1),
    ],
)
def test_a_deadline_of_the_minimum_passes_and_one_day_less_is_pressure_R10(
    text: str, days: int
) -> None:
    assert deadlines(text, days) == []
    assert len(deadlines(text, days + 1)) == 1


@pytest.mark.rule("R10")
@pytest.mark.parametrize(
    "text",
    [
        "Pay within half an hour.",
        "Pay within 1439 minutes.",
        "Pay within 23 hours.",
        "半天内还款",
        "十二小时内还款",
        "两百分钟内还款",
        "Pay today.",
        "请今天还款",
        "请在今晚之前还款",
    ],
)
def test_less_than_a_day_is_pressure_even_at_a_one_day_minimum_R10(text: str) -> None:
    assert len(deadlines(text, 1)) == 1


@pytest.mark.rule("R10")
@pytest.mark.parametrize(
    "text",
    [
        "You can pay today.",
        "Pay whenever you like; we are here from today.",
        "Your plan starts today.",  # no payment demand in the sentence
        "从今天起还款",
    ],
)
def test_today_without_a_demand_is_no_deadline_R10(text: str) -> None:
    assert deadlines(text, 7) == []


@pytest.mark.rule("R10")
def test_from_today_is_no_deadline_and_a_listed_phrase_is_reported_once_R10() -> None:
    assert find_violations("Payments start from today and are due monthly.", "en") == ()
    # "immediately" is both a deadline and part of the listed "immediately or":
    # one finding, at its place in the text.
    assert find_violations("From today, pay immediately or we will act.", "en") == (
        Violation("R10", "immediately or"),
    )


@pytest.mark.rule("R6")
def test_first_contact_names_the_lender_and_says_it_is_automated_R6() -> None:
    assert first_contact_problems("Hello.") == (
        "does not name the {lender}",
        "does not say it is an automated assistant",
    )
    assert first_contact_problems("Hello, {lender} here.") == (
        "does not say it is an automated assistant",
    )
    assert first_contact_problems("I am the automated assistant of {lender}.") == ()


def test_listed_phrases_are_reported_as_prohibited_phrases() -> None:
    found = find_violations("We have a court order.", "en")
    assert [(v.rule, v.phrase, v.kind) for v in found] == [
        ("R9", "court order", "prohibited phrase")
    ]


@pytest.mark.rule("R10")
def test_a_placeholder_glued_to_a_word_does_not_hide_it_R10() -> None:
    assert deadlines("Pay {amount}today.", 7) == ["today"]


def kinds(text: str) -> list[tuple[str, str, str]]:
    return [(v.rule, v.phrase, v.kind) for v in find_violations(text, "en")]


@pytest.mark.rule("R9")
@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("We will prosecute.", [("R9", "prosecute", "legal action")]),
        ("We will tell your mother.", [("R9", "your mother", "contacting third parties")]),
        ("我們會聯絡你的老闆", [("R9", "老闆", "contacting third parties")]),
        # A third party alone, or contact alone, is no threat.
        ("Your mother is nice.", []),
        ("We will call you.", []),
    ],
)
def test_each_practice_is_reported_with_its_kind_R9(
    text: str, found: list[tuple[str, str, str]]
) -> None:
    assert kinds(text) == found


@pytest.mark.rule("R9", "R10")
def test_a_finding_inside_a_longer_one_of_the_same_rule_is_reported_once_R9_R10() -> None:
    # "court" (a pattern) ends where "take you to court" (the list) ends.
    assert kinds("We will take you to court. You could be arrested.") == [
        ("R9", "take you to court", "prohibited phrase"),
        ("R9", "arrested", "prohibited phrase"),
    ]
    # Two findings of one rule apart from each other are both reported.
    assert kinds("You will be arrested. We will sue you.") == [
        ("R9", "arrested", "prohibited phrase"),
        ("R9", "sue you", "prohibited phrase"),
    ]
    # Inside a finding of another rule, a finding still counts.
    assert kinds("Pay, or we will visit you today at your home.") == [
        ("R9", "visit you today at your home", "abuse or threat"),
        ("R10", "today", DEADLINE),
    ]


@pytest.mark.rule("R9", "R10")
def test_findings_across_sentences_are_reported_in_text_order_R9_R10() -> None:
    assert kinds("We will report you to the police. Please pay within 2 days.") == [
        ("R9", "police", "prohibited phrase"),
        ("R10", "within 2 days", DEADLINE),
    ]
    assert kinds("We will report you to the police. Then we tell your mother.") == [
        ("R9", "police", "prohibited phrase"),
        ("R9", "your mother", "contacting third parties"),
    ]
    # A sentence without a demand to pay does not end the search for deadlines.
    assert kinds("Hello there. Pay within 2 days.") == [("R10", "within 2 days", DEADLINE)]


@pytest.mark.rule("R9")
def test_a_curly_apostrophe_reads_as_a_straight_one_R9() -> None:
    assert kinds("You’ll regret this.") == [("R9", "You'll regret", "abuse or threat")]


@pytest.mark.rule("R10")
def test_a_listed_phrase_inside_a_longer_deadline_is_reported_once_R10() -> None:
    # 一小时内 is a listed phrase, inside the deadline 十一小时内.
    assert kinds("请在十一小时内还款") == [("R10", "十一小时内", DEADLINE)]


@pytest.mark.rule("R10")
@pytest.mark.parametrize("text", ["百天内还款", "请于百天内还清"])
def test_a_run_that_is_a_word_not_a_number_is_no_deadline_and_no_crash_R10(text: str) -> None:
    # 百 alone starts a word ("百般"), not a count: chinese_to_int gives None.
    assert deadlines(text, 3) == []
