"""Speech programs run as child processes: the text on stdin, a WAV file out."""

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from narration.audio import Audio
from narration.speech.base import SpeechFailed

TIMEOUT_S = 300


def missing_program(program: str, install: str) -> str | None:
    """Why ``program`` cannot run here (naming what to install), or None when it can."""
    if shutil.which(program) is None:
        return f"{program} is not installed: run `{install}` (or `make setup`)"
    return None


def run(
    command: list[str], text: str, env: Mapping[str, str] | None = None, timeout_s: int = TIMEOUT_S
) -> bytes:
    """Run a speech program with ``text`` on stdin; its standard output, or SpeechFailed."""
    program = Path(command[0]).name
    try:
        result = subprocess.run(
            command,
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=timeout_s,
            check=False,
            env=None if env is None else {**os.environ, **env},
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SpeechFailed(f"{program} could not run: {error}") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip() or "no output"
        raise SpeechFailed(f"{program} failed: {message.splitlines()[-1]}")
    return result.stdout


def speak_to_wav(
    command: Callable[[Path], list[str]], text: str, env: Mapping[str, str] | None = None
) -> Audio:
    """Run ``command(wav_path)`` with the text on stdin and return the WAV it wrote.

    A file, not a pipe: on a pipe these programs cannot fill in the WAV header's sizes.
    """
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "speech.wav"
        run(command(wav), text, env)
        if not wav.is_file() or wav.stat().st_size <= 44:
            raise SpeechFailed(f"{Path(command(wav)[0]).name} wrote no audio")
        return Audio(data=wav.read_bytes(), format="wav")
