"""What a script can see: public names before verification, the account's after (R5, R8)."""

from __future__ import annotations

import ast
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bot.domain.accounts import Agreement
from bot.engine.scope import ACCOUNT_NAMES, PUBLIC_NAMES, build_scope
from bot.engine.script import ActionCall
from bot.engine.types import Context, ConversationState, MessageRef, MoneyValue
from tests.engine.driver import NOW, make_account, shipped_policy

ROOT = Path(__file__).resolve().parents[2]

# The crisis lines for the borrower's region (a US account here).
CONTACTS = ("988 Suicide & Crisis Lifeline (call or text): 988",)
TODAY = date(2026, 11, 22)


def usd(amount: str) -> MoneyValue:
    return MoneyValue(Decimal(amount), "USD")


def state(verified: bool, **variables: Any) -> ConversationState:
    return ConversationState(
        "repayment", "1", "menu", "en", verified=verified, failed_inputs=1, vars=variables
    )


def scope(verified: bool, account: Any = None, **variables: Any) -> dict[str, Any]:
    ctx = Context(account or make_account(), shipped_policy(), NOW)
    return build_scope(state(verified, **variables), ctx)


def charge(charge_id: str, kind: str, text: str, amount: str, posted: date, disputed: bool) -> Any:
    return {
        "charge_id": charge_id,
        "kind": MessageRef(f"charge_kind.{kind}"),
        "description": text,
        "amount": usd(amount),
        "posted_on": posted,
        # The line's own day, in words for its kind (issue 34 point 5).
        "dated": MessageRef(f"charge_date.{kind}", (("date", posted),)),
        "disputed": disputed,
    }


C1 = charge("C1", "principal", "Card balance", "1200.00", date(2026, 10, 1), False)
C2 = charge("C2", "interest", "October interest", "85.50", date(2026, 10, 31), False)
C3 = charge("C3", "late_fee", "Late payment fee", "35.00", date(2026, 11, 19), False)


@pytest.mark.rule("R5")
def test_before_verification_only_public_names_and_variables_exist_R5() -> None:
    names = scope(False, verify_failures=1, offer=usd("1.00"))
    assert names == {
        "lender": "Harbor Consumer Finance",
        "verified": False,
        "locked": False,
        "lock_minutes": 0,
        "failed_inputs": 1,
        "max_attempts": 3,
        "attempts_left": 2,
        "support_contacts": CONTACTS,
        "emergency_number": "911",
        "locale": "en",
        "complaint_answer_days": 15,
        "today": TODAY,
        "verify_failures": 1,
        "offer": usd("1.00"),
    }
    assert set(names) - {"verify_failures", "offer"} <= PUBLIC_NAMES


@pytest.mark.rule("R5")
@pytest.mark.parametrize(
    ("failures", "locked", "left"), [(2, False, 1), (3, True, 0), (5, True, 0)]
)
def test_identity_is_locked_at_the_maximum_attempts_R5(
    failures: int, locked: bool, left: int
) -> None:
    names = scope(False, verify_failures=failures)
    assert (names["locked"], names["attempts_left"]) == (locked, left)


@pytest.mark.rule("R8")
def test_after_verification_the_account_is_seen_without_disputed_charges_R8() -> None:
    names = scope(True, disputed_now=["C3"], dispute_selection=["C2"])
    account_part = {k: v for k, v in names.items() if k in ACCOUNT_NAMES}
    assert account_part == {
        "borrower_name": "Alex Doe",
        "account_id": "ACC-1",
        "currency": "USD",
        "total": usd("1320.50"),
        "collectible_total": usd("1285.50"),
        "collectible_amount": Decimal("1285.50"),
        "disputed_total": usd("35.00"),
        "has_balance": True,
        "has_disputes": True,
        "paid_since_statement": usd("0"),
        "has_payments": False,
        "due_date": date(2026, 11, 18),
        "days_past_due": 4,
        "stage": "early",
        # Every line carries its tick for the dispute buttons (C2 is selected).
        "charges": [
            {**C1, "mark": "☐"},
            {**C2, "mark": "☑"},
            {**C3, "disputed": True, "mark": "☐"},
        ],
        "undisputed_charges": [{**C1, "mark": "☐"}, {**C2, "mark": "☑"}],
        "computed_on": TODAY,
        "extensions_left": 1,
        "collection_paused": False,
        "breathing_space": False,
        "breathing_space_until": "",
        "min_installment": usd("25"),
        "max_term_months": 12,
        "hardship_max_term_months": 24,
        "promise_max_days": 30,
        # Examples computed from today and the account (issue 32): a week ahead, and
        # the balance over the longest plan rounded up (1285.50 / 12 -> 110).
        "promise_example_date": TODAY + timedelta(days=7),
        "monthly_example": 110,
        "dispute_answer_days": 30,
        "selected_charges": [{**C2, "mark": "☑"}],
        "has_arrangement": False,
        "arrangement_kind": "",
        "arrangement_in_review": "",
        "arrangement_on_hold": "",
        "has_payment_instructions": True,
        "pay_link": "https://pay.harbor-finance.example/ACC-1?amount=1285.50",
        "pay_bank_name": "",
        "pay_account_name": "",
        "pay_account_number": "",
        "pay_bank_code": "",
        "pay_reference": "ACC-1",
    }
    assert names["verified"] is True
    assert names["dispute_selection"] == ["C2"]


