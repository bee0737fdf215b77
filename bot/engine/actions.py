"""Named actions a script may call. Each is a pure function of an ActionRun.

Actions compute with the domain rules and record their outcome as conversation
variables (for the following messages and guards) and as effects (for the
service to apply in the same transaction). The validator rejects a script that
names an action missing from ACTIONS.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Any

from bot.domain import plans
from bot.domain.accounts import LOCALES, Account, collectable_amount, dispute_suspends
from bot.domain.policy import InstallmentPolicy
from bot.engine.memo import Same, kept_on
from bot.engine.types import (
    ArrangementKind,
    Context,
    CreateArrangement,
    Effect,
    Escalate,
    EscalationReason,
    Installment,
    MarkVerified,
    MoneyValue,
    NoteForPerson,
    OptIn,
    OptOut,
    PauseCollection,
    Priority,
    QuietTimes,
    RecordDispute,
    Reprioritize,
    SaidCharges,
    SaidPayment,
    SetLocale,
    SetQuietWindows,
)
from bot.errors import ScriptFailure


class ActionError(ScriptFailure, ValueError):
    """An action called with what it cannot use: a script error, not the borrower's."""


@dataclass
class ActionRun:
    ctx: Context
    vars: dict[str, Any]  # typed values (ConversationState.vars), changed in place
    value: Any  # the parsed input or the chosen id, None on enter
    args: dict[str, Any]
    effects: list[Effect]
    verified: bool
    locale: str
    id_counter: list[int] = field(default_factory=lambda: [0])
    # The value is a pressed choice's id ("back"), not what the borrower wrote.
    chosen: bool = False

    def get(self, name: str, default: Any = None) -> Any:
        return self.vars.get(name, default)

    def put(self, name: str, value: Any) -> None:
        """A new value, never one changed in place: the step's scope compares values to
        know when to rebuild. Lists rather than tuples and text keys, as the store
        gives them back (the engine tests' driver checks this after every step)."""
        self.vars[name] = value

    def new_id(self, prefix: str) -> str:
        """Deterministic per step, so a retried event makes the same ids (idempotency)."""
        self.id_counter[0] += 1
        seed = f"{self.ctx.id_seed}:{prefix}:{self.id_counter[0]}"
        return f"{prefix}-{hashlib.sha256(seed.encode()).hexdigest()[:10].upper()}"

    @property
    def currency(self) -> str:
        return self.ctx.account.currency

    def collectible(self) -> Decimal:
        """The total less every held charge (R8): what any plan may cover."""
        return collectible_now(self.ctx.account, self.vars.get("disputed_now"))


def collectible_now(account: Account, disputed_now: Any) -> Decimal:
    """`collectable_amount` with the charges disputed earlier in this step held too.

    Asked by every action and every state entered that asks for money (R8), several
    times a step: kept on the account object itself, per held charges, as `kept_on`
    keeps a model's memos. Not in a cache keyed by the account: the service loads a new
    account object for every message, and each lookup would compare all its fields.
    The account is frozen and its equality reads its fields only."""
    held = frozenset(disputed_now) if disputed_now else _NOTHING_HELD
    kept: dict[frozenset[str], Decimal] = account.__dict__.setdefault(_KEPT_COLLECTIBLE, {})
    amount = kept.get(held)
    if amount is None:
        amount = kept[held] = collectable_amount(account, held)
    return amount


_NOTHING_HELD: frozenset[str] = frozenset()
_KEPT_COLLECTIBLE = "_collectible_by_held"


ActionFn = Callable[[ActionRun], None]


class PromiseCheck(StrEnum):
    """What check_promise concludes about a promised date."""

    OK = "ok"
    IN_PAST = "in_past"
    TOO_FAR = "too_far"


class PlanDecisionOutcome(StrEnum):
    """What propose_monthly concludes about "I can pay X a month" (plans.PlanDecision.reason)."""

    OK = "ok"
    BELOW_MINIMUM = "below_minimum"
    TOO_LONG = "too_long"
    ABOVE_TOTAL = "above_total"
    NOTHING_TO_PAY = "nothing_to_pay"


