"""The JSON admin API's narration: machine drafts of the missing languages, and every
version of a site's audio."""

from fastapi import APIRouter, HTTPException, Request

from api.deps import StoreDep
from api.errors import refusals
from api.staff.api_models import AudioVersionPublic, MachineDraftsPublic
from api.staff.auth import CurrentStaff, ServicesDep, client_address
from api.staff.narration import NarrationDep, draft_missing_languages
from narration.errors import NarrationError
from sites_data.store import UnknownSite

router = APIRouter(prefix="/sites/{key}")


def _unknown(key: str) -> HTTPException:
    return HTTPException(status_code=404, detail=f"no site has the key {key!r}")


@router.post("/translate", responses=refusals(404, 409))
def translate_missing_languages(
    key: str,
    request: Request,
    staff: CurrentStaff,
    services: ServicesDep,
    narration: NarrationDep,
) -> MachineDraftsPublic:
    """Machine translations for the languages the site lacks, saved with origin ``machine``
    (never over a person's text); the narration of each drafted language is queued to be
    rebuilt. Languages that could not be translated are listed with the reason."""
    try:
        report = draft_missing_languages(services, narration, staff, key, client_address(request))
    except UnknownSite:
        raise _unknown(key) from None
    except NarrationError as error:
        raise HTTPException(status_code=409, detail=str(error)) from None
    return MachineDraftsPublic.of(report)


@router.get("/audio", responses=refusals(404))
def audio_versions(
    key: str, _staff: CurrentStaff, store: StoreDep, narration: NarrationDep
) -> dict[str, list[AudioVersionPublic]]:
    """Per language, every recorded or built version of the narration, the one visitors hear
    first (``current``)."""
    try:
        store.get(key)
    except UnknownSite:
        raise _unknown(key) from None
    return {
        lang: [AudioVersionPublic.of(version, index == 0) for index, version in enumerate(versions)]
        for lang, versions in narration.versions(key).items()
    }
