"""A site's photos changed on behalf of staff: add, replace (the file, the texts or both),
remove and reorder. The JSON API and the staff pages both go through these functions.

Each change is a new revision of the site (its ``photos`` field) with an audit entry, in
one transaction; the files are made first (``api.photos``), named by their content, so an
earlier revision restored shows its own photos again.
"""

from dataclasses import dataclass

from fastapi import UploadFile
from pydantic import BaseModel, TypeAdapter, ValidationError

from api.photos import KeptPhoto, PhotoLibrary
from api.services import Services
from api.staff.audit import Action, Actor
from api.staff.auth import StaffRefused
from sites_data.languages import LANGUAGE_CODES
from sites_data.photos import Photo, ShortText, looks_like_panorama
from sites_data.store import StoredSite


class PhotoFieldRefused(StaffRefused):
    """A field of the photo form that is missing or wrong (422, naming the field)."""

    def __init__(self, field: str, message_key: str, /, **values: object) -> None:
        super().__init__(422, message_key, **values)
        self.location = ("body", field)


class PhotoForm(BaseModel):
    """What staff say of a photo, as the upload form's fields."""

    credit: str = ""
    licence: str = ""
    panorama: bool | None = None
    alt_vi: str = ""
    alt_en: str = ""
    alt_zh: str = ""
    alt_ko: str = ""
    alt_ja: str = ""
    alt_fr: str = ""
    alt_ru: str = ""
    alt_de: str = ""
    caption_vi: str = ""
    caption_en: str = ""
    caption_zh: str = ""
    caption_ko: str = ""
    caption_ja: str = ""
    caption_fr: str = ""
    caption_ru: str = ""
    caption_de: str = ""

    def per_language(self, prefix: str) -> dict[str, str]:
        texts = {lang: str(getattr(self, f"{prefix}_{lang}")).strip() for lang in LANGUAGE_CODES}
        return {lang: text for lang, text in texts.items() if text}


@dataclass(frozen=True)
class PhotoTexts:
    credit: str
    licence: str
    alt: dict[str, str]
    caption: dict[str, str]
    panorama: bool | None


def photo_texts(form: PhotoForm) -> PhotoTexts:
    """The form's texts, or a refusal naming the first required field left empty."""
    texts = PhotoTexts(
        credit=form.credit.strip(),
        licence=form.licence.strip(),
        alt=form.per_language("alt"),
        caption=form.per_language("caption"),
        panorama=form.panorama,
    )
    if not texts.credit:
        raise PhotoFieldRefused("credit", "photo_need_credit")
    if not texts.licence:
        raise PhotoFieldRefused("licence", "photo_need_licence")
    if not texts.alt:
        raise PhotoFieldRefused("alt_vi", "photo_need_alt")
    named = {"credit": texts.credit, "licence": texts.licence}
    named |= {f"alt_{lang}": text for lang, text in texts.alt.items()}
    named |= {f"caption_{lang}": text for lang, text in texts.caption.items()}
    for field, text in named.items():
        try:
            _SHORT_TEXT.validate_python(text)
        except ValidationError as error:
            reason = error.errors()[0]["msg"]
            raise PhotoFieldRefused(
                field, "photo_field_invalid", field=field, reason=reason
            ) from None
    return texts


_SHORT_TEXT: TypeAdapter[str] = TypeAdapter(ShortText)


def _photo(kept: KeptPhoto, texts: PhotoTexts, panorama: bool) -> Photo:
    document = {
        "id": kept.id,
        "width": kept.width,
        "height": kept.height,
        "widths": kept.widths,
        "panorama": panorama,
        "credit": texts.credit,
        "licence": texts.licence,
        "alt": texts.alt,
        "caption": texts.caption,
    }
    try:
        return Photo.model_validate(document)
    except ValidationError as error:
        detail = error.errors()[0]
        location = [str(part) for part in detail["loc"]]
        field = "_".join(location[:2]) if location[0] in ("alt", "caption") else location[0]
        reason = detail["msg"].removeprefix("Value error, ")
        raise PhotoFieldRefused(field, "photo_field_invalid", field=field, reason=reason) from None


def _keep_file(
    services: Services, upload: UploadFile, panorama: bool | None
) -> tuple[KeptPhoto, bool]:
    settings = services.settings
    library: PhotoLibrary = services.photos
    return library.keep(
        upload.file,
        upload.filename or "The file",
        max_bytes=int(settings.photo_max_mb * 1_000_000),
        max_pixels=int(settings.photo_max_megapixels * 1_000_000),
        panorama=panorama,
    )


def _index_of(stored: StoredSite, photo_id: str) -> int:
    for index, photo in enumerate(stored.site.photos):
        if photo.id == photo_id:
            return index
    raise StaffRefused(404, "photo_unknown", key=stored.site.key, photo=photo_id)


