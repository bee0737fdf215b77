"""R6: whatever the path, the first message names the lender and says it is a bot.

The validator checks the script's greeting in every locale and each channel
text that can be someone's first message (a stranger, a dead link, a shared
phone number, a group); the Telegram tests read what a newcomer really gets.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.compliance import first_contact_problems, says_automated
from bot.engine.validator import SentText, validate_texts
from bot.i18n.messages import CODE_MESSAGES
from bot.service.scripts import check_dialogs
from bot.service.sent_texts import FIRST_CONTACT_IDS, catalog_sent_texts, code_sent_texts
from bot.store.tables import ChannelLinkRow
from tests.project_copy import ROOT, copy_project, translate
from tests.telegram.conftest import Harness

LENDER = "Harbor Consumer Finance"
GREETING = "Hello, this is the automated assistant of {lender}."


@pytest.mark.rule("R6")
@pytest.mark.parametrize(
    ("replacement", "missing"),
    [
        ("Hello, this is {lender}.", "automated assistant"),
        ("Hello, this is the automated assistant.", "{lender}"),
    ],
)
def test_a_greeting_without_lender_or_bot_fails_the_check(
    tmp_path: Path, replacement: str, missing: str
) -> None:
    dialogs, _ = copy_project(tmp_path)
    script = dialogs / "repayment.yaml"
    script.write_text(
        script.read_text(encoding="utf-8").replace(GREETING, replacement), encoding="utf-8"
    )
    problems = check_dialogs(dialogs, None)
    assert any(
        p.message.startswith("R6: the en first message") and missing in p.message for p in problems
    ), problems


@pytest.mark.rule("R6")
@pytest.mark.parametrize(
    ("locale", "translation", "missing"),
    [
        ("zh_Hans", "您好，这里是{lender}。我可以帮您查看账户。", "automated assistant"),
        ("zh_Hant", "您好，這裡是智能助理（自動回覆）。", "{lender}"),
    ],
)
def test_a_greeting_translation_must_identify_too(
    tmp_path: Path, locale: str, translation: str, missing: str
) -> None:
    dialogs, locales = copy_project(tmp_path)
    translate(locales, locale, "repayment.greeting.hello", translation)
    problems = check_dialogs(dialogs, locales)
    assert any(
        p.message.startswith(f"R6: the {locale} first message") and missing in p.message
        for p in problems
    ), problems


@pytest.mark.rule("R6")
def test_a_conditional_greeting_does_not_count(tmp_path: Path) -> None:
    """A `when` may be false for this borrower: the identity must be said regardless."""
    dialogs, _ = copy_project(tmp_path)
    script = dialogs / "repayment.yaml"
    text = script.read_text(encoding="utf-8")
    old = "      - id: hello\n        text:"
    assert old in text
    script.write_text(
        text.replace(old, '      - id: hello\n        when: "locked"\n        text:'),
        encoding="utf-8",
    )
    problems = check_dialogs(dialogs, None)
    assert any(p.message.startswith("R6: the en first message") for p in problems)


@pytest.mark.rule("R6")
@pytest.mark.parametrize("message_id", FIRST_CONTACT_IDS)
def test_each_first_contact_text_is_checked_in_every_locale(message_id: str) -> None:
    shipped = [
        t
        for t in [*code_sent_texts(), *catalog_sent_texts(ROOT / "locales")]
        if t.message_id == message_id and t.locale in ("en", "zh_Hans", "zh_Hant")
    ]
    assert {t.locale for t in shipped} == {"en", "zh_Hans", "zh_Hant"}
    for text in shipped:
        assert first_contact_problems(text.text) == (), (text.locale, text.text)
    stripped = [
        SentText(t.file, t.line, t.locale, t.message_id, t.text.replace("{lender}", "us"))
        for t in shipped
    ]
    problems = validate_texts(stripped, first_contact_ids=[message_id])
    assert {p.message.split("'")[0] for p in problems} == {
        f"R6: first-contact {locale} text " for locale in ("en", "zh_Hans", "zh_Hant")
    }


@pytest.mark.rule("R6")
def test_a_first_contact_text_missing_in_a_locale_is_reported() -> None:
    english = CODE_MESSAGES["channel.welcome"]
    problems = validate_texts(
        [SentText("bot/i18n/messages.py", 1, "en", "channel.welcome", english)],
        first_contact_ids=["channel.welcome"],
    )
    assert [p.message for p in problems] == [
        "R6: first-contact text 'channel.welcome' has no zh_Hans version",
        "R6: first-contact text 'channel.welcome' has no zh_Hant version",
    ]


@pytest.mark.parametrize(
    ("text", "automated"),
    [
        ("Hello, this is the automated assistant of {lender}.", True),
        ("I'm a chatbot for {lender}.", True),
        ("这里是{lender}的智能助手（自动回复）。", True),
        ("這裡是{lender}的智能助理（自動回覆）。", True),
        ("Hello, this is {lender}.", False),
        ("您好，这里是{lender}客服。", False),
    ],
)
def test_what_counts_as_saying_it_is_automated(text: str, automated: bool) -> None:
    assert says_automated(text) is automated


def _identifies(text: str) -> bool:
    # The lender as the borrower's language writes it (policy.yaml lender_names).
    named = LENDER in text or "海港消費金融" in text or "海港消费金融" in text
    return named and says_automated(text)


@pytest.mark.rule("R6")
async def test_every_first_reply_on_telegram_identifies_the_bot(bot: Harness) -> None:
    """A stranger's message, a dead link, someone else's phone, an unknown phone, a group."""
    stranger = bot.tg.user(601, "Sam")
    await stranger.send_text("hello?")
    (welcome,) = await stranger.next_messages()
    assert _identifies(welcome["text"]) and "{lender}" not in welcome["text"]

    owner = bot.tg.user(602, "Owner")
    token = await bot.link_token("T-EN")
    await owner.send_command("/start", token)
    (greeting,) = await owner.next_messages()
    assert _identifies(greeting["text"])

    late = bot.tg.user(603, "Chan", "zh-hk")
    await late.send_command("/start", token)  # already used
    (dead_link,) = await late.next_messages()
    assert _identifies(dead_link["text"])

    sharer = bot.tg.user(604, "Lee")
    await sharer.share_contact("+85291230001", own=False)
    (not_own,) = await sharer.next_messages()
    assert _identifies(not_own["text"])

    unknown = bot.tg.user(605, "Kim")
    await unknown.share_contact("+15550000000", own=True)
    (no_account,) = await unknown.next_messages()
    assert _identifies(no_account["text"])
    assert await bot.count(ChannelLinkRow, user_key="605") == 0

    group = bot.tg.group(-100601, "group")
    await bot.tg.push_update(
        {
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": group,
                "from": {"id": 602, "is_bot": False, "first_name": "Owner"},
                "text": "/help",
                "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
            }
        }
    )
    (refusal,) = await bot.tg.wait_for(-100601, 1)
    assert _identifies(refusal["text"])
