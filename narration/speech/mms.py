"""MMS: Meta's VITS voices (one model per language) run with transformers, from local files.

``GUIDE_MMS_MODEL`` names the model: a template with ``{iso3}`` (``facebook/mms-tts-{iso3}``)
or a table (``vi=/models/mms-tts-vie,en=/models/mms-tts-eng``). The models read the letters
of their vocabulary only; some (Korean, Russian) expect text romanised by ``uroman``, which
the guide does not do, so the engine declines those instead of dropping every letter. The
MMS models are licensed CC BY-NC 4.0 (non-commercial use).
"""

import io
import threading
import wave
from typing import Any

from narration.audio import Audio
from narration.languages import narration_language
from narration.speech.base import SpeechFailed, SpeechUnavailable
from narration.translation.segments import split

# Share of a text's letters the model may not know (a foreign name or two) before it would
# speak too little of it.
MAX_UNKNOWN_LETTER_SHARE = 0.2
PAUSE_S = 0.35
SEED = 0  # VITS draws noise: the same text gives the same audio


def mms_model_for(setting: str, lang: str) -> str:
    if "=" in setting:
        table = dict(entry.strip().split("=", 1) for entry in setting.split(",") if entry.strip())
        model = table.get(lang)
        if model is None:
            raise SpeechUnavailable(f"GUIDE_MMS_MODEL names no model for {lang}")
        return model.strip()
    return setting.format(iso3=narration_language(lang).iso3)


class MmsVits:
    name = "mms"
    non_commercial = True  # CC BY-NC 4.0

    def __init__(self, setting: str) -> None:
        self.setting = setting
        self._loaded: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()

    @classmethod
    def load(cls, setting: str) -> "MmsVits":
        return cls(setting)

    def voice(self, lang: str) -> str:
        try:
            return mms_model_for(self.setting, lang)
        except SpeechUnavailable:
            return "none"

    def settings(self) -> dict[str, object]:
        return {"seed": SEED, "pause_s": PAUSE_S}

    def unavailable_reason(self, lang: str) -> str | None:
        if not narration_language(lang).mms:
            return "MMS voices read plain or romanised letters, not this language's script"
        try:
            model_name = mms_model_for(self.setting, lang)
        except SpeechUnavailable as error:
            return str(error)
        try:
            tokenizer = self._load("tokenizer", model_name)
        except SpeechUnavailable as error:
            return str(error)
        if getattr(tokenizer, "is_uroman", False):
            return (
                f"MMS model {model_name!r} expects text romanised with uroman, "
                "which the guide does not do"
            )
        return self._unknown_letters(tokenizer, narration_language(lang).sample, model_name)

    def _load(self, part: str, name: str) -> Any:
        """The model's tokenizer or its weights, loaded once (or failing once, clearly)."""
        with self._lock:
            if (part, name) not in self._loaded:
                try:
                    self._loaded[part, name] = _load_vits(part, name)
                except SpeechUnavailable as error:
                    self._loaded[part, name] = error
            loaded = self._loaded[part, name]
        if isinstance(loaded, SpeechUnavailable):
            raise loaded
        return loaded

    @staticmethod
    def _unknown_letters(tokenizer: Any, text: str, model_name: str) -> str | None:
        known = set(tokenizer.get_vocab())
        letters = [char for char in text.lower() if char.isalpha()]
        unknown = [char for char in letters if char not in known]
        if letters and len(unknown) / len(letters) > MAX_UNKNOWN_LETTER_SHARE:
            return (
                f"MMS model {model_name!r} does not know {len(unknown) / len(letters):.0%} of "
                f"the letters (such as {''.join(sorted(set(unknown))[:5])!r})"
            )
        return None

    def synthesize(self, text: str, lang: str) -> Audio:
        reason = self.unavailable_reason(lang)
        if reason:
            raise SpeechUnavailable(reason)
        model_name = mms_model_for(self.setting, lang)
        tokenizer, model = self._load("tokenizer", model_name), self._load("model", model_name)
        reason = self._unknown_letters(tokenizer, text, model_name)
        if reason:
            raise SpeechUnavailable(reason)
        try:
            pcm = self._speak(tokenizer, model, text)
        except RuntimeError as error:
            raise SpeechFailed(f"MMS model {model_name!r} failed: {error}") from None
        return Audio(data=_wav(pcm, int(model.config.sampling_rate)), format="wav")

    def _speak(self, tokenizer: Any, model: Any, text: str) -> bytes:
        """16-bit PCM of the text, sentence by sentence with a pause after each."""
        import torch

        pause = torch.zeros(int(PAUSE_S * model.config.sampling_rate))
        pieces = []
        for sentence in (s for paragraph in split(text) for s in paragraph):
            inputs = tokenizer(sentence, return_tensors="pt")
            if inputs["input_ids"].shape[1] == 0:
                continue
            with self._lock, torch.inference_mode():
                torch.manual_seed(SEED)
                pieces.extend([model(**inputs).waveform[0], pause])
        if not pieces:
            raise SpeechFailed("the MMS model produced no audio for this text")
        waveform = torch.cat(pieces).clamp(-1.0, 1.0)
        return bytes((waveform * 32767).to(torch.int16).numpy().astype("<i2").tobytes())


def _load_vits(part: str, name: str) -> Any:
    """A VITS model's tokenizer or weights from a folder or the Hugging Face cache.

    Whether the model is there at all is checked first, without importing transformers, so
    that a machine without MMS models learns it at once.
    """
    from pathlib import Path

    from huggingface_hub import try_to_load_from_cache
    from huggingface_hub.constants import HF_HUB_CACHE

    folder = Path(name).expanduser()
    try:
        cached = try_to_load_from_cache(name, "config.json")
    except ValueError:  # not a Hugging Face name: a folder that does not exist
        cached = None
    if not (folder / "config.json").is_file() and not isinstance(cached, str):
        raise SpeechUnavailable(
            f"MMS model {name!r} is not on this machine (neither a folder nor in the Hugging "
            f"Face cache, {HF_HUB_CACHE}); on a machine with internet run "
            f"`hf download {name} --local-dir <folder>`, copy it here and set GUIDE_MMS_MODEL"
        )
    from transformers import AutoTokenizer, VitsModel
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    source = str(folder) if folder.is_dir() else name
    try:
        if part == "tokenizer":
            return AutoTokenizer.from_pretrained(source, local_files_only=True)
        model: Any = VitsModel.from_pretrained(source, local_files_only=True)
    except OSError as error:
        raise SpeechUnavailable(f"MMS model {name!r} cannot be loaded: {error}") from None
    return model.eval()


def _wav(pcm: bytes, rate: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm)
    return buffer.getvalue()
