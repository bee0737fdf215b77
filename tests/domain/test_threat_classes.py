"""R9, R10: the development list the meaning-class patterns were written from.

Each class (who is told, what is threatened, what pressure, what deadline) is
stated here with paraphrases in en, zh_Hans and zh_Hant (Hong Kong Cantonese
included), and so is each guard: a negated clause ("we will not ..."), an
offer, a statement about today. The held-out list in
tests/compliance/lint_heldout/ is NOT written from these and measures them.
"""

from __future__ import annotations

import pytest

from bot.domain.compliance import find_violations
from bot.domain.threat_patterns import negated

# (class, rule, text); each must be found under its rule.
DEVELOPMENT = [
    # who is told
    ("third_party", "R9", "We'll have a word with your line manager."),
    ("third_party", "R9", "Your employer will get a phone call from us."),
    ("third_party", "R9", "The people in your phone will get a message about you."),
    ("third_party", "R9", "Your brother will be asked why you are not paying."),
    ("third_party", "R9", "Everyone on your street will know you owe us."),
    ("third_party", "R9", "We will share your debt on Facebook."),
    ("third_party", "R9", "我们会把这件事告诉你的雇主。"),
    ("third_party", "R9", "你老板会接到我们的电话。"),
    ("third_party", "R9", "我哋會打俾你老細。"),
    ("third_party", "R9", "你屋企人會收到我哋嘅電話。"),
    ("third_party", "R9", "我們會聯絡你的僱主。"),
    ("third_party", "R9", "我们会把你的欠款挂到网上。"),
    ("third_party", "R9", "我哋會話俾你啲朋友知。"),
    # what is threatened
    ("police", "R9", "You may be taken into custody."),
    ("police", "R9", "We are handing this over to the police."),
    ("police", "R9", "差人會嚟搵你。"),
    ("police", "R9", "你會被拘捕。"),
    ("police", "R9", "我们已经报案。"),
    ("legal", "R9", "We will file a claim against you."),
    ("legal", "R9", "Court proceedings will begin."),
    ("legal", "R9", "我哋會入稟追討。"),
    ("legal", "R9", "我们将对你提起法律行动。"),
    ("legal", "R9", "我們將採取法律行動。"),
    ("assets", "R9", "We will have your accounts frozen."),
    ("assets", "R9", "Part of your wages will be deducted by court order."),
    ("assets", "R9", "你的银行卡会被冻结。"),
    ("assets", "R9", "我哋會扣你人工。"),
    ("assets", "R9", "你層樓會被收回。"),
    ("visit", "R9", "A collector will knock on your door."),
    ("visit", "R9", "We will send an agent round to your workplace."),
    ("visit", "R9", "我们会派人到你家。"),
    ("visit", "R9", "收數佬會上門。"),
    ("visit", "R9", "外訪同事會去你公司。"),
    ("credit", "R9", "A default will be registered on your credit file."),
    ("credit", "R9", "We will report this to the credit reference agencies."),
    ("credit", "R9", "你的信用记录会留下污点。"),
    ("credit", "R9", "呢筆數會影響你嘅信貸評級。"),
    ("credit", "R9", "你会上失信名单。"),
    ("final_notice", "R9", "Final reminder before we take enforcement action."),
    ("final_notice", "R9", "This is our last notice to you."),
    ("final_notice", "R9", "最后一次通知，之后转交执行。"),
    ("final_notice", "R9", "最後提醒：逾期將強制執行。"),
    # what pressure
    ("borrow", "R10", "Get a loan from your bank and pay us."),
    ("borrow", "R10", "Can't your parents lend you the money?"),
    ("borrow", "R10", "Try a lending app to cover this."),
    ("borrow", "R10", "你可以跟朋友借点钱。"),
    ("borrow", "R10", "去財務公司借住先。"),
    ("borrow", "R10", "用借贷软件周转一下。"),
    ("sell", "R10", "Selling the house would clear it."),
    ("sell", "R10", "Sell off your furniture."),
    ("sell", "R10", "把你的房子卖掉。"),
    ("sell", "R10", "賣咗架車還錢啦。"),
    ("sell", "R10", "將隻錶拎去當鋪。"),
    ("savings", "R10", "Take the money out of your pension."),
    ("savings", "R10", "Use your savings to pay this off."),
    ("savings", "R10", "Your rent money can go towards this debt first."),
    ("savings", "R10", "用你的积蓄来还款。"),
    ("savings", "R10", "攞你嘅強積金還錢。"),
    ("savings", "R10", "把医药费先拿来还钱。"),
    # what deadline
    ("deadline", "R10", "Pay before 5pm."),
    ("deadline", "R10", "You must pay before midnight."),
    ("deadline", "R10", "Settle this by the end of today."),
    ("deadline", "R10", "Pay up within six hours."),
    ("deadline", "R10", "You need to pay this evening."),
    ("deadline", "R10", "请今晚还款。"),
    ("deadline", "R10", "限你今天之内还清。"),
    ("deadline", "R10", "听日之前还钱。"),
    ("deadline", "R10", "即刻還錢。"),
    ("deadline", "R10", "三个钟之内还款。"),
    ("deadline", "R10", "俾你兩個鐘，還錢。"),
    ("deadline", "R10", "晚上八点前完成转账。"),
    ("deadline", "R10", "而家即刻找數。"),
]

