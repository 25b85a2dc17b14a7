"""Narration plays, reported by the QR page's player once per page view when playback starts.

Serving an audio file counts nothing: players fetch a file many times (ranges, seeks,
reloads) and some clients fetch it in a loop. Staff listening to check a narration is
not counted. A play that cannot be counted is answered with a 503; the player ignores
the answer, so the narration plays on whatever happens here.
"""

import logging
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from pydantic import BaseModel
from sqlalchemy.exc import SQLAlchemyError

from api.deps import (
    LANGUAGE_CODE,
    ActivityDep,
    AudioLibraryDep,
    PlayLimiterDep,
    ServicesDep,
    StoreDep,
    public_site,
)
from api.play_limits import Verdict
from api.refusals import refusals
from api.routes.narration import known_language
from api.staff.auth import SESSION_COOKIE, client_address
from sites_data.activity import Counted

router = APIRouter(tags=["narration"])
log = logging.getLogger(__name__)

VIEW_PATTERN = r"^[A-Za-z0-9_-]{8,64}$"


class PlayCounted(BaseModel):
    counted: bool
    reason: str | None = None


@router.post("/api/plays", responses=refusals(404, 413, 429, 503))
def count_play(
    request: Request,
    site: Annotated[str, Form(min_length=1, max_length=100, description="The site's key")],
    lang: Annotated[
        str,
        Form(description="The language of the narration", json_schema_extra=LANGUAGE_CODE),
    ],
    view: Annotated[
        str, Form(pattern=VIEW_PATTERN, description="A random id of the page view, 8-64 chars")
    ],
    store: StoreDep,
    library: AudioLibraryDep,
    staff: ServicesDep,
    limiter: PlayLimiterDep,
    plays: ActivityDep,
) -> PlayCounted:
    """Count one play of a site's narration in a language (the QR page sends it once per
    page view, when playback starts). Sent again for the same view, by a signed-in staff
    member, or more often than people listen from one address, it is not counted."""
    known_language(lang, ("body", "lang"))
    public_site(store.catalogue(), site)
    if library.current(site, lang) is None:
        raise HTTPException(
            status_code=404, detail=f"the narration of {site!r} in {lang!r} is not built yet"
        )
    token = request.cookies.get(SESSION_COOKIE)
    if token and staff.sessions.find(token) is not None:
        return PlayCounted(counted=False, reason="plays by signed-in staff are not counted")
    verdict = limiter.judge(client_address(request), view, site, lang)
    if verdict == Verdict.TOO_MANY:
        raise HTTPException(
            status_code=429,
            detail=f"more than {limiter.limits.per_address} plays reported from this address "
            f"in {limiter.limits.window_s / 60:g} minutes; try again later",
            headers={"Retry-After": str(limiter.retry_after_s())},
        )
    if verdict == Verdict.SEEN:
        return PlayCounted(counted=False, reason="this page view's play was counted already")
    try:
        plays.count(Counted.PLAY, lang, site)
    except (SQLAlchemyError, RuntimeError) as error:
        log.warning("could not count a play of %s in %s: %s", site, lang, error)
        raise HTTPException(
            status_code=503,
            detail="the play could not be counted: the database does not accept writes now",
        ) from None
    return PlayCounted(counted=True)
