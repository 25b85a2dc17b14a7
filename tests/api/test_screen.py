"""The screen for buses, tourist vehicles and halls (/screen): a slide per site of the tour
in visiting order, each with its name, short description and the QR code of its page; a
clear page for a wrong language or tour. (Its loop, QR codes and offline playing are tested
in Chromium: tests/browser/test_offline_in_chromium.py.)"""

import re
from collections.abc import Iterator
from html import unescape

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from maps.tours import read_tours
from sites_data.db import Database, make_engine, upgrade
from sites_data.schema import Site
from sites_data.store import SiteStore

BASE_URL = "https://guide.example.org"


@pytest.fixture(scope="module")
def client(
    shipped_sites: list[Site], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path_factory.mktemp('screen') / 'guide.db'}"
    engine = make_engine(url)
    upgrade(engine)
    SiteStore(Database(engine)).load(shipped_sites)
    engine.dispose()
    with TestClient(create_app(Settings(database_url=url, public_base_url=BASE_URL))) as test:
        yield test


def _slides(page: str) -> list[str]:
    return re.findall(r'<section class="slide" id="slide-([a-z0-9-]+)"', page)


def test_a_tours_screen_shows_its_stops_in_order_each_with_its_qr_code(
    client: TestClient, shipped_sites: list[Site]
) -> None:
    tour = next(tour for tour in read_tours() if tour.key == "phan-rang-cham-crafts")
    answer = client.get("/screen?lang=ja&tour=phan-rang-cham-crafts")
    assert answer.status_code == 200
    page = answer.text
    assert _slides(page) == tour.stops
    sites = {site.key: site for site in shipped_sites}
    for stop in tour.stops:
        section = page[page.index(f'id="slide-{stop}"') :].split("</section>", 1)[0]
        assert f">{sites[stop].name('ja')}</h2>" in unescape(section)
        assert unescape(sites[stop].description["ja"].text) in unescape(section)
        assert f"<title>{BASE_URL}/s/{stop}</title>" in section  # the QR code's SVG
    # Only the first slide shows until the script moves on; the loop's pace is set.
    assert page.count(" hidden>") >= len(tour.stops) - 1
    assert 'data-seconds="15"' in page
    assert 'data-cache="screen-phan-rang-cham-crafts-ja"' in page


def test_a_screen_without_a_tour_shows_every_site(
    client: TestClient, shipped_sites: list[Site]
) -> None:
    page = client.get("/screen?lang=en&seconds=30").text
    assert sorted(_slides(page)) == sorted(site.key for site in shipped_sites)
    assert 'data-seconds="30"' in page


def test_a_screen_for_an_unknown_tour_says_so_and_offers_the_tours(client: TestClient) -> None:
    answer = client.get("/screen?lang=en&tour=nowhere", headers={"Accept": "text/html"})
    assert answer.status_code == 404
    assert "No tour has the code “nowhere”" in answer.text
    for tour in read_tours():
        assert f'href="/screen?lang=en&amp;tour={tour.key}"' in answer.text


def test_a_screen_in_an_unknown_language_offers_the_languages(client: TestClient) -> None:
    answer = client.get("/screen?lang=xx&tour=vijaya-towers", headers={"Accept": "text/html"})
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("text/html")
    assert 'href="/screen?tour=vijaya-towers&amp;lang=ko"' in answer.text


@pytest.mark.parametrize("seconds", ["1", "301", "soon"])
def test_a_pace_out_of_range_is_refused_naming_the_field(client: TestClient, seconds: str) -> None:
    answer = client.get(f"/screen?lang=en&seconds={seconds}")
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["query", "seconds"]
