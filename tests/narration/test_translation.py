"""Translation through the real loading code, on tiny random models built from the site texts.

Random weights translate into gibberish: these tests check the plumbing (loading, batching,
language tokens, names kept, memory reused, errors), not the quality.
"""

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from transformers import M2M100ForConditionalGeneration, MarianMTModel

from narration.translation.base import IdentityTranslator, TranslationUnavailable
from narration.translation.drafts import translate_text
from narration.translation.glossary import Glossary, restore, shared_names
from narration.translation.memory import RememberingTranslator, TranslationMemory
from narration.translation.models import ModelSpec, TransformersTranslator
from narration.translation.segments import join, split
from sites_data.db import Database
from sites_data.schema import Site

SENTENCES = [f"Tower number {number} was built of brick." for number in range(10)]


def _spy_generate(monkeypatch: pytest.MonkeyPatch, model_class: Any) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    original = model_class.generate

    def generate(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(model_class, "generate", generate)
    return calls


def test_a_marian_model_from_a_folder_translates_in_batches(
    tiny_marian_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _spy_generate(monkeypatch, MarianMTModel)
    translator = TransformersTranslator(ModelSpec(str(tiny_marian_dir)), batch_size=4)
    translations = translator.translate(SENTENCES, "en", "fr")
    assert len(translations) == len(SENTENCES)
    assert all(isinstance(text, str) and text.strip() for text in translations)
    assert [call["input_ids"].shape[0] for call in calls] == [4, 4, 2]
    assert translator.model_id("en", "fr") == str(tiny_marian_dir)


def test_an_m2m100_model_is_told_both_languages(
    tiny_m2m100_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _spy_generate(monkeypatch, M2M100ForConditionalGeneration)
    translator = TransformersTranslator(ModelSpec(str(tiny_m2m100_dir)))
    (translation,) = translator.translate(["The tower is old."], "en", "de")
    tokenizer, _ = translator._model(str(tiny_m2m100_dir))
    (call,) = calls
    assert call["forced_bos_token_id"] == tokenizer.get_lang_id("de")
    assert int(call["input_ids"][0, 0]) == tokenizer.get_lang_id("en")
    assert "__de__" not in translation and "__en__" not in translation


def test_an_absent_model_is_one_clear_message_naming_it_and_how_to_get_it() -> None:
    translator = TransformersTranslator(ModelSpec("facebook/m2m100_418M"))
    with pytest.raises(TranslationUnavailable) as error:
        translator.translate(["Hello."], "en", "fr")
    message = str(error.value)
    assert message.startswith("translation model 'facebook/m2m100_418M' is not on this machine")
    assert "`hf download facebook/m2m100_418M --local-dir <folder>`" in message
    assert "GUIDE_MT_MODEL" in message
    with pytest.raises(TranslationUnavailable) as again:
        translator.translate(["Hello."], "en", "de")
    assert again.value is error.value  # loaded (and failed) once, not once per call


def test_model_settings_name_one_model_a_template_or_a_table() -> None:
    assert ModelSpec("facebook/m2m100_418M").model_for("en", "fr") == "facebook/m2m100_418M"
    template = ModelSpec("Helsinki-NLP/opus-mt-{src}-{tgt}")
    assert template.model_for("en", "de") == "Helsinki-NLP/opus-mt-en-de"
    table = ModelSpec("en-fr=/models/opus-mt-en-fr, en-de = /models/opus-mt-en-de")
    assert table.model_for("en", "fr") == "/models/opus-mt-en-fr"
    with pytest.raises(TranslationUnavailable, match="no model for en-ko; add 'en-ko=<model>'"):
        table.model_for("en", "ko")


def test_names_from_the_knowledge_base_survive_translation(
    shipped_sites: list[Site], tiny_marian_dir: Path
) -> None:
    site = next(site for site in shipped_sites if site.key == "po-klong-garai")
    assert {"Katê", "Panduranga", "Chok Hala", "Po Klong Garai"} <= shared_names(site)
    glossary = Glossary.build(site, shipped_sites, "en", "ru")
    protected, names = glossary.protect("Katê is held at Po Klong Garai Cham Towers.")
    assert protected == "[1] is held at [2]."
    assert names == ["Katê", "Башни По Клонг Гарай"]
    assert restore("[1] проходит в [2].", names) == "Katê проходит в Башни По Клонг Гарай."
    assert restore("[1] проходит.", names) is None  # a lost name is noticed

    text = site.narration["en"].text
    identity = translate_text(text, "en", "ru", glossary, IdentityTranslator())
    assert identity.count("Katê") == text.count("Katê")
    # A random model drops the placeholders: the names are kept by translating around them.
    random_model = TransformersTranslator(ModelSpec(str(tiny_marian_dir)))
    gibberish = translate_text(text, "en", "fr", glossary, random_model)
    for name in ("Katê", "Panduranga", "Chok Hala", "Jaya Simhavarman"):
        assert gibberish.count(name) == text.count(name), name
    assert gibberish.count("\n\n") == text.count("\n\n")


def test_sentences_and_paragraphs_are_kept() -> None:
    text = "First one. Second, in 1979! Third?\n\nA new paragraph. Ở đây. à la fin"
    assert split(text) == [
        ["First one.", "Second, in 1979!", "Third?"],
        ["A new paragraph.", "Ở đây. à la fin"],
    ]
    assert join([["一。", "二。"], ["三。"]], "zh") == "一。二。\n\n三。"


class CountingTranslator(IdentityTranslator):
    def __init__(self) -> None:
        self.seen: list[str] = []

    def translate(self, texts: list[str], src: str, tgt: str) -> list[str]:
        self.seen.extend(texts)
        return [text.upper() for text in texts]


def test_the_translation_memory_sends_the_model_only_what_it_has_not_seen(
    sqlite_engine: Engine,
) -> None:
    counting = CountingTranslator()
    translator = RememberingTranslator(counting, TranslationMemory(Database(sqlite_engine)))
    assert translator.translate(["One.", "Two.", "One."], "en", "fr") == ["ONE.", "TWO.", "ONE."]
    assert counting.seen == ["One.", "Two."]
    assert translator.translate(["Two.", "Three."], "en", "fr") == ["TWO.", "THREE."]
    assert counting.seen == ["One.", "Two.", "Three."]
    translator.translate(["Two."], "en", "de")  # another pair is another memory
    assert counting.seen[-1] == "Two."
