"""Each semantic check of a script, on a small script: exact file line, state and wording.

Managers read these messages to fix a script before publishing it, so each
problem is stated exactly, on the line of the YAML that causes it.
"""

from __future__ import annotations

import pytest

from bot.engine.errors import ScriptProblem
from bot.engine.loader import load_script
from bot.engine.validator import SentText, validate_script, validate_texts

MINI = """\
id: mini
version: "1"
start: greeting
verify_state: verify
home: menu
paused_state: paused
messages:
  not_understood: "Sorry?"
  unknown_command: "Unknown command."
  stale_choice: "Old button."
  offer_person: "Type agent for a person."
  choice_person: "A person"
  ask_back: "Did you mean?"
  meaning_none: "Something else"
  meaning_human: "A person"
  which_date: "Which date?"
  date_option: "{date}"
  bad_date: "Bad date."
intents:
  crisis: {to: crisis}
  human: {to: handoff, detour: true}
commands:
  human: {to: handoff, detour: true}
states:
  greeting:
    public: true
    say:
      - {id: hello, text: "Hello, I am the automated assistant of {lender}."}
    next:
      - {to: verify}
  verify:
    public: true
    say:
      - {id: ask, text: "Your date of birth?", ask: true}
    input: {type: birth_date, store: birth_date, invalid: bad_date}
    actions: [verify_identity]
    next:
      - {to: menu, when: "verified"}
      - {to: verify}
  menu:
    say:
      - {id: total, text: "You owe {collectible_total}."}
    choices:
      - {id: bye, label: "Bye", to: goodbye}
  paused:
    public: true
    end: true
    say:
      - {id: paused, text: "Paused."}
  crisis:
    public: true
    enter:
      - pause_collection
      - escalate: {reason: crisis, priority: urgent}
    end: true
    say:
      - {id: help, text: "Help is near."}
  handoff:
    public: true
    enter:
      - escalate: {reason: requested}
    end: true
    say:
      - {id: wait, text: "A person will write."}
  goodbye:
    end: true
    say:
      - {id: bye, text: "Bye."}
"""

Found = list[tuple[int, str | None, str]]


def problems(text: str, **options: object) -> Found:
    script, lines = load_script(text, "mini.yaml")
    found = validate_script(script, lines, "mini.yaml", **options)  # type: ignore[arg-type]
    assert all(p.file == "mini.yaml" for p in found)
    return [(p.line, p.state, p.message) for p in found]


