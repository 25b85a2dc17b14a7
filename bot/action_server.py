"""The action server: rasa-sdk's Sanic app, in worker processes that open the knowledge base.

Sanic starts its workers as new processes (``spawn``) and builds the app in each of them
from a picklable factory (``AppLoader``). The database URL travels as an argument of that
factory, so each worker opens its one knowledge base from the value ``guide bot actions``
read from the guide's settings, not from anything left in the environment.
"""

from collections.abc import Callable
from functools import partial
from typing import Any

from rasa_sdk.endpoint import create_app_for_serve
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher
from rasa_sdk.interfaces import Tracker
from rasa_sdk.types import DomainDict
from rasa_sdk.utils import number_of_sanic_workers
from sanic import Sanic
from sanic.worker.loader import AppLoader

from bot.actions import knowledge
from bot.actions.conversation import begin_turn
from bot.actions.knowledge import close_knowledge_base, open_knowledge_base
from bot.actions.passages import passage_index
from sites_data.languages import LANGUAGE_CODES

ACTIONS_PACKAGE = "bot.actions"


class GuideExecutor(ActionExecutor):
    """rasa-sdk's executor, with two differences for the guide's actions.

    - Each message's site in context is settled before the first action that answers it
      (``conversation.begin_turn``), and its events are returned with the action's: one call
      to the action server per message instead of two (Rasa's
      ``action_validate_slot_mappings`` was the other).
    - Rasa sends no domain with its action calls (``enable_selective_domain`` in
      endpoints.yml: 58 KB of responses, encoded and decoded at every call), and no action
      reads it. rasa-sdk answers such a call 449 and expects Rasa to send it again with the
      domain, which Rasa 3.6 does not do; here the call runs with the domain last received,
      or none.
    """

    def register_function(self, action_name: str, f: Callable[..., Any]) -> None:
        async def run_in_turn(
            dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
        ) -> list[dict[str, Any]]:
            turn = await begin_turn(tracker)
            return [*turn, *await f(dispatcher, tracker, domain)]

        super().register_function(action_name, run_in_turn)

    def update_and_return_domain(self, payload: dict[str, Any], action_name: str) -> dict[str, Any]:
        if payload.get("domain"):
            self.domain = payload["domain"]
        return self.domain or {}


def _worker_app(database_url: str, endpoints: str) -> Sanic[Any, Any]:
    """The app of one process: its knowledge base opened, every action of the package registered."""
    open_knowledge_base(database_url)
    executor = GuideExecutor()
    executor.register_package(ACTIONS_PACKAGE)
    app = create_app_for_serve(executor, endpoints=endpoints)
    app.register_listener(_warm_up, "before_server_start")
    app.register_listener(_close_knowledge_base, "after_server_stop")
    return app


async def _warm_up(app: Sanic[Any, Any]) -> None:
    """Build the name finder and the passage index of every language before the first
    visitor's question (a few seconds), not during it: the server answers its health check
    once they are ready."""
    catalogue = await knowledge.catalogue()
    knowledge.name_finder(catalogue)
    for lang in LANGUAGE_CODES:
        passage_index(catalogue, lang)


def _close_knowledge_base(app: Sanic[Any, Any]) -> None:
    close_knowledge_base()


def serve(database_url: str, host: str, port: int, endpoints: str) -> None:
    """Serve the actions on ``host:port`` until stopped, as ``rasa_sdk.endpoint.run`` does."""
    loader = AppLoader(factory=partial(_worker_app, database_url, endpoints))
    app = loader.load()
    app.prepare(host=host, port=port, workers=number_of_sanic_workers())
    Sanic.serve(primary=app, app_loader=loader)