@dataclass(frozen=True)
class ActionSpec:
    """An action's contract with the scripts: the variables it sets and, for those
    that hold an outcome, every value it can take. The validator checks guards
    against it."""

    run: ActionFn
    sets: frozenset[str] = frozenset()
    outcomes: Mapping[str, type[StrEnum]] = field(default_factory=dict)
    # Offers a plan, an extension or a promise, or asks for money: refused while
    # collection is paused (R8, R12, R16), by the engine, whatever the script says.
    asks_for_money: bool = False


ACTIONS: dict[str, ActionSpec] = {}


def action(
    *sets: str,
    outcomes: Mapping[str, type[StrEnum]] | None = None,
    asks_for_money: bool = False,
) -> Callable[[ActionFn], ActionFn]:
    def register(fn: ActionFn) -> ActionFn:
        declared = dict(outcomes or {})
        ACTIONS[fn.__name__] = ActionSpec(
            fn, frozenset(sets) | frozenset(declared), declared, asks_for_money
        )
        return fn

    return register


def variables_set() -> frozenset[str]:
    """Every conversation variable some action sets."""
    return frozenset().union(*(spec.sets for spec in ACTIONS.values()))


def outcome_values() -> dict[str, frozenset[str]]:
    """Outcome variable -> the values actions can give it."""
    values: dict[str, frozenset[str]] = {}
    for spec in ACTIONS.values():
        for name, kind in spec.outcomes.items():
            values[name] = values.get(name, frozenset()) | frozenset(k.value for k in kind)
    return values


@action("verify_failures")
def verify_identity(run: ActionRun) -> None:
    """R5: the birth date must match; failures count towards a lock."""
    if isinstance(run.value, date) and run.value == run.ctx.account.birth_date:
        run.verified = True
        run.put("verify_failures", 0)
        run.effects.append(MarkVerified())
        return
    run.put("verify_failures", int(run.vars.get("verify_failures", 0)) + 1)


def _installment_policy(run: ActionRun) -> InstallmentPolicy:
    """The usual terms, or the hardship ones once the hardship path asked for them or
    the borrower said they are in difficulty anywhere in this conversation (R11)."""
    if on_hardship_terms(run.vars):
        return _hardship_policy(run)
    return run.ctx.policy.installments


def _hardship_policy(run: ActionRun) -> InstallmentPolicy:
    """The hardship terms (R11). Derived and validated anew at each call by the policy
    (about 20 µs of pydantic): kept with the policy's parts instead."""
    policy = run.ctx.policy
    made_from = (policy.installments, policy.hardship)
    return kept_on(policy, "_hardship_installments", made_from, policy.hardship_installments)


# Set once a borrower says they are in difficulty (the machine, from the reading) or
# reaches the hardship screen (note_hardship): plans are then on hardship terms.
HARDSHIP_SAID = "hardship_said"


def on_hardship_terms(variables: Mapping[str, Any]) -> bool:
    """R11: hardship wins wherever it is said. A borrower who said they are in difficulty
    (`hardship_said`, set by the engine from the reading and by the hardship screen) is
    judged on hardship terms for the rest of the conversation, whatever button or words
    led to the plan."""
    return variables.get("plan_track") == "hardship" or bool(variables.get(HARDSHIP_SAID))


def _schedule(run: ActionRun, option: plans.PlanOption) -> dict[str, Any]:
    start = plans.first_due_date(run.ctx.today, _installment_policy(run))
    currency = run.currency
    # An even split has at most two amounts: one (immutable) money value for each.
    money = {amount: MoneyValue(amount, currency) for amount in set(option.amounts)}
    rows = [
        {"due_date": due, "amount": money[amount]}
        for due, amount in plans.schedule_option(option, start)
    ]
    return {
        "months": option.months,
        "installment": money[option.installment],
        "amount": MoneyValue(option.total, currency),
        "first_due_date": rows[0]["due_date"],
        "last_due_date": rows[-1]["due_date"],
        "installments": rows,
    }


