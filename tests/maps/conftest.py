"""The map built from the shipped sites and tours, in every language, and its vendored assets."""

import shutil
from pathlib import Path

import pytest

from maps import build_map, read_tours
from maps.tours import Tour
from maps.vendor import NODE_MODULES, REPO_ROOT, VendorError, vendor
from sites_data.languages import LANGUAGE_CODES
from sites_data.schema import Site

STATIC_DIR = REPO_ROOT / "api" / "static"


@pytest.fixture(scope="session")
def shipped_tours(shipped_sites: list[Site]) -> list[Tour]:
    return read_tours(site_keys={site.key for site in shipped_sites})


@pytest.fixture(scope="session")
def pages(shipped_sites: list[Site], shipped_tours: list[Tour]) -> dict[str, str]:
    """The map page in each language."""
    return {lang: build_map(shipped_sites, lang, shipped_tours) for lang in LANGUAGE_CODES}


@pytest.fixture(scope="session")
def vendored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A web root whose ``static/vendor/`` holds the browser libraries, as `maps.vendor` makes."""
    root = tmp_path_factory.mktemp("web")
    try:
        vendor(NODE_MODULES, root / "static" / "vendor")
    except VendorError as error:
        pytest.fail(f"{error} (`npm ci` installs them; `make setup` should run it)")
    shutil.copyfile(STATIC_DIR / "here.js", root / "static" / "here.js")
    return root
