"""The photo forms of a site's staff page: add, change (texts or file), move, remove.

Each goes through ``api.staff.photo_edits`` like the JSON API, and comes back to the
site's page; a refusal is a page saying why (``api.errors``).
"""

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import RedirectResponse, Response

from api.deps import ServicesDep, StaffActor
from api.input_checks import StoredId
from api.staff import photo_edits
from sites_data.languages import checked_language

router = APIRouter()

PhotoFormDep = Annotated[photo_edits.PhotoForm, Form()]
BasedOn = Annotated[StoredId, Form()]


def _back_to_photos(key: str, lang: str) -> RedirectResponse:
    return RedirectResponse(
        f"/admin/sites/{key}?lang={checked_language(lang)}&saved=1#photos", status_code=303
    )


@router.post("/sites/{key}/photos")
def add_photo(
    key: str,
    actor: StaffActor,
    services: ServicesDep,
    photo: Annotated[UploadFile, File()],
    form: PhotoFormDep,
    based_on: BasedOn,
    lang: str = "vi",
) -> Response:
    """A new photo after the site's others."""
    texts = photo_edits.photo_texts(form)
    photo_edits.add_photo(services, actor, key, photo, texts, based_on)
    return _back_to_photos(key, lang)


@router.post("/sites/{key}/photos/{photo_id}")
def change_photo(
    key: str,
    photo_id: str,
    actor: StaffActor,
    services: ServicesDep,
    form: PhotoFormDep,
    based_on: BasedOn,
    photo: Annotated[UploadFile | None, File()] = None,
    lang: str = "vi",
) -> Response:
    """The photo's texts, and its file when one is chosen."""
    texts = photo_edits.photo_texts(form)
    photo_edits.replace_photo(services, actor, key, photo_id, photo, texts, based_on)
    return _back_to_photos(key, lang)


@router.post("/sites/{key}/photos/{photo_id}/move")
def move_photo(
    key: str,
    photo_id: str,
    actor: StaffActor,
    services: ServicesDep,
    based_on: BasedOn,
    step: Annotated[int, Form(ge=-1, le=1)] = 0,
    lang: str = "vi",
) -> Response:
    """One place earlier (``step`` -1) or later (1)."""
    photo_edits.move_photo(services, actor, key, photo_id, step, based_on)
    return _back_to_photos(key, lang)


@router.post("/sites/{key}/photos/{photo_id}/remove")
def remove_photo(
    key: str,
    photo_id: str,
    actor: StaffActor,
    services: ServicesDep,
    based_on: BasedOn,
    lang: str = "vi",
) -> Response:
    """The photo leaves the site's pages; its files stay for the earlier revisions."""
    photo_edits.remove_photo(services, actor, key, photo_id, based_on)
    return _back_to_photos(key, lang)
