"""The text each narration speaks, as the build sees it."""

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