def test_a_balance_of_nothing_is_no_balance() -> None:
    names = scope(True, disputed_now=["C1", "C2", "C3"])
    assert names["collectible_amount"] == Decimal("0.00")
    assert names["has_balance"] is False
    assert names["undisputed_charges"] == []


def test_account_flags_and_extensions_used_show_in_the_names() -> None:
    account = replace(
        make_account(extensions_used=1),
        breathing_space=True,
        breathing_space_until=date(2026, 12, 31),
        in_review="PLAN-9",
    )
    names = scope(True, account)
    assert names["extensions_left"] == 0
    assert names["collection_paused"] is True
    assert names["breathing_space"] is True
    assert names["breathing_space_until"] == date(2026, 12, 31)
    assert names["arrangement_in_review"] == "PLAN-9"
    assert names["has_disputes"] is False
    paused = scope(True, replace(make_account(), collection_paused=True))
    assert paused["collection_paused"] is True


PLAN = Agreement(
    "PLAN-1",
    "installment_plan",
    Decimal("300.00"),
    installments=((date(2026, 12, 1), Decimal("100.00")), (date(2027, 1, 1), Decimal("200.00"))),
)


def test_an_active_plan_shows_its_next_installment_and_the_link_asks_for_it() -> None:
    names = scope(True, replace(make_account(), agreement=PLAN))
    assert {k: v for k, v in names.items() if k.startswith("arrangement_")} == {
        "arrangement_kind": "installment_plan",
        "arrangement_reference": "PLAN-1",
        "arrangement_amount": usd("300.00"),
        "arrangement_next_date": date(2026, 12, 1),
        "arrangement_next_amount": usd("100.00"),
        "arrangement_left": usd("300.00"),
        "arrangement_in_review": "",
        "arrangement_on_hold": "",
    }
    assert names["has_arrangement"] is True
    assert names["pay_link"] == "https://pay.harbor-finance.example/ACC-1?amount=100.00"


WHOLE = Agreement(
    "PLAN-W",
    "installment_plan",
    Decimal("1320.50"),
    installments=((date(2026, 12, 1), Decimal("660.25")), (date(2027, 1, 1), Decimal("660.25"))),
)


@pytest.mark.rule("R8")
def test_r8_a_plan_a_dispute_reaches_is_on_hold_from_the_same_step() -> None:
    names = scope(True, replace(make_account(), agreement=WHOLE), disputed_now=["C3"])
    assert names["has_arrangement"] is False
    assert names["arrangement_kind"] == ""
    assert names["arrangement_on_hold"] == "PLAN-W"
    # The link asks for what may be collected, never for the held plan's installment.
    assert names["pay_link"] == "https://pay.harbor-finance.example/ACC-1?amount=1285.50"


@pytest.mark.rule("R8")
def test_r8_a_plan_agreed_without_the_disputed_charge_stays_active() -> None:
    without_fee = replace(WHOLE, amount=Decimal("1285.50"))
    names = scope(True, replace(make_account(), agreement=without_fee), disputed_now=["C3"])
    assert names["has_arrangement"] is True
    assert names["arrangement_on_hold"] == ""


@pytest.mark.rule("R8")
def test_r8_a_plan_stored_on_hold_is_shown_on_hold() -> None:
    names = scope(True, replace(make_account(), suspended="PLAN-S"))
    assert (names["has_arrangement"], names["arrangement_on_hold"]) == (False, "PLAN-S")


@pytest.mark.rule("R7")
def test_r7_payments_since_the_figures_lower_the_total_the_plan_and_the_link() -> None:
    paid = replace(WHOLE, paid=Decimal("700.00"))
    account = replace(make_account(), agreement=paid, paid=Decimal("700.00"))
    names = scope(True, account)
    assert names["collectible_total"] == usd("620.50")
    assert names["paid_since_statement"] == usd("700.00")
    assert names["has_payments"] is True
    assert names["arrangement_left"] == usd("620.50")
    assert names["arrangement_next_amount"] == usd("620.50")
    assert names["pay_link"] == "https://pay.harbor-finance.example/ACC-1?amount=620.50"


