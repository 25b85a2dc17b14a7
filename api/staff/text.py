"""The staff pages' texts in Vietnamese and English, read from ``admin_strings.yaml``.

Everything a staff member reads goes through here, messages from the code included: a
refusal or a form problem is a ``StaffMessage`` (a key of ``admin_strings.yaml`` and the
values it names), put into words in the staff member's language when the page is rendered.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from fastapi import Request

ADMIN_STRINGS_FILE = Path(__file__).with_name("admin_strings.yaml")
ADMIN_LANGUAGES = ("vi", "en")
ADMIN_LANGUAGE_COOKIE = "guide_admin_ui"
# The staff work in Vietnam; the database keeps UTC.
STAFF_TIME_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@cache
def admin_strings() -> dict[str, dict[str, str]]:
    strings: dict[str, dict[str, str]] = yaml.safe_load(ADMIN_STRINGS_FILE.read_text("utf-8"))
    return strings


@dataclass(frozen=True)
class StaffMessage:
    """A message for staff: its key in ``admin_strings.yaml`` and the values it names."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.key not in admin_strings():
            raise KeyError(f"{self.key!r} is not in {ADMIN_STRINGS_FILE.name}")

    def text(self, lang: str) -> str:
        template = admin_strings()[self.key][lang]
        return template.format(**self.values) if self.values else template

    def __str__(self) -> str:
        """English, for the JSON API, the command line and the logs."""
        return self.text("en")


class StaffMessageError(Exception):
    """An error whose message staff read: ``StaffMessageError("key", name=value)``."""

    def __init__(self, message_key: str, /, **values: object) -> None:
        self.said = StaffMessage(message_key, values)
        super().__init__(str(self.said))

    @property
    def message(self) -> str:
        return str(self.said)


class AdminText:
    """``t("save")`` or ``t(message)`` → the text in the staff member's language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, name: str | StaffMessage, /, **values: object) -> str:
        message = name if isinstance(name, StaffMessage) else StaffMessage(name, values)
        return message.text(self.lang)


def local_time(moment: datetime, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """A stored (UTC) time as the staff read clocks: Vietnam's time."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("UTC"))
    return aware.astimezone(STAFF_TIME_ZONE).strftime(pattern)


def admin_language(request: Request) -> str:
    """``?ui=``, then the saved choice, then Vietnamese (the staff's own language)."""
    for choice in (request.query_params.get("ui"), request.cookies.get(ADMIN_LANGUAGE_COOKIE)):
        if choice in ADMIN_LANGUAGES:
            return choice
    return "vi"
