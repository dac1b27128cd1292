"""The `ivr` command for staff: check, simulate, draw, schema and test; each calls the library."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from ivr.checks import check_content
from ivr.draw import FORMATS
from ivr.draw import draw as draw_menu
from ivr.menu import MenuError, load_menu
from ivr.model import Menu
from ivr.schema import menu_schema_json

MENU_ARG = click.argument("path", default="menus.yaml", type=click.Path(dir_okay=False))


@click.group()
@click.version_option(package_name="ivr")
def main() -> None:
    """Tools for the staff who keep the line's menus.yaml."""


def _load(path: str) -> Menu:
    """Load a menu, or print its problems and stop with exit status 1."""
    try:
        return load_menu(path)
    except MenuError as e:
        for line in e.lines():
            click.echo(line, err=True)
        n = len(e.problems)
        raise click.ClickException(f"{path}: {n} {_plural(n, 'problem')}; nothing was changed"
                                   ) from None


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"


@main.command()
@MENU_ARG
@click.option("--strict", is_flag=True, help="Fail (exit status 1) on warnings too.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), hidden=True,
              help="Judge review dates as if today were this date.")
def check(path: str, strict: bool, today: datetime | None) -> None:
    """Check a menu file: problems stop it loading, warnings are content to improve.

    Each is printed as FILE:LINE: message. Warnings cover texts longer than two SMS
    segments or outside the GSM-7 alphabet, answers longer than 30 seconds to say,
    reading levels above grade 8, topics too deep or not reachable by keys, menus
    with more than 6 options, and reviews older than 12 months.
    """
    menu = _load(path)
    source = Path(path).read_text(encoding="utf-8")
    found = check_content(menu, source, today.date() if today else None)
    for f in found:
        click.echo(f"{path}:{f.line}: warning: {f.message}")
    summary = ", ".join(f"{len(group)} {_plural(len(group), name)}" for group, name in (
        (menu.menus, "menu"), (menu.topics, "topic"), (menu.transfers, "transfer line")))
    if not found:
        click.echo(f"{path}: OK ({summary})")
        return
    n = f"{len(found)} {_plural(len(found), 'warning')}"
    if strict:
        raise click.ClickException(f"{path}: {n} (--strict)")
    click.echo(f"{path}: OK with {n} ({summary})")


@main.command()
def schema() -> None:
    """Print the JSON Schema of menus.yaml, for editors (committed as menus.schema.json)."""
    click.echo(menu_schema_json(), nl=False)


@main.command()
@MENU_ARG
@click.option("--format", "format", type=click.Choice(FORMATS), default="tree", show_default=True,
              help="Draw as an indented tree, a Mermaid flowchart or a Graphviz DOT graph.")
def draw(path: str, format: str) -> None:
    """Draw the menu tree, with the key that leads to each menu, topic and line.

    Mermaid renders in GitHub's Markdown (in a ```mermaid block); DOT renders with
    Graphviz: `ivr draw --format dot | dot -Tsvg > menu.svg`.
    """
    click.echo(draw_menu(_load(path), format), nl=False)
