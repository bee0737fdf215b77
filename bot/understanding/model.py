"""The intent model at run time: exported weights scored in plain Python.

Training (bot/understanding/train.py) fits scikit-learn's TF-IDF + logistic
regression and exports its numbers to JSON; scoring needs neither
scikit-learn nor numpy, only the same `features` function, so a message is
classified in well under a millisecond and the import costs nothing.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.understanding.features import features
from bot.understanding.labels import Meaning
from bot.understanding.text import Prepared

FORMAT_VERSION = 2  # 2: the training vocabulary, for `unfamiliar`
# The share of a text's pieces the model must know for its scores to mean something.
FAMILIAR_SHARE = 0.5


class ModelError(ValueError):
    """The model file is missing, damaged or from another version."""


@dataclass(frozen=True)
class IntentModel:
    labels: tuple[Meaning, ...]
    intercepts: tuple[float, ...]
    # feature -> (idf, weight per label)
    weights: dict[str, tuple[float, tuple[float, ...]]]
    fingerprint: str
    # Every Latin word ("w:...") and character the training examples hold, kept
    # or not among the weights (a word seen once has none), for `unfamiliar`.
    vocabulary: frozenset[str] = frozenset()

    def probabilities(self, message: Prepared) -> dict[Meaning, float]:
        """Each label's probability for the message; they sum to 1."""
        counts = Counter(f for f in features(message.folded) if f in self.weights)
        scores = list(self.intercepts)
        values = {f: (1.0 + math.log(n)) * self.weights[f][0] for f, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in values.values()))
        if norm:
            for feature, value in values.items():
                scale = value / norm
                for index, weight in enumerate(self.weights[feature][1]):
                    scores[index] += scale * weight
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {label: e / total for label, e in zip(self.labels, exps, strict=True)}

    def unfamiliar(self, message: Prepared) -> bool:
        """True when the text shares too little with anything the model learned
        ("zzz", "kkkk", "咕噜咕噜"): softmax scores of unknown text can look sure
        (0.98 "confirm" for "kkkk") while meaning nothing.

        Latin text is familiar when one of its words is known, or enough of its
        3- and 4-letter pieces. Chinese is written in known characters even when
        the phrase is new ("你係邊個" has no known pair), so there only a text
        made mostly of characters never seen is unfamiliar.
        """
        found = [f for f in features(message.folded) if f.strip()]
        words = [f for f in found if f.startswith("w:")]
        if words:
            if any(w in self.vocabulary or w in self.weights for w in words):
                return False
            han = [f for f in found if len(f) == 1 and "\u4e00" <= f <= "\u9fff"]
            if han and self._known_share(han) >= FAMILIAR_SHARE:
                # Chinese with an English word nobody taught it ("球衣上有你们的logo"):
                # the characters say enough.
                return False
            pieces = [f for f in found if not f.startswith("w:") and len(f.strip()) >= 3]
        else:
            pieces = [f for f in found if len(f) == 1]
        if not pieces:
            return bool(words)  # a Latin word nobody taught it, too short for pieces
        return self._known_share(pieces) < FAMILIAR_SHARE

    def _known_share(self, pieces: list[str]) -> float:
        known = sum(1 for p in pieces if p in self.weights or p in self.vocabulary)
        return known / len(pieces)

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": FORMAT_VERSION,
                "fingerprint": self.fingerprint,
                "labels": [str(label) for label in self.labels],
                "intercepts": list(self.intercepts),
                "weights": {f: [idf, *w] for f, (idf, w) in self.weights.items()},
                "vocabulary": sorted(self.vocabulary),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> IntentModel:
        try:
            raw = json.loads(text)
            if raw["version"] != FORMAT_VERSION:
                raise ModelError(f"model format {raw['version']}, expected {FORMAT_VERSION}")
            labels = tuple(Meaning(label) for label in raw["labels"])
            weights = {
                str(f): (float(row[0]), tuple(float(w) for w in row[1:]))
                for f, row in raw["weights"].items()
            }
            model = cls(
                labels,
                tuple(float(b) for b in raw["intercepts"]),
                weights,
                str(raw["fingerprint"]),
                frozenset(str(v) for v in raw["vocabulary"]),
            )
        except (ValueError, KeyError, TypeError) as error:
            raise ModelError(f"damaged model file: {error}") from error
        if any(len(w) != len(labels) for _, w in weights.values()):
            raise ModelError("damaged model file: weight rows do not match the labels")
        return model

    @classmethod
    def load(cls, path: Path) -> IntentModel:
        try:
            return cls.from_json(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise ModelError(f"cannot read {path}: {error.strerror}") from error
