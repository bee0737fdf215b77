"""Fit the intent model from the repository's own examples and export it.

scikit-learn is imported here only: `make setup` and `repaybot nlu train`
run this in a few seconds, and so does `build_app` at start-up when the cached
model is missing or older than the data; run time reads the exported JSON.
"""

from __future__ import annotations

from pathlib import Path

from bot.understanding.examples import TRAIN_DIR, Example, fingerprint, load_examples
from bot.understanding.features import features
from bot.understanding.labels import MEANINGS, Meaning
from bot.understanding.model import IntentModel, ModelError
from bot.understanding.text import fold

MODEL_PATH = Path(__file__).resolve().parents[2] / "var" / "nlu" / "intents.json"
# Weights this small change no probability visibly; dropping them keeps the file small.
PRUNE_BELOW = 0.02
REGULARIZATION = 1e-5
# A feature seen in one example only is mostly that example's typo.
MIN_COUNT = 2


def _identity(items: list[str]) -> list[str]:
    return items


def fit(examples: list[Example], data_fingerprint: str = "") -> IntentModel:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier

    vectorizer = TfidfVectorizer(
        analyzer=_identity, sublinear_tf=True, norm="l2", smooth_idf=True, min_df=MIN_COUNT
    )
    featured = [features(fold(e.text)) for e in examples]
    matrix = vectorizer.fit_transform(featured)
    # Logistic loss gives probabilities, so the bot can tell a sure reading
    # from a guess; SGD fits it in under a second. A fixed seed keeps every
    # build of the same data identical.
    classifier = SGDClassifier(
        loss="log_loss",
        alpha=REGULARIZATION,
        max_iter=200,
        class_weight="balanced",
        random_state=0,
    )
    classifier.fit(matrix, [str(e.intent) for e in examples])
    labels = tuple(Meaning(str(label)) for label in classifier.classes_)
    weights: dict[str, tuple[float, tuple[float, ...]]] = {}
    for feature, column in vectorizer.vocabulary_.items():
        row = tuple(round(float(w), 4) for w in classifier.coef_[:, column])
        if max(abs(w) for w in row) >= PRUNE_BELOW:
            weights[feature] = (round(float(vectorizer.idf_[column]), 4), row)
    intercepts = tuple(round(float(b), 4) for b in classifier.intercept_)
    missing = set(MEANINGS) - set(labels)
    if missing:
        raise ValueError(f"no training examples for {sorted(missing)}")
    vocabulary = frozenset(
        f for found in featured for f in found if f.startswith("w:") or len(f) == 1
    )
    return IntentModel(labels, intercepts, weights, data_fingerprint, vocabulary)


def train(directory: Path = TRAIN_DIR, output: Path = MODEL_PATH) -> IntentModel:
    """Fit on every example in `directory` and write the model to `output`."""
    model = fit(load_examples(directory), fingerprint(directory))
    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = output.with_suffix(".tmp")
    temporary.write_text(model.to_json(), encoding="utf-8")
    temporary.replace(output)
    return model


def load_or_train(directory: Path = TRAIN_DIR, path: Path = MODEL_PATH) -> IntentModel:
    """The cached model when it was built from today's data; otherwise build it now."""
    if path.is_file():
        try:
            model = IntentModel.load(path)
        except ModelError:
            return train(directory, path)  # damaged or from an older version: rebuild
        if model.fingerprint == fingerprint(directory):
            return model
    return train(directory, path)
