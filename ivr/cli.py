"""The `ivr` command for staff: check, simulate, draw, schema and test; each calls the library."""

from __future__ import annotations

import contextlib
import sys
import textwrap
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TextIO

import click

from ivr.checks import check_content
from ivr.draw import FORMATS
from ivr.draw import draw as draw_menu
from ivr.engine import Conversation
from ivr.menu import MenuError, load_menu
from ivr.model import Menu
from ivr.play import Call, Texting
from ivr.scenarios import ScenarioError, run_file
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


@main.command()
@MENU_ARG
@click.option("--sms", is_flag=True, help="Text the line instead of calling it.")
def simulate(path: str, sms: bool) -> None:
    """Call or text the line in the terminal, through the engine the webhooks use.

    A call prints what the caller hears. Type keys (2, *, #, 0) or words, which
    are taken as speech; an empty line is silence. After "[connecting to ...]",
    type how the call ended: completed (or an empty line), busy, no-answer,
    failed or canceled. With --sms, each line is one text and the replies are
    printed. End with Ctrl-D. Input can be piped, one line per turn.
    """
    conversation = Conversation(_load(path))
    stdin = sys.stdin
    typed = stdin.isatty()
    if sms:
        texting = Texting(conversation)
        for body in _lines(stdin, typed):
            # STOP and the like get no reply from us: the carrier and Twilio answer them.
            for text in texting.send(body) or ["[no reply]"]:
                click.echo(text)
        return
    call = Call(conversation)
    _say(call.start())
    for line in _lines(stdin, typed):
        _say(call.do(line))
        if call.ended:
            return
        if typed and call.dialing is not None:
            click.echo("[type how the call ended: completed (or Enter), busy, no-answer, "
                       "failed or canceled]")
    click.echo("[the caller hangs up]")


def _lines(stdin: TextIO, typed: bool) -> Iterator[str]:
    """Yield input lines, prompting at a terminal and echoing piped ones as a transcript."""
    if typed:
        with contextlib.suppress(ImportError):  # arrow keys and history, where readline exists
            import readline  # noqa: F401
        while True:
            try:
                yield input("> ")
            except EOFError:
                click.echo()
                return
    for line in stdin:
        line = line.rstrip("\r\n")
        click.echo(f"> {line}")
        yield line


def _say(heard: list[str]) -> None:
    # Wrapped for reading in a terminal; the words are exactly those said.
    for text in heard:
        click.echo(textwrap.fill(text, 100, break_long_words=False, break_on_hyphens=False))


@main.command(name="test")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--menu", "path", default="menus.yaml", show_default=True,
              type=click.Path(dir_okay=False), help="The menu file the conversations call.")
def test_command(files: tuple[str, ...], path: str) -> None:
    """Play the conversations in FILES and check what is heard and read.

    Each file is a list of conversations in YAML, such as:

    \b
      - name: symptoms by phone
        call: [2]
        hear: lump that does not hurt
      - text: symptoms
        reply: lump

    A failure prints its file and line, the step, and what was heard instead.
    """
    conversation = Conversation(_load(path))
    ran = failed = 0
    for file in files:
        try:
            count, failures = run_file(conversation, file)
        except ScenarioError as e:
            raise click.ClickException(str(e)) from None
        for f in failures:
            click.echo("\n".join(f.lines(file)))
        ran, failed = ran + count, failed + len(failures)
    if failed:
        raise click.ClickException(f"{failed} of {ran} {_plural(ran, 'conversation')} failed")
    click.echo(f"{ran} {_plural(ran, 'conversation')} passed")
