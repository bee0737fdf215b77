"""Issue 30: the everyday meanings each held-out round misread, read for what they mean.

One class, every round (rounds 4 to 9, now dev), with fresh sentences of its
own, none of a round's lines nor of the training lines: the model, with the crisis and
yes/no rules around it, reads each for its meaning. A change of mind ends on its last answer.
"""

from __future__ import annotations

import pytest

from bot.understanding import prepare
from bot.understanding.labels import Meaning
from bot.understanding.model import IntentModel
from bot.understanding.understand import classify
from bot.understanding.yesno import yes_or_no

MEANINGS = {
    "r4": (
        ("alright, that's all from me, bye bye", Meaning.OFF_TOPIC),
        ("终于供完了，再也不欠钱，爽", Meaning.OFF_TOPIC),
        ("wait, am i texting a machine", Meaning.OFF_TOPIC),
        ("你係咪真人嚟㗎定係電腦", Meaning.OFF_TOPIC),
        ("which options do i have here", Meaning.HELP),
        ("唔要呢個，仲有冇第二啲", Meaning.DECLINE),
        ("可唔可以用信用卡俾", Meaning.HOW_TO_PAY),
        ("can you talk cantonese", Meaning.LANGUAGE),
    ),
    "r5": (
        ("please quit messaging me", Meaning.STOP),
        ("以后不要再给我发这些了", Meaning.STOP),
        ("呢個聊天機械人講極都唔明", Meaning.COMPLAINT),
        ("this robot understands nothing, so annoying", Meaning.COMPLAINT),
        ("你们凭什么打电话给我爸妈", Meaning.COMPLAINT),
        ("一次過俾晒我就要食白粥，分四期得唔得", Meaning.INSTALLMENT),
        ("下周四还一千五", Meaning.PROMISE),
        ("merry xmas guys", Meaning.OFF_TOPIC),
    ),
    # Round 6: promises "tonight" with amounts in words, a refusal sworn on one's life, a
    # plain question of what happens when one cannot pay, a payment already made, paying
    # at a convenience store, going out to dance as small talk.
    "r6": (
        ("ill send seventy tonight after my shift", Meaning.PROMISE),
        ("不要 打死也不要这个方案", Meaning.DECLINE),
        ("还不了钱的话会怎样处理", Meaning.HELP),
        ("上個月已經俾咗 你哋睇下紀錄", Meaning.DISPUTE),
        ("可以去全家便利店缴吗", Meaning.HOW_TO_PAY),
        ("我下楼跳舞去了 晚点聊", Meaning.OFF_TOPIC),
    ),
    # Rounds 8 and 9: an option turned down is a decline, not a request for it; beside the
    # whole balance named, it is paying in full.
    "r9": (
        ("honestly not keen on monthly payments, no", Meaning.DECLINE),
        ("think ill pass on that offer, thanks", Meaning.DECLINE),
        ("i'll skip the lump sum, cant do it", Meaning.DECLINE),
        ("这个分期我就不要了", Meaning.DECLINE),
        ("分期就免了吧", Meaning.DECLINE),
        ("下个月一次还清，不用分期", Meaning.PAY_IN_FULL),
    ),
}
# A change of mind: the last answer wins (round 5).
CHANGES_OF_MIND = (
    ("ok wait no, actually no", False),
    ("no hang on, yes", True),
    ("好……唔係，唔好", False),
    ("好吧，等等，还是不要了", False),
)


@pytest.mark.parametrize(
    ("text", "meaning"),
    [
        pytest.param(text, meaning, id=f"{name}-{index}")
        for name, table in MEANINGS.items()
        for index, (text, meaning) in enumerate(table)
    ],
)
def test_everyday_wording_a_round_misread_is_read_for_what_it_means(
    text: str, meaning: Meaning, model: IntentModel
) -> None:
    assert classify(text, model=model) is meaning


@pytest.mark.parametrize(("text", "answer"), CHANGES_OF_MIND)
def test_a_change_of_mind_ends_on_its_last_answer(text: str, answer: bool) -> None:
    assert yes_or_no(prepare(text)) is answer


def test_no_more_reminders_is_no_plain_no() -> None:
    assert yes_or_no(prepare("no more reminders for me thanks")) is None
    assert yes_or_no(prepare("no, too much")) is False
