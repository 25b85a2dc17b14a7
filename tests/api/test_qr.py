"""QR codes and posters: every code the guide serves or prints scans to the site's address.

The codes are read back by real tools, as a visitor's phone would: zbar for the codes,
librsvg to draw the SVG, poppler to draw and read the posters. A missing tool fails the
test with the Debian package to install.
"""

import dataclasses
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest
import typer
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image
from typer.testing import CliRunner

from api import qr, qr_cli
from api.routes import qr as qr_routes
from api.services import Services
from api.settings import get_settings
from sites_data.db import Database, make_engine, upgrade
from sites_data.languages import LANGUAGES
from sites_data.schema import Site
from sites_data.store import SiteStore

BASE_URL = "https://guide.example.vn"
TEST_SITES = ["test-tower", "test-museum", "far-away"]

# The 15 format bits of a QR symbol are XOR-ed with this mask; after it, the top two bits
# give the error correction level (ISO/IEC 18004, 7.9).
FORMAT_MASK = 0b101010000010010
ERROR_LEVELS = {0b01: "L", 0b00: "M", 0b11: "Q", 0b10: "H"}


def _tool(command: str, package: str) -> str:
    path = shutil.which(command)
    if path is None:
        pytest.fail(f"`{command}` is missing: install the Debian package {package}")
    return path


def _run(*args: str | Path) -> str:
    result = subprocess.run(args, capture_output=True, text=True)
    assert result.returncode == 0, f"{args[0]} failed: {result.stderr}"
    return result.stdout


