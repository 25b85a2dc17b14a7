"""Choosing the language of a response: explicit choice, then Accept-Language, then Vietnamese."""

from sites_data.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES, UnsupportedLanguage

# The one answer to a language code the guide does not speak, in a query, a form or a path:
# the request is well-formed but one of its values is not acceptable, as FastAPI answers any
# parameter that fails validation. (404 is for things that could exist but do not: a
# supported language whose narration is not built yet.)
UNSUPPORTED_LANGUAGE_STATUS = 422


def from_accept_language(header: str | None) -> str | None:
    """The supported language the browser prefers most, if any (``fr-CH, fr;q=0.9, en;q=0.8``)."""
    ranked = accepted_languages(header)
    return ranked[0] if ranked else None


def accepted_languages(header: str | None) -> list[str]:
    """The supported languages the browser accepts, most preferred first."""
    if not header:
        return []
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        code = tag.strip().lower().split("-")[0]
        if code in LANGUAGE_CODES and quality > 0:
            ranked.append((-quality, position, code))
    return list(dict.fromkeys(code for _, _, code in sorted(ranked)))


def choose_language(explicit: str | None, saved: str | None, accept_language: str | None) -> str:
    """``?lang=`` (must be supported), then a saved choice, then the browser's, then Vietnamese."""
    if explicit is not None:
        code = explicit.strip().lower()
        if code not in LANGUAGE_CODES:
            raise UnsupportedLanguage(explicit)
        return code
    if saved in LANGUAGE_CODES:
        return saved
    return from_accept_language(accept_language) or DEFAULT_LANGUAGE
