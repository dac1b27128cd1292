"""The menu model: what a line says and where each choice leads, as frozen data.

Nothing here reads files or knows about Flask or Twilio; `ivr.menu` builds these from menus.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

# Words US carriers reserve for opting out and in (CTIA); a text of one never reaches the menu.
RESERVED_SMS_WORDS = frozenset(
    "STOP STOPALL UNSUBSCRIBE CANCEL END QUIT REVOKE OPTOUT START UNSTOP YES HELP INFO".split()
)
# Keys every menu keeps for getting around: * repeats, # goes to the main menu, 0 is a person.
NAV_KEYS = ("*", "#", "0")
OPTION_KEYS = tuple("123456789")


@dataclass(frozen=True, slots=True)
class LineRef:
    """A `{name}` placeholder in a text, naming a transfer line."""

    name: str


@dataclass(frozen=True, slots=True)
class Text:
    """Words written once in menus.yaml, with transfer lines kept apart for each channel to say."""

    parts: tuple[str | LineRef, ...]

    def render(self, menu: Menu, number: Callable[[Transfer], str]) -> str:
        """Join the words, writing each line's number the way `number` says."""
        return "".join(
            number(menu.transfers[p.name]) if isinstance(p, LineRef) else p for p in self.parts
        )

    def plain(self) -> str:
        """Return the text as written, placeholders and all."""
        return "".join(f"{{{p.name}}}" if isinstance(p, LineRef) else p for p in self.parts)


@dataclass(frozen=True, slots=True)
class Transfer:
    """A phone line a caller can be connected to, such as the patient line."""

    id: str
    title: str
    number: str  # E.164, such as +16173556000
    line: int = 0
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Option:
    """One choice on a menu: the key that picks it and the id it leads to."""

    key: str
    target: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class MenuNode:
    """A menu: an optional prompt and the options a caller picks by key."""

    id: str
    title: str
    options: tuple[Option, ...]
    prompt: Text | None = None
    line: int = 0

    def option(self, key: str) -> Option | None:
        """Return the option picked by `key`, if there is one."""
        return next((o for o in self.options if o.key == key), None)


@dataclass(frozen=True, slots=True)
class Topic:
    """A short answer, written once for both channels, with wording per channel where it differs."""

    id: str
    title: str
    answer: Text
    voice: Text | None = None
    sms: Text | None = None
    keywords: tuple[str, ...] = ()
    reviewed: date | None = None
    source: str | None = None
    line: int = 0
    lines: Mapping[str, int] = field(default_factory=dict)

    @property
    def spoken(self) -> Text:
        """Return what a caller hears."""
        return self.voice or self.answer

    @property
    def texted(self) -> Text:
        """Return what a texter reads."""
        return self.sms or self.answer


@dataclass(frozen=True, slots=True)
class Settings:
    """The line's own settings: its name, how it speaks, and how it greets."""

    name: str
    greeting: Text
    person: str  # the transfer line that 0 connects to
    notice: str = "Not for emergencies: call 911."
    emergency: tuple[str, ...] = ()  # words that get the notice before anything else
    voice: str = "Polly.Joanna-Neural"
    language: str = "en-US"
    lines: Mapping[str, int] = field(default_factory=dict)


Node = MenuNode | Topic | Transfer


@dataclass(frozen=True, slots=True)
class Menu:
    """A whole line, loaded and checked: settings, transfer lines, menus and topics by id."""

    settings: Settings
    transfers: Mapping[str, Transfer]
    menus: Mapping[str, MenuNode]
    topics: Mapping[str, Topic]
    path: str = "menus.yaml"
    digest: str = ""
    main: str = "main"

    def node(self, id: str) -> Node | None:
        """Return the menu, topic or transfer line called `id`, if there is one."""
        return self.menus.get(id) or self.topics.get(id) or self.transfers.get(id)

    @property
    def person(self) -> Transfer:
        """Return the line that 0 connects to."""
        return self.transfers[self.settings.person]

    @property
    def home(self) -> MenuNode:
        """Return the main menu."""
        return self.menus[self.main]
