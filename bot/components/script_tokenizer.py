"""A Rasa tokenizer for every language of the guide: ``bot.segmenting`` finds the words.

Rasa's own tokenizers each know one family of scripts (whitespace, or jieba for Chinese
alone), while one model here reads Vietnamese, Chinese, Japanese, Korean and the
European languages alike. Runs in ``.venv-rasa``; Rasa imports it by the name in
``config.yml`` with the repository root on ``PYTHONPATH`` (see ``bot.cli``).
"""

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from bot import segmenting


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class ScriptTokenizer(Tokenizer):  # type: ignore[misc]
    """Words by script: jieba for Chinese, MeCab for Japanese, spaces for the others."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @staticmethod
    def required_packages() -> list[str]:
        return ["jieba", "fugashi", "unidic_lite"]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls({**cls.get_default_config(), **config})

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text: str = message.get(attribute)
        words = segmenting.words(text)
        tokens = [Token(word.text, word.start, word.end) for word in words]
        if not tokens and text.strip():
            # A message without words ("???", an emoji) is one token, as with Rasa's own
            # tokenizers: the featurizers and the classifier need at least one.
            start = len(text) - len(text.lstrip())
            tokens = [Token(text.strip(), start)]
        return self._apply_token_pattern(tokens)  # type: ignore[no-any-return]
