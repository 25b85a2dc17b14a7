"""The language a message is written in, from its metadata, as an entity of the message.

The guide's chat proxy detects each message's language and sends it to Rasa as ``lang``
in the message's metadata. This component turns it into a ``message_language`` entity, and
the ``language`` slot is filled from that entity by Rasa itself (a ``from_entity`` mapping
in domain.yml) before anything answers: the responses' language variations are chosen by
that slot. A message without a known ``lang`` leaves the slot as it was.

Before this, an action on the action server set the slot at every message: a second call
to the action server per message (bench/chat.py).
"""

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    METADATA,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from sites_data.languages import LANGUAGE_CODES

ENTITY = "message_language"
METADATA_KEY = "lang"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class MessageLanguage(GraphComponent):  # type: ignore[misc]
    """Adds the ``message_language`` entity from the message's ``lang`` metadata."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            metadata = message.get(METADATA)
            lang = metadata.get(METADATA_KEY) if isinstance(metadata, dict) else None
            if lang in LANGUAGE_CODES:
                end = len(message.get(TEXT) or "")
                entity = {
                    ENTITY_ATTRIBUTE_TYPE: ENTITY,
                    ENTITY_ATTRIBUTE_VALUE: lang,
                    ENTITY_ATTRIBUTE_START: 0,
                    ENTITY_ATTRIBUTE_END: end,
                    EXTRACTOR: type(self).__name__,
                }
                message.set(ENTITIES, [*message.get(ENTITIES, []), entity], add_to_output=True)
        return messages
