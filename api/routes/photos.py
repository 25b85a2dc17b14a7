"""The photo files visitors see: every size in WebP and JPEG, named by its content."""

import re

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, Response

from api.deps import ServicesDep
from sites_data.photos import PHOTO_FORMATS

router = APIRouter(include_in_schema=False)

IMMUTABLE = "public, max-age=31536000, immutable"
MEDIA_TYPES = {"webp": "image/webp", "jpg": "image/jpeg"}
_PHOTO_ID = re.compile(r"[0-9a-f]{32}")
_SIZE_NAME = re.compile(r"[1-9][0-9]{0,4}")


@router.get("/photos/{photo_id}/{name}")
def photo_file(photo_id: str, name: str, request: Request, services: ServicesDep) -> Response:
    """One size of a photo; the address changes when the content does, so it never expires."""
    width, _, fmt = name.partition(".")
    path = services.photos.file_path(photo_id, name)
    if not (
        _PHOTO_ID.fullmatch(photo_id)
        and _SIZE_NAME.fullmatch(width)
        and fmt in PHOTO_FORMATS
        and path.is_file()
    ):
        raise HTTPException(status_code=404, detail=f"no photo {photo_id}/{name}")
    etag = f'"{photo_id}-{name}"'
    headers = {"ETag": etag, "Cache-Control": IMMUTABLE}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return FileResponse(path, media_type=MEDIA_TYPES[fmt], headers=headers)
