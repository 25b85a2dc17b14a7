"""``guide sites …``: check, load and export the site files."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Protocol

import typer

from sites_data.db import Database, DatabaseNotReady, ready_database, upgrade
from sites_data.files import (
    SITES_DIR,
    Problem,
    SiteFilesError,
    display_path,
    dump_json,
    dump_yaml,
    read_site_files,
    write_atomic,
)
from sites_data.jobs import JobSettings, open_job_queue, site_store
from sites_data.region import (
    FESTIVALS_FILE,
    OUTSIDE_FILE,
    read_festivals,
    read_outside_places,
    unknown_sites,
)
from sites_data.schema import Site
from sites_data.store import SiteStore
from sites_data.text_checks import text_problems

app = typer.Typer(help="Check, load and export the knowledge base of sites.", no_args_is_help=True)


class StoreSettings(JobSettings, Protocol):
    @property
    def database_url(self) -> str: ...


class ExportFormat(StrEnum):
    YAML = "yaml"
    JSON = "json"


PathArgument = Annotated[
    Path, typer.Argument(help="A site file or a folder of them (default: the shipped sites).")
]


def _read_or_exit(path: Path) -> list[Site]:
    try:
        return read_site_files(path)
    except SiteFilesError as error:
        for problem in error.problems:
            typer.echo(str(problem), err=True)
        typer.echo(f"{len(error.problems)} problem(s) found; nothing was changed.", err=True)
        raise typer.Exit(1) from None


def _settings(ctx: typer.Context) -> StoreSettings:
    settings: StoreSettings = ctx.obj
    return settings


def _site_file(path: Path, key: str) -> str:
    return display_path(path if path.is_file() else path / f"{key}.yaml")


def _region_problems(site_keys: set[str]) -> list[Problem]:
    """The festivals and the places outside the area, checked with the shipped sites."""
    try:
        read_festivals(FESTIVALS_FILE)
        read_outside_places(OUTSIDE_FILE)
    except SiteFilesError as error:
        return error.problems
    return unknown_sites(site_keys)


@app.command()
def check(path: PathArgument = SITES_DIR) -> None:
    """Check site files; every problem is printed as 'file: field: what is wrong'. Beyond
    what loading checks, each text must be in its language, not far shorter than the English,
    and name the site as the knowledge base does in that language."""
    sites = _read_or_exit(path)
    problems = [
        problem for site in sites for problem in text_problems(_site_file(path, site.key), site)
    ]
    if path.resolve() == SITES_DIR.resolve():
        problems += _region_problems({site.key for site in sites})
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        typer.echo(f"{len(problems)} problem(s) found.", err=True)
        raise typer.Exit(1)
    typer.echo(f"{len(sites)} site(s) checked, no problems.")


@app.command()
def load(
    ctx: typer.Context,
    path: PathArgument = SITES_DIR,
    overwrite: Annotated[
        bool, typer.Option(help="Replace sites that staff changed in the database too.")
    ] = False,
) -> None:
    """Load site files into the database (all or nothing; unchanged files cost nothing)."""
    sites = _read_or_exit(path)
    settings = _settings(ctx)
    database = Database.open(settings.database_url)
    upgrade(database.engine)
    # Loaded like any change: the narration a file makes new or different is queued.
    store = site_store(database, open_job_queue(database, settings))
    report = store.load(sites, overwrite=overwrite)
    typer.echo(
        f"{len(report.created)} created, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {len(report.conflicts)} kept as edited by staff."
    )
    for key in report.conflicts:
        typer.echo(
            f"{key}: changed both in its file and by staff in the database; the database "
            "version was kept. Export it, merge by hand, or load with --overwrite.",
            err=True,
        )


@app.command()
def export(
    ctx: typer.Context,
    format: Annotated[ExportFormat, typer.Option("--format", help="yaml or json.")] = (
        ExportFormat.YAML
    ),
    out: Annotated[
        Path | None,
        typer.Option(help="Write one file per site into this folder instead of printing."),
    ] = None,
    include_archived: Annotated[bool, typer.Option(help="Include archived sites.")] = False,
) -> None:
    """Print (or write) every site from the database, losslessly."""
    try:
        store = SiteStore(ready_database(_settings(ctx).database_url))
    except DatabaseNotReady as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    sites = [stored.site for stored in store.sites(include_archived=include_archived)]
    if out is None:
        if format == ExportFormat.JSON:
            typer.echo(dump_json(sites), nl=False)
        else:
            typer.echo("".join(f"---\n{dump_yaml(site)}" for site in sites), nl=False)
        return
    for site in sites:
        text = dump_json(site) if format == ExportFormat.JSON else dump_yaml(site)
        write_atomic(out / f"{site.key}.{format.value}", text)
    typer.echo(f"{len(sites)} site(s) written to {out}.")
