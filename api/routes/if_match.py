"""``If-Match``: the revision of a site a change was based on (its ``ETag``)."""

from typing import Annotated

from fastapi import Header, HTTPException

from api.input_checks import REVISION_PATTERN, optional_text, revision_number


def revision_from_if_match(if_match: str | None) -> int:
    """The revision a change was based on, from ``If-Match: "7"`` (or ``7``)."""
    if if_match is None:
        raise HTTPException(
            status_code=428,
            detail='Send If-Match with the revision you edited, e.g. If-Match: "7"',
        )
    revision = revision_number(if_match)
    if revision is None:
        raise HTTPException(
            status_code=400,
            detail=f"If-Match {if_match!r} is not a revision number; "
            'send the ETag of the site you edited, e.g. "7"',
        )
    return revision


IfMatch = Annotated[
    str | None,
    Header(
        description='The revision edited, e.g. "7"',
        json_schema_extra=optional_text(pattern=REVISION_PATTERN),
    ),
]


def optional_revision(if_match: str | None) -> int | None:
    """The revision in ``If-Match`` when one is sent, for changes that may go without it."""
    return None if if_match is None else revision_from_if_match(if_match)
