"""``guide map …``: build the map page, and copy the browser libraries it loads."""

from pathlib import Path
from typing import Annotated

import typer

from maps import vendor
from maps.assets import DEFAULT_PREFIX
from maps.build import build_map
from maps.datafile import MapDataError
from maps.tours import TOURS_FILE, read_tours
from sites_data.cli import StoreSettings
from sites_data.db import DatabaseNotReady, ready_database
from sites_data.files import SiteFilesError, read_site_files, write_atomic
from sites_data.languages import DEFAULT_LANGUAGE, UnsupportedLanguage
from sites_data.schema import Site
from sites_data.store import SiteStore

app = typer.Typer(help="The map of every site, with the curated tours.", no_args_is_help=True)


def _fail(lines: list[str]) -> typer.Exit:
    for line in lines:
        typer.echo(line, err=True)
    return typer.Exit(1)


def _public_sites(settings: StoreSettings) -> tuple[list[Site], set[str]]:
    """The public sites, and every site key including archived ones (a tour may name one)."""
    try:
        store = SiteStore(ready_database(settings.database_url))
    except DatabaseNotReady as error:
        raise _fail([str(error)]) from None
    catalogue = store.catalogue()
    known = {stored.site.key for stored in store.sites(include_archived=True)}
    return [catalogue.sites[key] for key in sorted(catalogue.sites)], known


def _file_sites(path: Path) -> tuple[list[Site], set[str]]:
    try:
        sites = read_site_files(path)
    except SiteFilesError as error:
        raise _fail([str(problem) for problem in error.problems]) from None
    return sites, {site.key for site in sites}


@app.command()
def build(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option(help="The HTML file to write.")],
    lang: Annotated[str, typer.Option(help="Language code: vi en zh ko ja fr ru de.")] = (
        DEFAULT_LANGUAGE
    ),
    assets_prefix: Annotated[
        str, typer.Option(help="Where the page finds its scripts and styles (see `map vendor`).")
    ] = DEFAULT_PREFIX,
    site_files: Annotated[
        Path | None,
        typer.Option(help="Map these site files instead of the public sites in the database."),
    ] = None,
    tours: Annotated[Path, typer.Option(help="The tours file.")] = TOURS_FILE,
) -> None:
    """Write the map page in one language: every site, by category, with the tours.

    A tour stop archived in the database is left out of the tour's line.
    """
    sites, known_keys = _file_sites(site_files) if site_files else _public_sites(ctx.obj)
    try:
        tour_list = read_tours(tours, site_keys=known_keys)
        html = build_map(sites, lang, tour_list, assets_prefix)
    except MapDataError as error:
        raise _fail([str(problem) for problem in error.problems]) from None
    except UnsupportedLanguage as error:
        raise _fail([f"--lang: {error}"]) from None
    write_atomic(out, html)
    typer.echo(f"The map of {len(sites)} site(s) and {len(tour_list)} tour(s) is in {out}.")


app.command("vendor")(vendor.main)
