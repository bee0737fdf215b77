"""R9, R10: the lint catches each practice the regulators prohibit, in all three locales.

The cases follow the regulators' own lists, so a new form of a known practice
is added where its source is: 12 CFR 1006.14 (harassment) and 1006.18 (false
or misleading representations), the eight prohibited practices of the CBA
2026 collection guideline, and FCA CONC 7.11 (misrepresenting authority and
the legal position). Each case is a sentence a careless script author or
translator could plausibly write.
"""

from __future__ import annotations

import pytest

from bot.domain.compliance import find_violations
from bot.domain.threat_patterns import chinese_number

# (source, rule, en, zh_Hans, zh_Hant)
CASES = [
    # 12 CFR 1006.14(b): threats of violence or harm to the person, property or reputation.
    (
        "1006.14(b) violence",
        "R9",
        "Pay up or you'll regret it.",
        "再不还钱，后果自负。",
        "再不還錢，後果自負。",
    ),
    # 1006.14(c): obscene, profane or abusive language.
    (
        "1006.14(c) abuse",
        "R9",
        "Stop hiding, you deadbeat.",
        "你这个老赖，别再躲了。",
        "你這個老賴，別再躲了。",
    ),
    # 1006.14(d): publishing a list of consumers who allegedly refuse to pay.
    (
        "1006.14(d) shame list",
        "R9",
        "We will publish your name on our list of non-payers.",
        "我们会把你曝光到网上。",
        "我們會把你曝光到網上。",
    ),
    # 1006.18(b)(1)/(e): falsely implying government affiliation; not saying who collects.
    (
        "1006.18(b) government",
        "R9",
        "This is an official notice from the government.",
        "这是政府部门的正式通知。",
        "這是政府部門的正式通知。",
    ),
    # 1006.18(c)(4): arrest or imprisonment for non-payment.
    (
        "1006.18(c)(4) arrest",
        "R9",
        "If you do not pay, you could be arrested.",
        "不还款的话你会被拘留。",
        "不還款的話你會被拘留。",
    ),
    # 1006.18(c)(4): seizure, garnishment or sale of property.
    (
        "1006.18(c)(4) seizure",
        "R9",
        "We will seize your car and your salary.",
        "我们将申请强制执行，查封你的房产。",
        "我們將申請強制執行，查封你的房產。",
    ),
    # 1006.18(c)(5): threatening action that is not intended (a lawsuit).
    (
        "1006.18(c)(5) lawsuit",
        "R9",
        "You will be prosecuted.",
        "我们将起诉你。",
        "我們將起訴你。",
    ),
    # 1006.18(c)(7): implying the consumer committed a crime.
    (
        "1006.18(c)(7) crime",
        "R9",
        "Not paying this is fraud.",
        "你的行为已经涉嫌诈骗。",
        "你的行為已經涉嫌詐騙。",
    ),
    # 1006.18(c)(8): communicating false credit information / threatening credit ruin.
    (
        "1006.18(c)(8) credit",
        "R9",
        "This will ruin your credit for years.",
        "逾期会影响你的征信，以后贷不到款。",
        "逾期會影響你的徵信，以後貸不到款。",
    ),
    # 1006.18(c)(9): documents that look like court process.
    (
        "1006.18(c)(9) court papers",
        "R9",
        "A court summons has been prepared in your name.",
        "法院传票已经准备好了。",
        "法院傳票已經準備好了。",
    ),
    # CBA 2026 (1): harassing unrelated third parties - family.
    (
        "CBA third parties: family",
        "R9",
        "We will contact your parents.",
        "我们会通知你的父母。",
        "我們會通知你的父母。",
    ),
    # CBA 2026 (1): harassing unrelated third parties - employer.
    (
        "CBA third parties: employer",
        "R9",
        "We'll let your boss know about this.",
        "我们会联系你的老板。",
        "我們會聯絡你的老闆。",
    ),
    # CBA 2026 (1): harassing unrelated third parties - contacts.
    (
        "CBA third parties: contacts",
        "R9",
        "We will message everyone in your contact list.",
        "我们会给你通讯录里的所有人发短信。",
        "我們會給你通訊錄裡的所有人發訊息。",
    ),
    # CBA 2026 (2): threats and intimidation (visits).
    (
        "CBA intimidation: visits",
        "R9",
        "Our team will visit you at work tomorrow.",
        "我们明天会上门找你。",
        "我們明天會上門找你。",
    ),
    # CBA 2026 (2): threats and intimidation (home visits).
    (
        "CBA intimidation: home visits",
        "R9",
        "Expect a visit at your home address.",
        "我们会派人去你家里拜访。",
        "我們會派人到你家裡拜訪。",
    ),
    # 1006.18(b)(1): naming a government body as the sender.
    (
        "1006.18(b) government body",
        "R9",
        "We represent the Department of Justice.",
        "我们代表国家机关通知你。",
        "我們代表國家機關通知你。",
    ),
    # CBA 2026 (3): insults and defamation.
    (
        "CBA insults",
        "R9",
        "Only a liar avoids paying.",
        "你真不要脸。",
        "你真不要臉。",
    ),
    # CBA 2026 (4): impersonating the police or judiciary.
    (
        "CBA impersonation: police",
        "R9",
        "This is the police calling about your debt.",
        "我们是公安局的，请配合调查。",
        "我們是警察，請配合調查。",
    ),
    # CBA 2026 (5): false statements about legal consequences.
    (
        "CBA false legal consequences",
        "R9",
        "Legal action will start against you.",
        "你将被追究法律责任。",
        "你將被追究法律責任。",
    ),
    # CBA 2026 (6): blacklists.
    (
        "CBA blacklist",
        "R9",
        "You will be blacklisted by every bank.",
        "你会被列入黑名单。",
        "你會被列入黑名單。",
    ),
    # CBA 2026 (7): inducing the borrower to borrow to repay.
    (
        "CBA borrow to repay",
        "R10",
        "Take out a payday loan and pay us today.",
        "去网贷平台借钱来还。",
        "去網貸平台借錢來還。",
    ),
    # CBA 2026 (8): pressure to sell property.
    (
        "CBA sell property",
        "R10",
        "You should sell your car to clear the debt.",
        "把房子卖了还钱吧。",
        "把房子賣了還錢吧。",
    ),
    # CONC 7.11 / 7.3.10R: unrealistic deadlines, in digits and in words.
    (
        "CONC unrealistic deadline (hours)",
        "R10",
        "Pay within 2 hours.",
        "请在两小时内还款。",
        "請在兩小時內還款。",
    ),
    (
        "CONC unrealistic deadline (today)",
        "R10",
        "You must pay the full amount by end of day.",
        "你必须在今天内还清。",
        "你必須在今天內還清。",
    ),
    (
        "CONC unrealistic deadline (a decimal, not two sentences)",
        "R10",
        "Your balance is $1,320.50. Pay within 2.5 days.",
        "请在1.5天内还清。",
        "請在1.5天內還清。",
    ),
    (
        "CONC unrealistic deadline (days)",
        "R10",
        "You have 3 days to pay everything.",
        "请于三天内结清全部欠款。",
        "請於三天內結清全部欠款。",
    ),
    # CONC 7.11: misrepresenting authority (bailiffs, enforcement agents).
    (
        "CONC 7.11 bailiffs",
        "R9",
        "We will send bailiffs to your home.",
        "我们会派律师上门。",
        "我們會派律師上門。",
    ),
    # CONC 7.3.10R: pressure to raise funds by borrowing against a credit card.
    (
        "CONC 7.3.10R credit card",
        "R10",
        "Use your credit card to pay this off.",
        "可以用信用卡套现还款。",
        "可以用信用卡套現還款。",
    ),
]


