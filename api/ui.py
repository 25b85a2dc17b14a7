"""The texts of the public pages in every language, read from ``ui_strings.yaml``."""

from functools import cache
from pathlib import Path

import yaml

from sites_data.languages import LANGUAGE_BY_CODE, LANGUAGES

UI_STRINGS_FILE = Path(__file__).with_name("ui_strings.yaml")
NATIVE_NAMES = {language.code: language.native_name for language in LANGUAGES}


@cache
def ui_strings() -> dict[str, dict[str, str]]:
    strings: dict[str, dict[str, str]] = yaml.safe_load(UI_STRINGS_FILE.read_text("utf-8"))
    return strings


class UiText:
    """``t("listen")`` → the text in this page's language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, name: str, **values: str) -> str:
        text = ui_strings()[name][self.lang]
        return text.format(**values) if values else text

    def language(self, code: str) -> str:
        """Language ``code`` named in this page's language ("영어" for ``en`` on a Korean page)."""
        return LANGUAGE_BY_CODE[code].name_in(self.lang)

    def thousands_separator(self) -> str:
        return LANGUAGE_BY_CODE[self.lang].thousands_separator

    def days(self) -> list[str]:
        return self("days").split(",")

    def strings(self, *names: str) -> dict[str, str]:
        return {name: self(name) for name in names}