# Honest texts the patterns must leave alone.
HONEST = [
    "We will not contact your employer about this.",
    "We won't take you to court while you keep to the plan.",
    "We never report anyone to the police over a debt.",
    "You won't be arrested for owing money.",
    # The gap inside a pattern must not swallow the negation of its own verb.
    "Our agents will never be coming to your house.",
    "Staff do not visit your workplace.",
    "Your payment today will show tomorrow.",
    "Payments received today are credited tomorrow.",
    "Nothing is due tonight.",
    "You don't need to sell anything.",
    "There is no need to borrow to pay us.",
    "You can bring a friend or relative into this chat if you wish.",
    "我们不会联系你的单位。",
    "我哋唔會話俾你屋企人知。",
    "您不需要借钱还款。",
    "我們絕不會上門。",
    "今天的付款明天到账。",
    "今日係還款日。",
    "您可以今天还款。",
    "延期期间不会影响您的信用记录。",
    "在您还款期间，我们不会采取法律行动。",
]


@pytest.mark.rule("R9", "R10")
# No explicit `ids`: explicit ids in Chinese are not found again by a second pytest run
# in one process (mutmut's fork server collects once, then runs each mutant), which
# ended every mutant these tests cover in a usage error that mutmut counts as a timeout.
@pytest.mark.parametrize(("kind", "rule", "text"), DEVELOPMENT)
def test_each_class_is_caught_in_its_development_wordings(kind: str, rule: str, text: str) -> None:
    found = {v.rule for v in find_violations(text, "en")}
    assert rule in found, f"{kind}: {text!r}"


@pytest.mark.rule("R9", "R10")
@pytest.mark.parametrize("text", HONEST)
def test_negations_offers_and_statements_are_not_flagged(text: str) -> None:
    assert find_violations(text, "en") == ()


@pytest.mark.rule("R9")
@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("We will not take legal action.", "legal action", True),
        ("We won't hesitate to take legal action.", "legal action", False),
        ("If you do not pay we will take legal action.", "legal action", False),
        ("We will not wait: legal action follows.", "legal action", False),
        ("Pay, or we will not stop at legal action.", "legal action", False),
        ("我们不会采取法律行动。", "法律行动", True),
        ("你不还钱我们就采取法律行动。", "法律行动", False),
        ("如果不还款，我们不会放过法律行动。", "法律行动", False),
        ("我們絕不會上門。", "上門", True),
    ],
)
def test_a_negated_clause_guards_only_itself_R9(text: str, word: str, expected: bool) -> None:
    start = text.index(word)
    assert negated(text, start) is expected
