"""The open data and what a site's page tells other programs, checked by third-party
validators: geojson-pydantic (GeoJSON, RFC 7946), frictionless (the CSV against its Data
Package), opening-hours-py (OpenStreetMap's opening_hours syntax), extruct (JSON-LD and
Open Graph as found in the page) and pyld (JSON-LD expansion).
"""

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import extruct
import frictionless
import opening_hours
import pytest
from fastapi.testclient import TestClient
from geojson_pydantic import FeatureCollection
from pyld import jsonld

from api.app import create_app
from api.open_data import DAY_ORDER, osm_hours
from api.services import Services
from api.settings import Settings
from sites_data.db import Database, make_engine, upgrade
from sites_data.languages import LANGUAGE_CODES, LANGUAGES
from sites_data.schema import OpeningPeriod, Site
from sites_data.store import SiteStore

BASE_URL = "https://guide.example.vn"
SCHEMA = "http://schema.org/"
# schema.org's context maps every term into its vocabulary; the tests have no network, so
# pyld gets this stand-in for the one it would download.
SCHEMA_CONTEXT = {"@context": {"@vocab": SCHEMA}}


@pytest.fixture
def shipped(shipped_sites: list[Site], tmp_path: Path) -> Iterator[TestClient]:
    """The guide on a database holding every shipped site."""
    url = f"sqlite:///{tmp_path / 'open.db'}"
    engine = make_engine(url)
    upgrade(engine)
    SiteStore(Database(engine)).load(shipped_sites)
    settings = Settings(
        database_url=url,
        public_base_url=BASE_URL,
        cache_dir=str(tmp_path / "cache"),
        audio_dir=str(tmp_path / "audio"),
    )
    with TestClient(create_app(settings)) as client:
        yield client


def _services(client: TestClient) -> Services:
    services: Services = client.app.state.services  # type: ignore[attr-defined]
    return services


def _latest_change(client: TestClient) -> datetime:
    moments = [stored.updated_at for stored in _services(client).store.sites(True)]
    return max(m.replace(tzinfo=UTC) if m.tzinfo is None else m for m in moments)


def _geojson(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/open/sites.geojson")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/geo+json"
    FeatureCollection.model_validate_json(response.content)
    document: dict[str, Any] = response.json()
    return document


def _csv(client: TestClient) -> list[dict[str, str]]:
    response = client.get("/api/open/sites.csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"), newline="")))


def _schema_org_context(url: str, options: dict[str, Any]) -> dict[str, Any]:
    assert url.rstrip("/") in {"https://schema.org", "http://schema.org"}, url
    return {"contextUrl": None, "documentUrl": url, "document": SCHEMA_CONTEXT}


def _structured_data(html: str) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The page's one JSON-LD item, expanded, and its Open Graph properties."""
    found = extruct.extract(html, base_url=BASE_URL, syntaxes=["json-ld", "opengraph"])
    (item,) = found["json-ld"]
    (expanded,) = jsonld.expand(item, {"documentLoader": _schema_org_context})
    (graph,) = found["opengraph"]
    properties: dict[str, list[str]] = {}
    for name, content in graph["properties"]:
        properties.setdefault(name, []).append(content)
    return expanded, properties


def _values(node: dict[str, Any], name: str) -> list[Any]:
    return [value.get("@value", value.get("@id")) for value in node.get(SCHEMA + name, [])]


