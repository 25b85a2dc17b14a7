"""Audio post-processing with ffmpeg: decode checks, loudness normalisation, MP3 and Opus.

Every file leaves here mono, at -16 LUFS integrated (±1) with a true peak of at most -1 dBTP,
tagged with its title and language. Loudness is measured (EBU R128) with ffmpeg's ``ebur128``
filter. The pipeline runs ffmpeg three times for most files, whatever their length:

1. decode (the whole file: a file corrupt anywhere fails here) to mono PCM, measuring it;
2. one linear gain to the target, then per format a peak limiter at that format's ceiling
   when the gain would push the peaks over it, and both encodes, in one process;
3. both files decoded again and measured, in one process: what is promised is checked on
   what visitors download.

A peaky voice, whose limiter costs some loudness, adds one or two loudness-only passes over
the PCM before step 2. Only a file that misses the target in step 3 (an encoder that raised
the peaks more than its margin) is encoded again.

Speech needs no more than 12 kHz of bandwidth: the pipeline works at 24 kHz, which halves the
work of every step next to 48 kHz. Opus at 24 kbit/s (about 0.4 of the MP3's bytes) is the
file for weak signal. Its lossy coding raises the peaks of synthetic speech by 2 to 4 dB, so
it is limited to a lower ceiling than the MP3. It is coded as CELT only (``lowdelay``): in
the speech modes (SILK, hybrid) ffmpeg's own Opus decoder now and then turns a quiet stretch
of espeak-ng's Mandarin into a burst at +4 dBFS, which no ceiling prevents.
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
# Where each format's peaks are limited before encoding: the encoder raises them by up to
# this margin less the promised -1 dBTP (measured on every voice with bench/voices.py).
CEILING_DB = {"mp3": -2.5, "opus": -4.5}
# Loudness each encoder loses (measured on every voice: the MP3 encoder drops the highest
# frequencies), made up in the gain.
ENCODER_LOSS_LU = {"mp3": 0.4, "opus": 0.2}
# A file this far inside the promise needs no second encode: other meters (loudnorm's, the
# tests') read a few tenths of a decibel differently from ebur128.
METER_MARGIN_DB = 0.3
ENCODE_ATTEMPTS = 6
MIN_CEILING_STEP_DB = 0.5
MAX_LIMITER_GAIN_DB = 6.0
LIMITER_ATTEMPTS = 3
LIMITER_TOLERANCE_LU = 0.3
# How much of a gain change survives the limiter at first (the secant method then measures).
LIMITED_GAIN_SLOPE = 0.5
SILENT_BELOW_LUFS = -60.0
# A 5 ms attack: 2 ms made the Opus encoder's overshoot 2 dB worse on limited speech.
LIMITER = "level=false:attack=5:release=50"
SAMPLE_RATE = 24_000
MP3_BITRATE = "64k"
# Constrained VBR: unconstrained VBR doubles the rate on espeak-ng's buzzy voices.
OPUS_BITRATE = "24k"
# The few peaky files whose Opus peaks 24 kbit/s cannot keep under the promise (Open JTalk's
# on two narrations of 328) are encoded again at this rate: still under half the MP3's bytes.
OPUS_FALLBACK_BITRATE = "28k"
OPUS_COMPLEXITY = 5  # of 10: a third of the time of 10, for files 5 % larger
# Everything that shapes the files; part of each file's content address.
PIPELINE = {
    "version": 3,
    "lufs": TARGET_LUFS,
    "ceiling": CEILING_DB,
    "rate": SAMPLE_RATE,
    "mp3": MP3_BITRATE,
    "opus": [OPUS_BITRATE, OPUS_FALLBACK_BITRATE, OPUS_COMPLEXITY, "celt"],
    "limiter": LIMITER,
}
FORMATS = ("mp3", "opus")


def _opus(bitrate: str) -> list[str]:
    return [
        "-c:a",
        "libopus",
        "-b:a",
        bitrate,
        "-vbr",
        "constrained",
        "-application",
        "lowdelay",
        "-compression_level",
        str(OPUS_COMPLEXITY),
    ]


_CODECS = {
    "mp3": ["-c:a", "libmp3lame", "-b:a", MP3_BITRATE, "-id3v2_version", "3"],
    "opus": _opus(OPUS_BITRATE),
}
_SUMMARY = re.compile(r"\[Parsed_ebur128_(\d+) @ [^\]]+\] Summary:")
_METER = "ebur128=peak=true:framelog=verbose"
_LOUDNESS = "ebur128=framelog=verbose"  # without the true peak: a third of the time


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


def _summaries(stderr: str, count: int, what: str) -> list[tuple[float, float | None]]:
    """Integrated loudness and true peak (None when not asked for) of ``count`` ebur128
    filters, in the order of the filter graph (ffmpeg numbers every filter of the graph, so
    the numbers need not start at 0)."""
    parts = _SUMMARY.split(stderr)
    found: dict[int, tuple[float, float | None]] = {}
    for index, text in zip(parts[1::2], parts[2::2], strict=True):
        integrated = re.search(r"I:\s+(-?(?:inf|[\d.]+)) LUFS", text)
        peak = re.search(r"True peak:\s+Peak:\s+(-?(?:inf|[\d.]+)) dBFS", text)
        if integrated:
            found[int(index)] = (float(integrated.group(1)), float(peak.group(1)) if peak else None)
    if len(found) != count:
        raise AudioError(f"measuring the loudness of {what}: ffmpeg printed no measurement")
    return [found[index] for index in sorted(found)]


def _measurements(stderr: str, count: int, what: str) -> list[Loudness]:
    summaries = _summaries(stderr, count, what)
    if any(peak is None for _integrated, peak in summaries):
        raise AudioError(f"measuring the loudness of {what}: ffmpeg printed no true peak")
    return [Loudness(integrated, peak or 0.0) for integrated, peak in summaries]


def decode(source: Path, target: Path, what: str) -> Loudness:
    """Decode the whole file to mono PCM at 24 kHz (a file that is corrupt anywhere fails
    here) and measure its loudness on the way."""
    result = _run(
        [
            "ffmpeg",
            "-nostdin",
            "-hide_banner",
            "-nostats",
            "-xerror",
            "-i",
            str(source),
            "-vn",
            "-af",
            # Downmixed before measuring: the loudness of the mono file is what counts.
            f"aformat=sample_fmts=flt:sample_rates={SAMPLE_RATE}:channel_layouts=mono,{_METER}",
            "-c:a",
            "pcm_f32le",
            "-y",
            str(target),
        ],
        f"{what} does not decode as audio",
    )
    return _measurements(result.stderr, 1, what)[0]


def measure(*paths: Path) -> list[Loudness]:
    """EBU R128 integrated loudness and true peak of each file, in one ffmpeg process."""
    inputs = [argument for path in paths for argument in ("-i", str(path))]
    graph = ";".join(f"[{index}:a]{_METER}[m{index}]" for index in range(len(paths)))
    outputs = [
        argument
        for index in range(len(paths))
        for argument in ("-map", f"[m{index}]", "-f", "null", "-")
    ]
    result = _run(
        [
            "ffmpeg",
            "-nostdin",
            "-hide_banner",
            "-nostats",
            *inputs,
            "-filter_complex",
            graph,
            *outputs,
        ],
        f"measuring the loudness of {', '.join(path.name for path in paths)}",
    )
    return _measurements(result.stderr, len(paths), ", ".join(path.name for path in paths))


def _limiter(ceiling_db: float) -> str:
    ceiling = min(1.0, max(0.0625, 10 ** (ceiling_db / 20)))  # alimiter's allowed range
    return f"alimiter=limit={ceiling:.4f}:{LIMITER}"


@dataclass(frozen=True)
class _Aim:
    """What one format is encoded with: a gain, and a limiter at a ceiling when needed."""

    gain_db: float
    ceiling_db: float
    limited: bool

    def filters(self) -> str:
        chain = [f"volume={self.gain_db:.2f}dB"]
        if self.limited:
            chain.append(_limiter(self.ceiling_db))
        return ",".join(chain)


@dataclass(frozen=True)
class _Goal:
    """Where one format's file should land: its loudness before encoding (the target plus
    what the encoder will lose) and the ceiling of its peaks before encoding."""

    lufs: float
    ceiling_db: float


def _aims(
    decoded: Path,
    measured: Loudness,
    goals: dict[str, _Goal],
    what: str,
    previous: dict[str, _Aim],
) -> dict[str, _Aim]:
    """Per format, the gain that brings the file to its goal once its peaks are limited.

    Speech is peaky: the gain alone would often push the peaks over the ceiling, and the
    limiter that keeps them under it also lowers the loudness. That loss is measured
    (loudness only, every format in one pass) and made up by the secant method: one or two
    passes for the peakiest voices, none for the others. A format encoded before starts
    from the gain it had (``previous``).
    """
    aims = {}
    for fmt, goal in goals.items():
        gain_db = goal.lufs - measured.integrated_lufs
        if fmt in previous:
            gain_db = min(max(gain_db, previous[fmt].gain_db), gain_db + MAX_LIMITER_GAIN_DB)
        aims[fmt] = _Aim(
            gain_db, goal.ceiling_db, measured.true_peak_db + gain_db > goal.ceiling_db
        )
    slopes = dict.fromkeys(goals, LIMITED_GAIN_SLOPE)
    errors: dict[str, float] = {}
    for _attempt in range(LIMITER_ATTEMPTS):
        limited = {fmt: aim for fmt, aim in aims.items() if aim.limited}
        if not limited:
            return aims
        loudness = _loudness_after(decoded, limited, what)
        before, errors = errors, {fmt: goals[fmt].lufs - loudness[fmt] for fmt in limited}
        if all(abs(error) <= LIMITER_TOLERANCE_LU for error in errors.values()):
            return aims
        for fmt, aim in limited.items():
            if fmt in before and before[fmt] != errors[fmt]:
                # The last step was before / slope; what it bought tells the slope.
                step_db = before[fmt] / slopes[fmt]
                slopes[fmt] = min(1.0, max(0.1, (before[fmt] - errors[fmt]) / step_db))
            # The limiter may not absorb more than MAX_LIMITER_GAIN_DB of extra gain: past
            # that it flattens speech; the file is then a little quieter, within tolerance.
            most_db = goals[fmt].lufs - measured.integrated_lufs + MAX_LIMITER_GAIN_DB
            gain_db = min(aim.gain_db + errors[fmt] / slopes[fmt], most_db)
            aims[fmt] = _Aim(gain_db, aim.ceiling_db, True)
    return aims


def _loudness_after(decoded: Path, aims: dict[str, _Aim], what: str) -> dict[str, float]:
    """The integrated loudness of the decoded PCM through each format's gain and limiter."""
    split = f"[0:a]asplit={len(aims)}{''.join(f'[{fmt}]' for fmt in aims)}"
    branches = [f"[{fmt}]{aim.filters()},{_LOUDNESS}[{fmt}out]" for fmt, aim in aims.items()]
    outputs = [arg for fmt in aims for arg in ("-map", f"[{fmt}out]", "-f", "null", "-")]
    result = _run(
        [
            "ffmpeg",
            "-nostdin",
            "-hide_banner",
            "-nostats",
            "-i",
            str(decoded),
            "-filter_complex",
            ";".join([split, *branches]),
            *outputs,
        ],
        f"measuring the loudness of {what}",
    )
    summaries = _summaries(result.stderr, len(aims), what)
    return {fmt: integrated for fmt, (integrated, _peak) in zip(aims, summaries, strict=True)}


