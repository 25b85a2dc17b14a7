"""Seq2seq translation models (Marian, M2M100, NLLB) run with transformers, from local files.

``GUIDE_MT_MODEL`` names the model: one multilingual model for every pair
(``facebook/m2m100_418M``), a template (``Helsinki-NLP/opus-mt-{src}-{tgt}``) or a table per
pair (``en-fr=/models/opus-mt-en-fr,en-de=/models/opus-mt-en-de``). A name is a local folder
when one exists, else a model in the Hugging Face cache; nothing is ever downloaded.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from narration.languages import narration_language
from narration.translation.base import TranslationUnavailable

BATCH_SIZE = 8
BEAM_SIZE = 4
MAX_NEW_TOKENS = 512


def length_batches(texts: list[str], size: int) -> list[list[int]]:
    """The indices of ``texts`` in batches of similar lengths (less padding)."""
    order = sorted(range(len(texts)), key=lambda index: len(texts[index]))
    return [order[start : start + size] for start in range(0, len(order), size)]


def decoding_limit(longest_input_tokens: int) -> int:
    """How many tokens a translation may run to: rarely more than twice its source."""
    return min(MAX_NEW_TOKENS, 2 * longest_input_tokens + 16)


@dataclass(frozen=True)
class ModelSpec:
    setting: str

    def model_for(self, src: str, tgt: str) -> str:
        if "=" in self.setting:
            table = dict(
                entry.strip().split("=", 1) for entry in self.setting.split(",") if entry.strip()
            )
            model = table.get(f"{src}-{tgt}")
            if model is None:
                raise TranslationUnavailable(
                    f"GUIDE_MT_MODEL has no model for {src}-{tgt}; add '{src}-{tgt}=<model>'"
                )
            return model.strip()
        return self.setting.format(src=src, tgt=tgt)


def local_model_folder(name: str) -> Path:
    """The folder holding the model called ``name``: itself, or its Hugging Face cache copy."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    folder = Path(name).expanduser()
    if folder.is_dir():
        return folder
    try:
        return Path(snapshot_download(name, local_files_only=True))
    except (LocalEntryNotFoundError, ValueError):
        raise TranslationUnavailable(missing_model_message(name)) from None


def missing_model_message(name: str) -> str:
    from huggingface_hub.constants import HF_HUB_CACHE

    return (
        f"translation model {name!r} is not on this machine: it is neither a folder nor in "
        f"the Hugging Face cache ({HF_HUB_CACHE}). On a machine with internet run "
        f"`hf download {name} --local-dir <folder>`, copy the folder here and set "
        "GUIDE_MT_MODEL to it"
    )


def load_seq2seq(name: str) -> tuple[Any, Any]:
    """The tokenizer and model called ``name``, from a local folder or the Hugging Face cache."""
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
    from transformers.utils import logging as transformers_logging

    # The build shows its own progress bar.
    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    folder = str(local_model_folder(name))
    try:
        tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
        model = AutoModelForSeq2SeqLM.from_pretrained(folder, local_files_only=True)
    except OSError as error:
        raise TranslationUnavailable(
            f"translation model {name!r} cannot be loaded: {error}"
        ) from None
    model.eval()
    return tokenizer, model


@dataclass(frozen=True)
class LanguageCodes:
    """How a model is told the languages: nothing (Marian), or language tokens."""

    source: str | None
    target_token: str | None


def language_codes(tokenizer: Any, model_type: str, name: str, src: str, tgt: str) -> LanguageCodes:
    if model_type == "marian":
        return LanguageCodes(None, None)
    if type(tokenizer).__name__.startswith("Nllb"):
        source, target = narration_language(src).nllb, narration_language(tgt).nllb
        return LanguageCodes(source, target)
    if model_type == "m2m_100":
        return LanguageCodes(src, f"__{tgt}__")
    raise TranslationUnavailable(
        f"translation model {name!r} is a {model_type!r} model; use a Marian, M2M100 or NLLB one"
    )


class TransformersTranslator:
    """Translates in batches with transformers on the CPU; models load on first use."""

    def __init__(self, spec: ModelSpec, batch_size: int = BATCH_SIZE) -> None:
        self.spec = spec
        self.batch_size = batch_size
        self._loaded: dict[str, tuple[Any, Any] | TranslationUnavailable] = {}

    def model_id(self, src: str, tgt: str) -> str:
        return self.spec.model_for(src, tgt)

    def _model(self, name: str) -> tuple[Any, Any]:
        if name not in self._loaded:
            try:
                self._loaded[name] = load_seq2seq(name)
            except TranslationUnavailable as error:
                self._loaded[name] = error  # one clear failure, not one load per site
        loaded = self._loaded[name]
        if isinstance(loaded, TranslationUnavailable):
            raise loaded
        return loaded

    def translate(self, texts: list[str], src: str, tgt: str) -> list[str]:
        import torch

        name = self.model_id(src, tgt)
        tokenizer, model = self._model(name)
        codes = language_codes(tokenizer, model.config.model_type, name, src, tgt)
        if codes.source is not None:
            tokenizer.src_lang = codes.source
        generate: dict[str, Any] = {}
        if codes.target_token is not None:
            generate["forced_bos_token_id"] = tokenizer.convert_tokens_to_ids(codes.target_token)
        results: dict[int, str] = {}
        for indices in length_batches(texts, self.batch_size):
            batch = tokenizer(
                [texts[index] for index in indices],
                return_tensors="pt",
                padding=True,
                truncation=True,
            )
            longest = int(batch["input_ids"].shape[1])
            with torch.inference_mode():
                output = model.generate(
                    **batch,
                    num_beams=BEAM_SIZE,
                    max_new_tokens=decoding_limit(longest),
                    **generate,
                )
            decoded = tokenizer.batch_decode(output, skip_special_tokens=True)
            results.update(zip(indices, decoded, strict=True))
        return [results[index] for index in range(len(texts))]
