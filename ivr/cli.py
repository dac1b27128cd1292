"""The `ivr` command for staff: check the menu file (and more, below)."""

from __future__ import annotations

import click

from ivr.menu import MenuError, load_menu

MENU_ARG = click.argument("path", default="menus.yaml", type=click.Path(dir_okay=False))


@click.group()
@click.version_option(package_name="ivr")
def main() -> None:
    """Tools for the staff who keep the line's menus.yaml."""


@main.command()
@MENU_ARG
def check(path: str) -> None:
    """Check a menu file and print every problem as FILE:LINE: message."""
    try:
        menu = load_menu(path)
    except MenuError as e:
        for line in e.lines():
            click.echo(line, err=True)
        n = len(e.problems)
        s = "s" * (n != 1)
        raise click.ClickException(f"{path}: {n} problem{s}; nothing was changed") from None
    click.echo(f"{path}: OK ({len(menu.menus)} menus, {len(menu.topics)} topics, "
               f"{len(menu.transfers)} transfer lines)")
