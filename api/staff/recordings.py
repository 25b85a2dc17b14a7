"""Checking a recording staff upload: not too large, and really audio (decoded by ffprobe),
then handing it to the narration, which keeps it as the version visitors hear.

A file is refused with the reason before anything is kept: too large (413), not audio
that ffprobe can decode (415), or audio the narration will not use, e.g. silent or shorter
than it needs (422).
"""

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from fastapi import UploadFile
from pydantic import BaseModel

from api.settings import Settings
from api.staff.auth import StaffRefused
from narration.audio import AudioError
from narration.library import AudioVersion
from sites_data.languages import checked_language

CHUNK_BYTES = 1024 * 1024
FFPROBE_TIMEOUT_S = 60
MIN_DURATION_S = 1.0


@dataclass(frozen=True)
class CheckedRecording:
    path: Path  # a temporary copy, deleted by the caller
    filename: str
    size_bytes: int
    format_name: str
    codec: str
    duration_s: float


class RecordingRefused(StaffRefused):
    """An upload that is not kept: too large (413), not audio (415), or unusable (422)."""

    location = ("body", "recording")


class RecordingLibrary(Protocol):
    """Where checked recordings go: the narration's audio store, which serves them to tourists."""

    def import_recording(
        self, site_key: str, lang: str, source: Path, author: str
    ) -> AudioVersion: ...


def _megabytes(size: float) -> str:
    return f"{size / 1_000_000:g} MB"


def _copy_limited(source: BinaryIO, target: Path, filename: str, max_bytes: int) -> int:
    size = 0
    with target.open("wb") as copy:
        while chunk := source.read(CHUNK_BYTES):
            size += len(chunk)
            if size > max_bytes:
                raise RecordingRefused(
                    413, "recording_too_large", filename=filename, size=_megabytes(max_bytes)
                )
            copy.write(chunk)
    return size


class _Stream(BaseModel):
    codec_name: str = ""
    nb_read_frames: int = 0


class _Format(BaseModel):
    format_name: str = ""
    duration: float = 0.0


class _Probe(BaseModel):
    """The part of ffprobe's JSON report the check reads."""

    streams: list[_Stream] = []
    format: _Format = _Format()


def _probe(path: Path, filename: str) -> _Probe:
    """Decode the first audio stream to the end and report what ffprobe found."""
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        raise RecordingRefused(503, "recording_no_ffprobe")
    command = [
        ffprobe, "-v", "error", "-count_frames", "-select_streams", "a:0",
        "-show_entries", "format=format_name,duration:stream=codec_name,nb_read_frames",
        "-of", "json", str(path),
    ]  # fmt: skip
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=FFPROBE_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired:
        raise RecordingRefused(415, "recording_too_slow", filename=filename) from None
    probe = _Probe.model_validate_json(result.stdout or "{}")
    if result.returncode != 0 or not probe.streams:
        reason = result.stderr.strip().splitlines()[-1:] or ["it holds no sound"]
        raise RecordingRefused(415, "recording_not_audio", filename=filename, reason=reason[0])
    if probe.streams[0].nb_read_frames == 0 or probe.format.duration < MIN_DURATION_S:
        raise RecordingRefused(
            415, "recording_too_short", filename=filename, seconds=f"{MIN_DURATION_S:g}"
        )
    return probe


def _copy_name(filename: str) -> str:
    """The upload's own file name, without any folder: the narration names the file by it."""
    name = Path(filename).name
    return name if name not in ("", ".", "..") else "recording"


def check_recording(source: BinaryIO, filename: str, max_bytes: int) -> CheckedRecording:
    """A temporary copy of the upload, once it is known to be audio of a sensible size."""
    folder = Path(tempfile.mkdtemp(prefix="guide-recording-"))
    path = folder / _copy_name(filename)
    try:
        size = _copy_limited(source, path, filename, max_bytes)
        probe = _probe(path, filename)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return CheckedRecording(
        path=path,
        filename=filename,
        size_bytes=size,
        format_name=probe.format.format_name,
        codec=probe.streams[0].codec_name,
        duration_s=probe.format.duration,
    )


def discard(recording: CheckedRecording) -> None:
    shutil.rmtree(recording.path.parent, ignore_errors=True)


@dataclass(frozen=True)
class AcceptedRecording:
    checked: CheckedRecording
    version: AudioVersion


def accept_recording(
    library: RecordingLibrary,
    upload: UploadFile,
    settings: Settings,
    site_key: str,
    lang: str,
    author: str,
) -> AcceptedRecording:
    """Check an upload, then hand it to the narration, which makes it the version visitors
    hear; the temporary copy is removed either way."""
    checked_language(lang)
    filename = upload.filename or "The file"
    max_bytes = int(settings.recording_max_mb * 1_000_000)
    checked = check_recording(upload.file, filename, max_bytes)
    try:
        version = library.import_recording(site_key, lang, checked.path, author)
    except AudioError as error:
        reason = str(error)
        raise RecordingRefused(
            422, "recording_not_kept", reason=f"{reason[:1].upper()}{reason[1:]}"
        ) from None
    finally:
        discard(checked)
    return AcceptedRecording(checked, version)


def upload_details(accepted: AcceptedRecording) -> dict[str, object]:
    """What the audit log keeps about an upload."""
    checked, version = accepted.checked, accepted.version
    return {
        "file": checked.filename,
        "bytes": checked.size_bytes,
        "format": checked.format_name,
        "codec": checked.codec,
        "seconds": round(checked.duration_s, 1),
        "digest": version.digest,
        "loudness_lufs": round(version.loudness_lufs, 1),
    }
