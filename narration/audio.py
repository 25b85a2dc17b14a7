"""Audio post-processing with ffmpeg: decode checks, loudness normalisation, MP3 and Opus.

Every file leaves here mono, at -16 LUFS integrated (±1) with a true peak of at most -1 dBTP,
tagged with its title and language. Loudness is measured (EBU R128) with ffmpeg's ``ebur128``
filter, before the gain is set and again on each encoded file. The gain is linear, as in
``loudnorm``'s second pass; a peak limiter first makes room for it where speech peaks would
otherwise clip (``loudnorm`` itself then falls back to dynamic compression and misses the
target by up to a decibel).
"""

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from narration.errors import NarrationError

TARGET_LUFS = -16.0
LUFS_TOLERANCE = 1.0
MAX_TRUE_PEAK_DB = -1.0
# Lossy encoders raise peaks by up to a decibel or so: normalise to a lower ceiling than the
# one promised.
NORMALISE_TRUE_PEAK_DB = -2.5
ENCODER_CORRECTION_LU = 0.5
ENCODE_ATTEMPTS = 3
SILENT_BELOW_LUFS = -60.0
LIMITER_ATTEMPTS = 6
SAMPLE_RATE = 48_000
MP3_BITRATE = "64k"
# Lower Opus rates overshoot the true peak of synthetic speech by up to 3 dB; unconstrained
# VBR doubles the rate on espeak-ng's buzzy voices.
OPUS_BITRATE = "64k"
# Everything that shapes the files; part of each file's content address.
PIPELINE = {
    "version": 2,
    "lufs": TARGET_LUFS,
    "true_peak": NORMALISE_TRUE_PEAK_DB,
    "rate": SAMPLE_RATE,
    "mp3": MP3_BITRATE,
    "opus": OPUS_BITRATE,
}
FORMATS = ("mp3", "opus")


class AudioError(NarrationError):
    """Audio that cannot be used: it does not decode, is silent, or cannot be normalised."""


@dataclass(frozen=True)
class Audio:
    """Encoded sound as an engine returns it, in any container ffmpeg reads (``wav``, ``mp3``…)."""

    data: bytes
    format: str


@dataclass(frozen=True)
class Loudness:
    integrated_lufs: float
    true_peak_db: float

    def within_target(self) -> bool:
        return (
            abs(self.integrated_lufs - TARGET_LUFS) <= LUFS_TOLERANCE
            and self.true_peak_db <= MAX_TRUE_PEAK_DB
        )

    def __str__(self) -> str:
        return f"{self.integrated_lufs:.1f} LUFS, true peak {self.true_peak_db:.1f} dBTP"


@dataclass(frozen=True)
class EncodedAudio:
    """The normalised files (MP3 and Opus) in a work folder, ready to be published."""

    files: dict[str, Path]
    duration_s: float
    loudness: Loudness


def _run(command: list[str], what: str) -> subprocess.CompletedProcess[str]:
    program = command[0]
    if shutil.which(program) is None:
        raise AudioError(f"{program} is not installed; run `make setup` (Debian package ffmpeg)")
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["no error message"])[-1]
        for argument in command:  # work files mean nothing to the reader
            reason = reason.replace(f"{argument}: ", "")
        raise AudioError(f"{what}: {program} failed: {reason}")
    return result


def duration_s(path: Path, what: str) -> float:
    """The duration ffprobe reads from the file; a file that does not decode is refused."""
    result = _run(
        [
            "ffprobe",
            "-v",
            "error",
            "-select_streams",
            "a:0",
            "-show_entries",
            "format=duration:stream=codec_type",
            "-of",
            "json",
            str(path),
        ],
        f"{what} does not decode as audio",
    )
    info = json.loads(result.stdout or "{}")
    if not info.get("streams"):
        raise AudioError(f"{what} holds no audio stream")
    try:
        return float(info["format"]["duration"])
    except (KeyError, ValueError):
        raise AudioError(f"{what}: ffprobe cannot tell its duration") from None


def decode(source: Path, target: Path, what: str) -> None:
    """Decode the whole file to mono PCM at 48 kHz: a file that is corrupt anywhere fails here."""
    _run(
        [
            "ffmpeg",
            "-nostdin",
            "-hide_banner",
            "-v",
            "error",
            "-xerror",
            "-i",
            str(source),
            "-vn",
            "-ac",
            "1",
            "-ar",
            str(SAMPLE_RATE),
            "-c:a",
            "pcm_f32le",
            "-y",
            str(target),
        ],
        f"{what} does not decode as audio",
    )


def measure(path: Path, filters: str = "") -> Loudness:
    """EBU R128 integrated loudness and true peak of a file, after optional ``filters``."""
    chain = f"{filters}," if filters else ""
    result = _run(
        [
            "ffmpeg",
            "-nostdin",
            "-hide_banner",
            "-nostats",
            "-i",
            str(path),
            "-af",
            f"{chain}ebur128=peak=true",
            "-f",
            "null",
            "-",
        ],
        f"measuring the loudness of {path.name}",
    )
    summary = result.stderr.rpartition("Summary:")[2]
    integrated = re.search(r"I:\s+(-?(?:inf|[\d.]+)) LUFS", summary)
    peak = re.search(r"True peak:\s+Peak:\s+(-?(?:inf|[\d.]+)) dBFS", summary)
    if integrated is None or peak is None:
        raise AudioError(f"measuring the loudness of {path.name}: ffmpeg printed no measurement")
    return Loudness(integrated_lufs=float(integrated.group(1)), true_peak_db=float(peak.group(1)))


