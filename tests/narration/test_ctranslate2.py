"""The CTranslate2 backend: the same tiny models, converted once, translating the same way."""

from pathlib import Path

import pytest

from narration.translation.base import TranslationUnavailable
from narration.translation.ctranslate import CTranslate2Translator
from narration.translation.models import ModelSpec
from tests.narration.test_translation import SENTENCES


@pytest.mark.parametrize("model", ["tiny_marian_dir", "tiny_m2m100_dir"])
def test_a_model_is_converted_once_and_translates_in_batches(
    model: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    folder: Path = request.getfixturevalue(model)
    translator = CTranslate2Translator(ModelSpec(str(folder)), tmp_path / "ct2", batch_size=4)
    translations = translator.translate(SENTENCES, "en", "de")
    assert len(translations) == len(SENTENCES)
    assert all(isinstance(text, str) and text.strip() for text in translations)
    assert not any("__de__" in text or "__en__" in text for text in translations)
    (converted,) = (tmp_path / "ct2").iterdir()
    assert (converted / "model.bin").is_file()
    assert translator.model_id("en", "de") == f"{folder} (ctranslate2)"
    again = CTranslate2Translator(ModelSpec(str(folder)), tmp_path / "ct2")
    stamp = (converted / "model.bin").stat().st_mtime_ns
    assert again.translate(SENTENCES[:2], "en", "de") == translations[:2]
    assert (converted / "model.bin").stat().st_mtime_ns == stamp  # not converted again


def test_an_absent_model_is_the_same_clear_message(tmp_path: Path) -> None:
    translator = CTranslate2Translator(ModelSpec("facebook/m2m100_418M"), tmp_path)
    with pytest.raises(TranslationUnavailable, match="'facebook/m2m100_418M' is not on this"):
        translator.translate(["Hello."], "en", "fr")
    assert list(tmp_path.iterdir()) == []