def _encode(
    decoded: Path,
    aims: dict[str, _Aim],
    tags: list[str],
    files: dict[str, Path],
    codecs: dict[str, list[str]],
) -> None:
    """Every format in ``aims`` from one reading of the PCM, in one ffmpeg process."""
    split = f"[0:a]asplit={len(aims)}{''.join(f'[{fmt}]' for fmt in aims)}"
    branches = [f"[{fmt}]{aim.filters()}[{fmt}out]" for fmt, aim in aims.items()]
    outputs = [
        argument
        for fmt in aims
        for argument in ("-map", f"[{fmt}out]", *codecs[fmt], *tags, "-y", str(files[fmt]))
    ]
    _run(
        [
            "ffmpeg",
            "-nostdin",
            "-hide_banner",
            "-v",
            "error",
            "-i",
            str(decoded),
            "-filter_complex",
            ";".join([split, *branches]),
            *outputs,
        ],
        f"encoding {', '.join(files[fmt].name for fmt in aims)}",
    )


def normalise_and_encode(
    audio: Audio, work_dir: Path, title: str, language_tag: str, what: str
) -> EncodedAudio:
    """Check, normalise and encode ``audio`` into MP3 and Opus files in ``work_dir``."""
    source = work_dir / f"source.{audio.format}"
    source.write_bytes(audio.data)
    decoded = work_dir / "decoded.wav"
    measured = decode(source, decoded, what)
    if measured.integrated_lufs < SILENT_BELOW_LUFS:
        raise AudioError(
            f"{what} is silent (loudness {measured.integrated_lufs:.0f} LUFS); "
            "check the recording level"
        )
    tags = ["-metadata", f"title={title}", "-metadata", f"language={language_tag}"]
    files = {fmt: work_dir / f"narration.{fmt}" for fmt in FORMATS}
    goals = {fmt: _Goal(TARGET_LUFS + ENCODER_LOSS_LU[fmt], CEILING_DB[fmt]) for fmt in FORMATS}
    best = _encode_to_target(decoded, measured, goals, tags, work_dir, _CODECS, "first", what)
    if not best["opus"][0].within_target():
        opus_goal = {"opus": goals["opus"]}
        fallback = {"opus": _opus(OPUS_FALLBACK_BITRATE)}
        retried = _encode_to_target(
            decoded, measured, opus_goal, tags, work_dir, fallback, "fallback", what
        )
        if _miss(retried["opus"][0]) < _miss(best["opus"][0]):
            best["opus"] = retried["opus"]
    for fmt, (loudness, path) in best.items():
        if not loudness.within_target():
            raise AudioError(
                f"{what}: the {fmt.upper()} file came out at {loudness}; the target is "
                f"{TARGET_LUFS:.0f} ±{LUFS_TOLERANCE:.0f} LUFS and at most "
                f"{MAX_TRUE_PEAK_DB:.0f} dBTP"
            )
        path.replace(files[fmt])
    return EncodedAudio(
        files=files,
        duration_s=round(duration_s(files["mp3"], what), 2),
        loudness=best["mp3"][0],
    )