def _save(
    services: Services,
    actor: Actor,
    stored: StoredSite,
    photos: list[Photo],
    based_on: int | None,
    change: str,
    details: dict[str, object],
) -> StoredSite:
    site = stored.site.model_copy(update={"photos": photos})
    revision = stored.revision if based_on is None else based_on
    saved = services.store.update(site, revision, actor.username, f"photo_{change}")
    services.audit.record(
        actor,
        Action.PHOTO,
        stored.site.key,
        {"change": change, **details, "revision": saved.revision},
    )
    return saved


def _file_details(kept: KeptPhoto, upload: UploadFile) -> dict[str, object]:
    return {
        "photo": kept.id,
        "file": upload.filename,
        "bytes": kept.source_bytes,
        "format": kept.source_format,
        "widths": kept.widths,
    }


@dataclass(frozen=True)
class PhotoChange:
    saved: StoredSite
    photo: Photo
    shaped_like_panorama: bool


def add_photo(
    services: Services,
    actor: Actor,
    key: str,
    upload: UploadFile,
    texts: PhotoTexts,
    based_on: int | None = None,
) -> PhotoChange:
    """A new photo at the end of the site's photos. Without ``based_on`` it is added to
    whatever revision is current; with it, refused (``StaleRevision``) when that is not."""
    services.store.get(key)
    kept, shaped = _keep_file(services, upload, texts.panorama)
    photo = _photo(kept, texts, bool(texts.panorama))
    with services.database.transaction():
        stored = services.store.get(key)
        if any(existing.id == photo.id for existing in stored.site.photos):
            raise StaffRefused(409, "photo_already_there", key=key)
        photos = [*stored.site.photos, photo]
        saved = _save(services, actor, stored, photos, based_on, "add", _file_details(kept, upload))
    return PhotoChange(saved, photo, shaped)


def replace_photo(
    services: Services,
    actor: Actor,
    key: str,
    photo_id: str,
    upload: UploadFile | None,
    texts: PhotoTexts,
    based_on: int,
) -> PhotoChange:
    """The photo's texts, and its file when one is sent, in the same place among the photos."""
    stored = services.store.get(key)
    old = stored.site.photos[_index_of(stored, photo_id)]
    if upload is not None and upload.filename:
        kept, shaped = _keep_file(services, upload, texts.panorama)
        panorama, details = bool(texts.panorama), _file_details(kept, upload)
    else:
        kept = KeptPhoto(old.id, old.width, old.height, old.widths, "", 0)
        shaped = looks_like_panorama(old.width, old.height)
        panorama = old.panorama if texts.panorama is None else texts.panorama
        details = {"photo": old.id}
    photo = _photo(kept, texts, panorama)
    with services.database.transaction():
        stored = services.store.get(key)
        index = _index_of(stored, photo_id)
        photos = list(stored.site.photos)
        photos[index] = photo
        if sum(1 for existing in photos if existing.id == photo.id) > 1:
            raise StaffRefused(409, "photo_already_there", key=key)
        saved = _save(
            services, actor, stored, photos, based_on, "replace", {"replaced": old.id, **details}
        )
    return PhotoChange(saved, photo, shaped)


def remove_photo(
    services: Services, actor: Actor, key: str, photo_id: str, based_on: int
) -> StoredSite:
    """The photo leaves the site's pages; its files stay for the revisions that show it."""
    with services.database.transaction():
        stored = services.store.get(key)
        index = _index_of(stored, photo_id)
        photos = [photo for number, photo in enumerate(stored.site.photos) if number != index]
        return _save(services, actor, stored, photos, based_on, "remove", {"photo": photo_id})


def reorder_photos(
    services: Services, actor: Actor, key: str, order: list[str], based_on: int
) -> StoredSite:
    """The photos in the order given, which must list each of them once; the first leads."""
    with services.database.transaction():
        stored = services.store.get(key)
        by_id = {photo.id: photo for photo in stored.site.photos}
        if sorted(order) != sorted(by_id):
            raise PhotoFieldRefused("order", "photo_order_mismatch", photos=", ".join(by_id) or "—")
        photos = [by_id[photo_id] for photo_id in order]
        return _save(services, actor, stored, photos, based_on, "order", {"order": order})


def move_photo(
    services: Services, actor: Actor, key: str, photo_id: str, step: int, based_on: int
) -> StoredSite:
    """One place earlier (``step`` -1) or later (+1) among the site's photos."""
    with services.database.transaction():
        stored = services.store.get(key)
        order = [photo.id for photo in stored.site.photos]
        index = _index_of(stored, photo_id)
        target = min(max(index + step, 0), len(order) - 1)
        order.insert(target, order.pop(index))
        return reorder_photos(services, actor, key, order, based_on)
