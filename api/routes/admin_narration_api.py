"""The JSON admin API's narration: machine drafts of the missing languages, and every
version of a site's audio."""

from fastapi import APIRouter

from api.deps import CurrentStaff, NarrationDep, ServicesDep, StaffActor, StoreDep
from api.refusals import refusals
from api.staff import editing
from api.staff.api_models import AudioVersionPublic, MachineDraftsPublic

router = APIRouter(prefix="/sites/{key}")


@router.post("/translate", status_code=202, responses=refusals(404))
def translate_missing_languages(
    key: str, actor: StaffActor, services: ServicesDep
) -> MachineDraftsPublic:
    """Queue machine translations for the languages the site lacks; the worker saves them
    with origin ``machine`` (never over a person's text) and queues their narration. Each
    language is a job of the site (``/jobs``), failed with the reason when it could not be
    translated."""
    return MachineDraftsPublic.of(editing.queue_machine_drafts(services, actor, key))


@router.get("/audio", responses=refusals(404))
def audio_versions(
    key: str, _staff: CurrentStaff, store: StoreDep, narration: NarrationDep
) -> dict[str, list[AudioVersionPublic]]:
    """Per language, every recorded or built version of the narration, the one visitors hear
    first (``current``)."""
    store.get(key)
    return {
        lang: [AudioVersionPublic.of(version, index == 0) for index, version in enumerate(versions)]
        for lang, versions in narration.versions(key).items()
    }