def _scan(png: Path) -> str:
    """What a phone reads in the image: the text of its one QR code."""
    zbarimg = _tool("zbarimg", "zbar-tools")
    result = subprocess.run(
        [zbarimg, "--raw", "-q", "-Sdisable", "-Sqrcode.enable", png],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"zbarimg found no QR code in {png.name}"
    codes = result.stdout.splitlines()
    assert len(codes) == 1, codes
    return codes[0]


def _svg_to_png(svg: Path) -> Path:
    png = svg.with_suffix(".png")
    # No background is given: a transparent quiet zone would not scan on a dark wall.
    _run(_tool("rsvg-convert", "librsvg2-bin"), svg, "-o", png)
    return png


def _poster_page(pdf: Path) -> Path:
    prefix = pdf.with_suffix("")
    _run(_tool("pdftoppm", "poppler-utils"), "-png", "-r", "150", "-singlefile", pdf, prefix)
    return prefix.with_suffix(".png")


def _poster_text(pdf: Path) -> str:
    text = _run(_tool("pdftotext", "poppler-utils"), "-enc", "UTF-8", pdf, "-")
    return " ".join(text.split())


def _symbol(png: Path) -> tuple[int, list[list[bool]]]:
    """The quiet zone (in modules) and the dark modules of a code drawn by itself."""
    image = Image.open(png).convert("L")
    pixels = image.load()
    assert pixels is not None
    width, _ = image.size

    def dark(x: float, y: float) -> bool:
        value = pixels[int(x), int(y)]
        assert isinstance(value, int)
        return value < 128

    # The top-left finder pattern starts after the quiet zone and is 7 modules wide.
    corner = next(i for i in range(width) if dark(i, i))
    module = (next(i for i in range(corner, width) if not dark(i, corner)) - corner) / 7
    quiet = round(corner / module)
    size = round(width / module) - 2 * quiet
    modules = [
        [dark((quiet + col + 0.5) * module, (quiet + row + 0.5) * module) for col in range(size)]
        for row in range(size)
    ]
    return quiet, modules


def _error_correction(modules: list[list[bool]]) -> str:
    size = len(modules)

    def read(cells: list[tuple[int, int]]) -> int:
        return int("".join("1" if modules[row][col] else "0" for row, col in cells), 2)

    beside_top_left = [(8, col) for col in (0, 1, 2, 3, 4, 5, 7, 8)] + [
        (row, 8) for row in (7, 5, 4, 3, 2, 1, 0)
    ]
    other_corners = [(row, 8) for row in range(size - 1, size - 8, -1)] + [
        (8, col) for col in range(size - 8, size)
    ]
    bits = read(beside_top_left)
    assert read(other_corners) == bits, "the two copies of the format information differ"
    return ERROR_LEVELS[(bits ^ FORMAT_MASK) >> 13]


def _assert_good_code(png: Path, url: str) -> None:
    assert _scan(png) == url
    quiet, modules = _symbol(png)
    assert quiet == 4, f"the quiet zone is {quiet} modules wide"
    assert (len(modules) - 17) % 4 == 0, f"{len(modules)} modules is no QR symbol size"
    assert _error_correction(modules) == "Q"


def _assert_good_poster(pdf: Path, names: list[str], url: str) -> None:
    """One A4 page whose code scans to ``url``, with the names, the URL and every call to act."""
    pdf_info = _run(_tool("pdfinfo", "poppler-utils"), pdf)
    assert "Pages:           1" in pdf_info
    assert "Page size:       595.28 x 841.89 pts (A4)" in pdf_info
    assert _scan(_poster_page(pdf)) == url
    text = _poster_text(pdf)
    for expected in [*names, url]:
        assert " ".join(expected.split()) in text
    for language in LANGUAGES:
        assert language.qr_call_to_action in text, language.code


@pytest.fixture
def qr_client(client: TestClient) -> TestClient:
    """The test app with the QR routes, and a public address written with a trailing slash."""
    app = cast(FastAPI, client.app)
    # Until api/app.py includes the router; afterwards the app already has the routes.
    if not any(getattr(route, "path", None) == "/qr/{key}.png" for route in app.routes):
        app.include_router(qr_routes.router)
    services: Services = app.state.services
    settings = services.settings.model_copy(update={"public_base_url": f"{BASE_URL}/"})
    app.state.services = dataclasses.replace(services, settings=settings)
    return client


def test_the_short_url_has_one_slash_whatever_the_setting() -> None:
    assert qr.qr_url("https://guide.example.vn/", "ky-co") == "https://guide.example.vn/s/ky-co"
    assert qr.qr_url("http://127.0.0.1:8000", "ky-co") == "http://127.0.0.1:8000/s/ky-co"


def test_the_level_stays_q_where_a_higher_one_would_fit(tmp_path: Path) -> None:
    url = "http://127.0.0.1:8000/s/test-tower"  # fits version 4 at level H as well
    png = tmp_path / "code.png"
    png.write_bytes(qr.qr_png(url))
    _assert_good_code(png, url)


@pytest.mark.parametrize("key", TEST_SITES)
def test_png_scans_to_the_site(qr_client: TestClient, tmp_path: Path, key: str) -> None:
    response = qr_client.get(f"/qr/{key}.png")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.headers["cache-control"] == qr_routes.QR_CACHE_CONTROL
    png = tmp_path / f"{key}.png"
    png.write_bytes(response.content)
    _assert_good_code(png, f"{BASE_URL}/s/{key}")


def test_png_takes_a_scale(qr_client: TestClient, tmp_path: Path) -> None:
    small, large = tmp_path / "small.png", tmp_path / "large.png"
    small.write_bytes(qr_client.get("/qr/test-tower.png?scale=3").content)
    large.write_bytes(qr_client.get("/qr/test-tower.png?scale=30").content)
    assert Image.open(large).width == 10 * Image.open(small).width
    for png in (small, large):
        _assert_good_code(png, f"{BASE_URL}/s/test-tower")
    assert qr_client.get("/qr/test-tower.png?scale=0").status_code == 422


@pytest.mark.parametrize("key", TEST_SITES)
def test_svg_scans_to_the_site(qr_client: TestClient, tmp_path: Path, key: str) -> None:
    response = qr_client.get(f"/qr/{key}.svg")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.headers["cache-control"] == qr_routes.QR_CACHE_CONTROL
    svg = tmp_path / f"{key}.svg"
    svg.write_bytes(response.content)
    _assert_good_code(_svg_to_png(svg), f"{BASE_URL}/s/{key}")


def test_poster_scans_and_reads_in_every_language(qr_client: TestClient, tmp_path: Path) -> None:
    response = qr_client.get("/qr/test-museum/poster.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["cache-control"] == qr_routes.POSTER_CACHE_CONTROL
    assert response.headers["content-disposition"] == 'inline; filename="test-museum-poster.pdf"'
    pdf = tmp_path / "poster.pdf"
    pdf.write_bytes(response.content)
    _assert_good_poster(pdf, ["Bảo tàng Thử", "Test Museum"], f"{BASE_URL}/s/test-museum")
    fonts = _run(_tool("pdffonts", "poppler-utils"), pdf)
    # Each of Chinese, Japanese and Korean is set in its own regional face.
    for face in ("NotoSansCJKSC", "NotoSansCJKJP", "NotoSansCJKKR"):
        assert face in fonts


@pytest.mark.parametrize("path", ["/qr/{}.svg", "/qr/{}.png", "/qr/{}/poster.pdf"])
def test_an_unknown_site_is_a_404(qr_client: TestClient, path: str) -> None:
    response = qr_client.get(path.format("no-such-site"))
    assert response.status_code == 404
    assert response.json() == {"detail": "no site has the key 'no-such-site'; see /api/sites"}


@pytest.fixture
def samples(shipped_sites: list[Site]) -> list[Site]:
    """Shipped sites that stretch the poster: the longest names, and both former provinces."""
    chosen = [
        max(shipped_sites, key=lambda site: len(site.names["vi"])),
        max(shipped_sites, key=lambda site: len(site.names["en"])),
        next(site for site in shipped_sites if site.province.former == "Bình Định"),
        next(site for site in shipped_sites if site.province.former == "Ninh Thuận"),
    ]
    return list({site.key: site for site in chosen}.values())


@pytest.fixture
def cli_settings(
    samples: list[Site], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """`guide` settings from the environment, on a database holding some shipped sites."""
    url = f"sqlite:///{tmp_path / 'posters.db'}"
    engine = make_engine(url)
    upgrade(engine)
    SiteStore(Database(engine)).load(samples)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("GUIDE_PUBLIC_BASE_URL", f"{BASE_URL}/")
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def _guide() -> typer.Typer:
    """A `guide` command with the QR verbs, as api/cli.py registers them."""
    guide = typer.Typer()

    @guide.callback()
    def main(ctx: typer.Context) -> None:
        ctx.obj = get_settings()

    guide.add_typer(qr_cli.app, name="qr")
    return guide


def test_cli_writes_one_poster_per_site(
    cli_settings: str, samples: list[Site], tmp_path: Path
) -> None:
    out = tmp_path / "posters"
    result = CliRunner().invoke(_guide(), ["qr", "posters", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{len(samples)} poster(s) written" in result.stdout
    assert sorted(path.name for path in out.iterdir()) == sorted(f"{s.key}.pdf" for s in samples)
    for site in samples:
        names = [site.names["vi"], site.names["en"]]
        _assert_good_poster(out / f"{site.key}.pdf", names, f"{BASE_URL}/s/{site.key}")


def test_a_missing_font_names_its_debian_package(
    qr_client: TestClient,
    cli_settings: str,
    samples: list[Site],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gone = tmp_path / "NotoSansCJK-Regular.ttc"
    fonts = [
        dataclasses.replace(font, path=gone) if font.debian_package == "fonts-noto-cjk" else font
        for font in qr.POSTER_FONTS
    ]
    monkeypatch.setattr(qr, "POSTER_FONTS", tuple(fonts))
    advice = "apt-get install fonts-noto-cjk"

    with pytest.raises(qr.PosterFontMissing) as raised:
        qr.poster_pdf(samples[0], f"{BASE_URL}/s/any")
    assert str(gone) in str(raised.value)
    assert advice in str(raised.value)

    response = qr_client.get("/qr/test-tower/poster.pdf")
    assert response.status_code == 500
    assert advice in response.json()["detail"]

    out = tmp_path / "posters"
    result = CliRunner().invoke(_guide(), ["qr", "posters", "--out", str(out)])
    assert result.exit_code == 1
    assert advice in result.stderr
    assert not out.exists()
