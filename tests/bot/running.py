"""Running an action the way the action server does."""

import asyncio
from collections.abc import Coroutine
from typing import Any

from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker


def run_action(
    action: Action, tracker: Tracker
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run an action as the action server does; returns (messages sent, events returned)."""
    dispatcher = CollectingDispatcher()
    run: Coroutine[Any, Any, list[dict[str, Any]]] = action.run(dispatcher, tracker, {})
    events = asyncio.run(run)
    return dispatcher.messages, events
