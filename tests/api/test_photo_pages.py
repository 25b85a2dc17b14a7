"""What visitors see of the photos outside the QR page's gallery: the map's popup and the QR
poster lead with the first photo, the document keeps its photos' rules, and a site without
photos is as it was."""

import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from api.photos import PhotoLibrary
from api.qr import poster_digest, poster_pdf, poster_photo
from maps.labels import load_labels
from maps.popups import site_popup, tour_popup
from maps.tours import read_tours
from sites_data.files import json_document, read_site_files
from sites_data.photos import Photo
from sites_data.schema import Site
from tests.api.test_qr import _poster_page, _scan
from tests.factories import make_site
from tests.photo_factories import image_bytes

URL = "https://guide.example/s/test-tower"


def _photo(**overrides: object) -> Photo:
    document: dict[str, object] = {
        "id": "a" * 32,
        "width": 1280,
        "height": 960,
        "widths": [320, 640, 960, 1280],
        "credit": "Nguyễn Văn A",
        "licence": "CC BY 4.0",
        "alt": {"en": "Two towers", "vi": "Hai tháp"},
        "caption": {"en": "From the east"},
    }
    return Photo.model_validate(document | overrides)


def _with_photos(site: Site, *photos: Photo) -> Site:
    return Site.model_validate(json_document(site) | {"photos": [p.model_dump() for p in photos]})


def test_a_site_without_photos_keeps_the_document_it_had() -> None:
    for site in read_site_files():
        assert site.photos == []
        assert "photos" not in json_document(site)


def test_the_document_refuses_a_photo_twice_and_a_flat_photo_called_a_panorama() -> None:
    site = make_site()
    with pytest.raises(ValidationError, match="the same photo is listed twice"):
        _with_photos(site, _photo(), _photo())
    with pytest.raises(ValidationError, match="twice as wide as high; this photo is 1280×960"):
        _photo(panorama=True)
    assert _photo(panorama=True, width=2048, height=1024, widths=[640, 2048]).panorama


def test_the_popup_leads_with_the_first_photo_in_the_page_language() -> None:
    labels = load_labels()
    site = _with_photos(make_site(), _photo(), _photo(id="b" * 32, alt={"en": "Second"}))
    french = site_popup(site, "fr", labels)
    assert french.count("<figure") == 1
    assert f'src="/photos/{"a" * 32}/640.jpg"' in french
    assert 'alt="Two towers" lang="en"' in french and 'loading="lazy"' in french
    assert "© Nguyễn Văn A (CC BY 4.0)" in french
    assert 'alt="Hai tháp"' in site_popup(site, "vi", labels)
    assert "<figure" not in site_popup(make_site(), "fr", labels)


def test_a_tours_popup_offers_its_virtual_tour_once_two_stops_have_panoramas() -> None:
    labels = load_labels()
    tour = read_tours()[0]
    shipped = {site.key: site for site in read_site_files()}
    stops = [shipped[key] for key in tour.stops]
    panorama = _photo(panorama=True, width=2048, height=1024, widths=[640, 2048])
    assert "tour-360" not in tour_popup(tour, stops, "en", labels)
    stops[0] = _with_photos(stops[0], panorama)
    assert "tour-360" not in tour_popup(tour, stops, "en", labels)
    stops[2] = _with_photos(stops[2], panorama)
    popup = tour_popup(tour, stops, "ko", labels)
    assert f'<a href="/tours/{tour.key}/360?lang=ko">360° 가상 투어</a>' in popup


def test_the_poster_shows_the_first_photo_and_still_scans(tmp_path: Path) -> None:
    library = PhotoLibrary(tmp_path / "photos")
    upload = tmp_path / "upload.jpg"
    upload.write_bytes(image_bytes(1600, 1200, "JPEG"))
    with upload.open("rb") as source:
        kept, _ = library.keep(source, "upload.jpg", 10_000_000, 50_000_000, None)
    photo = _photo(id=kept.id, width=kept.width, height=kept.height, widths=kept.widths)
    site = _with_photos(make_site(), photo)
    chosen = poster_photo(site, library.folder)
    assert chosen == library.folder / kept.id / "1280.jpg"
    assert poster_photo(make_site(), library.folder) is None
    assert poster_digest(site, URL, chosen) != poster_digest(site, URL, None)

    pdf = tmp_path / "poster.pdf"
    pdf.write_bytes(poster_pdf(site, URL, chosen))
    listed = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert [line.split()[3:5] for line in listed] == [["1280", "960"]]
    assert _scan(_poster_page(pdf)) == URL


@pytest.mark.parametrize(
    "path",
    [
        f"/s/test-tower/360/{'a' * 32}",
        "/s/no-such-site/360/photo",
        "/tours/vijaya-towers/360",  # its stops have no panoramas
        "/tours/no-such-tour/360",
    ],
)
def test_a_missing_panorama_or_virtual_tour_is_a_404(client: TestClient, path: str) -> None:
    assert client.get(path, headers={"Accept": "application/json"}).status_code == 404
