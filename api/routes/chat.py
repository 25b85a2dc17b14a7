"""The chat proxy: the widget talks to this route, this route talks to Rasa's REST channel."""

import asyncio
import json
import zlib
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import aiohttp
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
# A Rasa server that does not accept the connection this fast is passed over for the next.
CONNECT_TIMEOUT_S = 1.0
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


def servers_in_turn(urls: list[str], sender: str) -> list[str]:
    """The Rasa servers in the order a conversation tries them: always the same one first
    for the same sender (the others keep their caches, the lock store is seldom waited on),
    then the next ones in turn."""
    first = zlib.crc32(sender.encode()) % len(urls)
    return urls[first:] + urls[:first]


async def _ask_rasa(
    client: aiohttp.ClientSession, urls: list[str], payload: dict[str, Any], timeout_s: float
) -> Any:
    """Rasa's reply items, from the first server that answers within one deadline for the
    whole exchange. A server that cannot be reached, drops the connection or answers 5xx is
    passed over for the next: they share the conversations (Rasa's SQL tracker store), so
    the conversation goes on there."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    for url in servers_in_turn(urls, str(payload["sender"])):
        remaining = deadline - loop.time()
        if remaining <= 0:
            break
        # The connect limit is for a new connection only, not the wait for a free one.
        timeout = aiohttp.ClientTimeout(
            total=remaining, sock_connect=min(CONNECT_TIMEOUT_S, remaining)
        )
        try:
            async with client.post(
                f"{url}/webhooks/rest/webhook", json=payload, timeout=timeout
            ) as response:
                if response.status >= 500:
                    continue
                if response.status >= 400:
                    break
                return await response.json(content_type=None)
        except aiohttp.ConnectionTimeoutError:  # not accepted within CONNECT_TIMEOUT_S
            continue
        except TimeoutError:  # the whole exchange's deadline
            break
        except aiohttp.ClientError:  # refused, or dropped before the whole reply
            continue
        except json.JSONDecodeError:
            break
    raise HTTPException(status_code=503, detail=UNAVAILABLE)


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
    items = await _ask_rasa(client, settings.rasa_urls, payload, settings.chat_timeout_s)
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