@pytest.mark.rule("R9", "R10")
@pytest.mark.parametrize(("source", "rule", "en", "hans", "hant"), CASES, ids=[c[0] for c in CASES])
def test_each_prohibited_practice_is_caught_in_every_locale(
    source: str, rule: str, en: str, hans: str, hant: str
) -> None:
    for locale, text in (("en", en), ("zh_Hans", hans), ("zh_Hant", hant)):
        rules = {v.rule for v in find_violations(text, locale)}
        assert rule in rules, f"{source}: {locale} {text!r} passed the lint"


@pytest.mark.rule("R10")
@pytest.mark.parametrize(
    ("text", "minimum", "flagged"),
    [
        ("Please pay within 10 days.", 7, False),
        ("Please pay within 10 days.", 14, True),
        ("Please pay within five days.", 7, True),
        ("请在十五天内还款。", 14, False),
        ("请在十五天内还款。", 30, True),
        ("請在兩週內還款。", 7, False),
        ("請在兩週內還款。", 15, True),
        ("请在２４小时内还款。", 2, True),  # full-width digits: 1 day
        ("请在２４小时内还款。", 1, False),
    ],
)
def test_a_deadline_is_judged_against_the_minimum(text: str, minimum: int, flagged: bool) -> None:
    found = find_violations(text, "en", min_deadline_days=minimum)
    assert any(v.rule == "R10" for v in found) is flagged


@pytest.mark.rule("R9", "R10")
@pytest.mark.parametrize(
    "text",
    [
        # The shipped texts' own forms must not be flagged (a lint that cries wolf is ignored).
        "Your account is now past due, and I'd like to help you find a plan.",
        "You can choose a date up to 30 days from today.",
        "They will reply in this chat, usually within one business day.",
        "If you are in danger, please call your local emergency number now.",
        "I'm sorry things are difficult right now. You can ask for more time to pay.",
        "Thank you, {borrower_name}. Your payment is due on {due_date}.",
        "您计划在哪一天前一次还清 {collectible_total}？",
        "我只能接受今天起 30 天内的日期。",
        "这个日期已经过去了，请选择今天或之后的日期。",
        "您可以选择分期、延期，或者联系人工客服。",
        "我們的工作人員會優先與您聯絡。",
        "如果您身處危險，請現在撥打當地的緊急電話。",
        "工作人员会在 15 天内答复您。",
        # An offer is not a deadline; a promise not to tell anyone is not a threat.
        "If you can, you may pay today, or choose a plan.",
        "你可以现在付款，也可以选择分期。",
        "Reminder: your payment of {amount} is due on {due_date}. Reply STOP to opt out.",
        "We won't contact anyone else about your account.",
        "我們不會向任何其他人透露您的帳戶資訊。",
        "We are authorised and regulated by the FCA.",
    ],
)
def test_honest_texts_are_not_flagged(text: str) -> None:
    assert find_violations(text, "en") == ()


@pytest.mark.parametrize(
    ("text", "value"),
    [("两", 2.0), ("十", 10.0), ("十二", 12.0), ("二十四", 24.0), ("一百", 100.0), ("半", 0.5)],
)
def test_chinese_numerals_in_deadlines(text: str, value: float) -> None:
    assert chinese_number(text) == value


def test_placeholders_are_data_not_words() -> None:
    assert find_violations("Hello {borrower_name}", "en") == ()
    assert find_violations("Hello borrow money from {lender}", "en") != ()
