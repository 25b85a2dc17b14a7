"""The JSON admin API's photos of a site: upload, replace, remove, reorder.

Uploads are multipart: the file in ``photo``, then ``credit``, ``licence`` (both required),
``alt_<lang>`` (one language at least) and ``caption_<lang>``, and ``panorama`` (true or
false; a photo twice as wide as high is refused until it is said). Each change is a
revision of the site; ``ETag`` is the new revision.
"""

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.deps import CurrentStaff, ServicesDep, StaffActor
from api.refusals import refusals
from api.routes.if_match import IfMatch, optional_revision, revision_from_if_match
from api.staff import photo_edits
from api.staff.api_models import SITE_CHANGE_REFUSALS
from sites_data.photos import PHOTO_FORMATS, Photo
from sites_data.store import StoredSite

router = APIRouter(prefix="/sites/{key}/photos")

PhotoFormDep = Annotated[photo_edits.PhotoForm, Form()]
UPLOAD_REFUSALS = {**SITE_CHANGE_REFUSALS, **refusals(411, 413, 415)}


class PhotoPublic(BaseModel):
    id: str
    width: int
    height: int
    panorama: bool
    credit: str
    licence: str
    alt: dict[str, str]
    caption: dict[str, str]
    srcset: dict[str, str]
    largest: str

    @classmethod
    def of(cls, photo: Photo) -> "PhotoPublic":
        return cls(
            id=photo.id,
            width=photo.width,
            height=photo.height,
            panorama=photo.panorama,
            credit=photo.credit,
            licence=photo.licence,
            alt=photo.alt,
            caption=photo.caption,
            srcset={fmt: photo.srcset(fmt) for fmt in PHOTO_FORMATS},
            largest=photo.url(photo.width),
        )


class PhotoSaved(BaseModel):
    revision: int
    photo: PhotoPublic
    shaped_like_panorama: bool


class PhotoOrder(BaseModel):
    order: list[str]


def _saved(change: photo_edits.PhotoChange, status_code: int) -> JSONResponse:
    body = PhotoSaved(
        revision=change.saved.revision,
        photo=PhotoPublic.of(change.photo),
        shaped_like_panorama=change.shaped_like_panorama,
    )
    return JSONResponse(
        body.model_dump(mode="json"),
        status_code=status_code,
        headers={"ETag": f'"{change.saved.revision}"'},
    )


def _photos(stored: StoredSite) -> JSONResponse:
    photos = [PhotoPublic.of(photo).model_dump(mode="json") for photo in stored.site.photos]
    return JSONResponse(photos, headers={"ETag": f'"{stored.revision}"'})


@router.get("", response_model=list[PhotoPublic], responses=refusals(404))
def photos(key: str, _staff: CurrentStaff, services: ServicesDep) -> JSONResponse:
    """The site's photos in their order (the first leads); ``ETag`` is the site's revision."""
    return _photos(services.store.get(key))


@router.post("", status_code=201, response_model=PhotoSaved, responses=UPLOAD_REFUSALS)
def upload_photo(
    key: str,
    actor: StaffActor,
    services: ServicesDep,
    photo: Annotated[UploadFile, File(description="JPEG, PNG, WebP or HEIC")],
    form: PhotoFormDep,
    if_match: IfMatch = None,
) -> JSONResponse:
    """A photo added after the site's others: turned upright, every metadata removed (GPS
    position, camera, profile), made in several widths as WebP and JPEG. ``If-Match`` is
    optional: without it the photo is added to the current revision."""
    texts = photo_edits.photo_texts(form)
    change = photo_edits.add_photo(services, actor, key, photo, texts, optional_revision(if_match))
    return _saved(change, 201)


@router.post("/{photo_id}", response_model=PhotoSaved, responses=UPLOAD_REFUSALS)
def replace_photo(
    key: str,
    photo_id: str,
    actor: StaffActor,
    services: ServicesDep,
    form: PhotoFormDep,
    photo: Annotated[UploadFile | None, File(description="A new file; none keeps it")] = None,
    if_match: IfMatch = None,
) -> JSONResponse:
    """The photo's texts (all of them, as on upload), and its file when one is sent."""
    based_on = revision_from_if_match(if_match)
    texts = photo_edits.photo_texts(form)
    change = photo_edits.replace_photo(services, actor, key, photo_id, photo, texts, based_on)
    return _saved(change, 200)


@router.delete("/{photo_id}", response_model=list[PhotoPublic], responses=SITE_CHANGE_REFUSALS)
def remove_photo(
    key: str, photo_id: str, actor: StaffActor, services: ServicesDep, if_match: IfMatch = None
) -> JSONResponse:
    """The photo leaves the site's pages (its files stay for the revisions that show it)."""
    based_on = revision_from_if_match(if_match)
    return _photos(photo_edits.remove_photo(services, actor, key, photo_id, based_on))


@router.put("", response_model=list[PhotoPublic], responses=SITE_CHANGE_REFUSALS)
def reorder_photos(
    key: str, body: PhotoOrder, actor: StaffActor, services: ServicesDep, if_match: IfMatch = None
) -> JSONResponse:
    """The photos in a new order: every photo id once; the first leads."""
    based_on = revision_from_if_match(if_match)
    return _photos(photo_edits.reorder_photos(services, actor, key, body.order, based_on))