PLAN_FIELDS = ("months", "installment", "amount", "first_due_date", "last_due_date", "installments")


def _plan_vars(prefix: str) -> tuple[str, ...]:
    return tuple(f"{prefix}_{key}" for key in PLAN_FIELDS)


def _put_smallest_monthly(run: ActionRun, collectible: Decimal | None = None) -> None:
    """The minimum a message may state: exactly what propose_monthly accepts.
    `collectible` when the caller has it already (it is summed from the charges)."""
    amount = run.collectible() if collectible is None else collectible
    smallest = _smallest_offer(str(amount), run.currency, Same(_installment_policy(run)))
    run.put("min_monthly_offer", None if smallest is None else MoneyValue(smallest, run.currency))


def _put_smallest_monthly_either(run: ActionRun, collectible: Decimal) -> None:
    """After a refusal on the usual terms and the hardship ones: the smaller of their
    smallest offers, as either would be accepted (propose_monthly tries both)."""
    usual = _smallest_offer(str(collectible), run.currency, Same(run.ctx.policy.installments))
    relief = _smallest_offer(str(collectible), run.currency, Same(_hardship_policy(run)))
    smallest = min((s for s in (usual, relief) if s is not None), default=None)
    run.put("min_monthly_offer", None if smallest is None else MoneyValue(smallest, run.currency))


def _plans_on_offer(run: ActionRun) -> tuple[plans.PlanOption, ...]:
    """The plans offered for what is collectible."""
    return _offered_plans(str(run.collectible()), run.currency, Same(_installment_policy(run)))


# Each worked out once per balance, currency and terms: every plan step asks, and a
# long term is dozens of installments. Kept by the amount's text, which the plans keep
# as their total (1320.5 and 1320.50 are stored apart). Apart, because a monthly offer
# needs only the smallest offer, not every plan. (mutmut reaches a body only when it
# is not decorated.)


def _offered_plans_of(amount: str, currency: str, same_terms: Same) -> tuple[plans.PlanOption, ...]:
    terms: InstallmentPolicy = same_terms.item
    return plans.plan_options(Decimal(amount), currency, terms)


_offered_plans = lru_cache(maxsize=1024)(_offered_plans_of)


def _smallest_offer_of(amount: str, currency: str, same_terms: Same) -> Decimal | None:
    terms: InstallmentPolicy = same_terms.item
    return plans.smallest_monthly_offer(Decimal(amount), currency, terms)


_smallest_offer = lru_cache(maxsize=1024)(_smallest_offer_of)


def _put_plan(run: ActionRun, plan: dict[str, Any]) -> None:
    """Keep the plan whole for later actions and flat for messages ({plan_months}).

    The flat names hold the very parts of the whole."""
    run.put("plan", plan)
    for key in PLAN_FIELDS:
        run.put(f"plan_{key}", plan[key])


PLAN_TRACKS = ("standard", "hardship")


@action("plan_options", "plan_track", "min_monthly_offer", asks_for_money=True)
def prepare_plan_options(run: ActionRun) -> None:
    """List the plans on offer; `track: hardship` offers the longer, smaller ones (R11)."""
    track = str(run.args.get("track", "standard"))
    if track not in PLAN_TRACKS:
        raise ActionError(f"unknown plan track {track}")
    run.vars["plan_track"] = track
    options = _plans_on_offer(run)
    _put_smallest_monthly(run)
    run.put(
        "plan_options",
        [
            {
                "id": str(o.months),
                "months": o.months,
                "installment": MoneyValue(o.installment, run.currency),
            }
            for o in options
        ],
    )


@action("plan", *_plan_vars("plan"), asks_for_money=True)
def choose_plan(run: ActionRun) -> None:
    options = _plans_on_offer(run)
    chosen = [o for o in options if str(o.months) == str(run.value)]
    if not chosen:
        raise ActionError(f"no plan of {run.value} months")
    # A listed plan is not built on an amount the borrower offered earlier: the
    # confirmation must not say it stays within that amount.
    run.vars.pop("offered_monthly", None)
    _put_plan(run, _schedule(run, chosen[0]))