def test_the_small_script_is_valid() -> None:
    assert problems(MINI) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "home: menu",
            "home: nowhere",
            [(5, None, "home names unknown state 'nowhere'")],
            id="home_unknown",
        ),
        pytest.param(
            "start: greeting",
            "start: nowhere",
            [
                (3, None, "start names unknown state 'nowhere'"),
                (25, "greeting", "state is unreachable"),
            ],
            id="start_unknown",
        ),
        pytest.param(
            "paused_state: paused",
            "paused_state: nowhere",
            [
                (6, None, "paused_state names unknown state 'nowhere'"),
                (45, "paused", "state is unreachable"),
            ],
            id="paused_unknown",
        ),
        pytest.param(
            "verify_state: verify",
            "verify_state: nowhere",
            [(4, None, "verify_state names unknown state 'nowhere'")],
            id="verify_unknown",
        ),
        pytest.param(
            "  verify:\n    public: true",
            "  verify:\n    public: false",
            [(4, "verify", "the verify state must be public (R5)")],
            id="verify_private",
        ),
        pytest.param(
            "      - {to: verify}\n  verify:",
            "      - {to: verifyy}\n  verify:",
            [(30, "greeting", "transition to unknown state 'verifyy'")],
            id="next_unknown",
        ),
        pytest.param(
            '      - {id: bye, label: "Bye", to: goodbye}',
            '      - {id: bye, label: "Bye", to: goodby}',
            [
                (44, "menu", "transition to unknown state 'goodby'"),
                (65, "goodbye", "state is unreachable"),
            ],
            id="choice_unknown",
        ),
        pytest.param(
            "  human: {to: handoff, detour: true}\ncommands:",
            "  human: {to: handoff, detour: true}\n  help: {to: helpp}\ncommands:",
            [
                (7, None, "meaning 'help' is routed but has no button label 'meaning_help'"),
                (22, None, "route to unknown state 'helpp'"),
            ],
            id="global_route_unknown",
        ),
        pytest.param(
            "commands:\n",
            "triggers:\n  reminder: {to: remind}\ncommands:\n",
            [(23, None, "route to unknown state 'remind'")],
            id="trigger_unknown",
        ),
        pytest.param(
            "  goodbye:\n",
            "  orphan:\n    end: true\n  goodbye:\n",
            [(65, "orphan", "state is unreachable")],
            id="unreachable",
        ),
        pytest.param(
            "      - {to: verify}\n  verify:",
            '      - {to: verify, when: "verified"}\n  verify:',
            [(30, "greeting", "dead end: the last transition needs no `when`")],
            id="last_next_guarded",
        ),
        pytest.param(
            "  paused:\n    public: true\n    end: true\n",
            "  paused:\n    public: true\n",
            [(45, "paused", "dead end: no transition out of this state")],
            id="no_way_on",
        ),
        pytest.param(
            '    input: {type: birth_date, store: birth_date, invalid: bad_date}\n    actions: [verify_identity]\n    next:\n      - {to: menu, when: "verified"}\n      - {to: verify}\n',
            "    input: {type: birth_date, store: birth_date, invalid: bad_date}\n    actions: [verify_identity]\n",
            [
                (31, "verify", "dead end: an answer here has no `next` to go to"),
                (31, "verify", "dead end: no way out of this state"),
            ],
            id="answer_without_next",
        ),
        pytest.param(
            '      - {id: bye, label: "Bye", to: goodbye}',
            '      - {id: bye, label: "Bye", to: menu}',
            [
                (40, "menu", "dead end: no way out of this state"),
                (65, "goodbye", "state is unreachable"),
            ],
            id="only_loops_back",
        ),
        pytest.param(
            "    actions: [verify_identity]",
            "    actions: [verify_idnetity]",
            [(36, "verify", "undefined action 'verify_idnetity'")],
            id="undefined_action",
        ),
        pytest.param(
            "      - escalate: {reason: requested}",
            "      - escalate: {reason: bored, priority: whenever}",
            [
                (61, "handoff", "escalate: unknown priority 'whenever'"),
                (61, "handoff", "escalate: unknown reason 'bored'"),
            ],
            id="escalate_unknown",
        ),
        pytest.param(
            '      - {to: menu, when: "verified"}',
            '      - {to: menu, when: "verified =="}',
            [
                (
                    38,
                    "verify",
                    "invalid expression 'verified ==': unexpected 'end of print statement'",
                )
            ],
            id="guard_invalid",
        ),
        pytest.param(
            '      - {to: menu, when: "verified"}',
            "      - {to: menu, when: \"promise_check == 'in_pass' or plan_decision != 'ok'\"}",
            [
                (
                    38,
                    "verify",
                    "'promise_check' is never 'in_pass': the action sets one of in_past, ok, too_far",
                )
            ],
            id="outcome_never",
        ),
        pytest.param(
            '      - {to: menu, when: "verified"}',
            '      - {to: menu, when: "verifed and x | length > 0 and none is none and True"}',
            [(38, "verify", "unknown name(s) in expression: verifed, x")],
            id="guard_unknown_name",
        ),
        pytest.param(
            "You owe {collectible_total}.",
            "You owe {colectible_total}.",
            [(42, "menu", "undefined placeholder {colectible_total}")],
            id="placeholder_unknown",
        ),
        pytest.param(
            "Your date of birth?",
            "Your date of birth, {borrower_name}? Your name is {lender}.",
            [(34, "verify", "R5: public state shows account detail ['borrower_name']")],
            id="public_leak",
        ),
        pytest.param(
            '      - {id: bye, text: "Bye."}',
            '      - {id: bye, text: "Bye.", plural: "Byes.", count: n}',
            [(68, "goodbye", "plural count 'n' is not a known name")],
            id="plural_count_unknown",
        ),
        pytest.param(
            '      - {id: bye, text: "Bye."}',
            '      - {id: bye, text: "Bye {n}.", plural: "Byes {n}.", count: n}',
            [(68, "goodbye", "undefined placeholder {n}")],
            id="plural_count_undefined",
        ),
        pytest.param(
            '    end: true\n    say:\n      - {id: bye, text: "Bye."}',
            '    end: true\n    say:\n      - {id: bye, text: "Bye.", when: "nope", each: "plan_options"}\n      - {id: each, text: "{months} {id} {bad}", each: " plan_options "}',
            [
                (68, "goodbye", "unknown name(s) in expression: nope"),
                (69, "goodbye", "undefined placeholder {bad}"),
            ],
            id="each_and_when",
        ),
        pytest.param(
            "  menu:\n",
            '  menu:\n    intents:\n      wish: {to: goodbye}\n      confirm: {choice: maybe}\n      decline: {to: goodbye, when: "said_date and said_x", actions: [nope]}\n',
            [
                (7, None, "meaning 'confirm' is routed but has no button label 'meaning_confirm'"),
                (7, None, "meaning 'decline' is routed but has no button label 'meaning_decline'"),
                (42, "menu", "unknown meaning 'wish'"),
                (43, "menu", "confirm routes to unknown choice 'maybe'"),
                (44, "menu", "undefined action 'nope'"),
                (44, "menu", "unknown name(s) in expression: said_x"),
            ],
            id="state_intents",
        ),
        pytest.param(
            "invalid: bad_date}",
            'invalid: bad_datee, min: "x >", max: "today"}',
            [
                (35, "verify", "invalid expression 'x >': unexpected 'end of print statement'"),
                (35, "verify", "message 'bad_datee' is not in `messages`"),
            ],
            id="input_checks",
        ),
        pytest.param(
            "  human: {to: handoff, detour: true}\ncommands:",
            "commands:",
            [(19, None, "R13: no `human` route in intents: a person must always be reachable")],
            id="no_human_intent",
        ),
        pytest.param(
            "commands:\n  human: {to: handoff, detour: true}\n",
            "commands:\n  other: {to: handoff}\n",
            [(22, None, "R13: no `human` route in commands: a person must always be reachable")],
            id="no_human_command",
        ),
        pytest.param(
            "      - escalate: {reason: requested}",
            "      - pause_collection",
            [
                (21, "handoff", "R13: the human route does not escalate"),
                (23, "handoff", "R13: the human route does not escalate"),
            ],
            id="human_not_escalating",
        ),
        pytest.param(
            "  handoff:\n    public: true",
            "  handoff:\n    public: false",
            [
                (21, "handoff", "R13: the human route must be public"),
                (23, "handoff", "R13: the human route must be public"),
            ],
            id="human_private",
        ),
        pytest.param(
            "  crisis: {to: crisis}\n",
            "",
            [(19, None, "R12: no `crisis` intent"), (49, "crisis", "state is unreachable")],
            id="no_crisis",
        ),
        pytest.param(
            "      - pause_collection\n",
            "",
            [(20, "crisis", "R12: crisis must pause collection and escalate urgently")],
            id="crisis_not_pausing",
        ),
        pytest.param(
            "      - escalate: {reason: crisis, priority: urgent}",
            "      - escalate: {reason: crisis, priority: high}",
            [(20, "crisis", "R12: crisis must pause collection and escalate urgently")],
            id="crisis_not_urgent",
        ),
        pytest.param(
            '  stale_choice: "Old button."\n',
            "",
            [(7, None, "the engine needs message 'stale_choice'")],
            id="message_missing",
        ),
        pytest.param(
            "  human: {to: handoff, detour: true}\ncommands:",
            "  human: {to: handoff, detour: true}\n  wish: {to: goodbye}\n  help: {to: goodbye}\ncommands:",
            [
                (7, None, "meaning 'help' is routed but has no button label 'meaning_help'"),
                (7, None, "meaning 'wish' is routed but has no button label 'meaning_wish'"),
                (22, None, "unknown meaning 'wish'"),
            ],
            id="global_meanings",
        ),
        pytest.param(
            '  meaning_human: "A person"\n',
            "",
            [(7, None, "meaning 'human' is routed but has no button label 'meaning_human'")],
            id="meaning_label_missing",
        ),
        pytest.param(
            "Hello, I am the automated assistant of {lender}.",
            "Hello.",
            [
                (27, "greeting", "R6: the en first message does not name the {lender}"),
                (
                    27,
                    "greeting",
                    "R6: the en first message does not say it is an automated assistant",
                ),
            ],
            id="first_contact",
        ),
        pytest.param(
            "Hello, I am the automated assistant of {lender}.",
            "Pay today or we call the police.",
            [
                (27, "greeting", "R6: the en first message does not name the {lender}"),
                (
                    27,
                    "greeting",
                    "R6: the en first message does not say it is an automated assistant",
                ),
                (
                    28,
                    "greeting",
                    "R10: en text 'mini.greeting.hello' says 'today' (deadline shorter than the policy's minimum)",
                ),
                (
                    28,
                    "greeting",
                    "R9: en text 'mini.greeting.hello' says 'police' (prohibited phrase)",
                ),
            ],
            id="threat_in_greeting",
        ),
        pytest.param(
            "Bye.",
            "Pay within 3 days.",
            [
                (
                    68,
                    "goodbye",
                    "R10: en text 'mini.goodbye.bye' says 'within 3 days' (deadline shorter than the policy's minimum)",
                )
            ],
            id="short_deadline",
        ),
    ],
)
def test_each_broken_rule_is_reported_exactly(old: str, new: str, expected: Found) -> None:
    assert old in MINI
    assert problems(MINI.replace(old, new, 1)) == expected


