"""Independent checks of audio files with ffprobe and ffmpeg's loudnorm meter."""

import json
import re
import subprocess
from pathlib import Path
from typing import Any


def probe(path: Path) -> dict[str, Any]:
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", path],
        capture_output=True,
        text=True,
        check=True,
    )
    info: dict[str, Any] = json.loads(result.stdout)
    return info


def tags(path: Path) -> dict[str, str]:
    """Container and stream tags together (MP3 keeps them in ID3, Opus in the stream)."""
    info = probe(path)
    found = dict(info["format"].get("tags", {}))
    for stream in info["streams"]:
        found.update(stream.get("tags", {}))
    return {key.lower(): value for key, value in found.items()}


def loudness(path: Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP), by loudnorm's meter (not ebur128's)."""
    meter = ["-af", "loudnorm=print_format=json", "-f", "null", "-"]
    result = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostats", "-i", path, *meter],
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"\{[^{}]*\}", result.stderr.rpartition("[Parsed_loudnorm")[2])
    assert found is not None, result.stderr
    values = json.loads(found.group(0))
    return float(values["input_i"]), float(values["input_tp"])
