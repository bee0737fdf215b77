"""`repaybot nlu train` and `repaybot nlu evaluate`: build and measure the model."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import date

from bot.understanding.crisis import crisis_words, model_says_crisis
from bot.understanding.evaluate import (
    below_floor,
    check_crisis,
    evaluate,
    format_crisis,
    format_report,
)
from bot.understanding.examples import HELDOUT_DIR, TRAIN_DIR, ExampleError, load_examples
from bot.understanding.labels import Meaning
from bot.understanding.model import ModelError
from bot.understanding.text import prepare
from bot.understanding.understand import classify, understand

TIMING_ROUNDS = 5


def _per_message_ms(texts: list[str], read: Callable[[str], object]) -> float:
    """Median over rounds of the mean time per message, in milliseconds."""
    rounds = []
    for _ in range(TIMING_ROUNDS):
        start = time.perf_counter()
        for text in texts:
            read(text)
        rounds.append((time.perf_counter() - start) / len(texts) * 1000)
    return statistics.median(rounds)


def train_command() -> int:
    from bot.understanding.train import MODEL_PATH, train

    start = time.perf_counter()
    model = train()
    seconds = time.perf_counter() - start
    print(
        f"Intent model built from {TRAIN_DIR} in {seconds:.1f} s: "
        f"{len(model.weights)} features, {MODEL_PATH.stat().st_size // 1024} KiB."
    )
    return 0


def evaluate_command() -> int:
    from bot.understanding.train import load_or_train

    model = load_or_train()
    heldout = load_examples(HELDOUT_DIR)
    report = evaluate(heldout, lambda text: classify(text, model=model))
    checks = check_crisis(
        heldout,
        lexicon=lambda text: crisis_words(prepare(text)),
        model=lambda text: model_says_crisis(
            message := prepare(text), model.probabilities(message)[Meaning.CRISIS]
        ),
    )
    print(format_report(report))
    print()
    print(format_crisis(checks))
    texts = [example.text for example in heldout]
    today = date(2026, 1, 1)

    def read_all(text: str) -> object:
        return understand(text, locale="en", today=today, model=model)

    # The model's own time, on messages prepared beforehand; the full reading prepares them.
    prepared = {text: prepare(text) for text in texts}
    model_ms = _per_message_ms(texts, lambda text: model.probabilities(prepared[text]))
    full_ms = _per_message_ms(texts, read_all)
    print()
    print(f"time per message: intent model {model_ms:.3f} ms, full understand {full_ms:.3f} ms")
    problems = below_floor(report, checks)
    for problem in problems:
        sys.stderr.write(problem + "\n")
    return 1 if problems else 0


def run(action: str) -> int:
    try:
        if action == "train":
            return train_command()
        return evaluate_command()
    except (ExampleError, ModelError) as error:
        sys.stderr.write(f"{error}\n")
        return 2
