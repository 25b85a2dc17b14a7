"""``bot.components.intent_classifier`` must give Rasa's logistic regression the very matrix
Rasa's own ``_create_X`` builds. Run in .venv-rasa on Rasa's ``Message`` and ``Features``;
``make eval`` and ``rasa test`` check the trained classifier's answers end to end."""

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from bot.cli import RASA, rasa_environment

COMPARE = """
import json
import numpy as np
from scipy.sparse import coo_matrix
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from bot.components.intent_classifier import SentenceLogisticRegressionClassifier

rng = np.random.default_rng(7)


def sparse(rows, columns):
    counts = rng.integers(0, 3, size=(rows, columns))
    return coo_matrix(counts * (rng.random((rows, columns)) < 0.3))


def message(tokens, with_dense):
    features = []
    for origin, width in (("regex", 4), ("words", 9), ("ngrams", 15)):
        features.append(Features(sparse(tokens, width), "sequence", "text", origin))
        features.append(Features(sparse(1, width), "sentence", "text", origin))
    features.append(Features(sparse(1, 6), "sentence", "intent", "words"))  # not the text's
    if with_dense:
        features.append(Features(rng.random((1, 5)), "sentence", "text", "dense"))
        features.append(Features(rng.random((tokens, 5)), "sequence", "text", "dense"))
    return Message(data={"text": "x " * tokens}, features=features)


def both(messages):
    rasas = LogisticRegressionClassifier._create_X(None, messages)
    ours = SentenceLogisticRegressionClassifier._create_X(None, messages)
    return {"shapes": [list(rasas.shape), list(ours.shape)], "format": ours.format,
            "different": int((rasas != ours).nnz), "nonzero": int(ours.nnz)}


print(json.dumps({
    "sparse only": both([message(tokens, False) for tokens in (1, 4, 12)]),
    "with dense": both([message(tokens, True) for tokens in (2, 7)]),
}))
"""


@pytest.fixture(scope="module")
def compared() -> dict[str, Any]:
    assert RASA.exists(), "Rasa is missing: run `make setup`"
    result = subprocess.run(
        [str(RASA.with_name("python")), "-c", COMPARE],
        env=rasa_environment(),
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    parsed: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return parsed


def test_sparse_sentence_features_make_the_matrix_rasa_makes(compared: dict[str, Any]) -> None:
    found = compared["sparse only"]
    # Three messages; the sentence features of three featurizers side by side.
    assert found["shapes"] == [[3, 4 + 9 + 15], [3, 4 + 9 + 15]]
    assert found["nonzero"] > 0
    assert found["different"] == 0
    assert found["format"] == "csr"


def test_dense_sentence_features_follow_the_sparse_ones(compared: dict[str, Any]) -> None:
    found = compared["with dense"]
    assert found["shapes"] == [[2, 28 + 5], [2, 28 + 5]]
    assert found["different"] == 0