@action(
    "offered_monthly",
    "plan",
    "plan_track",
    "min_monthly_offer",
    *_plan_vars("plan"),
    outcomes={"plan_decision": PlanDecisionOutcome},
    asks_for_money=True,
)
def propose_monthly(run: ActionRun) -> None:
    """The borrower names what they can pay a month; answer inside policy or not at all.

    Never a plan above what they said they can pay (CONC 7.3): refused, the script
    states `min_monthly_offer`, the smallest offer this would accept, and offers a
    person (R14)."""
    if not isinstance(run.value, Decimal):
        raise ActionError("propose_monthly needs an amount")
    collectible = run.collectible()
    decision = plans.plan_for_monthly(
        collectible, run.currency, run.value, _installment_policy(run)
    )
    if decision.accepted is None and not on_hardship_terms(run.vars):
        # Below the usual terms: what fits may be the hardship terms (R11, CONC 7.3).
        relief = plans.plan_for_monthly(collectible, run.currency, run.value, _hardship_policy(run))
        if relief.accepted is not None:
            run.vars["plan_track"] = "hardship"
            decision = relief
    for stale in [k for k in run.vars if k.startswith("plan_")]:
        if stale not in ("plan_options", "plan_track"):
            del run.vars[stale]
    run.vars.pop("plan", None)
    run.put("offered_monthly", MoneyValue(run.value, run.currency))
    run.put("plan_decision", PlanDecisionOutcome(decision.reason).value)
    _put_smallest_monthly(run, collectible)
    if decision.accepted is not None:
        _put_plan(run, _schedule(run, decision.accepted))
    elif not on_hardship_terms(run.vars):
        # Refused on both terms: the smallest offer that works may be a hardship plan.
        _put_smallest_monthly_either(run, collectible)


def _arrangement(run: ActionRun, kind: ArrangementKind, **fields: Any) -> CreateArrangement:
    arrangement = CreateArrangement(
        arrangement_id=run.new_id("A"), kind=kind, currency=run.currency, **fields
    )
    run.effects.append(arrangement)
    run.put("arrangement_id", arrangement.arrangement_id)
    # What a payment link asks for right away: the first installment, or the
    # whole amount (the account loaded for this step does not hold it yet).
    first = arrangement.installments[0].amount if arrangement.installments else arrangement.amount
    run.put("pay_amount", first)
    return arrangement


@action("arrangement_id", "pay_amount", asks_for_money=True)
def create_plan(run: ActionRun) -> None:
    plan = run.get("plan")
    if not plan:
        raise ActionError("create_plan without a chosen plan")
    installments = tuple(
        Installment(row["due_date"], row["amount"].amount) for row in plan["installments"]
    )
    _arrangement(
        run,
        ArrangementKind.INSTALLMENT_PLAN,
        amount=sum((i.amount for i in installments), Decimal(0)),
        installments=installments,
    )


@action("extension_options", asks_for_money=True)
def prepare_extensions(run: ActionRun) -> None:
    account = run.ctx.account
    options = plans.extension_options(
        account.due_date, account.extensions_used, run.ctx.policy.extensions, today=run.ctx.today
    )
    run.put(
        "extension_options",
        [{"id": str(days), "days": days, "new_due_date": new} for days, new in options],
    )


@action("extension", "extension_days", "extension_new_due", "extension_asked", asks_for_money=True)
def choose_extension(run: ActionRun) -> None:
    options = run.get("extension_options", [])
    chosen = [o for o in options if o["id"] == str(run.value)]
    if not chosen:
        raise ActionError(f"no extension of {run.value} days")
    _put_extension(run, chosen[0])


def _put_extension(run: ActionRun, option: dict[str, Any], asked: date | None = None) -> None:
    """The extension option chosen, by its button or by a date typed. `extension_asked`:
    the day typed when the option is a later one, for the confirmation to say that it
    is the nearest date offered after it; None for a button or an exact day."""
    run.put("extension", option)
    run.put("extension_days", option["days"])
    run.put("extension_new_due", option["new_due_date"])
    run.put("extension_asked", asked if asked != option["new_due_date"] else None)


