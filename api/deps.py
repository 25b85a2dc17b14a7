"""Typed dependencies shared by the routes."""

from typing import Annotated

from fastapi import Cookie, Depends, Header, HTTPException, Query, Request

from api.input_checks import invalid_input, optional_text
from api.language import UnsupportedLanguage, choose_language
from api.settings import Settings
from sites_data.languages import LANGUAGE_CODES
from sites_data.schema import Site
from sites_data.store import Catalogue, SiteStore

LANGUAGE_COOKIE = "guide_lang"
# The supported codes, for the schema; ``?lang=EN`` is forgiven too.
LANGUAGE_CODE = {"enum": list(LANGUAGE_CODES)}


def get_store(request: Request) -> SiteStore:
    store: SiteStore = request.app.state.store
    return store


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_language(
    lang: Annotated[
        str | None,
        Query(
            description="Language code: vi en zh ko ja fr ru de",
            json_schema_extra=optional_text(**LANGUAGE_CODE),
        ),
    ] = None,
    saved: Annotated[str | None, Cookie(alias=LANGUAGE_COOKIE, include_in_schema=False)] = None,
    accept_language: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> str:
    try:
        return choose_language(lang, saved, accept_language)
    except UnsupportedLanguage as error:
        raise invalid_input((("query", "lang"), str(error))) from None


def public_site(catalogue: Catalogue, key: str) -> Site:
    """The public site with this key, or a 404 that says where to find the keys."""
    site = catalogue.sites.get(key)
    if site is None:
        raise HTTPException(status_code=404, detail=f"no site has the key {key!r}; see /api/sites")
    return site


StoreDep = Annotated[SiteStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
LanguageDep = Annotated[str, Depends(get_language)]
