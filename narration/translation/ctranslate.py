"""The same translation models run by CTranslate2: faster on a CPU.

A model is converted from its transformers files once, into a folder named after it under
``<audio folder>/.models/ctranslate2``; the conversion is written aside and moved into place
in one step, so servers sharing the folder never load half a model. The tokenizer is still
the model's own (sentencepiece) through transformers.
"""

import hashlib
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

from narration.translation.base import TranslationUnavailable
from narration.translation.models import (
    BATCH_SIZE,
    BEAM_SIZE,
    ModelSpec,
    decoding_limit,
    language_codes,
    length_batches,
    local_model_folder,
)

BACKEND = "ctranslate2"


class CTranslate2Translator:
    def __init__(self, spec: ModelSpec, models_dir: Path, batch_size: int = BATCH_SIZE) -> None:
        self.spec = spec
        self.models_dir = models_dir
        self.batch_size = batch_size
        self._loaded: dict[str, tuple[Any, Any, str] | TranslationUnavailable] = {}
        self._lock = threading.Lock()

    def model_id(self, src: str, tgt: str) -> str:
        return f"{self.spec.model_for(src, tgt)} ({BACKEND})"

    def _model(self, name: str) -> tuple[Any, Any, str]:
        with self._lock:
            if name not in self._loaded:
                try:
                    self._loaded[name] = self._load(name)
                except TranslationUnavailable as error:
                    self._loaded[name] = error
            loaded = self._loaded[name]
        if isinstance(loaded, TranslationUnavailable):
            raise loaded
        return loaded

    def _load(self, name: str) -> tuple[Any, Any, str]:
        import ctranslate2
        from transformers import AutoConfig, AutoTokenizer

        source = local_model_folder(name)
        converted = (
            self.models_dir / hashlib.sha256(str(source.resolve()).encode()).hexdigest()[:16]
        )
        if not (converted / "model.bin").is_file():
            _convert(source, converted)
        tokenizer = AutoTokenizer.from_pretrained(str(source), local_files_only=True)
        model_type = AutoConfig.from_pretrained(str(source), local_files_only=True).model_type
        translator = ctranslate2.Translator(str(converted), device="cpu")
        return tokenizer, translator, model_type

    def translate(self, texts: list[str], src: str, tgt: str) -> list[str]:
        name = self.spec.model_for(src, tgt)
        tokenizer, translator, model_type = self._model(name)
        codes = language_codes(tokenizer, model_type, name, src, tgt)
        if codes.source is not None:
            tokenizer.src_lang = codes.source
        tokens = [tokenizer.convert_ids_to_tokens(tokenizer.encode(text)) for text in texts]
        prefix = [codes.target_token] if codes.target_token else None
        results: dict[int, str] = {}
        for indices in length_batches(texts, self.batch_size):
            batch = [tokens[index] for index in indices]
            translated = translator.translate_batch(
                batch,
                target_prefix=[prefix] * len(batch) if prefix else None,
                beam_size=BEAM_SIZE,
                max_decoding_length=decoding_limit(max(len(source) for source in batch)),
            )
            for index, result in zip(indices, translated, strict=True):
                output = result.hypotheses[0][len(prefix or []) :]
                ids = tokenizer.convert_tokens_to_ids(output)
                results[index] = tokenizer.decode(ids, skip_special_tokens=True)
        return [results[index] for index in range(len(texts))]


def _convert(source: Path, target: Path) -> None:
    from ctranslate2.converters import TransformersConverter

    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=target.parent, prefix=".converting-"))
    try:
        TransformersConverter(str(source)).convert(str(work / "model"), force=True)
        try:
            os.replace(work / "model", target)
        except OSError:
            if not (target / "model.bin").is_file():  # not another server's conversion
                raise
    except (ValueError, NotImplementedError) as error:
        raise TranslationUnavailable(
            f"translation model {str(source)!r} cannot be converted to CTranslate2: {error}"
        ) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
