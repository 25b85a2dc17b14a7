"""What machine translation could not do, said once per cause in plain words.

An absent translation model fails every language alike; the page says so once, names the
languages, and keeps the technical reason (for whoever installs the model) out of the way.
The reasons come from the site's translation jobs that failed last.
"""

from dataclasses import dataclass

from api.staff.field_labels import LANGUAGE_NAMES
from api.staff.text import StaffMessage
from sites_data.jobs import Job, JobKind, JobStatus

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


def failed_translations(jobs: list[Job]) -> dict[str, str]:
    """language → why its latest translation job failed (``jobs`` newest first); a language
    translated since, or waiting to be, is not listed."""
    latest: dict[str, Job] = {}
    for job in jobs:
        if job.kind == JobKind.TRANSLATION:
            latest.setdefault(job.lang, job)
    return {lang: job.error or "" for lang, job in latest.items() if job.status == JobStatus.FAILED}


def draft_failures(failed: dict[str, str]) -> list[DraftFailure]:
    """The failed languages grouped by cause, each cause with the first reason given for it."""
    grouped: dict[str, tuple[list[str], str]] = {}
    for lang, reason in failed.items():
        languages, _ = grouped.setdefault(_cause(reason), ([], reason))
        languages.append(lang)
    return [
        DraftFailure(StaffMessage(key), languages, detail)
        for key, (languages, detail) in grouped.items()
    ]
