"""Every shipped site survives the staff form unchanged, in every language."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.datastructures import FormData

from api.app import create_app
from api.settings import Settings
from api.staff.site_form import check_document, form_document
from sites_data.db import Database, make_engine, upgrade
from sites_data.files import json_document
from sites_data.languages import LANGUAGE_CODES
from sites_data.schema import Site
from sites_data.store import SiteStore
from tests.api.admin.factories import make_staff, sign_in
from tests.api.admin.forms import form_fields


@pytest.fixture(scope="module")
def shipped_client(
    tmp_path_factory: pytest.TempPathFactory, shipped_sites: list[Site]
) -> Iterator[TestClient]:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('shipped')) / 'guide.db'}"
    engine = make_engine(url)
    upgrade(engine)
    SiteStore(Database(engine)).load(shipped_sites)
    make_staff(url)
    with TestClient(create_app(Settings(database_url=url))) as client:
        sign_in(client, "eva")
        yield client


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_the_form_of_every_shipped_site_gives_back_the_same_site(
    shipped_client: TestClient, shipped_sites: list[Site], lang: str
) -> None:
    for site in shipped_sites:
        html = shipped_client.get(f"/admin/sites/{site.key}?lang={lang}").text
        document = json_document(site)
        submitted = form_document(document, FormData(form_fields(html, "site-form")), lang)
        checked, problems = check_document(submitted)
        assert problems == {}, site.key
        assert checked == site, site.key
