"""``guide staff …``: staff accounts from the command line (how the first admin is made)."""

import sys
from typing import Annotated

import typer

from api.services import Services
from api.settings import Settings
from api.staff import actions
from api.staff.accounts import AccountError, Role, UnknownAccount
from api.staff.audit import Actor
from sites_data.db import DatabaseNotReady

app = typer.Typer(help="Staff accounts of the admin pages.", no_args_is_help=True)

COMMAND_LINE = Actor("command line")


def _services(ctx: typer.Context) -> Services:
    settings: Settings = ctx.obj
    try:
        return Services.open(settings)
    except DatabaseNotReady as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None


def _read_password() -> str:
    """From a hidden prompt on a terminal, else the first line of standard input."""
    if sys.stdin.isatty():
        password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        return password
    return sys.stdin.readline().rstrip("\r\n")


@app.command()
def create(
    ctx: typer.Context,
    username: Annotated[str, typer.Option(help="2-60 lowercase letters, digits, '.', '_', '-'.")],
    role: Annotated[Role, typer.Option(help="editor (edits content) or admin (also staff).")],
) -> None:
    """Create a staff account; the password is asked for (or read from standard input)."""
    services = _services(ctx)
    password = _read_password()
    try:
        account = actions.create_staff(services, COMMAND_LINE, username, password, role)
    except AccountError as error:
        typer.echo(f"Not created: {error}.", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Created {account.role.value} {account.username!r}.")


@app.command()
def password(
    ctx: typer.Context,
    username: Annotated[str, typer.Option(help="The account whose password to set.")],
) -> None:
    """Set a new password (asked for, or read from standard input); open sessions end."""
    services = _services(ctx)
    try:
        actions.set_password(services, COMMAND_LINE, username, _read_password())
    except (UnknownAccount, AccountError) as error:
        typer.echo(f"Not changed: {error}.", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"The password of {username!r} was changed; its sessions have ended.")


@app.command("list")
def list_accounts(ctx: typer.Context) -> None:
    """Every staff account with its role and whether it is active."""
    for account in _services(ctx).accounts.accounts():
        state = "active" if account.active else "switched off"
        typer.echo(f"{account.username}\t{account.role.value}\t{state}")
