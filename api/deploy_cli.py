"""``guide deploy``: configurations of existing servers in front of this installation."""

import os
from pathlib import Path
from typing import Annotated

import typer

from api.nginx_config import CONFIG_NAME, BadAddress, NginxSite, address
from api.settings import Settings

app = typer.Typer(help="Configurations for servers in front of the guide.", no_args_is_help=True)


@app.command("nginx")
def nginx(
    ctx: typer.Context,
    listen: Annotated[str, typer.Option(help="HOST:PORT nginx listens on.")],
    upstream: Annotated[
        str, typer.Option(help="The `guide serve` processes, HOST:PORT[,HOST:PORT…].")
    ],
    prefix: Annotated[
        Path, typer.Option(help="Folder for the configuration and all nginx writes.")
    ],
    user: Annotated[
        str | None, typer.Option(help="User nginx's workers run as, when started as root.")
    ] = None,
) -> None:
    """Write an nginx configuration: static files and narration audio from disk, public pages
    cached and revalidated, everything else passed to the guide processes."""
    settings: Settings = ctx.obj
    try:
        site = NginxSite(
            listen=address("--listen", listen),
            upstreams=[address("--upstream", entry) for entry in upstream.split(",") if entry],
            prefix=prefix.resolve(),
            audio_dir=Path(settings.audio_dir).resolve(),
            photo_dir=Path(settings.photo_dir).resolve(),
            max_body_mb=int(max(settings.recording_max_mb, settings.photo_max_mb)) + 1,
            user=user,
        )
    except BadAddress as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from None
    if not site.upstreams:
        typer.echo("--upstream: name at least one guide process, HOST:PORT", err=True)
        raise typer.Exit(2)
    path = site.write()
    typer.echo(f"Wrote {path}. Check it and start nginx with:")
    typer.echo(f"  nginx -t -p {site.prefix} -c {site.prefix / CONFIG_NAME}")
    typer.echo(f"  nginx -p {site.prefix} -c {site.prefix / CONFIG_NAME}")
    if not settings.trusted_proxy_list:
        typer.echo(
            "The guide believes no proxy yet: set GUIDE_TRUSTED_PROXIES to the address nginx "
            "connects to it from (such as 127.0.0.1) so that it sees visitors' addresses."
        )
    if os.geteuid() == 0 and user is None:
        typer.echo("Started as root, nginx's workers run as nobody unless --user names another.")
