"""Copy the browser libraries the map and the API documentation page load from
``node_modules/`` into the static folder.

Run ``npm ci`` first (``package.json`` lists the packages), then ``python -m maps.vendor``.
Each file of ``maps.assets.linked_files()`` is copied to the same path under the
destination, with the images and fonts its stylesheet refers to and its package's licence
(and notice, which the Apache licence asks to travel with the files).
"""

import posixpath
import re
import shutil
from pathlib import Path
from typing import Annotated

import typer

from maps.assets import RUNTIME_FILES, linked_files, npm_packages

REPO_ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = REPO_ROOT / "node_modules"
VENDOR_DIR = REPO_ROOT / "api" / "static" / "vendor"

_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_LICENCE = re.compile(r"^((mit-)?licen[cs]e|notice|copying)(\.\w+)?$", re.IGNORECASE)


class VendorError(Exception):
    pass


def stylesheet_references(css: str) -> list[str]:
    """The relative paths a stylesheet loads (fonts, images), without query or fragment."""
    paths = []
    for _, url in _CSS_URL.findall(css):
        url = url.strip()
        if url.startswith(("data:", "#", "http:", "https:", "//", "/")):
            continue
        paths.append(re.split(r"[?#]", url, maxsplit=1)[0])
    return list(dict.fromkeys(paths))


def needed_files(node_modules: Path = NODE_MODULES) -> list[str]:
    """Every path (relative to ``node_modules``) the pages need, with their stylesheets' files."""
    files = [*linked_files(), *RUNTIME_FILES]
    for path in linked_files():
        if path.endswith(".css") and (node_modules / path).is_file():
            folder = posixpath.dirname(path)
            for reference in stylesheet_references((node_modules / path).read_text("utf-8")):
                files.append(posixpath.normpath(f"{folder}/{reference}"))
    for package in sorted(npm_packages()):
        if (node_modules / package).is_dir():
            files += [
                f"{package}/{entry.name}"
                for entry in sorted((node_modules / package).iterdir())
                if entry.is_file() and _LICENCE.match(entry.name)
            ]
    return list(dict.fromkeys(files))


def vendor(node_modules: Path = NODE_MODULES, destination: Path = VENDOR_DIR) -> list[str]:
    """Copy every needed file; returns their paths relative to ``destination``.

    Raises VendorError naming the missing files, and copies nothing, when a package is absent.
    """
    files = needed_files(node_modules)
    missing = [path for path in files if not (node_modules / path).is_file()]
    if missing:
        raise VendorError(
            f"missing from {node_modules}: {', '.join(missing)}. Run `npm ci` in {REPO_ROOT} "
            "(package.json lists the packages), then run this again."
        )
    for path in files:
        target = destination / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(node_modules / path, target)
    return files


def main(
    node_modules: Annotated[
        Path, typer.Option(help="The npm packages, installed by `npm ci`.")
    ] = NODE_MODULES,
    destination: Annotated[
        Path, typer.Option(help="Where the map page's assets prefix is served from.")
    ] = VENDOR_DIR,
) -> None:
    """Copy the map's browser libraries from node_modules into the static folder."""
    try:
        files = vendor(node_modules, destination)
    except VendorError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{len(files)} file(s) copied to {destination}.")


if __name__ == "__main__":
    typer.run(main)