def translations(script_text: str, locale_texts: dict[str, str]) -> dict[str, dict[str, str]]:
    """Every text translated as `locale_texts[id]`, or as "译文" by default."""
    script, _ = load_script(script_text, "mini.yaml")
    catalog: dict[str, dict[str, str]] = {}
    for locale in ("zh_Hans", "zh_Hant"):
        catalog[locale] = {
            f"{key}\x04{message.text}": locale_texts.get(key, "译文")
            for key, message in script.message_table().items()
        }
    return catalog


GREETING = {"mini.greeting.hello": "您好，我是{lender}的自动助手。"}


def test_complete_translations_pass() -> None:
    assert problems(MINI, translations=translations(MINI, GREETING)) == []


def test_a_missing_or_blank_translation_is_reported_per_locale() -> None:
    catalogs = translations(MINI, GREETING)
    del catalogs["zh_Hant"]["mini.goodbye.bye\x04Bye."]
    catalogs["zh_Hans"]["mini.menu.total\x04You owe {collectible_total}."] = "  "
    assert problems(MINI, translations=catalogs) == [
        (42, "menu", "text 'mini.menu.total' has no zh_Hans translation"),
        (68, "goodbye", "text 'mini.goodbye.bye' has no zh_Hant translation"),
    ]


def test_a_shared_text_is_reported_on_its_line_without_a_state() -> None:
    catalogs = translations(MINI, GREETING)
    catalogs["zh_Hans"]["mini.bad_date\x04Bad date."] = "请在今天之内还款"
    assert problems(MINI, translations=catalogs) == [
        (
            18,
            None,
            "R10: zh_Hans text 'mini.bad_date' says '今天' (deadline shorter than the policy's minimum)",
        )
    ]


