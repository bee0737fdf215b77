"""`understand`: what one message means and what it names, in any state.

Pure once the model is loaded: the same text, day and account always give
the same result, and nothing here touches a file, a clock or the network.
Crisis is decided first and outranks everything (R12). The message is
prepared once (text.py) and every reader takes that one preparation; the
result holds everything a later step may want from the text, down to the
typed value a question asks for, so nothing after it reads the text again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bot.domain.accounts import Charge
from bot.domain.parsing import parse_amount, parse_date, parse_int
from bot.understanding.amounts import Amount, find_amount
from bot.understanding.charges import gives_reason, named_charges
from bot.understanding.crisis import crisis_level
from bot.understanding.cues import means_all_of_it, negated_human, turned_down, word_cues
from bot.understanding.dates import parse_birth_dates, parse_dates
from bot.understanding.labels import CrisisLevel, Meaning
from bot.understanding.model import IntentModel
from bot.understanding.quiet import says_safe, strain_idiom
from bot.understanding.text import Prepared, prepare
from bot.understanding.yesno import no_heads_a_request, yes_or_no

# Below this probability the top intent is a guess: ask back with choices.
SURE = 0.6
# The model's hardship probability that flags hardship beside another intent.
HARDSHIP_FLAG = 0.25
_REGION_BY_LOCALE = {"zh_Hans": "CN"}


@dataclass(frozen=True)
class Scored:
    meaning: Meaning
    score: float


@dataclass(frozen=True)
class Understanding:
    """What a message means (ranked) and the things it names."""

    text: str
    intents: tuple[Scored, ...]  # best first, every meaning, scores sum to about 1
    crisis: bool  # a sure crisis: run the crisis path before anything else (R12)
    hardship: bool  # hardship was mentioned, even beside an offer (R11)
    answer: bool | None  # a plain yes (True) or no (False)
    amount: Amount | None
    dates: tuple[date, ...]  # readings of a date, likeliest first; two: ask which
    charges: tuple[str, ...]  # charge ids the message names
    all_of_it: bool  # the whole balance: "all of it", "全部"
    # Besides naming charges, the message says why ("the late fee, I paid on time").
    charge_reason: bool = False
    unfamiliar: bool = False  # nothing the model learned: its scores mean nothing
    # What the words alone decide, whatever the model says (cues.py): a person,
    # STOP, a complaint, hardship. The engine routes on these in every state.
    cues: frozenset[Meaning] = frozenset()
    # The same text read as a birth date: every plausible reading, the region's first.
    birth_dates: tuple[date, ...] = ()
    # The whole message as the value a question asks for, where the readings above
    # find none: any one amount ("15th" at an amount question: dates, terms and
    # periods are not taken out first), a small whole number ("6", "六个月"), a
    # date written with its year ("17/05/1990", day first where both read).
    value_amount: Decimal | None = None
    number: int | None = None
    value_date: date | None = None
    # Sure, possible (ask whether they are safe) or none; `crisis` is the sure one.
    crisis_level: CrisisLevel = CrisisLevel.NONE
    # "I'm ok", "我没事", "冇事": the writer says they are safe (the answer to that question).
    safe: bool = False

    @property
    def top(self) -> Meaning:
        return self.intents[0].meaning

    @property
    def sure(self) -> bool:
        """False when the bot should ask back rather than act on `top`."""
        return self.crisis_level is not CrisisLevel.NONE or (
            not self.unfamiliar and self.intents[0].score >= SURE
        )

    def choices(self, count: int = 3) -> tuple[Meaning, ...]:
        """The likeliest meanings, to offer as buttons when not `sure`."""
        return tuple(scored.meaning for scored in self.intents[:count])

    def score(self, meaning: Meaning) -> float:
        return next((s.score for s in self.intents if s.meaning is meaning), 0.0)


_ORDER = {meaning: index for index, meaning in enumerate(Meaning)}


def _rank_key(scored: Scored) -> tuple[float, int]:
    """Highest score first; ties in the declared order, so results never flicker."""
    return (-scored.score, _ORDER[scored.meaning])


def _ranked(probabilities: dict[Meaning, float], message: Prepared) -> list[Scored]:
    probs = dict(probabilities)
    if negated_human(message) and probs.get(Meaning.HUMAN, 0.0) > 0.0:
        # "No need for a human": whatever it is, it is not a request for one.
        probs[Meaning.DECLINE] = probs.get(Meaning.DECLINE, 0.0) + probs[Meaning.HUMAN]
        probs[Meaning.HUMAN] = 0.0
    if no_heads_a_request(message):
        # "不要，我要分期": the no only clears the way for the request the model also reads.
        probs = _without(probs, Meaning.DECLINE)
    refused = turned_down(message)
    options = {Meaning.INSTALLMENT, Meaning.PAY_IN_FULL, Meaning.EXTENSION, Meaning.PROMISE}
    refused_options = options if Meaning.DECLINE in refused else refused & options
    # An option turned down is no request for it: its weight goes to the answer "no", or to
    # paying in full when the whole balance is named beside it ("一次繳完 不用分期").
    instead = (
        Meaning.PAY_IN_FULL
        if means_all_of_it(message) and Meaning.PAY_IN_FULL not in refused_options
        else Meaning.DECLINE
    )
    for meaning in refused_options:
        probs[instead] = probs.get(instead, 0.0) + probs.get(meaning, 0.0)
        probs[meaning] = 0.0
    return sorted((Scored(m, p) for m, p in probs.items()), key=_rank_key)


def _promote(ranked: list[Scored], meaning: Meaning) -> list[Scored]:
    """A rule has decided: that meaning is certain, the rest keep their order at 0."""
    rest = (Scored(s.meaning, 0.0) for s in ranked if s.meaning is not meaning)
    return [Scored(meaning, 1.0), *rest]


def _without(probabilities: dict[Meaning, float], ruled_out: Meaning) -> dict[Meaning, float]:
    """A rule ruled one meaning out: it scores 0, the rest share its mass as they are."""
    rest = 1.0 - probabilities.get(ruled_out, 0.0)
    if rest <= 0.0:
        return {m: (0.0 if m is ruled_out else p) for m, p in probabilities.items()}
    return {m: (0.0 if m is ruled_out else p / rest) for m, p in probabilities.items()}


def _without_crisis(probabilities: dict[Meaning, float]) -> dict[Meaning, float]:
    """The crisis check said no: crisis scores 0, the rest share its mass as they are."""
    return _without(probabilities, Meaning.CRISIS)


def _prepared(text: str | Prepared) -> Prepared:
    """A text prepared here; a message the caller already prepared, as it is."""
    return text if isinstance(text, Prepared) else prepare(text)


def understand(
    text: str | Prepared,
    *,
    locale: str,
    today: date,
    region: str | None = None,
    charges: Sequence[Charge] = (),
    model: IntentModel,
) -> Understanding:
    """Read one message. `today` is the borrower's date in the account's time zone;
    `region` the account's country (ISO 3166, "US", "GB", "HK", "CN", "TW") for
    the order of day and month; `charges` the account's charges, to name one;
    `model` the intent model the application built (bot/bootstrap.py). A message
    the caller has already prepared (text.py) is not prepared again."""
    message = _prepared(text)
    probabilities = model.probabilities(message)
    level = _level(message, probabilities, model)
    if level is CrisisLevel.NONE:
        # No crisis by the check: the model's crisis score ranks nothing.
        probabilities = _without_crisis(probabilities)
    ranked = _ranked(probabilities, message)
    crisis = level is not CrisisLevel.NONE
    answer = yes_or_no(message)
    unfamiliar = model.unfamiliar(message)
    if crisis:
        ranked = _promote(ranked, Meaning.CRISIS)
    elif answer is not None:
        # A plain yes or no is certain; the model only ranks the rest.
        ranked = _promote(ranked, Meaning.CONFIRM if answer else Meaning.DECLINE)
    elif (
        not unfamiliar
        and ranked[0].meaning in (Meaning.CONFIRM, Meaning.DECLINE)
        and ranked[0].score >= SURE
    ):
        answer = ranked[0].meaning is Meaning.CONFIRM
    cues = word_cues(message)
    named = named_charges(message, charges)
    return Understanding(
        text=message.text,
        intents=tuple(ranked),
        crisis=level is CrisisLevel.SURE,
        crisis_level=level,
        safe=says_safe(message),
        # The hardship cue is mentions_hardship's answer, already worked out.
        # An idiom of money strain ("kill my budget", "饿死") is noticed as hardship too.
        hardship=Meaning.HARDSHIP in cues
        or probabilities[Meaning.HARDSHIP] >= HARDSHIP_FLAG
        or strain_idiom(message.folded),
        answer=answer,
        amount=find_amount(message),
        dates=parse_dates(message, today=today, region=region or _REGION_BY_LOCALE.get(locale)),
        charges=named,
        charge_reason=gives_reason(message, charges, named),
        all_of_it=means_all_of_it(message),
        unfamiliar=unfamiliar and not crisis and answer is None,
        cues=cues,
        # In the account's region only, as before this was read here: no guess from
        # the language (a zh_Hans account abroad writes its own birth date).
        birth_dates=parse_birth_dates(message, today=today, region=region)
        if message.numbered
        else (),
        value_amount=parse_amount(message.plain) if message.numbered else None,
        number=parse_int(message.plain) if message.numbered else None,
        value_date=parse_date(message.plain) if message.numbered else None,
    )


def _level(
    message: Prepared, probabilities: dict[Meaning, float], model: IntentModel
) -> CrisisLevel:
    """The crisis level, with the probabilities already worked out for the message
    (the model reads a message again only when idioms were taken out of it)."""

    def chance(probe: Prepared) -> float:
        if probe is message:
            return probabilities[Meaning.CRISIS]
        return model.probabilities(probe)[Meaning.CRISIS]

    return crisis_level(message, chance)


def crisis_of(text: str | Prepared, *, model: IntentModel) -> CrisisLevel:
    """The crisis check alone: sure, possible or none (R12)."""
    message = _prepared(text)
    return crisis_level(message, lambda probe: model.probabilities(probe)[Meaning.CRISIS])


def is_crisis(text: str | Prepared, *, model: IntentModel) -> bool:
    """A sure crisis (lexicon, then model): run it before anything else."""
    return crisis_of(text, model=model) is CrisisLevel.SURE


def classify(text: str | Prepared, *, model: IntentModel) -> Meaning:
    """The top meaning alone, after the crisis, yes/no and negation rules (a possible
    crisis reads as crisis too)."""
    message = _prepared(text)
    probabilities = model.probabilities(message)
    if _level(message, probabilities, model) is not CrisisLevel.NONE:
        return Meaning.CRISIS
    answer = yes_or_no(message)
    if answer is not None:
        return Meaning.CONFIRM if answer else Meaning.DECLINE
    return _ranked(_without_crisis(probabilities), message)[0].meaning
