"""Choosing the language of a response: explicit choice, then Accept-Language, then Vietnamese
for a browser that names no language and English for one that names only languages the guide
does not speak."""

from sites_data.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES, UnsupportedLanguage

# A visitor whose browser asks only for other languages (Spanish, Thai…) is a foreign
# visitor: English serves them better than Vietnamese.
FOREIGN_VISITOR_LANGUAGE = "en"

# The one answer to a language code the guide does not speak, in a query, a form or a path:
# the request is well-formed but one of its values is not acceptable, as FastAPI answers any
# parameter that fails validation. (404 is for things that could exist but do not: a
# supported language whose narration is not built yet.)
UNSUPPORTED_LANGUAGE_STATUS = 422


class UnsupportedPageLanguage(UnsupportedLanguage):
    """``?lang=`` of a request names a language the guide does not speak."""

    location = ("query", "lang")


class UnsupportedPathLanguage(UnsupportedLanguage):
    """The language segment of a page's address names a language the guide does not speak."""

    location = ("path", "lang")


def from_accept_language(header: str | None) -> str | None:
    """The supported language the browser prefers most, if any (``fr-CH, fr;q=0.9, en;q=0.8``)."""
    ranked = accepted_languages(header)
    return ranked[0] if ranked else None


def accepted_languages(header: str | None) -> list[str]:
    """The supported languages the browser accepts, most preferred first."""
    ranked = [
        (-quality, position, code)
        for position, (code, quality) in enumerate(_accepted(header))
        if code in LANGUAGE_CODES
    ]
    return list(dict.fromkeys(code for _, _, code in sorted(ranked)))


def _accepted(header: str | None) -> list[tuple[str, float]]:
    """Every language the header names (``*`` is no language), as (primary subtag, q)."""
    languages = []
    for part in (header or "").split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        code = tag.strip().lower().split("-")[0]
        if code and code != "*" and quality > 0:
            languages.append((code, quality))
    return languages


def choose_language(explicit: str | None, saved: str | None, accept_language: str | None) -> str:
    """``?lang=`` (must be supported), then a saved choice, then the browser's; then English
    for a browser that asks only for other languages, Vietnamese for one that names none."""
    if explicit is not None:
        code = explicit.strip().lower()
        if code not in LANGUAGE_CODES:
            raise UnsupportedLanguage(explicit)
        return code
    if saved in LANGUAGE_CODES:
        return saved
    if chosen := from_accept_language(accept_language):
        return chosen
    return FOREIGN_VISITOR_LANGUAGE if _accepted(accept_language) else DEFAULT_LANGUAGE
