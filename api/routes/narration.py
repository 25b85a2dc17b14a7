"""The narration of each site per language, and its audio files.

Audio files are content-addressed (their name is a hash of what made them), so they never
change: they are served with a strong ETag and a year-long, immutable Cache-Control, and
answer Range requests (206) so that players can seek. Serving them counts nothing: the
player reports plays (``api.routes.plays``).
"""

import re
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi import Path as PathParameter
from fastapi.responses import FileResponse
from pydantic import BaseModel

from api.deps import LANGUAGE_CODE, AudioLibraryDep, StoreDep, public_site
from api.input_checks import invalid_input
from api.refusals import refusals
from narration.audio import FORMATS
from narration.library import AudioVersion
from sites_data.languages import LANGUAGE_CODES, UnsupportedLanguage, checked_language

router = APIRouter(tags=["narration"])

MEDIA_TYPES = {"mp3": "audio/mpeg", "opus": "audio/ogg; codecs=opus"}
IMMUTABLE = "public, max-age=31536000, immutable"
_DIGEST = re.compile(r"^[0-9a-f]{64}$")


class NarrationPublic(BaseModel):
    url: str
    opus_url: str
    duration_s: float
    origin: str
    engine: str
    transcript: str | None


def audio_url(version: AudioVersion, fmt: str = "mp3") -> str:
    return f"/audio/{version.site_key}/{version.lang}/{version.file_name(fmt)}"


def known_language(lang: str, where: tuple[str, ...] = ("path", "lang")) -> None:
    """A 422 naming the field (``where``) when the guide does not speak ``lang``."""
    try:
        checked_language(lang)
    except UnsupportedLanguage as error:
        raise invalid_input((where, str(error))) from None


@router.get("/api/sites/{key}/narration/{lang}", responses=refusals(404))
def get_narration(
    key: str,
    lang: Annotated[str, PathParameter(description="Language", json_schema_extra=LANGUAGE_CODE)],
    store: StoreDep,
    library: AudioLibraryDep,
) -> NarrationPublic:
    """The narration visitors hear for a site in a language: the audio URL (MP3; Opus too),
    its duration, who made it (a person's recording, or speech synthesis and its engine) and
    the text it speaks."""
    known_language(lang)
    public_site(store.catalogue(), key)
    version = library.current(key, lang)
    if version is None:
        raise HTTPException(
            status_code=404, detail=f"the narration of {key!r} in {lang!r} is not built yet"
        )
    return NarrationPublic(
        url=audio_url(version),
        opus_url=audio_url(version, "opus"),
        duration_s=version.duration_s,
        origin=version.origin,
        engine=version.engine,
        transcript=version.transcript,
    )


@router.get("/audio/{key}/{lang}/{name}", include_in_schema=False)
def audio_file(
    key: str,
    lang: str,
    name: str,
    request: Request,
    library: AudioLibraryDep,
) -> Response:
    digest, _, fmt = name.partition(".")
    # An audio URL names a file, which nginx serves from disk past one machine: anything
    # that is not one (whatever the language segment holds) is 404, as nginx would say.
    version = None
    if _DIGEST.match(digest) and fmt in FORMATS and lang in LANGUAGE_CODES:
        version = library.find(key, lang, digest)
    if version is None:
        raise HTTPException(status_code=404, detail=f"no narration audio {name!r} for {key!r}")
    etag = f'"{digest}"'
    headers = {"ETag": etag, "Cache-Control": IMMUTABLE}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    path: Path = library.file_path(digest, fmt)
    return FileResponse(path, media_type=MEDIA_TYPES[fmt], headers=headers)