def test_each_locale_greeting_must_name_the_lender_and_say_it_is_automated() -> None:
    catalogs = translations(MINI, {"mini.greeting.hello": "您好。"})
    assert problems(MINI, translations=catalogs) == [
        (27, "greeting", "R6: the zh_Hans first message does not name the {lender}"),
        (27, "greeting", "R6: the zh_Hans first message does not say it is an automated assistant"),
        (27, "greeting", "R6: the zh_Hant first message does not name the {lender}"),
        (27, "greeting", "R6: the zh_Hant first message does not say it is an automated assistant"),
    ]


def test_an_english_catalog_override_is_linted_too() -> None:
    catalogs = translations(MINI, GREETING)
    catalogs["en"] = {"mini.goodbye.bye\x04Bye.": "Bye, or we call the police."}
    assert problems(MINI, translations=catalogs) == [
        (68, "goodbye", "R9: en text 'mini.goodbye.bye' says 'police' (prohibited phrase)")
    ]


def test_a_conditional_greeting_text_does_not_count_for_first_contact() -> None:
    text = MINI.replace(
        '      - {id: hello, text: "Hello, I am the automated assistant of {lender}."}',
        '      - {id: hi, text: "Hello."}\n'
        '      - {id: hello, text: "I am the automated assistant of {lender}.", when: "verified"}',
    )
    assert problems(text) == [
        (27, "greeting", "R6: the en first message does not name the {lender}"),
        (27, "greeting", "R6: the en first message does not say it is an automated assistant"),
    ]


def test_the_shortest_deadline_comes_from_the_caller() -> None:
    text = MINI.replace("Bye.", "Pay within 3 days.")
    assert problems(text, min_deadline_days=3) == []
    assert problems(text, min_deadline_days=4) == [
        (
            68,
            "goodbye",
            "R10: en text 'mini.goodbye.bye' says 'within 3 days'"
            " (deadline shorter than the policy's minimum)",
        )
    ]


def test_texts_outside_scripts_are_linted_and_first_contact_texts_checked() -> None:
    texts = [
        SentText("bot/x.py", 3, "en", "hello", "Hello from the automated assistant of {lender}."),
        SentText("locales/zh_Hans.po", 9, "zh_Hans", "hello", "您好。"),
        SentText("locales/zh_Hans.po", 12, "zh_Hans", "nag", "请在今天之内还款"),
        SentText("locales/zh_Hans.po", 15, "zh_Hans", "blank", "   "),
    ]
    found = validate_texts(texts, first_contact_ids=["hello"], min_deadline_days=7)
    assert found == sorted(
        [
            ScriptProblem(
                "locales", 1, None, "R6: first-contact text 'hello' has no zh_Hant version"
            ),
            ScriptProblem(
                "locales/zh_Hans.po",
                9,
                None,
                "R6: first-contact zh_Hans text 'hello' does not name the {lender}",
            ),
            ScriptProblem(
                "locales/zh_Hans.po",
                9,
                None,
                "R6: first-contact zh_Hans text 'hello' does not say it is an automated assistant",
            ),
            ScriptProblem(
                "locales/zh_Hans.po",
                12,
                None,
                "R10: zh_Hans text 'nag' says '今天' (deadline shorter than the policy's minimum)",
            ),
        ],
        key=lambda p: (p.file, p.line, p.message),
    )
    assert validate_texts(texts[2:3], min_deadline_days=0) == []
