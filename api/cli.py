"""The ``guide`` command."""

from typing import Annotated

import typer
import uvicorn
from pydantic import ValidationError

from api import deploy_cli, qr_cli
from api.settings import Settings, environment_name, get_settings
from api.staff import cli as staff_cli
from bot import cli as bot_cli
from maps import cli as maps_cli
from narration import cli as narration_cli
from sites_data import cli as sites_cli
from sites_data import jobs_cli
from sites_data.db import DatabaseNotReady, make_engine, ready_database, upgrade

app = typer.Typer(
    help="Heritage Guide: the multilingual guide to the heritage sites of the "
    "former Bình Định and Ninh Thuận provinces.",
    no_args_is_help=True,
)
db_app = typer.Typer(help="The knowledge-base database.", no_args_is_help=True)
app.add_typer(sites_cli.app, name="sites")
app.add_typer(db_app, name="db")
app.add_typer(qr_cli.app, name="qr")
app.add_typer(maps_cli.app, name="map")
app.add_typer(staff_cli.app, name="staff")
app.add_typer(narration_cli.app, name="narration")
app.add_typer(jobs_cli.app, name="jobs")
app.add_typer(bot_cli.app, name="bot")
app.add_typer(deploy_cli.app, name="deploy")


@app.callback()
def main(ctx: typer.Context) -> None:
    try:
        ctx.obj = get_settings()
    except ValidationError as error:
        for problem in error.errors():
            field = str(problem["loc"][0]) if problem["loc"] else ""
            name = environment_name(field) if field in Settings.model_fields else field
            typer.echo(f"{name}: {problem['msg']}" if name else problem["msg"], err=True)
        raise typer.Exit(1) from None


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Create or migrate the database schema to the newest version."""
    settings: Settings = ctx.obj
    upgrade(make_engine(settings.database_url))
    typer.echo("The database schema is up to date.")


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Address to listen on (GUIDE_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (GUIDE_PORT).")] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Processes serving requests (GUIDE_WORKERS).")
    ] = None,
) -> None:
    """Start the web application."""
    settings: Settings = ctx.obj
    settings = settings.model_copy(
        update={
            "host": host or settings.host,
            "port": port or settings.port,
            "workers": workers or settings.workers,
        }
    )
    try:
        ready_database(settings.database_url)
    except DatabaseNotReady as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"Heritage Guide is running at http://{settings.host}:{settings.port}/ "
        f"({settings.workers} worker{'s' if settings.workers > 1 else ''})"
    )
    # Each worker process builds the application from the same settings (the environment).
    # The application reads forwarded headers itself, from GUIDE_TRUSTED_PROXIES only;
    # uvicorn's own reading would believe any local client.
    uvicorn.run(
        "api.app:app_from_settings",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        # A worker loads the language detector at start, holding the interpreter for seconds:
        # slow to answer the supervisor's health checks, not dead.
        timeout_worker_healthcheck=60,
        proxy_headers=False,
        access_log=settings.access_log,
        log_level="info",
    )