@pytest.mark.rule("R8")
def test_r8_paid_beyond_what_is_owed_leaves_nothing_to_ask_not_less() -> None:
    names = scope(True, replace(make_account(), paid=Decimal("5000.00")))
    assert names["collectible_amount"] == Decimal(0)
    assert names["has_balance"] is False


def test_an_extension_shows_its_new_due_date_and_amount() -> None:
    extension = Agreement("EXT-1", "extension", Decimal("1320.50"), new_due_date=date(2026, 12, 18))
    names = scope(True, replace(make_account(), agreement=extension))
    assert names["arrangement_next_date"] == date(2026, 12, 18)
    assert names["arrangement_next_amount"] == usd("1320.50")
    assert names["arrangement_left"] == usd("1320.50")
    assert names["pay_link"] == "https://pay.harbor-finance.example/ACC-1?amount=1320.50"


def test_an_arrangement_agreed_in_this_step_sets_the_amount_to_pay() -> None:
    names = scope(True, arrangement_id="NEW-1", pay_amount="440.17")
    assert names["pay_link"] == "https://pay.harbor-finance.example/ACC-1?amount=440.17"
    # The stored arrangement is the same one: its installment stands.
    same = scope(
        True, replace(make_account(), agreement=PLAN), arrangement_id="PLAN-1", pay_amount="1"
    )
    assert same["pay_link"] == "https://pay.harbor-finance.example/ACC-1?amount=100.00"
    # A new one replaces a stored one.
    other = scope(
        True, replace(make_account(), agreement=PLAN), arrangement_id="NEW-2", pay_amount="50"
    )
    assert other["pay_link"] == "https://pay.harbor-finance.example/ACC-1?amount=50"


def test_bank_details_are_given_for_currencies_paid_by_transfer() -> None:
    names = scope(True, make_account(currency="HKD"))
    assert {k: v for k, v in names.items() if k.startswith("pay_")} == {
        "pay_link": "",
        "pay_bank_name": "香港上海滙豐銀行",
        "pay_account_name": "Harbor Consumer Finance Ltd",
        "pay_account_number": "004-123-456789-001",
        "pay_bank_code": "004",
        "pay_reference": "HCF-ACC-1",
    }
    assert names["min_installment"] == MoneyValue(Decimal("200"), "HKD")


def test_no_instructions_for_a_currency_the_policy_does_not_cover() -> None:
    names = scope(True, make_account(currency="EUR"))
    assert names["has_payment_instructions"] is False
    assert (names["pay_link"], names["pay_account_number"]) == ("", "")
    assert "pay_reference" not in names


def test_late_accounts_are_in_the_late_stage() -> None:
    names = scope(True, make_account(due=date(2026, 10, 1)))
    assert names["days_past_due"] == 52
    assert names["stage"] == "late"


# The account's names are kept across steps while the account, the policy and the
# borrower's day stay the same (issue 11 point 3). Anything else must be seen at once.


def test_a_changed_account_is_seen_at_once_not_read_from_what_was_kept() -> None:
    account = make_account()
    before = scope(True, account)
    disputed = replace(account, disputed_charge_ids=frozenset({"C3"}))
    after = scope(True, disputed)
    assert before["collectible_total"] == usd("1320.50")
    assert after["collectible_total"] == usd("1285.50")
    assert after["charges"][2]["disputed"] is True
    assert scope(True, account)["collectible_total"] == usd("1320.50")


def test_a_new_policy_is_seen_at_once_even_when_the_account_is_the_same() -> None:
    account = make_account()
    policy = shipped_policy()
    stricter = policy.model_copy(
        update={"installments": policy.installments.model_copy(update={"max_term_months": 3})}
    )
    first = build_scope(state(True), Context(account, policy, NOW))
    second = build_scope(state(True), Context(account, stricter, NOW))
    assert first["max_term_months"] != 3
    assert second["max_term_months"] == 3


def test_the_next_day_counts_one_more_day_past_due() -> None:
    account = make_account()
    today = build_scope(state(True), Context(account, shipped_policy(), NOW))
    tomorrow = build_scope(state(True), Context(account, shipped_policy(), NOW + timedelta(days=1)))
    assert tomorrow["days_past_due"] == today["days_past_due"] + 1
    assert tomorrow["computed_on"] == today["computed_on"] + timedelta(days=1)


