"""What a round of machine translation could not do, said once per cause in plain words.

An absent translation model fails every language alike; the page says so once, names the
languages, and keeps the technical reason (for whoever installs the model) out of the way.
"""

from dataclasses import dataclass

from api.staff.field_labels import LANGUAGE_NAMES
from api.staff.text import StaffMessage
from narration.translation.drafts import DraftReport

# Words of the translation's own messages → the cause a staff member can act on.
CAUSES = [
    (("is not on this machine", "cannot be loaded", "has no model for"), "drafts_no_model"),
    (("has no human",), "drafts_no_source"),
]


@dataclass(frozen=True)
class DraftFailure:
    said: StaffMessage
    languages: list[str]
    detail: str

    @property
    def language_names(self) -> str:
        return ", ".join(LANGUAGE_NAMES[code] for code in self.languages)


def _cause(reason: str) -> str:
    for words, key in CAUSES:
        if any(word in reason for word in words):
            return key
    return "drafts_failed_other"


def draft_failures(report: DraftReport | None) -> list[DraftFailure]:
    """The failed languages grouped by cause, each cause with the first reason given for it."""
    grouped: dict[str, tuple[list[str], str]] = {}
    for lang, reason in (report.failed if report else {}).items():
        languages, _ = grouped.setdefault(_cause(reason), ([], reason))
        languages.append(lang)
    return [
        DraftFailure(StaffMessage(key), languages, detail)
        for key, (languages, detail) in grouped.items()
    ]