def _encode_to_target(
    decoded: Path,
    measured: Loudness,
    goals: dict[str, _Goal],
    tags: list[str],
    work_dir: Path,
    codecs: dict[str, list[str]],
    round_name: str,
    what: str,
) -> dict[str, tuple[Loudness, Path]]:
    """Each format's best file after at most ``ENCODE_ATTEMPTS`` encodes, with its loudness."""
    best: dict[str, tuple[Loudness, Path]] = {}
    aims: dict[str, _Aim] = {}
    for attempt in range(ENCODE_ATTEMPTS):
        aims = _aims(decoded, measured, goals, what, aims)
        tries = {fmt: work_dir / f"{round_name}-{attempt}.{fmt}" for fmt in goals}
        _encode(decoded, aims, tags, tries, codecs)
        for (fmt, path), loudness in zip(tries.items(), measure(*tries.values()), strict=True):
            if fmt not in best or _miss(loudness) < _miss(best[fmt][0]):
                best[fmt] = (loudness, path)
        goals = {
            fmt: goal
            for fmt, goal in ((fmt, _corrected(goals[fmt], best[fmt][0])) for fmt in goals)
            if goal is not None
        }
        if not goals:
            break
    return best


def _miss(loudness: Loudness) -> float:
    """How far a file is from the target with its margin, in decibels (0 when on it)."""
    loudness_miss = abs(TARGET_LUFS - loudness.integrated_lufs) - (LUFS_TOLERANCE - METER_MARGIN_DB)
    peak_miss = loudness.true_peak_db - (MAX_TRUE_PEAK_DB - METER_MARGIN_DB)
    return max(loudness_miss, 0) + max(peak_miss, 0)


