"""Reading the map's own data files (labels, tours) with the knowledge base's error style.

Every problem is reported as ``file: field: what is wrong``, like the site files.
"""

from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, ValidationError

from sites_data.files import Problem, display_path, validation_problems
from sites_data.files import read_yaml as read_data_file
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
    document, problems = read_data_file(path)
    if problems:
        raise MapDataError(problems)
    return document


def invalid(path: Path, error: ValidationError) -> MapDataError:
    """The validation errors of a data file as problems naming the file and the field."""
    return MapDataError(validation_problems(display_path(path), error))