def _limiter(ceiling_db: float) -> str:
    ceiling = min(1.0, max(0.0625, 10 ** (ceiling_db / 20)))  # alimiter's allowed range
    return f"alimiter=limit={ceiling:.4f}:level=false:attack=2:release=50"


def _normalising_filters(decoded: Path, what: str, target_lufs: float, ceiling_db: float) -> str:
    """A limiter (when needed) and the gain that bring the file to ``target_lufs``.

    Speech is peaky: the gain alone would often push the peaks over the ceiling. The
    limiter's threshold is lowered until the gain fits, measuring each time, because
    limiting also lowers the loudness a little.
    """
    measured = measure(decoded)
    if measured.integrated_lufs < SILENT_BELOW_LUFS:
        raise AudioError(
            f"{what} is silent (loudness {measured.integrated_lufs:.0f} LUFS); "
            "check the recording level"
        )
    limiter = ""
    threshold_db = ceiling_db - (target_lufs - measured.integrated_lufs) - 0.5
    for _attempt in range(LIMITER_ATTEMPTS):
        gain_db = target_lufs - measured.integrated_lufs
        overshoot_db = measured.true_peak_db + gain_db - ceiling_db
        if overshoot_db <= 0:
            return ",".join(part for part in (limiter, f"volume={gain_db:.2f}dB") if part)
        if limiter:
            threshold_db -= 2 * overshoot_db + 0.5
        limiter = _limiter(threshold_db)
        measured = measure(decoded, limiter)
    raise AudioError(
        f"{what} cannot be brought to {TARGET_LUFS:.0f} LUFS without clipping; "
        "its peaks are too high for its loudness"
    )


def _encode(decoded: Path, filters: str, fmt: str, tags: list[str], target: Path) -> None:
    codec = {
        "mp3": ["-c:a", "libmp3lame", "-id3v2_version", "3"],
        "opus": ["-c:a", "libopus", "-vbr", "constrained"],
    }
    bitrate = {"mp3": MP3_BITRATE, "opus": OPUS_BITRATE}
    _run(
        [
            "ffmpeg",
            "-nostdin",
            "-hide_banner",
            "-v",
            "error",
            "-i",
            str(decoded),
            "-af",
            filters,
            "-ac",
            "1",
            *codec[fmt],
            "-b:a",
            bitrate[fmt],
            *tags,
            "-y",
            str(target),
        ],
        f"encoding {target.name}",
    )


def normalise_and_encode(
    audio: Audio, work_dir: Path, title: str, language_tag: str, what: str
) -> EncodedAudio:
    """Check, normalise and encode ``audio`` into MP3 and Opus files in ``work_dir``.

    Lossy encoders drop a little loudness (the highest frequencies) and raise the peaks a
    little: a file that comes out off target is encoded again with the difference made up.
    """
    source = work_dir / f"source.{audio.format}"
    source.write_bytes(audio.data)
    decoded = work_dir / "decoded.wav"
    decode(source, decoded, what)
    tags = ["-metadata", f"title={title}", "-metadata", f"language={language_tag}"]
    files = {fmt: work_dir / f"narration.{fmt}" for fmt in FORMATS}
    filters = _normalising_filters(decoded, what, TARGET_LUFS, NORMALISE_TRUE_PEAK_DB)
    loudness = {
        fmt: _encode_on_target(decoded, filters, fmt, tags, path, what)
        for fmt, path in files.items()
    }
    return EncodedAudio(
        files=files,
        duration_s=round(duration_s(files["mp3"], what), 2),
        loudness=loudness["mp3"],
    )


def _encode_on_target(
    decoded: Path, filters: str, fmt: str, tags: list[str], target: Path, what: str
) -> Loudness:
    aim_lufs, ceiling_db = TARGET_LUFS, NORMALISE_TRUE_PEAK_DB
    for _attempt in range(ENCODE_ATTEMPTS):
        _encode(decoded, filters, fmt, tags, target)
        measured = measure(target)
        error_db = TARGET_LUFS - measured.integrated_lufs
        peak_excess_db = measured.true_peak_db + max(error_db, 0) - (MAX_TRUE_PEAK_DB - 0.3)
        if abs(error_db) <= ENCODER_CORRECTION_LU and peak_excess_db <= 0:
            return measured
        aim_lufs += error_db
        ceiling_db -= max(peak_excess_db, 0)
        filters = _normalising_filters(decoded, what, aim_lufs, ceiling_db)
    if measured.within_target():
        return measured
    raise AudioError(
        f"{what}: the {fmt.upper()} file came out at {measured}; the target is "
        f"{TARGET_LUFS:.0f} ±{LUFS_TOLERANCE:.0f} LUFS and at most {MAX_TRUE_PEAK_DB:.0f} dBTP"
    )
