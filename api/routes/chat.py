"""The chat proxy: the widget talks to this route, this route talks to Rasa's REST channel."""

import asyncio
import json
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel, StringConstraints

from api.deps import SettingsDep
from api.language import UnsupportedLanguage, choose_language
from api.ui import UiText
from sites_data.languages import LANGUAGE_CODES

router = APIRouter(tags=["chat"])

WIDGET_FILE = Path(__file__).parents[1] / "static" / "widget.js"
WIDGET_STRINGS = (
    "chat_title",
    "chat_placeholder",
    "chat_send",
    "chat_close",
    "chat_typing",
    "chat_unavailable",
)
UNAVAILABLE = "The assistant is not available right now; please try again in a minute."


class ChatRequest(BaseModel):
    sender: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    message: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
    lang: str | None = None
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


def _message(item: dict[str, Any]) -> ChatMessage:
    custom = item.get("custom") if isinstance(item.get("custom"), dict) else {}
    buttons = [
        ChatButton(title=b["title"], payload=b.get("payload", b["title"]))
        for b in item.get("buttons") or []
    ]
    links = [ChatLink(**link) for link in (custom or {}).get("links") or []]
    return ChatMessage(
        text=item.get("text") or (custom or {}).get("text", ""),
        buttons=buttons or None,
        links=links or None,
    )


@router.post("/api/chat", responses={503: {"description": "The assistant is unavailable"}})
async def chat(body: ChatRequest, request: Request, settings: SettingsDep) -> ChatReply:
    """Send a visitor's message to the assistant and return its replies."""
    try:
        lang = choose_language(body.lang, None, request.headers.get("accept-language"))
    except UnsupportedLanguage as error:
        raise HTTPException(status_code=422, detail=str(error)) from None
    payload = {
        "sender": body.sender,
        "message": body.message,
        "metadata": {"lang": lang, "site": body.site},
    }
    client: httpx.AsyncClient = request.app.state.http
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
    messages = [_message(item) for item in items if isinstance(item, dict)]
    replied = {
        str((item.get("custom") or {}).get("lang"))
        for item in items
        if isinstance(item, dict) and isinstance(item.get("custom"), dict)
    }
    reply_lang = next((code for code in replied if code in LANGUAGE_CODES), lang)
    return ChatReply(lang=reply_lang, messages=messages)


@cache
def _widget_source() -> str:
    strings = {code: UiText(code).strings(*WIDGET_STRINGS) for code in LANGUAGE_CODES}
    return WIDGET_FILE.read_text("utf-8").replace(
        "__STRINGS__", json.dumps(strings, ensure_ascii=False)
    )


@router.get("/widget.js", include_in_schema=False)
def widget() -> Response:
    """The embeddable chat widget, with its texts in every language."""
    return Response(
        _widget_source(),
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=3600"},
    )