def _corrected(goal: _Goal, encoded: Loudness) -> _Goal | None:
    """The goal for another encode of a file that came out off target, or None when it is
    on target with a margin (other meters read a few tenths of a decibel differently).

    Peaks over the promise first make the file quieter, as far as the tolerance allows
    (a plain gain lowers the peaks with it), and only then lower the limiter's ceiling, by
    at least half a decibel: at 24 kbit/s the Opus encoder's peaks follow the ceiling only
    roughly, and a harder limiter flattens the speech. A loudness off the target moves the
    goal.
    """
    if _miss(encoded) == 0:
        return None
    error_db = TARGET_LUFS - encoded.integrated_lufs
    peak_excess_db = encoded.true_peak_db - (MAX_TRUE_PEAK_DB - METER_MARGIN_DB)
    if peak_excess_db <= 0:
        return _Goal(goal.lufs + error_db, goal.ceiling_db)
    quietest = TARGET_LUFS - (LUFS_TOLERANCE - METER_MARGIN_DB)
    quieter_db = min(peak_excess_db + 0.2, max(encoded.integrated_lufs - quietest - 0.1, 0))
    rest_db = peak_excess_db + 0.2 - quieter_db
    lower_db = max(rest_db + METER_MARGIN_DB, MIN_CEILING_STEP_DB) if rest_db > 0 else 0
    return _Goal(goal.lufs - quieter_db, goal.ceiling_db - lower_db)
