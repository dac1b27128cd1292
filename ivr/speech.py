"""What a caller hears: every English word of the voice line, said for an engine `Reply`.

Pure: no Flask, no Twilio. `ivr.voice` says these same sentences in `<Say>`, and a staff simulator
can print `hear(menu, reply)`, so both give exactly what a caller hears. A line in another language
replaces this module's wording, nothing else.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from ivr.engine import Reply, Trouble
from ivr.model import Menu, MenuNode, Node, Text, Topic, Transfer

_ACRONYM = re.compile(r"\b[A-Z]{2,5}\b")
_PERSON = "To talk to a person, press 0."


def hear(menu: Menu, reply: Reply) -> str:
    """Return the plain text of everything a caller hears for `reply`, in order."""
    return " ".join(say(menu, reply))


def say(menu: Menu, reply: Reply) -> list[str]:
    """Say a reply in parts, one `<Say>` each: greeting, trouble, answer, choices, way out."""
    parts: list[str] = []
    if reply.welcome:
        parts += _welcome(menu)
    if reply.emergency:
        parts.append(emergency(menu))
    if reply.thanks:
        parts.append("You're welcome.")
    if reply.trouble is not None:
        parts.append(_trouble(reply.trouble, reply.key))
    if reply.failed is not None:
        parts.append(_call_back(reply.failed, quiet=reply.trouble is Trouble.GONE_QUIET))
    if reply.answer is not None:
        parts.append(answer(menu, reply.answer))
    if reply.offered:
        parts.append(" ".join([
            "That could be more than one topic.",
            *(_press(n, str(i)) for i, n in enumerate(reply.offered, 1)),
            _PERSON,
        ]))
    if reply.menu is not None:
        lead = ["Or choose from the main menu."] if reply.failed is not None else []
        brief = reply.brief or reply.failed is not None
        parts.append(" ".join(lead + _menu(menu, reply.menu, brief)))
    if reply.reminder:
        parts.append(f"To hear that again, press star. For the main menu, press pound. {_PERSON}")
    if reply.transfer is not None:
        parts.append(connecting(menu, reply.transfer))
    if reply.end:
        parts.append("Thank you for calling. Goodbye.")
    return parts


def answer(menu: Menu, topic: Topic) -> str:
    """Return a topic's spoken answer, with each phone number said digit by digit."""
    return spoken(menu, topic.spoken)


def spoken(menu: Menu, text: Text) -> str:
    """Return words from menus.yaml as said, each `{line}` as its number digit by digit."""
    return letters(text.render(menu, lambda line: digits(line.number)))


def emergency(menu: Menu) -> str:
    """Return the emergency notice: the greeting's first sentence, which menus.yaml keeps for it."""
    first = re.split(r"(?<=[.!])\s", spoken(menu, menu.settings.greeting), maxsplit=1)[0]
    return first if "911" in first else letters(menu.settings.notice)


def letters(words: str) -> str:
    """Spell out short capitalised abbreviations, so 'ASPS' is said 'A S P S', not 'asps'."""
    return _ACRONYM.sub(lambda m: " ".join(m.group()), words)


@lru_cache(maxsize=256)  # a line has only a few numbers, said in many replies
def digits(number: str) -> str:
    """Say a phone number digit by digit in groups: '+16173556000' -> '6 1 7, 3 5 5, 6 0 0 0'."""
    try:
        parsed = phonenumbers.parse(number, None)
        national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    except phonenumbers.NumberParseException:
        national = number
    groups = re.findall(r"\d+", national)
    return ", ".join(" ".join(g) for g in groups)


def connecting(menu: Menu, line: Transfer) -> str:
    """Return what is said just before a transfer is dialled."""
    if line.id == menu.person.id:
        return "Connecting you to a person. Please hold."
    return "Connecting your call. Please hold."


def _welcome(menu: Menu) -> list[str]:
    said = [spoken(menu, menu.settings.greeting)]
    # The greeting is meant to name the line; a greeting written without it still gets it said.
    if menu.settings.name.lower() not in menu.settings.greeting.plain().lower():
        said.append(letters(f"You have reached {menu.settings.name}."))
    return said


def _trouble(trouble: Trouble, key: str | None) -> str:
    wrong = f"Sorry, {key} is not one of the choices." if key else (
        "Sorry, I did not understand that.")
    return {
        Trouble.WRONG_KEY: wrong,
        Trouble.NOT_UNDERSTOOD: wrong,
        Trouble.SILENCE: "Sorry, I did not hear a choice.",
        Trouble.MOVED: "The menu has changed. Here is the main menu.",
        Trouble.GONE_QUIET: "Sorry, I still did not hear a choice.",
        Trouble.TOO_MANY: f"{wrong} Let me get you to someone who can help.",
    }[trouble]


def _call_back(line: Transfer, quiet: bool) -> str:
    number = digits(line.number)
    first = f"To talk to a person, call {number}." if quiet else (
        f"Sorry, no one could take your call just now. Please call {number}.")
    return f"{first} Again, that number is {number}."


def _menu(menu: Menu, node: MenuNode, brief: bool) -> list[str]:
    said: list[str] = []
    if node.prompt is not None and not brief:
        said.append(spoken(menu, node.prompt))
    for option in node.options:
        target = menu.node(option.target)
        if target is not None:
            said.append(_press(target, option.key))
    if node.id != menu.main:
        said.append("For the main menu, press pound.")
    said.append(_PERSON)
    if not brief:
        said.append("Or say what you are looking for.")
    return said


def _press(node: Node, key: str) -> str:
    return f"For {letters(node.title)}, press {key}."
