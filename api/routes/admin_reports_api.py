"""The JSON admin API's reports: unanswered questions, narration plays, conversations."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import CurrentStaff, ServicesDep, StaffActor
from api.staff import actions
from api.staff.api_models import DailyCountPublic, HandledRequest, QuestionPublic
from sites_data.activity import Counted, DailyCount
from sites_data.db import utcnow

router = APIRouter(prefix="/reports")

ReportDays = Annotated[int, Query(ge=1, le=366, description="How many days back, today included")]


@router.get("/unanswered")
def unanswered(
    _staff: CurrentStaff,
    services: ServicesDep,
    lang: str | None = None,
    include_handled: bool = False,
) -> list[QuestionPublic]:
    """Questions the assistant could not answer, newest first."""
    return [
        QuestionPublic(**question.__dict__)
        for question in services.activity.questions(include_handled, lang)
    ]


@router.get("/unanswered/by-language")
def unanswered_by_language(_staff: CurrentStaff, services: ServicesDep) -> dict[str, int]:
    """How many questions wait for staff in each language, most first."""
    return services.activity.open_questions_by_language()


@router.post("/unanswered/handled")
def mark_handled(body: HandledRequest, actor: StaffActor, services: ServicesDep) -> dict[str, int]:
    """Mark questions handled by this staff member; says how many changed."""
    return {"handled": actions.mark_handled(services, actor, body.ids)}


def _counts(counts: list[DailyCount]) -> list[DailyCountPublic]:
    return [DailyCountPublic(**count.__dict__) for count in counts]


@router.get("/plays")
def plays(
    _staff: CurrentStaff, services: ServicesDep, days: ReportDays = 30
) -> list[DailyCountPublic]:
    """Narration plays per site, language and day, newest day first."""
    since = utcnow().date() - timedelta(days=days - 1)
    return _counts(services.activity.daily_counts(Counted.PLAY, since))


@router.get("/conversations")
def conversations(
    _staff: CurrentStaff, services: ServicesDep, days: ReportDays = 30
) -> list[DailyCountPublic]:
    """Conversations started per language and day, newest day first."""
    since = utcnow().date() - timedelta(days=days - 1)
    return _counts(services.activity.daily_counts(Counted.CONVERSATION, since))