def test_the_geojson_holds_every_public_site_with_its_licence(
    shipped: TestClient, shipped_sites: list[Site]
) -> None:
    document = _geojson(shipped)
    by_key = {site.key: site for site in shipped_sites}
    assert sorted(feature["id"] for feature in document["features"]) == sorted(by_key)
    for feature in document["features"]:
        site, properties = by_key[feature["id"]], feature["properties"]
        # RFC 7946: longitude first.
        assert feature["geometry"]["coordinates"] == [site.location.lon, site.location.lat]
        assert properties["url"] == f"{BASE_URL}/s/{site.key}"
        assert properties["names"] == site.names and set(properties["names"]) == set(LANGUAGE_CODES)
        assert properties["description"]["en"]["text"] == site.description["en"].text
        assert properties["province"]["former"] == site.province.former
        assert properties["opening_hours"]["status"] == site.opening_hours.status
        assert properties["tickets"]["status"] == site.tickets.status
    assert document["licence"]["name"] == "CC-BY-4.0"
    assert document["licence"]["url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "sources cited for each site" in document["licence"]["attribution"]
    updated = datetime.fromisoformat(document["updated"])
    assert updated == _latest_change(shipped).replace(microsecond=0)


def test_reported_figures_keep_their_source_and_are_never_confirmed(
    shipped: TestClient, shipped_sites: list[Site]
) -> None:
    features = {feature["id"]: feature["properties"] for feature in _geojson(shipped)["features"]}
    rows = {row["key"]: row for row in _csv(shipped)}
    reported_hours = [site for site in shipped_sites if site.opening_hours.status == "reported"]
    reported_tickets = [site for site in shipped_sites if site.tickets.status == "reported"]
    assert reported_hours and reported_tickets
    for site in reported_hours:
        hours = features[site.key]["opening_hours"]
        assert hours["periods"] == [] and rows[site.key]["hours"] == ""
        for version, shown in zip(site.opening_hours.reported, hours["reported"], strict=True):
            assert shown["source"]["url"] == version.source.url
            assert shown["read"] == version.read.isoformat()
            assert version.source.url in rows[site.key]["hours_reported"]
            assert f"read {version.read.isoformat()}" in rows[site.key]["hours_reported"]
    for site in reported_tickets:
        tickets = features[site.key]["tickets"]
        assert tickets["prices"] == [] and rows[site.key]["tickets"] == ""
        assert len(tickets["reported"]) == len(site.tickets.reported)
        for version in site.tickets.reported:
            assert f"read {version.read.isoformat()}" in rows[site.key]["tickets_reported"]


def test_machine_drafts_stay_labelled(client: TestClient) -> None:
    features = {feature["id"]: feature["properties"] for feature in _geojson(client)["features"]}
    french = features["test-museum"]["description"]["fr"]
    assert french == {"text": "Un musée.", "origin": "machine", "model": "opus-mt-en-fr"}
    assert features["test-museum"]["description"]["en"]["origin"] == "human"
    rows = {row["key"]: row for row in _csv(client)}
    assert rows["test-museum"]["description_fr"] == "Un musée."
    assert rows["test-museum"]["description_machine_drafts"] == "fr"
    # A language with no description yet is empty, not another language's text.
    assert (
        rows["test-tower"]["description_fr"]
        == ""
        == rows["test-tower"]["description_machine_drafts"]
    )


def test_the_csv_is_valid_against_its_data_package(
    shipped: TestClient, shipped_sites: list[Site], tmp_path: Path
) -> None:
    response = shipped.get("/api/open/sites.csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        'attachment; filename="heritage-guide-sites.csv"'
    )
    assert 'rel="license"' in response.headers["link"]
    modified = parsedate_to_datetime(response.headers["last-modified"])
    assert modified == _latest_change(shipped).replace(microsecond=0)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"), newline="")))
    assert len(rows) == 1 + len(shipped_sites)
    assert {f"name_{code}" for code in LANGUAGE_CODES} <= set(rows[0])

    package = shipped.get("/api/open/datapackage.json").json()
    assert package["licenses"][0]["path"] == "https://creativecommons.org/licenses/by/4.0/"
    assert package["resources"][0]["path"] == f"{BASE_URL}/api/open/sites.csv"
    # Validated offline: the package names the CSV by its address; here, by the saved copy.
    (tmp_path / "sites.csv").write_bytes(response.content)
    package["resources"][0]["path"] = "sites.csv"
    (tmp_path / "datapackage.json").write_text(json.dumps(package), "utf-8")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["type", "rowNumber", "fieldName", "note"])


