"""The text each narration speaks: the human text of a language, or its machine translation."""

from dataclasses import dataclass
from typing import Protocol

from sites_data.schema import Site


@dataclass(frozen=True)
class SpokenText:
    text: str
    origin: str  # the text's origin in the knowledge base: human, reviewed or machine
    model: str | None = None


class TextSource(Protocol):
    def spoken_texts(self, site: Site, langs: list[str]) -> dict[str, SpokenText | str]:
        """The text to speak per language, or why there is none."""


class KnowledgeBaseTexts:
    """The narration texts the knowledge base already holds; no translation."""

    def spoken_texts(self, site: Site, langs: list[str]) -> dict[str, SpokenText | str]:
        texts: dict[str, SpokenText | str] = {}
        for lang in langs:
            stored = site.narration.get(lang)
            if stored is None:
                texts[lang] = f"{site.key} has no narration text in {lang} yet"
            else:
                texts[lang] = SpokenText(stored.text, stored.origin, stored.model)
        return texts
