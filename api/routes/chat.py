"""The chat proxy: the widget talks to this route, this route talks to Rasa's REST channel."""

import asyncio
import json
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field, StringConstraints

from api.deps import LANGUAGE_CODE, HttpDep, SettingsDep, StoreDep
from api.input_checks import invalid_input
from api.language import choose_language
from api.public_cache import PUBLIC
from api.refusals import refusals
from api.static_assets import IMMUTABLE, content_hash
from api.ui import UiText
from sites_data.language_detection import detect_language
from sites_data.languages import LANGUAGE_CODES, UnsupportedLanguage

router = APIRouter(tags=["chat"])

WIDGET_FILE = Path(__file__).parents[1] / "static" / "widget.js"
WIDGET_STRINGS = (
    "chat_title",
    "chat_placeholder",
    "chat_send",
    "chat_close",
    "chat_typing",
    "chat_unavailable",
    "chat_greeting",
    "chat_greeting_site",
    "suggest_hours",
    "suggest_tickets",
    "suggest_directions",
    "suggest_nearby",
    "suggest_plan_day",
    "suggest_recommend",
    "suggest_festivals",
    "chat_offline_intro",
    "listen",
    "hours_and_tickets",
    "on_the_map",
    "all_sites",
)
UNAVAILABLE = "The assistant is not available right now; please try again in a minute."


class ChatRequest(BaseModel):
    sender: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    # Not only spaces (the schema's pattern says so; pydantic checks it after the strip).
    message: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=1000, pattern=r"\S"),
    ]
    lang: Annotated[str, Field(json_schema_extra=LANGUAGE_CODE)] | None = None
    site: Annotated[str, StringConstraints(max_length=80)] | None = None


class ChatButton(BaseModel):
    title: str
    payload: str


class ChatLink(BaseModel):
    title: str
    url: str


class ChatMessage(BaseModel):
    text: str
    buttons: list[ChatButton] | None = None
    links: list[ChatLink] | None = None


class ChatReply(BaseModel):
    lang: str
    messages: list[ChatMessage]


def _messages(items: list[Any]) -> list[ChatMessage]:
    """Rasa's REST items as the widget's messages.

    Rasa sends a response's links (custom JSON) as an item of their own; they are shown
    with the text before them. Items with nothing to show (a language switch) are dropped.
    """
    messages: list[ChatMessage] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        custom = item["custom"] if isinstance(item.get("custom"), dict) else {}
        text = item.get("text") or custom.get("text") or ""
        buttons = [
            ChatButton(title=b["title"], payload=b.get("payload", b["title"]))
            for b in item.get("buttons") or []
        ]
        links = [ChatLink(**link) for link in custom.get("links") or []]
        if not text and not buttons and links and messages:
            messages[-1].links = [*(messages[-1].links or []), *links]
        elif text or buttons or links:
            messages.append(ChatMessage(text=text, buttons=buttons or None, links=links or None))
    return messages


def _reply_language(items: list[Any], asked_in: str) -> str:
    """The language the assistant answered in: the one it says it switched to, if any."""
    for item in items:
        custom = item.get("custom") if isinstance(item, dict) else None
        if isinstance(custom, dict) and custom.get("lang") in LANGUAGE_CODES:
            return str(custom["lang"])
    return asked_in


@router.post("/api/chat", responses=refusals(503))
async def chat(
    body: ChatRequest, request: Request, settings: SettingsDep, store: StoreDep, client: HttpDep
) -> ChatReply:
    """Send a visitor's message to the assistant and return its replies.

    The reply language is the language of the message; the page's language (``lang``,
    else the browser's) counts for messages too short to tell, and for buttons.
    """
    try:
        page_lang = choose_language(body.lang, None, request.headers.get("accept-language"))
    except UnsupportedLanguage as error:
        raise invalid_input((("body", "lang"), str(error))) from None
    if body.message.startswith("/"):
        lang = page_lang  # a button's intent payload, not words
    else:
        names = store.catalogue().place_names
        lang = detect_language(body.message, page_lang, names)
    payload = {
        "sender": body.sender,
        "message": body.message,
        "metadata": {"lang": lang, "site": body.site},
    }
    try:
        # One deadline for the whole exchange, connection included.
        response = await asyncio.wait_for(
            client.post(f"{settings.rasa_url}/webhooks/rest/webhook", json=payload),
            timeout=settings.chat_timeout_s,
        )
        response.raise_for_status()
        items = response.json()
    except (TimeoutError, httpx.HTTPError, json.JSONDecodeError):
        raise HTTPException(status_code=503, detail=UNAVAILABLE) from None
    messages = _messages(items) if isinstance(items, list) else []
    if not messages:
        # Every question gets an answer; none at all means the action server is down.
        raise HTTPException(status_code=503, detail=UNAVAILABLE)
    return ChatReply(lang=_reply_language(items, lang), messages=messages)


@cache
def _widget_source() -> bytes:
    strings = {code: UiText(code).strings(*WIDGET_STRINGS) for code in LANGUAGE_CODES}
    source = WIDGET_FILE.read_text("utf-8")
    return source.replace("__STRINGS__", json.dumps(strings, ensure_ascii=False)).encode()


def widget_url() -> str:
    """The widget's address on the guide's own pages: it names its content, so never changes."""
    return f"/widget.{content_hash(_widget_source())}.js"


def _widget_answer(request: Request, cache_control: str) -> Response:
    source = _widget_source()
    headers = {"Cache-Control": cache_control, "ETag": f'"{content_hash(source)}"'}
    if headers["ETag"] in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(source, media_type="text/javascript; charset=utf-8", headers=headers)


@router.get("/widget.js", include_in_schema=False)
def widget(request: Request) -> Response:
    """The embeddable chat widget, with its texts in every language, at the address other
    websites embed: caches keep it briefly and revalidate it."""
    return _widget_answer(request, PUBLIC)


@router.get("/widget.{version}.js", include_in_schema=False)
def versioned_widget(version: str, request: Request) -> Response:
    """The widget at the address the guide's own pages use, which changes with its content."""
    if version != content_hash(_widget_source()):
        raise HTTPException(status_code=404, detail=f"no widget version {version!r}")
    return _widget_answer(request, IMMUTABLE)
