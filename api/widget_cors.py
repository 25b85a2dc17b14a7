"""CORS for the routes the chat widget calls from other sites' pages, and for no other.

The widget (``/widget.js``) is embedded on any site, so its chat and the narration it
looks up must answer any origin. Nothing else needs to be called from another origin, and
the staff side above all gives other origins nothing: no page elsewhere should be able to
send it requests with custom headers or read its answers.
"""

import re

from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

WIDGET_ROUTES = re.compile(r"/api/chat|/api/sites/[^/]+/narration/[^/]+")


class WidgetCors:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app, allow_origins=["*"], allow_methods=["GET", "POST"], allow_headers=["Content-Type"]
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and WIDGET_ROUTES.fullmatch(scope["path"]):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
