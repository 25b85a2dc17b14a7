"""``guide qr …``: printable QR posters for the sites."""

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.exc import OperationalError

from api.qr import PosterFontMissing, check_poster_fonts, poster_pdf, qr_url
from api.settings import Settings
from sites_data.db import is_current, make_engine
from sites_data.files import display_path
from sites_data.store import SiteStore

app = typer.Typer(help="QR codes and printable posters for the sites.", no_args_is_help=True)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write a file so that a reader (or a printer queue) never sees it half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    partial.replace(path)


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
    engine = make_engine(settings.database_url)
    try:
        ready = is_current(engine)
    except OperationalError as error:
        typer.echo(f"Cannot open the database ({error.orig}); check DATABASE_URL.", err=True)
        raise typer.Exit(1) from None
    if not ready:
        typer.echo("The database is empty or out of date: run `guide sites load` first.", err=True)
        raise typer.Exit(1)
    sites = SiteStore(engine).catalogue().sites
    for key, site in sorted(sites.items()):
        path = out / f"{key}.pdf"
        write_bytes_atomic(path, poster_pdf(site, qr_url(settings.public_base_url, key)))
        typer.echo(display_path(path))
    typer.echo(f"{len(sites)} poster(s) written to {display_path(out)}.")
