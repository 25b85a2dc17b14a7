"""The API documentation page, with Swagger UI from the guide's own static files.

FastAPI's own page loads Swagger UI from a CDN: visitors' browsers would then ask a third
party for code that runs on the guide's origin, and the page breaks wherever that CDN
cannot be reached. ReDoc, its second page, is not served: one documentation page is enough.
"""

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from maps.assets import API_DOCS_FILES, DEFAULT_PREFIX

router = APIRouter(include_in_schema=False)


@router.get("/docs")
def api_documentation(request: Request) -> HTMLResponse:
    app = request.app
    files = {name: DEFAULT_PREFIX + path for name, path in API_DOCS_FILES.items()}
    return get_swagger_ui_html(
        openapi_url=request.scope.get("root_path", "") + app.openapi_url,
        title=f"{app.title} — API",
        swagger_js_url=files["swagger_js"],
        swagger_css_url=files["swagger_css"],
        swagger_favicon_url=files["swagger_favicon"],
    )
