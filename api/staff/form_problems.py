"""What is wrong with a site form, in words a staff member reads without knowing the schema.

Pydantic's errors (``Input should be a valid number…``) and the schema's own rules become
``StaffMessage``s keyed by the field they belong to; each names the field as the form labels
it and, where it helps, shows an example of what to write.
"""

import re
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from api.staff.text import StaffMessage

# What to write, by field, for the messages that show an example.
EXAMPLES = {"location.lat": "13.7869", "location.lon": "109.2196", "amount": "30000"}

BY_TYPE = {
    "missing": "problem_missing",
    "string_too_short": "problem_missing",
    "too_short": "problem_missing",
    "string_too_long": "problem_too_long",
    "float_parsing": "problem_not_a_number",
    "float_type": "problem_not_a_number",
    "int_parsing": "problem_not_a_whole_number",
    "int_type": "problem_not_a_whole_number",
    "int_from_float": "problem_not_a_whole_number",
    "greater_than_equal": "problem_at_least",
    "greater_than": "problem_more_than",
    "less_than_equal": "problem_at_most",
    "date_from_datetime_parsing": "problem_date",
    "date_parsing": "problem_date",
    "date_type": "problem_date",
    "literal_error": "problem_choice",
    "enum": "problem_choice",
    "extra_forbidden": "problem_unknown_field",
}
# Patterns of the texts the form has, by the end of the field's path.
PATTERNS = {"opens": "problem_clock", "closes": "problem_clock", "url": "problem_url"}

# The schema's own rules (sites_data/schema.py), by the words of their English message.
RULES = [
    (r"status 'regular' needs at least one period", "problem_hours_need_period"),
    (r"status '(?P<status>\w+)' takes no periods", "problem_hours_no_periods"),
    (r"status 'unknown' needs a note", "problem_unknown_needs_note"),
    (r"status 'priced' needs at least one price", "problem_priced_needs_price"),
    (r"status '(?P<status>\w+)' takes no prices", "problem_tickets_no_prices"),
    (
        r"closes \((?P<closes>[^)]*)\) must be later than opens \((?P<opens>[^)]*)\)",
        "problem_closes_early",
    ),
    (r"a day is listed twice", "problem_day_twice"),
    (r"has (?P<words>\d+) words; write (?P<low>\d+) to (?P<high>\d+)", "problem_narration_length"),
    (r"has (?P<words>\d+) words; keep it to (?P<high>\d+)", "problem_description_length"),
    (r"missing language\(s\) (?P<languages>.+)", "problem_missing_languages"),
    (r"must be written or reviewed by a person", "problem_needs_a_person"),
    (r"add the name without diacritics, '(?P<plain>.+)'", "problem_alias_without_marks"),
    (r"lies outside the former (?P<province>.+) province", "problem_outside_province"),
    (r"cannot be related to itself", "problem_related_to_itself"),
]


def _field_path(detail: ErrorDetails) -> tuple[str, str]:
    """The field a problem belongs to and the message without any field named at its start."""
    field = ".".join(str(part) for part in detail["loc"])
    message = str(detail["msg"]).removeprefix("Value error, ")
    head, named, rest = message.partition(": ")
    # Rules about the whole document name their field at the start of the message.
    if named and re.fullmatch(r"[a-z_]+(\.[a-z0-9_]+)*", head):
        field = f"{field}.{head}" if field else head
        message = rest
    return field or "key", message


def _example(field: str) -> str:
    return EXAMPLES.get(field) or EXAMPLES.get(field.rsplit(".", 1)[-1], "")


def problem_message(detail: ErrorDetails, field: str, message: str) -> StaffMessage:
    context: dict[str, Any] = dict(detail.get("ctx") or {})
    kind = detail["type"]
    if kind == "string_pattern_mismatch":
        return StaffMessage(PATTERNS.get(field.rsplit(".", 1)[-1], "problem_format"))
    if kind in BY_TYPE:
        values = {
            "example": _example(field),
            "limit": context.get("ge", context.get("gt", context.get("le", ""))),
            "expected": str(context.get("expected", "")).replace("'", ""),
            "max_length": context.get("max_length", ""),
        }
        return StaffMessage(BY_TYPE[kind], values)
    for pattern, key in RULES:
        if found := re.search(pattern, message):
            return StaffMessage(key, found.groupdict() or {})
    return StaffMessage("problem_as_written", {"detail": message})


def form_problems(error: ValidationError) -> dict[str, list[StaffMessage]]:
    """The problems of a site document, keyed by the field path they belong to."""
    problems: dict[str, list[StaffMessage]] = {}
    for detail in error.errors():
        field, message = _field_path(detail)
        said = problem_message(detail, field, message)
        if said not in problems.setdefault(field, []):
            problems[field].append(said)
    return problems
