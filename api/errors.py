"""One answer per refusal, and how the OpenAPI schema documents it.

The errors of the knowledge base and of staff actions are mapped to a status here, and
answered as JSON under ``/api/`` and as a page (or a redirect to sign in) elsewhere. On a
tourist's address, a browser asking for a page that does not exist or in a language the guide
does not speak gets a page in the visitor's language with a way on (``api.error_pages``);
programs keep the JSON. Routes and actions raise these errors and never build the refusal
themselves.
The shape of each refusal, and its documentation, is ``api.refusals``.
"""

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException
from starlette.routing import Match

from api.error_pages import (
    VARY,
    is_public_page,
    not_found_page,
    prefers_html,
    unsupported_language_page,
)
from api.input_checks import invalid_input, validation_failed
from api.language import UNSUPPORTED_LANGUAGE_STATUS
from api.staff.accounts import AccountError, RefusedPassword, RefusedUsername, UnknownAccount
from api.staff.api_models import StaleReport, admin_site
from api.staff.auth import StaffRefused
from api.staff.editing import EditRefused
from api.staff.rendering import login_url, refusal_page
from api.staff.text import StaffMessageError
from narration.errors import NarrationError
from sites_data.languages import UnsupportedLanguage, supported_list
from sites_data.store import StaleRevision, UnknownRevision, UnknownSite

STATUS_OF: dict[type[Exception], int] = {
    UnknownSite: 404,
    UnknownRevision: 404,
    UnknownAccount: 404,
    EditRefused: 409,
    NarrationError: 409,
    # Checked before saving (the JSON models check the same rules and answer 422 with the
    # field): what is left is a conflict with the accounts as they are (a taken username,
    # no active admin left).
    AccountError: 409,
    RefusedUsername: 422,
    RefusedPassword: 422,
    UnsupportedLanguage: UNSUPPORTED_LANGUAGE_STATUS,
}
# Where a 422 that is not about one form field is said to be, in FastAPI's ``loc`` terms.
REQUEST = ("request",)


# The methods an Allow header can name; OPTIONS is only answered for CORS preflights.
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


async def method_not_allowed(request: Request, error: Exception) -> Response:
    """405 with every method of the path in ``Allow``.

    Starlette names only the methods of the first route whose path matches, while a path
    (``/api/admin/sites/{key}``: GET and PUT) is often served by several routes. Each method
    is asked of the router, the way a request with it would be routed.
    """
    assert isinstance(error, HTTPException)
    routes = request.app.router.routes
    served = [
        method
        for method in METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes
        )
    ]
    if served:
        error.headers = {**(error.headers or {}), "Allow": ", ".join(served)}
    return await http_exception_handler(request, error)


async def not_found(request: Request, error: Exception) -> Response:
    """404: a page in the visitor's language for a browser on a tourist's address."""
    assert isinstance(error, HTTPException)
    if not is_public_page(request):
        return await http_exception_handler(request, error)
    if prefers_html(request):
        return not_found_page(request)
    response = await http_exception_handler(request, error)
    response.headers["Vary"] = VARY
    return response


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _status(error: Exception) -> int:
    if isinstance(error, StaffRefused):
        return error.status_code
    return next(STATUS_OF[cls] for cls in type(error).__mro__ if cls in STATUS_OF)


def _in_words(error: Exception, status: int) -> StaffRefused:
    """The refusal as a staff page says it: a message of ``admin_strings.yaml``, in the staff
    member's language."""
    if isinstance(error, StaffRefused):
        return error
    if isinstance(error, StaffMessageError):
        return StaffRefused(status, error.said.key, **error.said.values)
    if isinstance(error, StaleRevision):
        current = error.current
        return StaffRefused(
            status, "refused_stale", author=current.updated_by, revision=current.revision
        )
    if isinstance(error, UnknownSite):
        return StaffRefused(status, "unknown_site", key=error.key)
    if isinstance(error, UnknownRevision):
        return StaffRefused(status, "refused_unknown_revision", revision=error.number)
    if isinstance(error, UnknownAccount):
        return StaffRefused(status, "unknown_account", username=error.username)
    if isinstance(error, UnsupportedLanguage):
        return StaffRefused(status, "unknown_language", lang=error.code, languages=supported_list())
    return StaffRefused(status, "narration_failed", reason=str(error))


def _location(error: Exception) -> tuple[str, ...]:
    location: tuple[str, ...] = getattr(error, "location", REQUEST)
    return location


async def refused(request: Request, error: Exception) -> Response:
    """The answer to any refusal this module knows."""
    if isinstance(error, StaleRevision) and _is_api(request):
        report = StaleReport(detail=str(error), current=admin_site(error.current))
        return JSONResponse(report.model_dump(mode="json"), status_code=412)
    status = 409 if isinstance(error, StaleRevision) else _status(error)
    if isinstance(error, UnsupportedLanguage) and is_public_page(request):
        if prefers_html(request):
            return unsupported_language_page(request, error.code)
        answer = await validation_failed(request, invalid_input((_location(error), str(error))))
        answer.headers["Vary"] = VARY
        return answer
    if _is_api(request):
        # In English, the language of the API and the logs.
        headers = error.headers if isinstance(error, StaffRefused) else {}
        if status == 422:
            return await validation_failed(request, invalid_input((_location(error), str(error))))
        return JSONResponse({"detail": str(error)}, status, headers)
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(login_url(target), status_code=303)
    return refusal_page(request, _in_words(error, status))


def install(app: FastAPI) -> None:
    for error_class in (*STATUS_OF, StaleRevision, StaffRefused):
        app.add_exception_handler(error_class, refused)
    app.add_exception_handler(404, not_found)
    app.add_exception_handler(405, method_not_allowed)
