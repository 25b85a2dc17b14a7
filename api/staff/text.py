"""The staff pages' texts in Vietnamese and English, read from ``admin_strings.yaml``."""

from functools import cache
from pathlib import Path

import yaml
from fastapi import Request

ADMIN_STRINGS_FILE = Path(__file__).with_name("admin_strings.yaml")
ADMIN_LANGUAGES = ("vi", "en")
ADMIN_LANGUAGE_COOKIE = "guide_admin_ui"


@cache
def admin_strings() -> dict[str, dict[str, str]]:
    strings: dict[str, dict[str, str]] = yaml.safe_load(ADMIN_STRINGS_FILE.read_text("utf-8"))
    return strings


class AdminText:
    """``t("save")`` → the text in the staff member's language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, name: str, **values: object) -> str:
        text = admin_strings()[name][self.lang]
        return text.format(**values) if values else text


def admin_language(request: Request) -> str:
    """``?ui=``, then the saved choice, then Vietnamese (the staff's own language)."""
    for choice in (request.query_params.get("ui"), request.cookies.get(ADMIN_LANGUAGE_COOKIE)):
        if choice in ADMIN_LANGUAGES:
            return choice
    return "vi"
