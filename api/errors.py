"""One answer per refusal, and how the OpenAPI schema documents it.

The errors of the knowledge base and of staff actions are mapped to a status here, and
answered as JSON under ``/api/`` and as a page (or a redirect to sign in) elsewhere. Routes
and actions raise these errors and never build the refusal themselves.
The shape of each refusal, and its documentation, is ``api.refusals``.
"""

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException
from starlette.routing import Match

from api.input_checks import invalid_input, validation_failed
from api.language import UNSUPPORTED_LANGUAGE_STATUS
from api.staff.accounts import AccountError, RefusedPassword, RefusedUsername, UnknownAccount
from api.staff.api_models import StaleReport, admin_site
from api.staff.auth import StaffRefused
from api.staff.editing import EditRefused
from api.staff.rendering import login_url, refusal_page
from narration.errors import NarrationError
from sites_data.languages import UnsupportedLanguage
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


def _sentence(message: str) -> str:
    """A knowledge-base message ("no site has the key …") as a page shows it: a capital
    first letter and a full stop. Staff refusals are written as sentences already."""
    message = message[:1].upper() + message[1:]
    return message if message.endswith((".", "?", "!")) else f"{message}."


def _stale_message(error: StaleRevision) -> str:
    return (
        f"{error.current.updated_by} saved this site in the meantime (it is now at revision "
        f"{error.current.revision}); open it again and repeat your change."
    )


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def refused(request: Request, error: Exception) -> Response:
    """The answer to any refusal this module knows."""
    if isinstance(error, StaleRevision):
        if _is_api(request):
            report = StaleReport(detail=str(error), current=admin_site(error.current))
            return JSONResponse(report.model_dump(mode="json"), status_code=412)
        refusal = StaffRefused(409, _stale_message(error))
    elif isinstance(error, StaffRefused):
        refusal = error
    else:
        status = next(STATUS_OF[cls] for cls in type(error).__mro__ if cls in STATUS_OF)
        message = str(error)
        refusal = StaffRefused(status, message if _is_api(request) else _sentence(message))
    if _is_api(request) and refusal.status_code == 422:
        location = getattr(error, "location", REQUEST)
        return await validation_failed(request, invalid_input((location, refusal.message)))
    if _is_api(request):
        return JSONResponse({"detail": refusal.message}, refusal.status_code, refusal.headers)
    if refusal.status_code == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(login_url(target), status_code=303)
    return refusal_page(request, refusal)


def install(app: FastAPI) -> None:
    for error_class in (*STATUS_OF, StaleRevision, StaffRefused):
        app.add_exception_handler(error_class, refused)
    app.add_exception_handler(405, method_not_allowed)
