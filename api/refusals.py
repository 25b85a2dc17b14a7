"""What a refusal looks like, and how the OpenAPI schema documents it.

Every refusal is ``{"detail": "..."}``: a sentence saying what is wrong and what to do.
Input that breaks a rule (422) is the one exception, and it is FastAPI's own shape: a list of
problems, each naming its field (``api.input_checks``). Routes document their refusals with
``responses=refusals(404, ...)``; ``api.errors`` gives the answers.
"""

from typing import Any

from pydantic import BaseModel, Field


class ErrorReport(BaseModel):
    detail: str = Field(description="What is wrong, and what to do about it")


REASONS = {
    400: "A header that cannot be read",
    401: "Sign in first (staff only)",
    403: "Refused: no valid CSRF token (X-CSRF-Token) on a change, an admin's route, "
    "or a sign-in from another site",
    404: "Not found",
    409: "The change conflicts with the data as it is",
    411: "The upload has no Content-Length",
    413: "The request body is too large",
    415: "The upload is not audio the guide can read",
    428: "Send If-Match with the revision you edited",
    429: "Too many failed sign-ins; see Retry-After",
    503: "A part the guide needs is unavailable: the assistant, or the database for writes",
}

Responses = dict[int | str, dict[str, Any]]


def refusals(*codes: int) -> Responses:
    """The documentation of these refusals, for a route's or a router's ``responses=``."""
    return {code: {"model": ErrorReport, "description": REASONS[code]} for code in codes}
