"""``guide qr …``: printable QR posters for the sites."""

from pathlib import Path
from typing import Annotated

import typer

from api.qr import PosterFontMissing, check_poster_fonts, poster_pdf, poster_photo, qr_url
from api.settings import Settings
from sites_data.db import DatabaseNotReady, ready_database
from sites_data.files import display_path, write_atomic
from sites_data.store import SiteStore

app = typer.Typer(help="QR codes and printable posters for the sites.", no_args_is_help=True)


@app.command()
def posters(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option(help="Folder to write one '<key>.pdf' per site into.")],
) -> None:
    """Write an A4 poster (PDF) with its QR code for every public site in the database."""
    settings: Settings = ctx.obj
    try:
        check_poster_fonts()
    except PosterFontMissing as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    try:
        database = ready_database(settings.database_url)
    except DatabaseNotReady as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    sites = SiteStore(database).catalogue().sites
    for key, site in sorted(sites.items()):
        path = out / f"{key}.pdf"
        photo = poster_photo(site, Path(settings.photo_dir))
        write_atomic(path, poster_pdf(site, qr_url(settings.public_base_url, key), photo))
        typer.echo(display_path(path))
    typer.echo(f"{len(sites)} poster(s) written to {display_path(out)}.")
