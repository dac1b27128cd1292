"""Content checks for a menu that loads: warnings a caller or texter would notice, by line.

A warning never stops the line (the loader decides what is broken); `ivr check` prints these and
fails on them only with `--strict`. Each check measures what a person gets: texts in SMS segments,
answers in seconds of speech, words by school grade, topics by key presses from the main menu.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import phonenumbers
import pyphen

from ivr import speech
from ivr.model import Menu, MenuNode, Text, Topic, Transfer

MAX_SEGMENTS = 2
MAX_SECONDS = 30
WORDS_PER_MINUTE = 150
MAX_GRADE = 8.0
MAX_OPTIONS = 6
MAX_DEPTH = 3  # key presses from the main menu

# GSM 03.38: the alphabet a plain text is sent in. One character outside it sends the whole text
# as UCS-2, 70 characters a segment instead of 160. Kept minimal here; see ivr/gsm.py on the sms
# branch, which the lead may unify with this table.
GSM7 = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")  # two septets each
NAMES = {"’": "a curly quote", "‘": "a curly quote", "“": "a curly quote",
         "”": "a curly quote", "–": "an en dash", "—": "an em dash", "…": "an ellipsis",
         "\u00a0": "a no-break space"}
PLAIN = {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "\u00a0": " "}


@dataclass(frozen=True)
class Finding:
    """One warning about the content, at a line of the file."""

    line: int
    message: str


def segments(text: str) -> tuple[int, str]:
    """Return how many SMS segments `text` needs and its encoding (GSM-7 or UCS-2)."""
    if all(c in GSM7 or c in GSM7_EXTENDED for c in text):
        septets = len(text) + sum(c in GSM7_EXTENDED for c in text)
        return (1 if septets <= 160 else math.ceil(septets / 153)), "GSM-7"
    units = len(text.encode("utf-16-le")) // 2
    return (1 if units <= 70 else math.ceil(units / 67)), "UCS-2"


def printed(line: Transfer) -> str:
    """Write a line's number as a text shows it."""
    number = phonenumbers.parse(line.number)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def spoken_seconds(menu: Menu, topic: Topic) -> float:
    """Estimate how long a topic's answer takes to say, as `ivr.speech` says it."""
    return len(speech.answer(menu, topic).split()) * 60 / WORDS_PER_MINUTE


@lru_cache(maxsize=1)
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US")


_SENTENCE = re.compile(r"[.!?]+(?:\s+|$)")
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|\d+")


def grade(text: str) -> float:
    """Return the Flesch-Kincaid grade level of `text`."""
    sentences = max(1, len([s for s in _SENTENCE.split(text) if _WORD.search(s)]))
    words = _WORD.findall(text)
    if not words:
        return 0.0
    syllables = sum(len(_hyphenator().positions(w.lower())) + 1 for w in words)
    return 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59


def depths(menu: Menu) -> dict[str, int]:
    """Return the fewest key presses from the main menu to each menu, topic and line."""
    seen = {menu.main: 0}
    queue = [menu.home]
    while queue:
        node = queue.pop(0)
        for o in node.options:
            if o.target not in seen:
                seen[o.target] = seen[node.id] + 1
                if isinstance(target := menu.node(o.target), MenuNode):
                    queue.append(target)
    return seen


def check_content(menu: Menu, source: str = "", today: date | None = None) -> list[Finding]:
    """Return every content warning for a loaded menu; `source` is the file, for columns."""
    found = [*_texting(menu, source.splitlines()), *_speech(menu), *_reading(menu),
             *_shape(menu), *_reviews(menu, today or date.today())]
    return sorted(found, key=lambda f: f.line)


def _texted(menu: Menu) -> Iterator[tuple[str, str, int]]:
    """Yield (what, text, line) for every piece of a menu that a texter reads."""
    s = menu.settings
    yield "the notice", s.notice, s.lines.get("notice", 0)
    yield "the line's name", s.name, s.lines.get("name", 0)
    for m in menu.menus.values():
        yield f"menu '{m.id}'", m.title, m.line
        if m.prompt:
            yield f"menu '{m.id}'", m.prompt.plain(), m.line
    for t in menu.transfers.values():
        yield f"transfer line '{t.id}'", t.title, t.line
    for t in menu.topics.values():
        yield f"the title of topic '{t.id}'", t.title, t.lines.get("title", t.line)
        field = "sms" if t.sms else "answer"
        yield f"the text of topic '{t.id}'", t.texted.render(menu, printed), t.lines[field]