@pytest.mark.parametrize(
    "periods",
    [
        [{"days": list(DAY_ORDER), "opens": "07:00", "closes": "17:30"}],
        [
            {"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "07:00", "closes": "11:00"},
            {"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "13:30", "closes": "17:00"},
            {"days": ["sat"], "opens": "07:00", "closes": "11:00"},
            {"days": ["tue", "sun"], "opens": "19:00", "closes": "21:00"},
        ],
    ],
)
def test_confirmed_hours_read_the_same_in_openstreetmap_syntax(
    periods: list[dict[str, Any]],
) -> None:
    models = [OpeningPeriod.model_validate(period) for period in periods]
    parsed = opening_hours.OpeningHours(osm_hours(models))
    monday = datetime(2026, 11, 30)
    for quarter in range(7 * 24 * 4):
        moment = monday + timedelta(minutes=15 * quarter)
        clock, day = moment.strftime("%H:%M"), DAY_ORDER[moment.weekday()]
        expected = any(
            day in period.days and period.opens <= clock < period.closes for period in models
        )
        assert parsed.is_open(moment) == expected, (osm_hours(models), moment)


def test_an_archived_site_leaves_the_open_data_which_dates_the_change(client: TestClient) -> None:
    store = _services(client).store
    museum = store.get("test-museum")
    store.set_archived("test-museum", True, museum.revision, "test")
    document = _geojson(client)
    assert [feature["id"] for feature in document["features"]] == ["far-away", "test-tower"]
    assert [row["key"] for row in _csv(client)] == ["far-away", "test-tower"]
    archived_at = store.get("test-museum").updated_at.replace(tzinfo=UTC, microsecond=0)
    assert datetime.fromisoformat(document["updated"]) == archived_at


def test_the_qr_page_describes_the_site_as_a_tourist_attraction(client: TestClient) -> None:
    node, _ = _structured_data(client.get("/s/test-tower", params={"lang": "fr"}).text)
    page = "http://127.0.0.1:8000/s/test-tower/fr"
    assert node["@type"] == [SCHEMA + "TouristAttraction"]
    assert _values(node, "name") == ["Tour d'essai"]
    assert _values(node, "alternateName") == ["Tháp Thử Nghiệm"]
    assert _values(node, "description") == ["A tower for tests."]
    assert _values(node, "url") == [page]
    (about,) = node[SCHEMA + "mainEntityOfPage"]
    assert about["@id"] == page and _values(about, "inLanguage") == ["fr"]
    (geo,) = node[SCHEMA + "geo"]
    assert geo["@type"] == [SCHEMA + "GeoCoordinates"]
    assert (_values(geo, "latitude"), _values(geo, "longitude")) == ([13.78], [109.21])
    (address,) = node[SCHEMA + "address"]
    assert address["@type"] == [SCHEMA + "PostalAddress"]
    assert _values(address, "addressRegion") == ["Gia Lai"]
    (hours,) = node[SCHEMA + "openingHoursSpecification"]
    assert _values(hours, "dayOfWeek") == [
        "https://schema.org/Monday",
        "https://schema.org/Tuesday",
    ]
    assert (_values(hours, "opens"), _values(hours, "closes")) == (["07:00"], ["17:00"])
    assert _values(node, "isAccessibleForFree") == [False]


def test_only_confirmed_hours_and_tickets_reach_the_structured_data(
    shipped: TestClient, shipped_sites: list[Site]
) -> None:
    # The shipped sites have no confirmed hours (test-tower has); reported ones, and free sites.
    assert {site.opening_hours.status for site in shipped_sites} >= {"reported", "open_access"}
    assert {site.tickets.status for site in shipped_sites} >= {"free", "reported", "unknown"}
    for site in shipped_sites:
        node, _ = _structured_data(shipped.get(f"/s/{site.key}?lang=en").text)
        periods = node.get(SCHEMA + "openingHoursSpecification", [])
        assert len(periods) == len(site.opening_hours.periods), site.key
        free = {"free": [True], "priced": [False]}.get(site.tickets.status, [])
        assert _values(node, "isAccessibleForFree") == free, site.key


def test_the_qr_page_has_open_graph_tags_and_a_plain_share_link(client: TestClient) -> None:
    html = client.get("/s/test-tower", params={"lang": "ko"}).text
    _, graph = _structured_data(html)
    page = "http://127.0.0.1:8000/s/test-tower/ko"
    assert graph["og:title"] == ["테스트 탑"]
    assert graph["og:description"] == ["A tower for tests."]
    assert graph["og:url"] == [page] and graph["og:type"] == ["website"]
    assert graph["og:locale"] == ["ko_KR"]
    others = [language.locale for language in LANGUAGES if language.code != "ko"]
    assert graph["og:locale:alternate"] == others
    assert f'<a class="button" id="share" href="{page}"' in html
    # No app's script: every script comes from the guide itself.
    scripts = re.findall(r'<script[^>]*\bsrc="([^"]+)"', html)
    assert scripts and all(src.startswith("/") for src in scripts)
