"""Machine drafts: the text of every language a site lacks, translated and kept in the
knowledge base with origin ``machine`` and the model that made it.

A human or reviewed text is never replaced. A machine text stays as long as the translation
memory shows it was made from the current source text and names; when the source changed it
is translated again, and only the sentences that changed reach the model. A machine text
the memory does not know (written into a site file, made on another database) is kept: what
it was made from cannot be told.
"""

import json
import logging
from dataclasses import dataclass, field

from narration.errors import NarrationError
from narration.languages import narration_language
from narration.texts import SpokenText
from narration.translation import segments
from narration.translation.base import Translator
from narration.translation.glossary import Glossary, restore, translate_around_names
from narration.translation.memory import TranslationMemory, digest
from sites_data.schema import LocalizedText, Origin, Site
from sites_data.store import SiteStore, StaleRevision

log = logging.getLogger(__name__)
FIELDS = ("narration", "description")
SAVE_ATTEMPTS = 3


def translate_text(
    text: str, src: str, tgt: str, glossary: Glossary, translator: Translator
) -> str:
    """Translate a text sentence by sentence, with its names protected by the glossary."""
    structure = segments.split(text)
    protected = [[glossary.protect(sentence) for sentence in paragraph] for paragraph in structure]
    flat = [sentence for paragraph in protected for sentence, _ in paragraph]
    raw = iter(translator.translate(flat, src, tgt))
    glue = "" if tgt in segments.UNSPACED else " "
    translated: list[list[str]] = []
    for paragraph in protected:
        out = []
        for sentence, names in paragraph:
            restored = restore(next(raw), names)
            if restored is None:
                restored = translate_around_names(
                    sentence, names, lambda texts: translator.translate(texts, src, tgt), glue
                )
            out.append(restored.strip())
        translated.append(out)
    return segments.join(translated, tgt)


def best_source(site: Site, field_name: str, tgt: str) -> str | None:
    """The language of the best human (or reviewed) text to translate ``tgt`` from."""
    texts: dict[str, LocalizedText] = getattr(site, field_name)
    for src in narration_language(tgt).translate_from:
        text = texts.get(src)
        if text is not None and text.origin != Origin.MACHINE:
            return src
    return None


@dataclass
class DraftReport:
    """What drafting did for one site: per language, the model used or why it failed."""

    site_key: str
    drafted: dict[str, str] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def languages_to_draft(site: Site, langs: list[str]) -> list[str]:
    """The languages in which a draft may change something: some translated field is missing
    or is machine text (a person's text is never replaced)."""
    return [
        lang
        for lang in langs
        if any(
            (text := getattr(site, name).get(lang)) is None or text.origin == Origin.MACHINE
            for name in FIELDS
        )
    ]


class MachineDrafts:
    def __init__(self, store: SiteStore, translator: Translator, memory: TranslationMemory):
        self.store = store
        self.translator = translator
        self.memory = memory

    def draft(
        self, site_key: str, langs: list[str], author: str | None = None
    ) -> tuple[Site, DraftReport]:
        """Make sure the site has a current text in every language of ``langs``; the revision
        is by ``author`` (who asked), else by the narration and its models."""
        for _attempt in range(SAVE_ATTEMPTS):
            stored = self.store.get(site_key)
            site, report = self._translated(stored.site, langs)
            if not report.drafted:
                return site, report
            models = ", ".join(sorted(set(report.drafted.values())))
            try:
                saved = self.store.update(site, stored.revision, author or f"narration ({models})")
            except StaleRevision:
                continue  # a person saved in between: translate against their version
            return saved.site, report
        raise NarrationError(f"{site_key} kept changing while it was being translated; try again")

    def _translated(self, site: Site, langs: list[str]) -> tuple[Site, DraftReport]:
        report = DraftReport(site.key)
        all_sites = list(self.store.catalogue().sites.values())
        new_texts: dict[str, dict[str, LocalizedText]] = {name: {} for name in FIELDS}
        for lang in langs:
            failures = []
            for name in FIELDS:
                try:
                    text = self._text(site, name, lang, all_sites)
                except NarrationError as error:
                    if str(error) not in failures:  # an absent model fails every field alike
                        failures.append(str(error))
                    continue
                if text is not None:
                    new_texts[name][lang] = text
                    report.drafted[lang] = text.model or ""
            if failures:
                report.failed[lang] = "; ".join(failures)
            elif lang not in report.drafted:
                report.kept.append(lang)
        update = {
            name: {**getattr(site, name), **texts} for name, texts in new_texts.items() if texts
        }
        return site.model_copy(update=update), report

    def _text(
        self, site: Site, field_name: str, lang: str, all_sites: list[Site]
    ) -> LocalizedText | None:
        """A new machine text for this field and language, or None when the current one stays."""
        texts: dict[str, LocalizedText] = getattr(site, field_name)
        current = texts.get(lang)
        if current is not None and current.origin != Origin.MACHINE:
            return None
        src = best_source(site, field_name, lang)
        if src is None:
            raise NarrationError(f"{site.key} has no human {field_name} to translate into {lang}")
        glossary = Glossary.build(site, all_sites, src, lang)
        source_text = texts[src].text
        source = json.dumps({"text": source_text, "names": glossary.terms}, sort_keys=True)
        if current is not None and current.model:
            made_from = self.memory.sources_of(current.model, lang, current.text)
            if not made_from or digest(source) in made_from:
                return None
        model = self.translator.model_id(src, lang)
        translated = translate_text(source_text, src, lang, glossary, self.translator)
        if not translated.strip():
            raise NarrationError(f"{model} translated the {field_name} of {site.key} as nothing")
        self.memory.remember_text(model, src, lang, source, translated)
        log.info("%s: %s translated into %s by %s", site.key, field_name, lang, model)
        return LocalizedText(text=translated, origin=Origin.MACHINE, model=model)


class TranslatedTexts:
    """The text to speak per language: drafting machine texts for the languages a site lacks."""

    def __init__(self, drafts: MachineDrafts) -> None:
        self.drafts = drafts

    def spoken_texts(self, site: Site, langs: list[str]) -> dict[str, SpokenText | str]:
        site, report = self.drafts.draft(site.key, langs)
        texts: dict[str, SpokenText | str] = {}
        for lang in langs:
            stored = site.narration.get(lang)
            if stored is None:
                texts[lang] = report.failed.get(lang, f"{site.key} has no narration in {lang}")
            else:
                texts[lang] = SpokenText(stored.text, stored.origin, stored.model)
        return texts