def test_the_link_asks_for_the_amount_as_it_was_agreed_each_time() -> None:
    # Equal amounts written differently fill the link differently: what is kept
    # between steps must not answer one with the other.
    plain = scope(True, arrangement_id="NEW-1", pay_amount="100")
    cents = scope(True, arrangement_id="NEW-1", pay_amount="100.00")
    assert plain["pay_link"].endswith("?amount=100")
    assert cents["pay_link"].endswith("?amount=100.00")
    assert scope(True, arrangement_id="NEW-1", pay_amount="75")["pay_link"].endswith("=75")


def test_the_public_names_follow_the_policy_and_the_language_of_each_step() -> None:
    account = make_account()
    policy = shipped_policy()
    renamed = policy.model_copy(update={"lender_name": "Harbor Credit"})
    english = build_scope(state(False), Context(account, policy, NOW))
    assert english["lender"] == "Harbor Consumer Finance"
    assert build_scope(state(False), Context(account, renamed, NOW))["lender"] == "Harbor Credit"
    chinese = replace(state(False), locale="zh_Hans")
    contacts = build_scope(chinese, Context(account, policy, NOW))["support_contacts"]
    assert contacts != english["support_contacts"]
    assert contacts == policy.support_contacts("US", "zh_Hans")


@pytest.mark.rule("R5")
def test_a_borrower_who_never_failed_has_every_attempt_left_R5() -> None:
    names = scope(False)  # no verify_failures variable yet
    max_attempts = shipped_policy().verification.max_attempts
    assert names["attempts_left"] == max_attempts
    assert names["locked"] is False


def test_an_arrangement_agreed_now_without_an_amount_asks_for_what_is_due() -> None:
    names = scope(True, arrangement_id="NEW-1")
    assert names["pay_link"] == "https://pay.harbor-finance.example/ACC-1?amount=1320.50"


def test_a_policy_is_kept_by_identity_not_by_equality() -> None:
    from bot.engine.memo import Same

    policy = shipped_policy()
    twin = policy.model_copy()
    assert twin == policy  # equal, yet another object
    assert Same(policy) == Same(policy)
    assert Same(policy) != Same(twin)
    assert Same(policy) != policy


@pytest.mark.rule("R8")
def test_a_step_lays_changed_variables_over_the_names_it_computed_R8() -> None:
    """Variables the computed names do not read are laid over them; one they read
    (a charge disputed in this very step) has them worked out again."""
    from bot.engine.machine import _Step
    from tests.engine.driver import repayment_script

    ctx = Context(make_account(), shipped_policy(), NOW)
    running = _Step(repayment_script(), state(True), ctx)
    before = running._scope()
    computed = running._computed
    running.set_var("note_for_agent", "call after 6pm")
    running.set_var("plan_months", 12)  # left from an earlier offer
    after = running._scope()
    assert running._computed is computed  # not worked out again
    assert after["note_for_agent"] == "call after 6pm"
    assert after["collectible_total"] == before["collectible_total"] == usd("1320.50")
    running.set_var("disputed_now", ["C3"])
    held = running._scope()
    assert running._computed is not computed
    assert held["collectible_total"] == usd("1285.50")
    assert held["has_disputes"] is True
    # An action that removes a variable (a new offer drops the last one's figures).
    running._run_actions([ActionCall(name="propose_monthly")], Decimal("200"))
    offered = running._scope()
    assert offered["plan_months"] == 7


def test_the_engine_changes_variables_only_where_the_scope_hears_of_it() -> None:
    """The scope is rebuilt when `set_var`, an action or a restart changed the
    variables; a write anywhere else would leave guards reading old values."""
    writes = []
    for path in sorted((ROOT / "bot" / "engine").glob("*.py")):
        if path.name == "actions.py":  # an action's writes: the step marks them after it
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef) or _plain_name(function) == "set_var":
                continue
            for node in ast.walk(function):
                targets = (
                    node.targets
                    if isinstance(node, ast.Assign | ast.Delete)
                    else [node.target]
                    if isinstance(node, ast.AugAssign)
                    else []
                )
                for target in targets:
                    if (
                        isinstance(target, ast.Subscript)
                        and isinstance(target.value, ast.Attribute)
                        and target.value.attr == "vars"
                    ):
                        writes.append(f"{path.name}:{target.lineno}")
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("pop", "update", "clear", "setdefault", "popitem")
                    and isinstance(node.func.value, ast.Attribute)
                    and node.func.value.attr == "vars"
                ):
                    writes.append(f"{path.name}:{node.lineno}")
    assert writes == []


def _plain_name(function: ast.FunctionDef) -> str:
    """The function's name as written: mutation testing runs this test on copies named
    `xǁ_Stepǁset_var__mutmut_orig` and `..._mutmut_1`, which are still `set_var`."""
    return function.name.rpartition("ǁ")[2].partition("__mutmut_")[0]
