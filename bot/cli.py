"""``guide bot …``: generate the NLU lookups, and start Rasa and the action server."""

import logging
import os
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Annotated, Protocol
from urllib.parse import unquote, urlsplit

import typer
from sqlalchemy.engine import make_url

from bot import sync as lookups
from sites_data.db import DatabaseNotReady, ready_database
from sites_data.store import SiteStore

BOT_DIR = Path(__file__).parent
ROOT = BOT_DIR.parent
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
MODELS_DIR = BOT_DIR / "models"
# Rasa reads endpoints.yml, which names the action server and the tracker store by these.
ENDPOINTS = BOT_DIR / "endpoints.yml"
ACTION_SERVER_URL_VARIABLE = "GUIDE_ACTION_SERVER_URL"
TRACKER_URL_VARIABLE = "GUIDE_RASA_TRACKER_URL"
LOCK_STORE_PREFIX = "GUIDE_RASA_LOCK_STORE_"

app = typer.Typer(help="The Rasa assistant.", no_args_is_help=True)


class BotSettings(Protocol):
    database_url: str
    rasa_url: str
    rasa_host: str
    rasa_tracker_url: str
    rasa_lock_store_url: str
    rasa_workers: int
    action_server_url: str
    action_server_host: str


def _settings(ctx: typer.Context) -> BotSettings:
    settings: BotSettings = ctx.obj
    return settings


def rasa_environment(**variables: str) -> dict[str, str]:
    """The environment to run .venv-rasa's programs in: the model's pipeline has a
    component of ours (``bot.components.script_tokenizer``), which Rasa imports from the
    repository root; ``variables`` are added."""
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path, **variables}


def lock_store_variables(lock_store_url: str) -> dict[str, str]:
    """The variables endpoints.yml's lock store reads: Rasa's Redis lock store on the server
    ``lock_store_url`` names, or its in-memory one when that is empty."""
    if not lock_store_url:
        return {
            f"{LOCK_STORE_PREFIX}TYPE": "in_memory",
            f"{LOCK_STORE_PREFIX}HOST": "",
            f"{LOCK_STORE_PREFIX}PORT": "6379",
            f"{LOCK_STORE_PREFIX}DB": "1",
            f"{LOCK_STORE_PREFIX}PASSWORD": "",
        }
    url = urlsplit(lock_store_url)
    return {
        f"{LOCK_STORE_PREFIX}TYPE": "redis",
        f"{LOCK_STORE_PREFIX}HOST": url.hostname or "",
        f"{LOCK_STORE_PREFIX}PORT": str(url.port or 6379),
        f"{LOCK_STORE_PREFIX}DB": url.path.strip("/") or "1",
        f"{LOCK_STORE_PREFIX}PASSWORD": unquote(url.password or ""),
    }


def _port(url: str, setting: str) -> int:
    port = urlsplit(url).port
    if port is None:
        typer.echo(f"{setting} ({url}) must name a port, e.g. http://127.0.0.1:5005", err=True)
        raise typer.Exit(1)
    return port


@app.command()
def sync(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option(help="The file to write.")] = lookups.GENERATED_FILE,
) -> None:
    """Write the NLU lookup tables (site names, interests, languages) from the knowledge base."""
    try:
        store = SiteStore(ready_database(_settings(ctx).database_url))
    except DatabaseNotReady as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    sites = store.catalogue().sites.values()
    state = "written" if lookups.sync(sites, out) else "unchanged"
    typer.echo(f"{out}: {state} ({len(sites)} sites).")


@app.command()
def actions(
    ctx: typer.Context,
    port: Annotated[
        int | None, typer.Option(help="Port (default: the one in GUIDE_ACTION_SERVER_URL).")
    ] = None,
) -> None:
    """Start the action server (rasa-sdk) that answers from the knowledge base."""
    # Imported here: Sanic and its plugins take a second, which every other verb would pay.
    from bot import action_server

    settings = _settings(ctx)
    try:
        ready_database(settings.database_url)
    except DatabaseNotReady as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    action_server.serve(
        settings.database_url,
        settings.action_server_host,
        port or _port(settings.action_server_url, ACTION_SERVER_URL_VARIABLE),
        str(ENDPOINTS),
    )


@app.command()
def rasa(
    ctx: typer.Context,
    port: Annotated[
        int | None, typer.Option(help="Port (default: the one in GUIDE_RASA_URL).")
    ] = None,
) -> None:
    """Start the Rasa server (REST channel) with the trained model, from .venv-rasa."""
    settings = _settings(ctx)
    if not RASA.exists():
        typer.echo(f"{RASA} is missing: run `make setup` to create .venv-rasa.", err=True)
        raise typer.Exit(1)
    if not any(MODELS_DIR.glob("*.tar.gz")):
        typer.echo(f"No trained model in {MODELS_DIR}: run `make setup` to train it.", err=True)
        raise typer.Exit(1)
    arguments = [
        str(RASA.with_name("python")),
        "-m",
        "bot.rasa_server",  # Rasa's own `rasa run`, with its answer check built once
        "run",
        "--model",
        str(MODELS_DIR),
        "--endpoints",
        str(ENDPOINTS),
        "--credentials",
        str(BOT_DIR / "credentials.yml"),
        "--interface",
        settings.rasa_host,
        "--port",
        str(port or _port(_first(settings.rasa_url), "GUIDE_RASA_URL")),
    ]
    _prepare_sqlite_file(settings.rasa_tracker_url)
    environment = rasa_environment(
        **{
            ACTION_SERVER_URL_VARIABLE: settings.action_server_url,
            TRACKER_URL_VARIABLE: settings.rasa_tracker_url,
            **lock_store_variables(settings.rasa_lock_store_url),
            # Rasa starts this many Sanic workers when its lock store is not in memory.
            "SANIC_WORKERS": str(settings.rasa_workers),
        }
    )
    os.execve(arguments[0], arguments, environment)


def _first(comma_separated: str) -> str:
    return comma_separated.split(",")[0].strip()


def _prepare_sqlite_file(database_url: str) -> None:
    """A SQLite tracker store's folder made (SQLite makes the file, not its folder), and
    the file in write-ahead-log mode, which it keeps: a message's events are written with
    one sync of the log instead of several, and Rasa's workers read while another writes."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(url.database)) as connection:
            connection.execute("PRAGMA journal_mode=WAL")
