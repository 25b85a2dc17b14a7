"""The trained model cuts Chinese and Japanese messages into words with the pipeline's own
tokenizer, and still finds the site names in them; run in .venv-rasa like Rasa itself."""

import json
import subprocess
from typing import Any

import pytest

from bot.cli import MODELS_DIR, RASA, rasa_environment

MODEL = MODELS_DIR / "heritage-guide.tar.gz"
# Loads the model as `guide bot rasa` does and prints, for each message, the tokenizers of
# the model's graph, the tokens and the entities Rasa finds.
PARSE = """
import asyncio, json, sys
from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.nlu.tokenizers.tokenizer import Tokenizer

agent = Agent.load(sys.argv[1])
nodes = agent.processor.model_metadata.predict_schema.nodes.values()
tokenizers = sorted({node.uses.__name__ for node in nodes if issubclass(node.uses, Tokenizer)})
for text in sys.argv[2:]:
    parsed = asyncio.run(
        agent.processor.parse_message(UserMessage(text), only_output_properties=False)
    )
    print(json.dumps({
        "tokenizers": tokenizers,
        "tokens": [token.text for token in parsed["text_tokens"]],
        "sites": [entity["value"] for entity in parsed["entities"] if entity["entity"] == "site"],
    }))
"""
CHINESE = "双塔的门票多少钱"
JAPANESE = "バインイット塔の入場料はいくらですか"


@pytest.fixture(scope="module")
def parsed() -> dict[str, dict[str, Any]]:
    if not RASA.exists() or not MODEL.exists():
        pytest.fail("Rasa or its trained model is missing: run `make setup`")
    result = subprocess.run(
        [str(RASA.with_name("python")), "-c", PARSE, str(MODEL), CHINESE, JAPANESE],
        env=rasa_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    return dict(zip([CHINESE, JAPANESE], map(json.loads, lines), strict=True))


def test_the_model_tokenizes_with_the_script_tokenizer(parsed: dict[str, Any]) -> None:
    assert parsed[CHINESE]["tokenizers"] == ["ScriptTokenizer"]


def test_a_chinese_message_becomes_words(parsed: dict[str, Any]) -> None:
    assert parsed[CHINESE]["tokens"] == ["双塔", "的", "门票", "多少", "钱"]


def test_a_japanese_message_becomes_words(parsed: dict[str, Any]) -> None:
    assert {"入場", "の", "いくら"} <= set(parsed[JAPANESE]["tokens"])


def test_site_names_are_found_across_word_boundaries(parsed: dict[str, Any]) -> None:
    # バインイット塔 is three words (バイン, イット, 塔) to MeCab; the lookup still matches.
    assert parsed[CHINESE]["sites"] == ["thap-doi"]
    assert parsed[JAPANESE]["sites"] == ["banh-it"]