@action(
    "extension",
    "extension_days",
    "extension_new_due",
    "extension_latest",
    "extension_past_offers",
    "extension_asked",
    asks_for_money=True,
)
def choose_extension_by_date(run: ActionRun) -> None:
    """A new due date typed at the question ("the 10th of december"): the option that
    reaches it, the same day or the nearest after it. Past the furthest option (or with
    none left) nothing is chosen: `extension_past_offers` and `extension_latest` let the
    script say so."""
    if not isinstance(run.value, date):
        raise ActionError("choose_extension_by_date needs a date")
    options = run.get("extension_options", [])
    reaching = [o for o in options if o["new_due_date"] >= run.value]
    run.put("extension_latest", max((o["new_due_date"] for o in options), default=None))
    run.put("extension_past_offers", not reaching)
    if reaching:
        nearest = min(reaching, key=lambda option: option["new_due_date"])
        _put_extension(run, nearest, asked=run.value)


@action("arrangement_id", "pay_amount", asks_for_money=True)
def create_extension(run: ActionRun) -> None:
    extension = run.get("extension")
    if not extension:
        raise ActionError("create_extension without a chosen extension")
    _arrangement(
        run,
        ArrangementKind.EXTENSION,
        amount=run.collectible(),
        new_due_date=extension["new_due_date"],
    )


# What checking a promise sets, whether the date comes with the whole balance or with a
# part kept from "300 next friday": one contract, so the two actions cannot drift apart.
_checks_a_promise = action(
    "promise_date",
    "promise_amount",
    "promise_rest",
    "promise_after_due",
    outcomes={"promise_check": PromiseCheck},
    asks_for_money=True,
)


@_checks_a_promise
def check_promise(run: ActionRun) -> None:
    """A date for the whole balance, or for the part the borrower named ("300 next
    friday", a SaidPayment): what is named below the balance is promised, and the
    rest stays due (`promise_rest`, for the confirmation to say so)."""
    said = run.value
    promised, part = (said.on, said.amount) if isinstance(said, SaidPayment) else (said, None)
    if not isinstance(promised, date):
        raise ActionError("check_promise needs a date")
    _check_promise(run, promised, part)


def _part_of(run: ActionRun, part: Decimal | None) -> Decimal:
    """The part named when it is below the balance, else the whole collectible amount."""
    collectible = run.collectible()
    return part if part is not None and Decimal(0) < part < collectible else collectible


@action("promise_part", "promise_part_dates", asks_for_money=True)
def keep_promise_part(run: ActionRun) -> None:
    """ "I'll pay 300 next friday" where the day reads two ways: the part is kept and
    both readings are offered (`promise_part_dates`), so the borrower is asked only
    which day, never for the full amount instead."""
    said = run.value
    if not isinstance(said, SaidPayment) or len(said.readings) < 2:
        raise ActionError("keep_promise_part needs a payment said with two readings")
    run.put("promise_part", MoneyValue(_part_of(run, said.amount), run.currency))
    run.put("promise_part_dates", [{"id": d.isoformat(), "date": d} for d in said.readings])


@_checks_a_promise
def check_promise_part(run: ActionRun) -> None:
    """The day for the part `keep_promise_part` kept: a reading pressed (its id) or a
    date typed."""
    part = run.get("promise_part")
    if not isinstance(part, MoneyValue):
        raise ActionError("check_promise_part without a part kept")
    value = run.value
    if isinstance(value, str):
        value = next(
            (o["date"] for o in run.get("promise_part_dates", []) if o["id"] == value), None
        )
    if not isinstance(value, date):
        raise ActionError("check_promise_part needs a date")
    _check_promise(run, value, part.amount)


