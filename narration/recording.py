"""Recordings made by people: checked, normalised and stored; they win over speech synthesis."""

import hashlib
import json
from pathlib import Path

from narration.audio import PIPELINE, Audio, AudioError, duration_s, normalise_and_encode
from narration.languages import narration_language
from narration.library import HUMAN, AudioLibrary, AudioVersion
from sites_data.schema import Site

RECORDING_ENGINE = "recording"
MIN_DURATION_S = 5.0
MAX_DURATION_S = 30 * 60.0


def recording_digest(data: bytes, site: Site, lang: str) -> str:
    inputs = {"recording": hashlib.sha256(data).hexdigest(), "title": site.name(lang)}
    canonical = json.dumps({**inputs, "audio": PIPELINE}, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def import_recording(
    library: AudioLibrary, site: Site, lang: str, source: Path, author: str
) -> AudioVersion:
    """Check a person's recording (it decodes, lasts 5 s to 30 min, is not silent), normalise
    it like every narration and make it the version visitors hear in ``lang``."""
    narration_language(lang)
    what = f"the recording {source.name}"
    try:
        data = source.read_bytes()
    except OSError as error:
        raise AudioError(f"{what} cannot be read: {error.strerror}") from None
    if not data:
        raise AudioError(f"{what} is empty")
    digest = recording_digest(data, site, lang)
    existing = library.find(site.key, lang, digest)
    if existing is not None:
        return library.select(existing)
    with library.work_dir() as work_dir:
        probed = work_dir / f"recording{source.suffix}"
        probed.write_bytes(data)
        length = duration_s(probed, what)
        if not MIN_DURATION_S <= length <= MAX_DURATION_S:
            raise AudioError(
                f"{what} lasts {length:.1f} s; a narration recording lasts "
                f"{MIN_DURATION_S:.0f} s to {MAX_DURATION_S / 60:.0f} minutes"
            )
        encoded = normalise_and_encode(
            Audio(data, source.suffix.lstrip(".") or "bin"),
            work_dir,
            title=site.name(lang),
            language_tag=narration_language(lang).iso3,
            what=what,
        )
        text = site.narration.get(lang)
        return library.publish(
            encoded,
            digest,
            site_key=site.key,
            lang=lang,
            origin=HUMAN,
            engine=RECORDING_ENGINE,
            voice=source.name,
            transcript=text.text if text else None,
            author=author,
        )
