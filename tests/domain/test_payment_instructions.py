"""How to pay (issue 7 point 7): templates name only the account and the amount."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from bot.domain.policy import (
    PaymentInstructions,
    Policy,
    check_one_way,
    check_template,
    fill_template,
)

ROOT = Path(__file__).resolve().parents[2]


def test_a_template_may_name_the_account_and_the_amount() -> None:
    template = "https://pay.example/{account_id}?amount={amount}"
    assert check_template(template) == template
    assert fill_template(template, "ACC-1", Decimal("12.50")) == (
        "https://pay.example/ACC-1?amount=12.50"
    )
    assert fill_template("HCF-{account_id}", "ACC-1", Decimal(1)) == "HCF-ACC-1"


def test_a_template_is_filled_in_one_pass() -> None:
    """A lender's account id that looks like a placeholder is written as it is, and
    the same template fills differently for each account (it is split only once)."""
    template = "{amount}/{account_id}/{amount}-end"
    assert fill_template(template, "{amount}", Decimal("5.00")) == "5.00/{amount}/5.00-end"
    assert fill_template(template, "B-2", Decimal(7)) == "7/B-2/7-end"
    assert fill_template("{account_id}", "C", Decimal(1)) == "C"
    assert fill_template("no placeholder", "C", Decimal(1)) == "no placeholder"


def test_any_other_placeholder_is_refused_by_name() -> None:
    with pytest.raises(ValueError) as caught:
        check_template("pay/{name}/{account_id}/{0}")
    assert (
        str(caught.value) == "unknown placeholder(s) ['0', 'name'] in 'pay/{name}/{account_id}/{0}'"
    )
    with pytest.raises(ValidationError, match=r"unknown placeholder\(s\) \['x'\] in 'r-\{x\}'"):
        PaymentInstructions(link="https://pay.example", reference="r-{x}")


def test_a_borrower_needs_a_link_or_an_account_with_its_holder() -> None:
    check_one_way("https://pay.example", None, None)
    check_one_way(None, "123", "Harbor Ltd")
    with pytest.raises(ValueError) as caught:
        check_one_way(None, None, "Harbor Ltd")
    assert str(caught.value) == "give either a link or bank details (account_number)"
    for holder in (None, ""):
        with pytest.raises(ValueError) as caught:
            check_one_way("https://pay.example", "123", holder)
        assert str(caught.value) == "bank details need the account_name payments go to"


def test_instructions_are_checked_when_loaded() -> None:
    bank = PaymentInstructions(account_number="123", account_name="Harbor Ltd")
    assert bank.reference == "{account_id}"
    with pytest.raises(ValidationError, match="give either a link or bank details"):
        PaymentInstructions(bank_name="Barclays")


def test_instructions_are_found_by_currency_in_any_case() -> None:
    text = (ROOT / "dialogs" / "policy.yaml").read_text(encoding="utf-8")
    policy = Policy.model_validate(yaml.safe_load(text))
    usd = policy.payment_for("usd")
    assert usd is not None
    assert usd is policy.payment_for("USD")
    assert policy.payment_for("EUR") is None
