"""The staff side of the narration: machine drafts of the languages a site lacks, and every
version of a site's audio to listen to.

The pages and the JSON API both go through these functions. The narration itself is the
application's one ``Narration`` (``app.state.narration``).
"""

from typing import Annotated

from fastapi import Depends, Request

from api.staff.audit import Action
from api.staff.auth import StaffServices
from api.staff.sessions import Staff
from narration.service import Narration
from narration.translation.drafts import DraftReport
from sites_data.jobs import JobKind


def get_narration(request: Request) -> Narration:
    narration: Narration = request.app.state.narration
    return narration


NarrationDep = Annotated[Narration, Depends(get_narration)]


def draft_missing_languages(
    services: StaffServices,
    narration: Narration,
    staff: Staff,
    key: str,
    address: str | None = None,
) -> DraftReport:
    """Machine texts for every language the site lacks (never over a person's text); the
    narration of each drafted language is queued to be rebuilt, as a save does.

    Raises ``UnknownSite``, or ``NarrationError`` when the drafts could not be saved."""
    report = narration.create_machine_drafts(key)
    for lang in report.drafted:
        services.jobs.enqueue(JobKind.NARRATION, key, lang, staff.username)
    services.audit.record(
        staff.username,
        Action.MACHINE_DRAFTS,
        key,
        {"drafted": report.drafted, "kept": report.kept, "failed": report.failed},
        address,
    )
    return report
