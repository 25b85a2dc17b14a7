"""The NLU measured on held-out phrases, per language: ``make eval``.

The phrases in ``bot/eval/<lang>.yml`` are never used for training. This script runs
in ``.venv-rasa`` (it loads the trained model with Rasa's own code) with the repository
root on ``PYTHONPATH``, where Rasa finds the model's tokenizer (``bot.components``), as
``make eval`` runs it. It predicts the intent of each phrase, and writes
``bot/results/nlu_eval.md`` and ``nlu_eval.json``. It exits with status 1 when the
intent macro-F1 is below the targets, overall or in a language.
"""

import asyncio
import json
import logging
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from rasa.core.agent import Agent
from rasa.utils.log_utils import configure_structlog
from sklearn.metrics import f1_score

BOT_DIR = Path(__file__).parent
EVAL_DIR = BOT_DIR / "eval"
RESULTS_DIR = BOT_DIR / "results"
MODEL = BOT_DIR / "models" / "heritage-guide.tar.gz"
TARGET_OVERALL = 0.90
TARGET_PER_LANGUAGE = 0.85
LANGUAGES = ("vi", "en", "zh", "ko", "ja", "fr", "ru", "de")


def held_out(lang: str) -> list[tuple[str, str]]:
    """(phrase, intent) pairs of one language."""
    document = yaml.safe_load((EVAL_DIR / f"{lang}.yml").read_text("utf-8"))
    return [
        (line[2:].strip(), block["intent"])
        for block in document["nlu"]
        for line in block["examples"].splitlines()
        if line.startswith("- ")
    ]


async def predict(agent: Agent, phrases: list[str]) -> list[str]:
    return [(await agent.parse_message(phrase))["intent"]["name"] for phrase in phrases]


def macro_f1(expected: list[str], predicted: list[str]) -> float:
    # Over the intents the phrases have: a fallback prediction counts as a miss.
    return float(f1_score(expected, predicted, labels=sorted(set(expected)), average="macro"))


def evaluate(agent: Agent) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    all_expected: list[str] = []
    all_predicted: list[str] = []
    errors: list[dict[str, str]] = []
    for lang in LANGUAGES:
        pairs = held_out(lang)
        expected = [intent for _, intent in pairs]
        predicted = asyncio.run(predict(agent, [phrase for phrase, _ in pairs]))
        correct = sum(e == p for e, p in zip(expected, predicted, strict=True))
        rows.append(
            {
                "lang": lang,
                "phrases": len(pairs),
                "accuracy": correct / len(pairs),
                "macro_f1": macro_f1(expected, predicted),
            }
        )
        errors += [
            {"lang": lang, "phrase": phrase, "intent": intent, "predicted": guess}
            for (phrase, intent), guess in zip(pairs, predicted, strict=True)
            if guess != intent
        ]
        all_expected += expected
        all_predicted += predicted
    return {
        "overall_macro_f1": macro_f1(all_expected, all_predicted),
        "phrases": len(all_expected),
        "languages": rows,
        "errors": errors,
    }


def report(result: dict[str, Any]) -> str:
    lines = [
        "# NLU on held-out phrases",
        "",
        f"Model `{result['model']}`, {result['phrases']} phrases in `bot/eval/` that training "
        "never saw. Intent macro-F1 over the intents; a fallback counts as a miss.",
        "",
        f"**Overall macro-F1: {result['overall_macro_f1']:.3f}** "
        f"(target {TARGET_OVERALL:.2f}; each language at least {TARGET_PER_LANGUAGE:.2f})",
        "",
        "| language | phrases | accuracy | macro-F1 |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {row['lang']} | {row['phrases']} | {row['accuracy']:.3f} | {row['macro_f1']:.3f} |"
        for row in result["languages"]
    ]
    lines += ["", "## Most frequent confusions", "", "| language | intent | predicted | count |"]
    lines += ["|---|---|---|---|"]
    confusions = Counter((e["lang"], e["intent"], e["predicted"]) for e in result["errors"])
    lines += [
        f"| {lang} | {intent} | {predicted} | {count} |"
        for (lang, intent, predicted), count in confusions.most_common(20)
    ]
    lines += ["", "Every misclassified phrase is listed in `nlu_eval.json`."]
    return "\n".join(lines) + "\n"


def main() -> int:
    model = Path(sys.argv[1]) if len(sys.argv) > 1 else MODEL
    if not model.exists():
        print(f"{model} is missing: run `make setup` to train it.", file=sys.stderr)
        return 1
    logging.basicConfig(level=logging.WARNING)
    configure_structlog(logging.WARNING)
    result = evaluate(Agent.load(str(model)))
    result["model"] = model.name
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "nlu_eval.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    text = report(result)
    (RESULTS_DIR / "nlu_eval.md").write_text(text, "utf-8")
    print(text)
    below = [row["lang"] for row in result["languages"] if row["macro_f1"] < TARGET_PER_LANGUAGE]
    if result["overall_macro_f1"] < TARGET_OVERALL or below:
        print(f"Below target: overall or {', '.join(below) or 'none'}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