def _check_promise(run: ActionRun, promised: date, part: Decimal | None) -> None:
    collectible = run.collectible()
    amount = _part_of(run, part)
    run.put("promise_date", promised)
    run.put("promise_amount", MoneyValue(amount, run.currency))
    rest = collectible - amount
    run.put("promise_rest", MoneyValue(rest, run.currency) if rest > 0 else None)
    run.put(
        "promise_check",
        PromiseCheck(plans.promise_date_ok(run.ctx.today, promised, run.ctx.policy.promise)).value,
    )
    # An account not yet due would turn late: the script can say so plainly.
    run.put(
        "promise_after_due",
        plans.promise_after_due(run.ctx.today, promised, run.ctx.account.due_date),
    )


@action("arrangement_id", "pay_amount", asks_for_money=True)
def create_promise(run: ActionRun) -> None:
    """The amount `check_promise` settled on, never more than is collectible now."""
    promised = run.get("promise_date")
    checked = run.get("promise_amount")
    collectible = run.collectible()
    amount = min(checked.amount, collectible) if isinstance(checked, MoneyValue) else collectible
    _arrangement(
        run,
        ArrangementKind.PROMISE_TO_PAY,
        amount=amount,
        installments=(Installment(promised, amount),),
    )


@action(HARDSHIP_SAID)
def note_hardship(run: ActionRun) -> None:
    """The hardship screen: whatever is offered from here on is on hardship terms (R11)."""
    run.vars[HARDSHIP_SAID] = True


@action("dispute_selection")
def prepare_dispute(run: ActionRun) -> None:
    run.vars["dispute_selection"] = []


@action("dispute_selection", "dispute_count")
def toggle_dispute_charge(run: ActionRun) -> None:
    known = {c.charge_id for c in run.ctx.account.charges}
    if run.value not in known:
        raise ActionError(f"unknown charge {run.value}")
    selection: list[str] = list(run.vars.get("dispute_selection", []))
    if run.value in selection:
        selection.remove(run.value)
    else:
        selection.append(run.value)
    run.vars["dispute_selection"] = selection
    run.vars["dispute_count"] = len(selection)


@action("dispute_selection", "dispute_count", "dispute_reason_said")
def select_named_charges(run: ActionRun) -> None:
    """A dispute opened in words ("that late fee") starts with the charges it named;
    the words that said why too ("I paid on time") are kept as its reason
    (`dispute_reason_said`), for `record_dispute` to record without asking."""
    said = run.value
    reason = said.reason if isinstance(said, SaidCharges) else ""
    run.vars["dispute_reason_said"] = reason or None
    named = set(said.ids if isinstance(said, SaidCharges) else said or ())
    held = set(run.ctx.account.disputed_charge_ids) | set(run.vars.get("disputed_now", []))
    selection = [c.charge_id for c in run.ctx.account.charges if c.charge_id in named - held]
    run.vars["dispute_selection"] = selection
    run.vars["dispute_count"] = len(selection)


@action(
    "case_number",
    "dispute_answer_by",
    "disputed_now",
    "dispute_selection",
    "dispute_count",
    "plan_on_hold",
)
def record_dispute(run: ActionRun) -> None:
    """R8: the disputed charges are held out of every plan until reviewed, and an
    arrangement that asked for them is put on hold with them (`plan_on_hold`)."""
    selection: list[str] = list(run.vars.get("dispute_selection", []))
    if not selection:
        raise ActionError("record_dispute with nothing selected")
    account = run.ctx.account
    charges = [c for c in account.charges if c.charge_id in selection]
    held = account.disputed_charge_ids | {*run.vars.get("disputed_now", ()), *selection}
    undisputed = sum((c.amount for c in account.charges if c.charge_id not in held), Decimal(0))
    agreement = account.agreement
    suspends = None
    if agreement is not None and dispute_suspends(agreement, undisputed):
        suspends = agreement.reference
    case = run.new_id("D")
    run.effects.append(
        RecordDispute(
            charge_ids=tuple(c.charge_id for c in charges),
            amount=sum((c.amount for c in charges), Decimal(0)),
            currency=run.currency,
            # The answer to the reason question, or the reason said with the charge.
            reason=str(run.value or run.vars.get("dispute_reason_said") or "").strip(),
            case_number=case,
            suspends=suspends,
        )
    )
    run.put("plan_on_hold", suspends or "")
    run.put("case_number", case)
    run.put(
        "dispute_answer_by",
        run.ctx.today + timedelta(days=run.ctx.policy.cases.dispute_answer_days),
    )
    run.vars["disputed_now"] = sorted({*run.vars.get("disputed_now", []), *selection})
    run.vars["dispute_selection"] = []
    run.vars["dispute_count"] = 0
    run.vars.pop("dispute_reason_said", None)


