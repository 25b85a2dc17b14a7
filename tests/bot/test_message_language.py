"""``bot.components.message_language`` turns the language the chat proxy sends in a
message's metadata into the entity Rasa fills the ``language`` slot from. Run in .venv-rasa
on Rasa's own ``Message``; tests/bot/test_chat_end_to_end.py checks the replies' language
through the whole chain."""

import json
import subprocess
from pathlib import Path

from bot.cli import RASA, rasa_environment

FIND = """
import json
from rasa.shared.nlu.training_data.message import Message
from bot.components.message_language import MessageLanguage

found = {}
for name, metadata in [("ko", {"lang": "ko", "site": "thap-doi"}), ("none", None),
                       ("unknown", {"lang": "xx"}), ("not a dict", "ko")]:
    message = Message(data={"text": "포클롱가라이 입장료", "metadata": metadata,
                            "entities": [{"entity": "site", "value": "po-klong-garai"}]})
    MessageLanguage().process([message])
    found[name] = message.get("entities")
print(json.dumps(found))
"""


def test_the_language_in_the_metadata_becomes_an_entity() -> None:
    assert RASA.exists(), "Rasa is missing: run `make setup`"
    result = subprocess.run(
        [str(RASA.with_name("python")), "-c", FIND],
        env=rasa_environment(),
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    site = {"entity": "site", "value": "po-klong-garai"}
    assert found["ko"] == [
        site,
        {
            "entity": "message_language",
            "value": "ko",
            "start": 0,
            "end": len("포클롱가라이 입장료"),
            "extractor": "MessageLanguage",
        },
    ]
    assert found["none"] == found["unknown"] == found["not a dict"] == [site]
