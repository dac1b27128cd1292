"""The settings each part of menus.yaml may have: one table drives the loader and JSON Schema."""

from __future__ import annotations

import re
from dataclasses import dataclass

ID = re.compile(r"[a-z0-9][a-z0-9-]*")


def slug(text: str) -> str:
    """Turn any name into a valid id, such as 'Where Care' -> 'where-care'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class Field:
    """One setting: what kind of value it takes, whether it is needed, and what it is for."""

    kind: str  # str, text, keywords, date, number, options, section
    required: bool
    help: str

    def describe(self) -> str:
        """Say in words what kind of value is expected."""
        return {
            "str": "a short piece of text",
            "text": "text (answers and prompts can name a line, like {patient})",
            "date": "a date like 2026-01-31",
            "number": 'a phone number like "+16173556000"',
        }.get(self.kind, "a value")


TOP = {
    "line": Field("section", True, "the line's name, voice, language and greeting"),
    "transfers": Field("section", True, "the phone lines a caller can be put through to"),
    "menus": Field("section", True, "the menus; the one called main is where calls start"),
    "topics": Field("section", True, "the answers callers and texters can reach"),
}

LINE = {
    "name": Field("str", True, "the line's name, said after the emergency notice"),
    "greeting": Field("text", True, "the first words; start with the emergency notice"),
    "notice": Field("str", True, "one short line that starts every text conversation"),
    "person": Field("str", True, "the id of the transfer line that 0 connects to"),
    "emergency": Field("keywords", False, "words that mean an emergency: the answer is the notice"),
    "voice": Field("str", False, "the Twilio voice, such as Polly.Joanna-Neural"),
    "language": Field("str", False, "the language for speech, such as en-US"),
}

TRANSFER = {
    "title": Field("str", True, "what the line is called in menus, such as 'the patient line'"),
    "number": Field("number", True, 'the number with country code, like "+16173556000"'),
    "keywords": Field("keywords", False, "words people use to ask for this line"),
}

MENU = {
    "title": Field("str", False, "what this menu is called when another menu offers it"),
    "prompt": Field("text", False, "words said before the options"),
    "options": Field("options", True, "keys 1 to 9, each naming a topic, menu or transfer line"),
}

TOPIC = {
    "title": Field("str", True, "a few words naming the topic, used in menus and lists"),
    "answer": Field("text", True, "the short answer, for calls and texts alike"),
    "voice": Field("text", False, "wording for calls only, where it must differ"),
    "sms": Field("text", False, "wording for texts only, where it must differ"),
    "keywords": Field("keywords", False, "words and phrases people use for this topic"),
    "reviewed": Field("date", False, "when the content was last checked, like 2026-01-31"),
    "source": Field("str", False, "where the facts come from"),
}