@action("ticket", "escalated_for")
def escalate(run: ActionRun) -> None:
    reason = EscalationReason(run.args.get("reason", "requested"))
    priority = Priority(run.args.get("priority", "normal"))
    already: list[str] = list(run.vars.get("escalated_for", []))
    if reason.value in already:
        return  # asking twice in one conversation does not queue twice
    ticket = run.new_id("T")
    run.effects.append(Escalate(reason=reason, priority=priority, ticket=ticket))
    run.vars["escalated_for"] = [*already, reason.value]
    run.put("ticket", ticket)


@action()
def note_for_person(run: ActionRun) -> None:
    """R15: what the borrower wrote for the person goes to the case they were given
    (`ticket`), not only the transcript: the complaint's details on the complaint."""
    if run.chosen:
        return  # "Continue with the assistant" pressed: a button's id is no note
    ticket = run.get("ticket")
    text = str(run.value or "").strip()
    if ticket and text:
        run.effects.append(NoteForPerson(ticket=str(ticket), text=text))


@action()
def reprioritize(run: ActionRun) -> None:
    """R12: the conversation's open cases for `reason` (a crisis) move to `priority`:
    urgent when a possible crisis turns out not safe, normal when the borrower says
    they are safe; `note` tells the person on the case why."""
    reason = EscalationReason(run.args.get("reason", "crisis"))
    priority = Priority(run.args.get("priority", "urgent"))
    if reason.value in run.vars.get("escalated_for", []):
        run.effects.append(
            Reprioritize(reason=reason, priority=priority, note=str(run.args.get("note", "")))
        )


@action()
def pause_collection(run: ActionRun) -> None:
    run.effects.append(PauseCollection(reason=str(run.args.get("reason", "crisis"))))


@action()
def set_locale(run: ActionRun) -> None:
    locale = str(run.args.get("locale") or run.value)
    if locale not in LOCALES:
        raise ActionError(f"unknown locale {locale}")
    run.locale = locale
    run.effects.append(SetLocale(locale))


@action()
def opt_out(run: ActionRun) -> None:
    run.effects.append(OptOut())


# ---- the borrower's say over what the bot starts (R3, R4) ----

REMINDERS_OFF = "reminders_off"
QUIET_NOW = "quiet_now"
QUIET_NEW = "quiet_new"  # read from the borrower's words, not saved until confirmed


@action(REMINDERS_OFF, QUIET_NOW)
def contact_settings(run: ActionRun) -> None:
    """What the borrower has asked of the bot so far: reminders stopped, quiet times.
    Read afresh each time the settings are shown (the account as this event found it)."""
    run.put(REMINDERS_OFF, run.ctx.account.opted_out)
    run.put(QUIET_NOW, QuietTimes(run.ctx.account.quiet_windows))


@action(QUIET_NOW)
def save_quiet_windows(run: ActionRun) -> None:
    """R4: the quiet times the borrower confirmed (`quiet_new`, read from their words)."""
    chosen = run.get(QUIET_NEW)
    if not isinstance(chosen, QuietTimes) or not chosen:
        return  # nothing read to save (the script's `when` keeps this from being offered)
    run.effects.append(SetQuietWindows(chosen.windows))
    run.put(QUIET_NOW, chosen)


@action(QUIET_NOW)
def clear_quiet_windows(run: ActionRun) -> None:
    run.effects.append(SetQuietWindows(()))
    run.put(QUIET_NOW, QuietTimes())


@action(REMINDERS_OFF)
def opt_in(run: ActionRun) -> None:
    """R3: only the borrower's own explicit answer turns reminders back on."""
    run.effects.append(OptIn())
    run.put(REMINDERS_OFF, False)