def _texting(menu: Menu, source: list[str]) -> Iterator[Finding]:
    for what, text, line in _texted(menu):
        odd = sorted({c for c in text if c not in GSM7 and c not in GSM7_EXTENDED},
                     key=text.index)
        for c in odd:
            at, col = _locate(source, line, c)
            name = NAMES.get(c, f"'{c}' (U+{ord(c):04X})")
            name = f"{name} {c}" if c in NAMES else name
            where = f" at column {col}" if col else ""
            fix = f"; write {PLAIN[c]!r} instead" if c in PLAIN else ""
            yield Finding(at, f"{what} has {name}{where}, which is not in the GSM-7 texting "
                          "alphabet, so the whole text is sent in UCS-2 at 70 characters a "
                          f"segment instead of 160 (about twice the cost){fix}")
    for t in menu.topics.values():
        n, code = segments(t.texted.render(menu, printed))
        if n > MAX_SEGMENTS:
            field = "sms" if t.sms else "answer"
            yield Finding(t.lines[field], f"the text of topic '{t.id}' needs {n} SMS segments "
                          f"({code}); keep it to {MAX_SEGMENTS} (about "
                          f"{MAX_SEGMENTS * (153 if code == 'GSM-7' else 67)} characters) "
                          f"or write a shorter sms: for texts")


def _locate(source: list[str], line: int, char: str) -> tuple[int, int]:
    """Find `char` in the value that starts at `line`; return (line, column), column 0 if lost."""
    if not 0 < line <= len(source):
        return line, 0
    first = source[line - 1]
    indent = len(first) - len(first.lstrip())
    for n in range(line, len(source) + 1):
        text = source[n - 1]
        if n > line and text.strip() and len(text) - len(text.lstrip()) <= indent:
            break
        if char in text:
            return n, text.index(char) + 1
    return line, 0


def _speech(menu: Menu) -> Iterator[Finding]:
    for t in menu.topics.values():
        seconds = spoken_seconds(menu, t)
        if seconds > MAX_SECONDS:
            field = "voice" if t.voice else "answer"
            yield Finding(t.lines[field], f"the spoken answer of topic '{t.id}' takes about "
                          f"{seconds:.0f} seconds to say; keep it under {MAX_SECONDS} "
                          f"(about {MAX_SECONDS * WORDS_PER_MINUTE // 60} words), or write "
                          "a shorter voice: for calls")


def _reading(menu: Menu) -> Iterator[Finding]:
    for t in menu.topics.values():
        for field in ("answer", "voice", "sms"):
            text: Text | None = getattr(t, field)
            if text is None:
                continue
            level = grade(text.render(menu, lambda _: "the line"))
            if level > MAX_GRADE:
                yield Finding(t.lines[field], f"the {field} of topic '{t.id}' reads at grade "
                              f"{level:.1f}; aim for grade {MAX_GRADE:.0f} or below: shorter "
                              "sentences and shorter words")


def _shape(menu: Menu) -> Iterator[Finding]:
    depth = depths(menu)
    for m in menu.menus.values():
        if len(m.options) > MAX_OPTIONS:
            yield Finding(m.line, f"menu '{m.id}' has {len(m.options)} options; callers "
                          f"remember about {MAX_OPTIONS} at most: move some to another menu")
        if m.id not in depth:
            yield Finding(m.line, f"menu '{m.id}' is not reachable from the main menu; "
                          "add it as an option of a menu, or remove it")
    for t in menu.topics.values():
        if t.id not in depth:
            yield Finding(t.line, f"topic '{t.id}' is not reachable by keys from the main menu "
                          "(only by words); add it as an option of a menu")
        elif depth[t.id] > MAX_DEPTH:
            yield Finding(t.line, f"topic '{t.id}' takes {depth[t.id]} key presses from the "
                          f"main menu; keep every topic within {MAX_DEPTH}")


def _reviews(menu: Menu, today: date) -> Iterator[Finding]:
    # 12 months back from today; from 29 February, a year back is 28 February.
    limit = today.replace(year=today.year - 1, day=min(today.day, 28 if today.month == 2 else 31))
    for t in menu.topics.values():
        if t.reviewed and t.reviewed < limit:
            yield Finding(t.lines["reviewed"], f"topic '{t.id}' was last reviewed on "
                          f"{t.reviewed.isoformat()}, more than 12 months ago; check the facts "
                          "and update the date")

