"""Rasa's command line (``rasa run``…) with three of its steps done more cheaply, found with
py-spy while ``bench/chat.py`` ran; the results are the same.

- Rasa 3.6 checks every answer of the action server against its response schema with
  ``jsonschema.validate``, which first checks that schema itself against the JSON Schema
  meta-schema, on every call. With two action calls per message (slot validation, then the
  answer), that re-check was two thirds of the Rasa server's time per message. The schema
  is Rasa's constant: here it is checked once, and each answer is still validated against
  it, failing with the same error as before.
- Reading a conversation from the tracker store finds each event's class by walking all
  the subclasses of ``Event`` (a twentieth of the time per message); here that walk is done
  once, into a table by type name.
- Rasa runs its graph of components (the NLU pipeline, then the policies: twice per
  message) with dask's synchronous scheduler, which orders the graph and hands each task
  through its thread-pool machinery on every run: a tenth of the time per message. Here
  dask's simplest scheduler, ``dask.core.get``, runs the same graph in topological order,
  each component with the same inputs. Rasa already cuts the graph to what the targets need.

Runs in ``.venv-rasa``: ``guide bot rasa`` starts ``python -m bot.rasa_server run …``.
"""

import sys
from functools import cache
from types import SimpleNamespace
from typing import Any

import dask.core
import rasa.engine.runner.dask
from jsonschema import ValidationError, validators
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

# The advice Rasa appends to the message of a rejected answer (rasa/core/actions/action.py).
_ADVICE = (
    ". Failed to validate Action server response from API, make sure your response from "
    "the Action endpoint is valid. For more information about the format visit "
    f"{DOCS_BASE_URL}/custom-actions"
)


@cache
def _response_validator() -> Any:
    """Rasa's schema for the action server's answers, checked once, in its draft's validator."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(_action: RemoteAction, result: dict[str, Any]) -> bool:
    """What ``RemoteAction._validate_action_result`` does, without re-checking the schema:
    ``True`` for a valid answer, else the most relevant ``ValidationError``, as
    ``jsonschema.validate`` chooses it."""
    error = best_match(_response_validator().iter_errors(result))
    if error is None:
        return True
    assert isinstance(error, ValidationError)
    error.message += _ADVICE
    raise error


_resolve_by_walking = Event.resolve_by_type


@cache
def _event_classes() -> dict[str, type[Event]]:
    """Each event type name's class: the first of ``all_subclasses(Event)`` with that name,
    as Rasa's walk finds it."""
    classes: dict[str, type[Event]] = {}
    for event_class in all_subclasses(Event):
        classes.setdefault(event_class.type_name, event_class)
    return classes


def resolve_event_class(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """``Event.resolve_by_type`` from the table; names not in it go to Rasa's own, which
    handles the old ``topic`` events, the ``default`` and the error for unknown names."""
    return _event_classes().get(type_name) or _resolve_by_walking(type_name, default)


def apply() -> None:
    """Put all three in place of Rasa's own; called before Rasa starts."""
    RemoteAction._validate_action_result = validate_action_result
    Event.resolve_by_type = staticmethod(resolve_event_class)
    rasa.engine.runner.dask.dask = SimpleNamespace(get=dask.core.get)


def main() -> None:
    apply()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
