"""Reading the map's own data files (labels, tours) with the knowledge base's error style.

Every problem is reported as ``file: field: what is wrong``, like the site files.
"""

from pathlib import Path
from typing import Annotated

import yaml
from pydantic import AfterValidator, ValidationError

from sites_data.files import Problem, display_path
from sites_data.languages import LANGUAGE_CODES
from sites_data.schema import LanguageCode, Text


def _every_language(translations: dict[str, str]) -> dict[str, str]:
    missing = [code for code in LANGUAGE_CODES if code not in translations]
    if missing:
        raise ValueError(f"missing language(s) {', '.join(missing)}")
    return translations


# A text the map shows, in every supported language.
Translations = Annotated[dict[LanguageCode, Text], AfterValidator(_every_language)]


class MapDataError(Exception):
    """A map data file that cannot be used; ``problems`` says why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def read_yaml(path: Path) -> object:
    """The YAML document in ``path``; a missing or malformed file raises MapDataError."""
    name = display_path(path)
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MapDataError([Problem(name, "(path)", "does not exist")]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(file)"
        reason = getattr(error, "problem", None) or str(error)
        raise MapDataError([Problem(name, where, f"not valid YAML: {reason}")]) from None


_PLAIN_MESSAGES = {
    "missing": "is required but missing",
    "extra_forbidden": "is not a known field; check its spelling and indentation",
}


def invalid(path: Path, error: ValidationError) -> MapDataError:
    """The validation errors of a data file as problems naming the file and the field."""
    problems = []
    for detail in error.errors():
        message = _PLAIN_MESSAGES.get(detail["type"]) or detail["msg"].removeprefix("Value error, ")
        field = ".".join(str(part) for part in detail["loc"]) or "(file)"
        problems.append(Problem(display_path(path), field, message))
    return MapDataError(problems)
